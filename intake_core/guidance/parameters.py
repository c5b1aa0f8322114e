"""content/guidance/parameters.yml as typed, validated objects.

The file holds two kinds of figures. ``GuidanceParameters``: those that change
over time (dated figures such as the LPR, each with the date every value took
effect, its source and how often a lawyer must check it) or that the firm
chooses (how close a deadline must be to count as urgent). ``LegalFigures``: those a statute fixes (months of
compensation, court-fee bands, time limits), kept as data so that a lawyer can
check each one against the article named beside it. A lawyer edits the file;
the code only reads it, once per loader, and refuses values it cannot trust.
Every error names the key at fault, e.g. ``court_fees.property.bands[2].rate``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta

from intake_core.content import CONTENT_DIR, PROJECT_ROOT, ContentError, naming, read_yaml

logger = logging.getLogger(__name__)

PARAMETERS_PATH = CONTENT_DIR / "guidance" / "parameters.yml"

# The reasons a case fee is reduced; calculators.FeeReduction has one member for each.
FEE_REDUCTIONS = ("simplified_procedure", "mediation_or_withdrawal")

# Plausible ranges (inclusive): a value outside is a typo, e.g. "2.5" for a rate of 2.5%.
LPR_PERCENT = (Decimal("0.5"), Decimal("10"))  # an LPR has never been near 0 or above 10%
RATE = (Decimal("0.0001"), Decimal("1"))  # a share of a sum: 0.5% is "0.005"
MULTIPLE = (Decimal("1"), Decimal("10"))  # times a wage, a fee or a rate
WAGE_MONTHS = (Decimal("0.1"), Decimal("12"))  # months of wages
AMOUNT = (Decimal("0.01"), Decimal("1000000000"))  # yuan
DAYS_PER_MONTH = (Decimal("15"), Decimal("31"))  # paid days in a month
HOURS_PER_DAY = (Decimal("1"), Decimal("24"))
PERIOD_UNITS = ("years", "months", "days")
_Parsed = TypeVar("_Parsed")


class ParametersError(ContentError):
    """parameters.yml is missing a key or holds a value we cannot use (the parsers name the
    key; the loaders add the file)."""


@dataclass(frozen=True)
class DatedValue:
    """One value of a dated figure and the day it took effect."""

    effective: date
    value: Decimal


@dataclass(frozen=True)
class DatedFigure:
    """A figure that changes over time: its values (oldest first), where they come from,
    and how often a lawyer must compare them with that source.

    ``as_of`` is the last day the table is known to be right: the later of the newest
    value's effective date and ``checked_on`` (the day a lawyer last compared it with the
    source and found nothing new). After ``review_due`` the figure is stale: a newer
    value may exist that we do not know of, so staff are warned (start-up log, console).
    """

    key: str
    source: str
    review_every: Period
    checked_on: date | None
    values: tuple[DatedValue, ...]

    def in_force_on(self, day: date) -> DatedValue | None:
        """The value that applied on ``day`` as far as the table knows; None before the first one."""
        applying = [value for value in self.values if value.effective <= day]
        return applying[-1] if applying else None

    @property
    def latest(self) -> DatedValue:
        return self.values[-1]

    @property
    def as_of(self) -> date:
        return max(self.latest.effective, self.checked_on or self.latest.effective)

    @property
    def review_due(self) -> date:
        return self.review_every.after(self.as_of)

    def is_stale(self, today: date) -> bool:
        return today > self.review_due


@dataclass(frozen=True)
class GuidanceParameters:
    lpr_one_year: DatedFigure
    urgent_within_days: int

    @property
    def dated_figures(self) -> tuple[DatedFigure, ...]:
        """Every figure with a review period, for the staleness warnings."""
        return (self.lpr_one_year,)


@dataclass(frozen=True)
class CompensationRules:
    """劳动合同法第47条, 第40条 (notice pay), 第87条, 第97条第3款 (service before the law)."""

    months_per_year: Decimal
    round_up_from_months: int
    short_remainder_months: Decimal
    high_earner_multiple: Decimal
    high_earner_max_years: int
    unlawful_termination_multiple: Decimal
    notice_pay_months: Decimal
    current_rules_from: date


@dataclass(frozen=True)
class DoubleWageRules:
    """劳动合同法第82条; 实施条例第6条、第7条."""

    exempt_months: int
    max_months: int
    day_divisor: int


@dataclass(frozen=True)
class OvertimeRates:
    """劳动法第44条."""

    workday: Decimal
    rest_day: Decimal
    holiday: Decimal


@dataclass(frozen=True)
class WageConversion:
    """劳社部发〔2008〕3号 (days), 劳动法第36条 (hours): monthly wage to hourly wage."""

    paid_days_per_month: Decimal
    hours_per_day: Decimal


@dataclass(frozen=True)
class FeeBand:
    """The part of a claim above ``over`` (and up to ``up_to``, None = no bound) is charged at ``rate``."""

    over: Decimal
    up_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class CourtFees:
    """诉讼费用交纳办法第13条, 第15条, 第16条."""

    flat_up_to: Decimal
    flat_fee: Decimal
    bands: tuple[FeeBand, ...]
    divorce_low: Decimal
    divorce_high: Decimal
    divorce_property_over: Decimal
    divorce_property_rate: Decimal
    labor: Decimal
    reduction_divisors: dict[str, Decimal]


@dataclass(frozen=True)
class DepositRules:
    """民法典第586条、第587条."""

    cap_rate: Decimal
    return_multiple: Decimal


@dataclass(frozen=True)
class Period:
    """A time limit in one unit, e.g. 1 year or 90 days."""

    unit: str
    count: int

    def after(self, start: date) -> date:
        """The day the period ends; relativedelta keeps to the month's last day (民法典第202条)."""
        end: date = start + relativedelta(**{self.unit: self.count})  # dateutil has no type information
        return end


@dataclass(frozen=True)
class DeadlinePeriods:
    labor_arbitration: Period
    contract_limitation: Period
    revocation: Period
    revocation_major_misunderstanding: Period
    divorce_cooling_off: Period
    divorce_certificate: Period
    divorce_resuit_bar: Period
    injury_employer: Period
    injury_worker: Period


@dataclass(frozen=True)
class PrivateLoanRules:
    """民间借贷规定第25条 (the multiple) and 第31条 (loans made before ``new_rules_from``)."""

    lpr_multiple: Decimal
    new_rules_from: date


@dataclass(frozen=True)
class LegalFigures:
    economic_compensation: CompensationRules
    double_wage: DoubleWageRules
    overtime: OvertimeRates
    wage_conversion: WageConversion
    court_fees: CourtFees
    deposit: DepositRules
    private_loan: PrivateLoanRules
    deadlines: DeadlinePeriods

    @property
    def private_loan_lpr_multiple(self) -> Decimal:
        return self.private_loan.lpr_multiple


# --- loading ---------------------------------------------------------------------


@cache
def load_parameters(path: Path = PARAMETERS_PATH) -> GuidanceParameters:
    """Read and validate the LPR and the urgency window; cached, so read once per path."""
    return _load(path, parse_parameters)


@cache
def load_legal_figures(path: Path = PARAMETERS_PATH) -> LegalFigures:
    """Read and validate the statutory figures; cached, so read once per path."""
    return _load(path, parse_legal_figures)


def _load(path: Path, parse: Callable[[Mapping[str, Any]], _Parsed]) -> _Parsed:
    """``parse`` of the file at ``path``; an error names the file and the key."""
    raw = read_yaml(path)
    with naming(path):
        if not isinstance(raw, Mapping):
            raise ParametersError("expected a mapping of parameters")
        return parse(raw)


def parse_parameters(raw: Mapping[str, Any]) -> GuidanceParameters:
    """Validate the parsed YAML; every error names the key at fault."""
    top = _Section(raw, "")
    return GuidanceParameters(
        lpr_one_year=_dated_figure(top.section("lpr_one_year"), "rate", LPR_PERCENT),
        urgent_within_days=top.whole("urgent_within_days", 0, 366),
    )


def _dated_figure(
    figure: _Section, value_name: str, bounds: tuple[Decimal, Decimal], allow_empty: bool = False
) -> DatedFigure:
    """A table of values by effective date: sorted, no date twice, every value in ``bounds``.

    ``allow_empty``: the table may have no value yet (``values: []``), for a figure no source in
    the project gives: the calculators then take it as an input and say it is missing.
    """
    source = figure.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ParametersError(f"{figure.key('source')}: expected the name of the publisher or document")
    entries = figure.get("values")
    if allow_empty and entries == []:
        return DatedFigure(
            key=figure.path,
            source=source.strip(),
            review_every=figure.period("review_every"),
            checked_on=None,
            values=(),
        )
    if not isinstance(entries, list) or not entries:
        raise ParametersError(f"{figure.key('values')}: expected a list of {{effective: ..., {value_name}: ...}}")
    values: list[DatedValue] = []
    for index, entry in enumerate(entries):
        item = _Section(entry, f"{figure.key('values')}[{index}]")
        effective = item.iso_date("effective")
        if values and effective <= values[-1].effective:
            raise ParametersError(
                f"{item.key('effective')}: {effective} must come after "
                f"{values[-1].effective} (oldest first, each date once)"
            )
        values.append(DatedValue(effective, item.decimal(value_name, bounds)))
    checked_on = figure.iso_date("checked_on") if figure.raw.get("checked_on") is not None else None
    if checked_on is not None and checked_on < values[-1].effective:
        raise ParametersError(
            f"{figure.key('checked_on')}: {checked_on} is before the newest value " f"({values[-1].effective})"
        )
    return DatedFigure(
        key=figure.path,
        source=source.strip(),
        review_every=figure.period("review_every"),
        checked_on=checked_on,
        values=tuple(values),
    )


def stale_figures(parameters: GuidanceParameters, today: date) -> list[DatedFigure]:
    """The dated figures whose review period has run out on ``today``."""
    return [figure for figure in parameters.dated_figures if figure.is_stale(today)]


def log_stale_figures(parameters: GuidanceParameters, today: date) -> list[DatedFigure]:
    """Warn staff in the log about every stale dated figure, by key (no caller data)."""
    stale = stale_figures(parameters, today)
    for figure in stale:
        logger.warning(
            "Dated figure %s is past its review period (newest value effective %s, known right "
            "until %s, review was due %s): check it against its source (%s) and update %s.",
            figure.key,
            figure.latest.effective,
            figure.as_of,
            figure.review_due,
            figure.source,
            PARAMETERS_PATH.relative_to(PROJECT_ROOT),
        )
    return stale


def parse_legal_figures(raw: Mapping[str, Any]) -> LegalFigures:
    """Validate the parsed YAML; every error names the key at fault."""
    top = _Section(raw, "")
    return LegalFigures(
        economic_compensation=_compensation(top.section("economic_compensation")),
        double_wage=_double_wage(top.section("double_wage")),
        overtime=_overtime(top.section("overtime")),
        wage_conversion=_wage_conversion(top.section("wage_conversion")),
        court_fees=_court_fees(top.section("court_fees")),
        deposit=_deposit(top.section("deposit")),
        private_loan=_private_loan(top.section("private_loan")),
        deadlines=_deadlines(top.section("deadlines")),
    )


def _compensation(rules: _Section) -> CompensationRules:
    return CompensationRules(
        months_per_year=rules.decimal("months_per_year", WAGE_MONTHS),
        round_up_from_months=rules.whole("round_up_from_months", 1, 11),
        short_remainder_months=rules.decimal("short_remainder_months", WAGE_MONTHS),
        high_earner_multiple=rules.decimal("high_earner_multiple", MULTIPLE),
        high_earner_max_years=rules.whole("high_earner_max_years", 1, 50),
        unlawful_termination_multiple=rules.decimal("unlawful_termination_multiple", MULTIPLE),
        notice_pay_months=rules.decimal("notice_pay_months", WAGE_MONTHS),
        current_rules_from=rules.iso_date("current_rules_from"),
    )


def _double_wage(rules: _Section) -> DoubleWageRules:
    return DoubleWageRules(
        exempt_months=rules.whole("exempt_months", 0, 12),
        max_months=rules.whole("max_months", 1, 12),
        day_divisor=rules.whole("day_divisor", 1, 31),
    )


def _overtime(rates: _Section) -> OvertimeRates:
    return OvertimeRates(*(rates.decimal(kind, MULTIPLE) for kind in ("workday", "rest_day", "holiday")))


def _wage_conversion(conversion: _Section) -> WageConversion:
    return WageConversion(
        paid_days_per_month=conversion.decimal("paid_days_per_month", DAYS_PER_MONTH),
        hours_per_day=conversion.decimal("hours_per_day", HOURS_PER_DAY),
    )


def _court_fees(fees: _Section) -> CourtFees:
    property_fees, divorce = fees.section("property"), fees.section("divorce")
    flat_up_to = property_fees.decimal("flat_up_to", AMOUNT)
    low, high = divorce.decimal("low", AMOUNT), divorce.decimal("high", AMOUNT)
    if high < low:
        raise ParametersError(f"{divorce.key('high')}: {high} is below low ({low})")
    divisors = fees.section("reduction_divisors")
    return CourtFees(
        flat_up_to=flat_up_to,
        flat_fee=property_fees.decimal("flat_fee", AMOUNT),
        bands=_fee_bands(property_fees, flat_up_to),
        divorce_low=low,
        divorce_high=high,
        divorce_property_over=divorce.decimal("property_over", AMOUNT),
        divorce_property_rate=divorce.decimal("property_rate", RATE),
        labor=fees.decimal("labor", AMOUNT),
        reduction_divisors={reason: divisors.decimal(reason, MULTIPLE) for reason in FEE_REDUCTIONS},
    )


def _fee_bands(property_fees: _Section, flat_up_to: Decimal) -> tuple[FeeBand, ...]:
    """Bands that follow each other without gap or overlap; only the last has no upper bound."""
    entries = property_fees.get("bands")
    if not isinstance(entries, list) or not entries:
        raise ParametersError(f"{property_fees.key('bands')}: expected a list of bands")
    bands: list[FeeBand] = []
    lower: Decimal | None = flat_up_to  # None only after the last band, which has no upper bound
    for index, entry in enumerate(entries):
        band = _Section(entry, f"{property_fees.key('bands')}[{index}]")
        over = band.decimal("over", AMOUNT)
        if over != lower:
            raise ParametersError(f"{band.key('over')}: {over} must equal {lower}, where the band before ends")
        last = index == len(entries) - 1
        if last and "up_to" in band.raw:
            raise ParametersError(f"{band.key('up_to')}: the last band has no upper bound")
        up_to = None if last else band.decimal("up_to", AMOUNT)
        if up_to is not None and up_to <= over:
            raise ParametersError(f"{band.key('up_to')}: {up_to} must be above over ({over})")
        bands.append(FeeBand(over, up_to, band.decimal("rate", RATE)))
        lower = up_to
    return tuple(bands)


def _deposit(rules: _Section) -> DepositRules:
    return DepositRules(rules.decimal("cap_rate", RATE), rules.decimal("return_multiple", MULTIPLE))


def _private_loan(rules: _Section) -> PrivateLoanRules:
    return PrivateLoanRules(rules.decimal("lpr_multiple", MULTIPLE), rules.iso_date("new_rules_from"))


def _deadlines(periods: _Section) -> DeadlinePeriods:
    return DeadlinePeriods(**{field.name: periods.period(field.name) for field in fields(DeadlinePeriods)})


# --- traffic accidents -----------------------------------------------------------------
# Read by intake_core/guidance/traffic.py through their own loader, so that the labor and
# contract figures above load as before whatever this section holds.

INCOME = (Decimal("1000"), Decimal("1000000"))  # yuan a year: a per-capita income, not a typo
GRADES = tuple(f"grade_{n}" for n in range(1, 11))  # 伤残等级 一级 to 十级
INSURANCE_ITEMS = (
    "death_disability",
    "medical",
    "property",
    "no_fault_death_disability",
    "no_fault_medical",
    "no_fault_property",
)


@dataclass(frozen=True)
class PersonalInjuryRules:
    """人身损害赔偿解释第12条、第15条 (years and the age rules), 民法典第188条 (limitation);
    ``disability_grade_shares`` is practice, not statute (parameters.yml says so)."""

    compensation_years: int
    reduction_from_age: int
    floor_from_age: int
    floor_years: int
    limitation: Period
    current_rules_from: date  # 第24条: the interpretation applies to torts from this day
    disability_grade_shares: dict[str, Decimal]


@dataclass(frozen=True)
class RegionalValue:
    """One region's figure for one statistical year."""

    region: str
    year: int
    amount: Decimal


@dataclass(frozen=True)
class RegionalFigure:
    """A yearly figure by region (a province's per-capita income); may be empty until a lawyer
    fills it in, and then the calculators take the figure as missing rather than guess one."""

    key: str
    source: str
    review_every: Period
    values: tuple[RegionalValue, ...]

    def latest_for(self, answer: str) -> RegionalValue | None:
        """The newest value of the region the caller's answer names (its name inside the answer)."""
        found = [value for value in self.values if value.region in (answer or "")]
        return max(found, key=lambda value: value.year) if found else None


@dataclass(frozen=True)
class InsuranceLimits:
    """The compulsory-insurance limits in force from ``effective`` (交强险条例第23条)."""

    effective: date
    amounts: dict[str, Decimal]


@dataclass(frozen=True)
class TrafficFigures:
    personal_injury: PersonalInjuryRules
    urban_disposable_income: RegionalFigure
    compulsory_insurance_limits: tuple[InsuranceLimits, ...]
    insurance_limits_source: str

    def tables_to_fill(self) -> list[str]:
        """The keys of the tables still empty, for a staff warning (the figures are missing)."""
        empty = [] if self.urban_disposable_income.values else [self.urban_disposable_income.key]
        return empty + ([] if self.compulsory_insurance_limits else ["compulsory_insurance_limits"])


@cache
def load_traffic_figures(path: Path = PARAMETERS_PATH) -> TrafficFigures:
    """Read and validate the traffic-accident figures; cached, so read once per path."""
    return _load(path, parse_traffic_figures)


def parse_traffic_figures(raw: Mapping[str, Any]) -> TrafficFigures:
    """Validate the parsed YAML; every error names the key at fault."""
    top = _Section(raw, "")
    limits = top.section("compulsory_insurance_limits")
    return TrafficFigures(
        personal_injury=_personal_injury(top.section("personal_injury")),
        urban_disposable_income=_regional_figure(top.section("urban_disposable_income"), INCOME),
        compulsory_insurance_limits=_insurance_limits(limits),
        insurance_limits_source=_source(limits),
    )


def _personal_injury(rules: _Section) -> PersonalInjuryRules:
    reduction_from, floor_from = rules.whole("reduction_from_age", 1, 120), rules.whole("floor_from_age", 1, 120)
    if floor_from <= reduction_from:
        raise ParametersError(f"{rules.key('floor_from_age')}: {floor_from} must be above reduction_from_age")
    shares = rules.section("disability_grade_shares")
    if set(shares.raw) != set(GRADES):
        raise ParametersError(f"{shares.path}: expected exactly {', '.join(GRADES)}")
    return PersonalInjuryRules(
        compensation_years=rules.whole("compensation_years", 1, 100),
        reduction_from_age=reduction_from,
        floor_from_age=floor_from,
        floor_years=rules.whole("floor_years", 1, 100),
        limitation=rules.period("limitation"),
        current_rules_from=rules.iso_date("current_rules_from"),
        disability_grade_shares={grade: shares.decimal(grade, RATE) for grade in GRADES},
    )


def _source(figure: _Section) -> str:
    source = figure.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ParametersError(f"{figure.key('source')}: expected the name of the publisher or document")
    return source.strip()


def _entries(figure: _Section) -> list[_Section]:
    """The table's values; an empty list is allowed (a figure still to be filled in)."""
    entries = figure.raw.get("values")
    if not isinstance(entries, list):
        raise ParametersError(f"{figure.key('values')}: expected a list (empty until filled in)")
    return [_Section(entry, f"{figure.key('values')}[{index}]") for index, entry in enumerate(entries)]


def _regional_figure(figure: _Section, bounds: tuple[Decimal, Decimal]) -> RegionalFigure:
    values: list[RegionalValue] = []
    for item in _entries(figure):
        region = item.get("region")
        if not isinstance(region, str) or not region.strip():
            raise ParametersError(f"{item.key('region')}: expected the region's name")
        value = RegionalValue(region.strip(), item.whole("year", 1990, 2100), item.decimal("amount", bounds))
        if any((old.region, old.year) == (value.region, value.year) for old in values):
            raise ParametersError(f"{item.path}: {value.region} {value.year} is given twice")
        values.append(value)
    return RegionalFigure(figure.path, _source(figure), figure.period("review_every"), tuple(values))


def _insurance_limits(figure: _Section) -> tuple[InsuranceLimits, ...]:
    figure.period("review_every")
    limits: list[InsuranceLimits] = []
    for item in _entries(figure):
        effective = item.iso_date("effective")
        if limits and effective <= limits[-1].effective:
            raise ParametersError(f"{item.key('effective')}: {effective} must come after {limits[-1].effective}")
        limits.append(InsuranceLimits(effective, {name: item.decimal(name, AMOUNT) for name in INSURANCE_ITEMS}))
    return tuple(limits)


# --- work injury (工伤保险条例) ----------------------------------------------------------
# Read by their own loader, so that the other figures' loaders (and their tests, which build
# the file from parts) do not depend on them.

DISABILITY_GRADES = tuple(f"grade_{number}" for number in range(1, 11))  # 一级 (heaviest) to 十级
DISABILITY_MONTHS = (Decimal("1"), Decimal("60"))  # months of the own wage: 27 at most today
GRANT_MULTIPLE = (Decimal("1"), Decimal("50"))  # times a yearly income: 20 today


@dataclass(frozen=True)
class WorkInjuryRules:
    """工伤保险条例第33条、第35-37条、第39条、第64条."""

    disability_subsidy_months: dict[str, Decimal]  # by grade key, grade_1 .. grade_10
    disability_allowance_rates: dict[str, Decimal]  # grade_1 .. grade_6
    own_wage_floor_rate: Decimal
    own_wage_cap_multiple: Decimal
    paid_leave: Period
    paid_leave_extension: Period
    funeral_grant_months: Decimal
    death_grant_multiple: Decimal


@dataclass(frozen=True)
class WorkInjuryFigures:
    rules: WorkInjuryRules
    # 全国城镇居民人均可支配收入 by the first day of the year whose deaths it serves; may be empty.
    national_urban_disposable_income: DatedFigure


@cache
def load_work_injury_figures(path: Path = PARAMETERS_PATH) -> WorkInjuryFigures:
    """Read and validate the work-injury figures; cached, so read once per path."""
    return _load(path, parse_work_injury_figures)


def parse_work_injury_figures(raw: Mapping[str, Any]) -> WorkInjuryFigures:
    """Validate the parsed YAML; every error names the key at fault."""
    top = _Section(raw, "")
    return WorkInjuryFigures(
        rules=_work_injury(top.section("work_injury")),
        national_urban_disposable_income=_dated_figure(
            top.section("national_urban_disposable_income"), "amount", AMOUNT, allow_empty=True
        ),
    )


def _work_injury(rules: _Section) -> WorkInjuryRules:
    months = _by_grade(rules.section("disability_subsidy_months"), DISABILITY_GRADES, DISABILITY_MONTHS)
    rates = _by_grade(rules.section("disability_allowance_rates"), DISABILITY_GRADES[:6], RATE)
    return WorkInjuryRules(
        disability_subsidy_months=months,
        disability_allowance_rates=rates,
        own_wage_floor_rate=rules.decimal("own_wage_floor_rate", RATE),
        own_wage_cap_multiple=rules.decimal("own_wage_cap_multiple", MULTIPLE),
        paid_leave=rules.period("paid_leave"),
        paid_leave_extension=rules.period("paid_leave_extension"),
        funeral_grant_months=rules.decimal("funeral_grant_months", WAGE_MONTHS),
        death_grant_multiple=rules.decimal("death_grant_multiple", GRANT_MULTIPLE),
    )


def _by_grade(table: _Section, grades: tuple[str, ...], bounds: tuple[Decimal, Decimal]) -> dict[str, Decimal]:
    """One figure for each grade, exactly those grades, falling from the heaviest grade to the
    lightest (a heavier disability never gets less): a swapped pair is a typo."""
    extra = sorted(set(table.raw) - set(grades))
    if extra:
        raise ParametersError(f"{table.key(extra[0])}: not a grade here (expected {', '.join(grades)})")
    values = {grade: table.decimal(grade, bounds) for grade in grades}
    for heavier, lighter in zip(grades, grades[1:], strict=False):
        if values[lighter] >= values[heavier]:
            raise ParametersError(
                f"{table.key(lighter)}: {values[lighter]} must be below {heavier} " f"({values[heavier]})"
            )
    return values


# --- validation ----------------------------------------------------------------------


class _Section:
    """One mapping of the file and its dotted key, so that every error names the full key."""

    def __init__(self, raw: Any, path: str):
        if not isinstance(raw, Mapping):
            raise ParametersError(f"{path}: expected a mapping")
        self.raw, self.path = raw, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str) -> Any:
        if self.raw.get(name) is None:
            raise ParametersError(f"{self.key(name)}: missing")
        return self.raw[name]

    def section(self, name: str) -> _Section:
        return _Section(self.get(name), self.key(name))

    def decimal(self, name: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
        key, value = self.key(name), self.get(name)
        # A YAML float (3.0 unquoted) would already have passed through binary floating
        # point; insist on a quoted string so the number is exactly what the lawyer typed.
        if not isinstance(value, str):
            raise ParametersError(f'{key}: write the number as a quoted string, e.g. "{value}"')
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ParametersError(f"{key}: {value!r} is not a number") from None
        low, high = bounds
        if not number.is_finite() or not low <= number <= high:
            raise ParametersError(f"{key}: {value} is outside the plausible range {low} to {high}")
        return number

    def whole(self, name: str, low: int, high: int) -> int:
        key, value = self.key(name), self.get(name)
        # bool is a subclass of int in Python; "yes" must not become 1.
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ParametersError(f"{key}: expected a whole number from {low} to {high}, got {value!r}")
        whole: int = value  # checked just above (self.get gives the YAML's Any)
        return whole

    def iso_date(self, name: str) -> date:
        key, value = self.key(name), self.get(name)
        if isinstance(value, date):  # YAML reads an unquoted 2025-05-20 as a date already
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ParametersError(f"{key}: {value!r} is not a date like 2025-05-20") from None

    def period(self, name: str) -> Period:
        period = self.section(name)
        if len(period.raw) != 1 or next(iter(period.raw)) not in PERIOD_UNITS:
            raise ParametersError(f"{period.path}: expected exactly one of years, months or days, e.g. {{years: 1}}")
        unit = next(iter(period.raw))
        return Period(unit, period.whole(unit, 1, 36600))


def figures_to_fill(path: Path = PARAMETERS_PATH) -> list[str]:
    """The dated tables of the finer practice areas still without any value (no source in the
    project had them): their calculators say the figure is missing, and staff are warned."""
    empty = load_traffic_figures(path).tables_to_fill()
    if not load_work_injury_figures(path).national_urban_disposable_income.values:
        empty.append("national_urban_disposable_income")
    return empty


def log_figures_to_fill(path: Path = PARAMETERS_PATH) -> list[str]:
    """Warn staff in the log about every table still to fill, by key (no caller data)."""
    empty = figures_to_fill(path)
    for key in empty:
        logger.warning(
            "Dated figure %s has no value yet: the calculators that need it say so to the "
            "caller; a lawyer fills it in %s from its source.",
            key,
            PARAMETERS_PATH.relative_to(PROJECT_ROOT),
        )
    return empty

"""content/guidance/parameters.yml as typed, validated objects.

The file holds two kinds of figures. ``GuidanceParameters``: those that change
over time (the LPR) or that the firm chooses (how close a deadline must be to
count as urgent). ``LegalFigures``: those a statute fixes (months of
compensation, court-fee bands, time limits), kept as data so that a lawyer can
check each one against the article named beside it. A lawyer edits the file;
the code only reads it, once per loader, and refuses values it cannot trust.
Every error names the key at fault, e.g. ``court_fees.property.bands[2].rate``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml
from dateutil.relativedelta import relativedelta

from actions.settings import PROJECT_ROOT

PARAMETERS_PATH = PROJECT_ROOT / "content" / "guidance" / "parameters.yml"

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


class ParametersError(ValueError):
    """parameters.yml is missing a key or holds a value we cannot use."""


@dataclass(frozen=True)
class LprQuote:
    """The one-year LPR in percent per year, and the publication date it comes from."""

    rate: Decimal
    as_of: date


@dataclass(frozen=True)
class GuidanceParameters:
    lpr_one_year: LprQuote
    urgent_within_days: int


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
    up_to: Optional[Decimal]
    rate: Decimal


@dataclass(frozen=True)
class CourtFees:
    """诉讼费用交纳办法第13条, 第15条, 第16条."""

    flat_up_to: Decimal
    flat_fee: Decimal
    bands: Tuple[FeeBand, ...]
    divorce_low: Decimal
    divorce_high: Decimal
    divorce_property_over: Decimal
    divorce_property_rate: Decimal
    labor: Decimal
    reduction_divisors: Dict[str, Decimal]


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
        return start + relativedelta(**{self.unit: self.count})


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
class LegalFigures:
    economic_compensation: CompensationRules
    double_wage: DoubleWageRules
    overtime: OvertimeRates
    wage_conversion: WageConversion
    court_fees: CourtFees
    deposit: DepositRules
    private_loan_lpr_multiple: Decimal
    deadlines: DeadlinePeriods


# --- loading ---------------------------------------------------------------------


@lru_cache(maxsize=None)
def load_parameters(path: Path = PARAMETERS_PATH) -> GuidanceParameters:
    """Read and validate the LPR and the urgency window; cached, so read once per path."""
    return parse_parameters(_read(path))


@lru_cache(maxsize=None)
def load_legal_figures(path: Path = PARAMETERS_PATH) -> LegalFigures:
    """Read and validate the statutory figures; cached, so read once per path."""
    return parse_legal_figures(_read(path))


def _read(path: Path) -> Mapping[str, Any]:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, Mapping):
        raise ParametersError(f"{path}: expected a mapping of parameters")
    return raw


def parse_parameters(raw: Mapping[str, Any]) -> GuidanceParameters:
    """Validate the parsed YAML; every error names the key at fault."""
    top = _Section(raw, "")
    lpr = top.section("lpr_one_year")
    return GuidanceParameters(
        lpr_one_year=LprQuote(rate=lpr.decimal("rate", LPR_PERCENT), as_of=lpr.iso_date("as_of")),
        urgent_within_days=top.whole("urgent_within_days", 0, 366),
    )


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
        private_loan_lpr_multiple=top.section("private_loan").decimal("lpr_multiple", MULTIPLE),
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


def _fee_bands(property_fees: _Section, flat_up_to: Decimal) -> Tuple[FeeBand, ...]:
    """Bands that follow each other without gap or overlap; only the last has no upper bound."""
    entries = property_fees.get("bands")
    if not isinstance(entries, list) or not entries:
        raise ParametersError(f"{property_fees.key('bands')}: expected a list of bands")
    bands, lower = [], flat_up_to
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


def _deadlines(periods: _Section) -> DeadlinePeriods:
    return DeadlinePeriods(**{field.name: periods.period(field.name) for field in fields(DeadlinePeriods)})


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

    def decimal(self, name: str, bounds: Tuple[Decimal, Decimal]) -> Decimal:
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
        return value

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

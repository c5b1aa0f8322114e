"""Money figures a caller can check line by line: compensation, wages, court fees, deposits, loans.

Each calculator returns an ``Estimate``: the figure, the article it rests on
(``basis``) and the arithmetic as short Chinese lines (``steps``) that a lawyer
can read aloud or put in a response. They are first orientation, not advice:
the steps name the assumptions so a lawyer can check the facts behind them.

The law is data a lawyer reviews: the figures (months per year, multiples,
fee bands, caps) come from content/guidance/parameters.yml, and every line
shown, with its basis, from content/guidance/formats.yml (``bases``,
``calculation_steps``, ``units``). This module only does the arithmetic and
passes the numbers, as plain text ("8000", "2.5"), into those templates.

Money is Decimal throughout, never float. Each product is rounded to the fen
(0.01 yuan, half up) as it is shown, and totals add the rounded parts, so the
figures in ``steps`` always add up to ``amount``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from dateutil.relativedelta import relativedelta

from intake_core.guidance.content import load_formats
from intake_core.guidance.figures import chinese_count, with_figures
from intake_core.guidance.parameters import DatedFigure, load_legal_figures

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal("10000")


@dataclass(frozen=True)
class Estimate:
    """A figure with its legal basis and the steps that produced it.

    ``amount`` is set when the law gives one figure; ``low``/``high`` when it
    gives a range (a divorce case costs 50-300 yuan), and then ``amount`` is None.
    """

    amount: Decimal | None
    low: Decimal | None
    high: Decimal | None
    basis: str
    steps: tuple[str, ...]

    @classmethod
    def exact(cls, amount: Decimal, basis: str, steps: Iterable[str]) -> Estimate:
        return cls(amount=amount, low=None, high=None, basis=basis, steps=tuple(steps))

    @classmethod
    def between(cls, low: Decimal, high: Decimal, basis: str, steps: Iterable[str]) -> Estimate:
        return cls(amount=None, low=low, high=high, basis=basis, steps=tuple(steps))


# --- length of service --------------------------------------------------------


@dataclass(frozen=True)
class ServiceLength:
    years: int
    months: int
    days: int

    def __str__(self) -> str:
        """Chinese reading (formats.yml ``units``): "4年7个月", "5个月", "1年5个月30天", "0天"."""
        units = load_formats()["units"]
        parts = []
        if self.years:
            parts.append(units["years"].format(count=self.years))
        if self.months:
            parts.append(units["months"].format(count=self.months))
        if self.days or not parts:
            parts.append(units["days"].format(count=self.days))
        return "".join(parts)


def service_length(start: date, end: date) -> ServiceLength:
    """Whole years, months and leftover days from ``start`` to ``end``.

    A month is complete when the calendar reaches the start's day number. When a
    month has no such day (a start on 29 February, or on the 29th-31st), the month
    is complete only on the 1st of the next month. So 2020-02-29 to 2021-02-28 is
    11 months 30 days and 2020-02-29 to 2021-03-01 is one year. relativedelta
    alone clamps to the month end and would credit the year on 28 February,
    a day before it has been served.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and _month_anniversary(start, months) > end:
        months -= 1
    days = (end - _month_anniversary(start, months)).days
    return ServiceLength(years=months // 12, months=months % 12, days=days)


def _month_anniversary(start: date, months: int) -> date:
    """The day on which ``months`` whole months since ``start`` are complete."""
    shifted: date = start + relativedelta(months=months)  # dateutil has no type information
    if shifted.day != start.day:  # relativedelta clamped to the month end: roll to the 1st
        shifted += timedelta(days=1)
    return shifted


def service_months_for_compensation(start: date, end: date) -> Decimal:
    """Months of wages owed as economic compensation (劳动合同法第47条第1款).

    One month per full year; a remainder of 6 months or more counts as a full
    year; a shorter remainder (even one day) as half a month (parameters.yml
    ``economic_compensation``). ``start == end`` gives 0: no service, so no
    compensation. ``end`` is the day the employment ended, counted like
    relativedelta (not inclusive), which only matters right at the 6-month mark.
    """
    rules = load_legal_figures().economic_compensation
    length = service_length(start, end)
    months = length.years * rules.months_per_year
    if length.months >= rules.round_up_from_months:
        months += rules.months_per_year
    elif length.months or length.days:
        months += rules.short_remainder_months
    return months


# --- labor ---------------------------------------------------------------------


def economic_compensation(
    start: date,
    end: date,
    monthly_wage: Decimal,
    local_average_wage: Decimal | None = None,
) -> Estimate:
    """Economic compensation N (劳动合同法第47条).

    ``monthly_wage`` is the average of the last 12 months before the contract
    ended (第47条第3款). Only when it exceeds 3x the local average monthly wage
    are the base capped at 3x and the months at 12 (第2款). Without the local
    average we cannot tell, so nothing is capped and a step says so.
    """
    amount, steps = _compensation(start, end, monthly_wage, local_average_wage)
    current_rules_from = load_legal_figures().economic_compensation.current_rules_from
    if start < current_rules_from and amount:
        # 劳动合同法第97条第3款: for service before the law took effect the old rules decide
        # whether and how much was owed. Not computed here (they differ by ground); said instead.
        steps.insert(-1, _step("service_before_current_rules", date=_date_text(current_rules_from)))
    return Estimate.exact(amount, _basis("economic_compensation"), steps)


def _compensation(
    start: date, end: date, monthly_wage: Decimal, local_average_wage: Decimal | None
) -> tuple[Decimal, list[str]]:
    """N and its steps under 第47条 alone, for every year of service (2N counts them all)."""
    rules = load_legal_figures().economic_compensation
    multiple = _plain(rules.high_earner_multiple)
    monthly_wage = _money_input("monthly_wage", monthly_wage)
    months, steps = _months_with_steps(start, end)
    base = monthly_wage
    if local_average_wage is None:
        steps.append(_step("high_earner_cap_unknown", multiple=multiple, max_years=rules.high_earner_max_years))
    else:
        average = _money_input("local_average_wage", local_average_wage)
        cap = rules.high_earner_multiple * average
        if monthly_wage > cap:
            base = cap
            steps.append(
                _step(
                    "high_earner_base_capped",
                    wage=_plain(monthly_wage),
                    multiple=multiple,
                    average=_plain(average),
                    cap=_plain(cap),
                )
            )
            max_months = rules.high_earner_max_years * rules.months_per_year
            if months > max_months:
                steps.append(
                    _step(
                        "high_earner_years_capped",
                        max_years=rules.high_earner_max_years,
                        months=_plain(months),
                        max_months=_plain(max_months),
                    )
                )
                months = max_months
        else:
            steps.append(_step("high_earner_not_capped", multiple=multiple, cap=_plain(cap)))
    amount = _money(months * base)
    steps.append(_step("compensation_product", months=_plain(months), base=_plain(base), amount=_plain(amount)))
    steps.append(_step("compensation_wage_note"))
    return amount, steps


def _months_with_steps(start: date, end: date) -> tuple[Decimal, list[str]]:
    length = service_length(start, end)
    months = service_months_for_compensation(start, end)
    if months == 0:
        return months, [_step("no_service")]
    steps = [_step("service_counted", length=length, months=_plain(months))]
    rules = load_legal_figures().economic_compensation
    round_up_from = chinese_count(rules.round_up_from_months)
    if length.months >= rules.round_up_from_months:
        steps.append(_step("remainder_rounded_up", round_up_from=round_up_from))
    elif length.months or length.days:
        steps.append(
            _step(
                "remainder_half_month",
                round_up_from=round_up_from,
                short_remainder=_plain(rules.short_remainder_months),
            )
        )
    return months, steps


def unlawful_termination_compensation(
    start: date,
    end: date,
    monthly_wage: Decimal,
    local_average_wage: Decimal | None = None,
) -> Estimate:
    """Damages for unlawful termination: twice N (劳动合同法第48条、第87条).

    They replace N, never add to it, and count every year from the start of the
    employment, before 2008 too (实施条例第25条); the steps say both.
    """
    single, steps = _compensation(start, end, monthly_wage, local_average_wage)
    rules = load_legal_figures().economic_compensation
    multiple = rules.unlawful_termination_multiple
    amount = _money(multiple * single)
    steps += [
        _step("unlawful_termination", multiple=_plain(multiple), single=_plain(single), amount=_plain(amount)),
        _step("unlawful_termination_replaces_compensation"),
        _step("reinstatement_instead"),
    ]
    if start < rules.current_rules_from and amount:
        steps.insert(-3, _step("damages_count_all_service", date=_date_text(rules.current_rules_from)))
    return Estimate.exact(amount, _basis("unlawful_termination"), steps)


def compensation_with_notice_pay(
    start: date,
    end: date,
    monthly_wage: Decimal,
    local_average_wage: Decimal | None = None,
) -> Estimate:
    """N plus one month's wage in lieu of notice, "N+1" (劳动合同法第40条、第46条、第47条).

    Owed when the employer dismissed under 第40条 without 30 days' written
    notice; the extra month is at last month's wage (实施条例第20条), which we take
    to be the monthly wage the caller gave, and a step says so.
    """
    single = economic_compensation(start, end, monthly_wage, local_average_wage)
    assert single.amount is not None
    months = load_legal_figures().economic_compensation.notice_pay_months
    notice_pay = _money(months * _money_input("monthly_wage", monthly_wage))
    steps = single.steps + (
        _step("notice_pay", months=_plain(months), wage=_plain(monthly_wage), amount=_plain(notice_pay)),
        _step("total", total=_plain(single.amount + notice_pay)),
    )
    return Estimate.exact(single.amount + notice_pay, _joined(single.basis, _basis("notice_pay")), steps)


def double_wage_for_no_contract(start: date, signed_or_end: date, monthly_wage: Decimal) -> Estimate:
    """The extra wage owed for working without a written contract (劳动合同法第82条; 实施条例第6、7条).

    The extra (second) wage runs from the one-month anniversary of the start up to
    the day before ``signed_or_end`` (the signing day, or the day the job ended, is
    not counted), and for at most 11 months: it stops the day before the
    one-year anniversary. Example: start 2024-01-10, signed 2024-06-20: from
    2024-02-10 to 2024-06-19, 4 months 10 days. (One month exempt, 11 at most:
    parameters.yml ``double_wage``.)

    Day-count convention: whole months as in ``service_length``; leftover days
    are paid as calendar days / 30 of the monthly wage (4 months 10 days =
    wage x 4 + wage x 10 / 30). Local practice may differ; a lawyer confirms.
    """
    rules = load_legal_figures().double_wage
    monthly_wage = _money_input("monthly_wage", monthly_wage)
    basis = _basis("double_wage")
    first_day = _month_anniversary(start, rules.exempt_months)
    one_year = _month_anniversary(start, rules.exempt_months + rules.max_months)
    stop = min(signed_or_end, one_year)
    elapsed = service_length(start, stop)  # also refuses signed_or_end before start
    if stop <= first_day:
        return Estimate.exact(
            Decimal("0.00"), basis, [_step("double_wage_none", exempt_months=chinese_count(rules.exempt_months))]
        )
    # The exempt month is owed no extra pay. Counting from the start and taking it
    # off (rather than counting from first_day) keeps the cap at exactly 11 months
    # even when the first month is short, e.g. a start on 31 January.
    extra_months = elapsed.years * 12 + elapsed.months - rules.exempt_months
    extra_days = elapsed.days
    last_day = stop - timedelta(days=1)
    length = ServiceLength(extra_months // 12, extra_months % 12, extra_days)
    steps = [
        _step("double_wage_period", first_day=first_day.isoformat(), last_day=last_day.isoformat(), length=length),
        _step("double_wage_rule", divisor=rules.day_divisor),
    ]
    for_months = _money(extra_months * monthly_wage)
    for_days = _money(extra_days * monthly_wage / rules.day_divisor)
    wage = _plain(monthly_wage)
    if extra_months:
        steps.append(_step("double_wage_months", months=extra_months, wage=wage, amount=_plain(for_months)))
    if extra_days:
        steps.append(
            _step("double_wage_days", days=extra_days, divisor=rules.day_divisor, wage=wage, amount=_plain(for_days))
        )
    if extra_months and extra_days:
        steps.append(_step("total", total=_plain(for_months + for_days)))
    if signed_or_end >= one_year:
        steps.append(_step("double_wage_deemed_contract", max_months=rules.max_months))
        basis = _joined(basis, _basis("deemed_open_ended_contract"))
    # Many arbitration commissions and courts hold this claim to the one-year limitation,
    # counted differently by region: an old period may be lost, which the caller must know.
    steps.append(_step("double_wage_limitation"))
    return Estimate.exact(for_months + for_days, basis, steps)


def overtime_pay(
    hourly_wage: Decimal,
    workday_hours: Decimal,
    rest_day_hours: Decimal,
    holiday_hours: Decimal,
) -> Estimate:
    """Overtime at 150% / 200% / 300% of the hourly wage (劳动法第44条); the legal minimum."""
    rates = load_legal_figures().overtime
    hourly_wage = _money_input("hourly_wage", hourly_wage)
    kinds = (
        ("overtime_workday", rates.workday, _money_input("workday_hours", workday_hours)),
        ("overtime_rest_day", rates.rest_day, _money_input("rest_day_hours", rest_day_hours)),
        ("overtime_holiday", rates.holiday, _money_input("holiday_hours", holiday_hours)),
    )
    steps, total = [], Decimal("0.00")
    for key, rate, spent in kinds:
        if spent:
            part = _money(spent * hourly_wage * rate)
            steps.append(
                _step(key, hours=_plain(spent), wage=_plain(hourly_wage), percent=_percent(rate), amount=_plain(part))
            )
            total += part
    steps.append(_step("overtime_total", total=_plain(total)) if steps else _step("overtime_none"))
    return Estimate.exact(total, _basis("overtime"), steps)


def overtime_pay_from_monthly_wage(
    monthly_wage: Decimal,
    workday_hours: Decimal,
    rest_day_hours: Decimal,
    holiday_hours: Decimal,
) -> Estimate:
    """``overtime_pay`` for a month's overtime hours, from the monthly wage.

    The hourly wage is the monthly wage ÷ (paid days a month × hours a day)
    (parameters.yml ``wage_conversion``: 21.75 days, 8 hours), rounded to the
    fen as shown, so the steps add up. The steps say what is assumed: the
    monthly wage is the pay for normal hours, and the figure is one month's.
    """
    conversion = load_legal_figures().wage_conversion
    monthly_wage = _money_input("monthly_wage", monthly_wage)
    hourly = _money(monthly_wage / (conversion.paid_days_per_month * conversion.hours_per_day))
    pay = overtime_pay(hourly, workday_hours, rest_day_hours, holiday_hours)
    steps = (
        _step(
            "overtime_hourly_wage",
            wage=_plain(monthly_wage),
            days=_plain(conversion.paid_days_per_month),
            hours=_plain(conversion.hours_per_day),
            hourly=_plain(hourly),
        ),
        *pay.steps,
        _step("overtime_assumptions"),
    )
    assert pay.amount is not None
    return Estimate.exact(pay.amount, _joined(pay.basis, _basis("hourly_wage")), steps)


# --- court fees ----------------------------------------------------------------


def court_fee_property_case(claim: Decimal) -> Estimate:
    """First-instance fee for a property claim, by the sliding scale of 第13条第(一)项.

    A flat fee up to the first limit, then each band's share of the claim at its
    own rate, added up (parameters.yml ``court_fees.property``).
    """
    fees = load_legal_figures().court_fees
    claim = _money_input("claim", claim)
    if claim <= 0:
        raise ValueError("claim: a property case needs an amount above 0")
    flat_fee = _money(fees.flat_fee)
    steps = [
        _step("property_claim", claim=_plain(claim)),
        _step("property_flat", up_to=_wan(fees.flat_up_to), fee=_plain(flat_fee)),
    ]
    total = flat_fee
    for band in fees.bands:
        if claim <= band.over:
            break
        share = (claim if band.up_to is None else min(claim, band.up_to)) - band.over
        part = _money(share * band.rate)
        key, up_to = ("property_band_open", None) if band.up_to is None else ("property_band", _wan(band.up_to))
        steps.append(
            _step(
                key,
                over=_wan(band.over),
                up_to=up_to,
                share=_plain(share),
                percent=_percent(band.rate),
                amount=_plain(part),
            )
        )
        total += part
    steps.append(_step("total", total=_plain(total)))
    return Estimate.exact(total, _basis("court_fee_property"), steps)


def court_fee_divorce(property_value: Decimal | None = None) -> Estimate:
    """Divorce case fee: 50-300 yuan, plus 0.5% of joint property above 200,000 (第13条第(二)项)."""
    fees = load_legal_figures().court_fees
    low, high = _money(fees.divorce_low), _money(fees.divorce_high)
    over, rate = fees.divorce_property_over, fees.divorce_property_rate
    steps = [_step("divorce_fee", low=_plain(low), high=_plain(high))]
    if property_value is None:
        steps.append(_step("divorce_property_not_counted", over=_wan(over), percent=_percent(rate)))
    else:
        property_value = _money_input("property_value", property_value)
        if property_value > over:
            extra = _money((property_value - over) * rate)
            steps.append(
                _step(
                    "divorce_property_extra",
                    over=_wan(over),
                    share=_plain(property_value - over),
                    percent=_percent(rate),
                    extra=_plain(extra),
                )
            )
            low, high = low + extra, high + extra
        else:
            steps.append(_step("divorce_property_below", over=_wan(over)))
    steps.append(_step("total_range", low=_plain(low), high=_plain(high)))
    return Estimate.between(low, high, _basis("court_fee_divorce"), steps)


def court_fee_labor() -> Estimate:
    """Labor dispute case fee in court: 10 yuan (第13条第(四)项)."""
    fee = _money(load_legal_figures().court_fees.labor)
    steps = [_step("labor_fee", fee=_plain(fee)), _step("labor_arbitration_free")]
    return Estimate.exact(fee, _basis("court_fee_labor"), steps)


class FeeReduction(Enum):
    """Why the case fee is halved. The value names the divisor in parameters.yml
    (``court_fees.reduction_divisors``), and the reason and the article in
    formats.yml (``reduction_<value>``, ``fee_<value>``)."""

    SIMPLIFIED_PROCEDURE = "simplified_procedure"  # 诉讼费用交纳办法第16条
    MEDIATION_OR_WITHDRAWAL = "mediation_or_withdrawal"  # 诉讼费用交纳办法第15条


def halved_court_fee(fee: Estimate, reduction: FeeReduction) -> Estimate:
    """The case fee halved once for ``reduction``.

    Halving twice (simplified procedure and then mediation) is not done here:
    whether a court combines both is for a lawyer to confirm.
    """
    divisor = load_legal_figures().court_fees.reduction_divisors[reduction.value]
    reason = _step(f"reduction_{reduction.value}")
    basis = _joined(fee.basis, _basis(f"fee_{reduction.value}"))
    if fee.amount is not None:
        half = _money(fee.amount / divisor)
        step = _step(
            "fee_reduced", reason=reason, fee=_plain(fee.amount), divisor=_plain(divisor), reduced=_plain(half)
        )
        return Estimate.exact(half, basis, fee.steps + (step,))
    assert fee.low is not None and fee.high is not None
    low, high = _money(fee.low / divisor), _money(fee.high / divisor)
    step = _step(
        "fee_range_reduced",
        reason=reason,
        low=_plain(fee.low),
        high=_plain(fee.high),
        divisor=_plain(divisor),
        reduced_low=_plain(low),
        reduced_high=_plain(high),
    )
    return Estimate.between(low, high, basis, fee.steps + (step,))


# --- contract --------------------------------------------------------------------


def deposit_penalty(contract_price: Decimal, deposit_paid: Decimal, receiver_breached: bool) -> Estimate:
    """What the receiver of a 定金 must pay back to the payer (民法典第586、587条).

    ``contract_price`` is the total price of the main contract the 定金 secures
    (the 主合同标的额 of 第586条), not the amount in dispute. Only up to 20% of it
    counts as 定金; any excess is ordinary money and goes back to the payer
    whoever breached. The payer who breaches loses the 定金 (``amount`` is then
    just the excess); the receiver who breaches returns the 定金 twice, plus the excess.
    """
    rules = load_legal_figures().deposit
    price = _money_input("contract_price", contract_price)
    paid = _money_input("deposit_paid", deposit_paid)
    cap = _money(price * rules.cap_rate)
    deposit = min(paid, cap)
    excess = paid - deposit
    steps = [_step("deposit_cap", percent=_percent(rules.cap_rate), price=_plain(price), cap=_plain(cap))]
    if excess:
        steps.append(_step("deposit_excess", paid=_plain(paid), excess=_plain(excess)))
    if receiver_breached:
        doubled = _money(rules.return_multiple * deposit)
        back = doubled + excess
        steps.append(
            _step(
                "deposit_receiver_breached",
                multiple=_plain(rules.return_multiple),
                deposit=_plain(deposit),
                doubled=_plain(doubled),
            )
        )
        if excess:
            steps.append(_step("deposit_receiver_excess", excess=_plain(excess), back=_plain(back)))
    else:
        back = excess
        steps.append(_step("deposit_payer_breached", deposit=_plain(deposit)))
        if excess:
            steps.append(_step("deposit_payer_excess", excess=_plain(excess)))
    steps.append(_step("deposit_remedy_choice"))
    steps.append(_step("deposit_not_prepayment"))
    return Estimate.exact(_money(back), _basis("deposit"), steps)


class LprChoice(Enum):
    """Which one-year LPR a private loan's cap uses; the value names the step that says so
    (formats.yml ``calculation_steps``)."""

    AT_CONTRACT = "loan_lpr_at_contract"  # 民间借贷规定第25条: the LPR when the contract was made
    DATE_UNKNOWN = "loan_lpr_date_unknown"  # no loan date, or one that spans an LPR change: the newest we know
    AT_FILING = "loan_lpr_at_filing"  # 第31条: a loan made before the new rules, the LPR at filing


@dataclass(frozen=True)
class LoanLpr:
    """The LPR a loan's cap uses, the day it took effect, and why it is that one.

    ``loan_date`` is the caller's answer as given (2023-07 or 2023-07-05);
    ``known_until`` the last day the LPR table is known to be right (parameters.yml).
    """

    rate: Decimal
    effective: date
    choice: LprChoice
    known_until: date
    loan_date: str | None = None
    newer_possible: bool = True  # a newer LPR than the table's may apply to this loan


def loan_lpr(table: DatedFigure, loan_from: date | None, loan_to: date | None, loan_date: str | None) -> LoanLpr:
    """The LPR for a loan made some day from ``loan_from`` to ``loan_to`` (one day, or the
    month or year the caller named); both None when the caller did not say.

    A loan made before ``private_loan.new_rules_from`` (2020-08-20) falls under
    民间借贷规定第31条: from that day on, 4x the LPR *at filing*, which is not yet
    known; the newest value in the table stands in for it and a step says so. A
    date that spans an LPR change (a month-only answer) counts as not given.
    """
    new_rules_from = load_legal_figures().private_loan.new_rules_from
    latest = table.latest
    if loan_from is not None and loan_to is not None:
        if loan_to < new_rules_from:
            return LoanLpr(latest.value, latest.effective, LprChoice.AT_FILING, table.as_of, loan_date)
        first, last = table.in_force_on(loan_from), table.in_force_on(loan_to)
        if loan_from >= new_rules_from and first is not None and first == last:
            return LoanLpr(
                first.value,
                first.effective,
                LprChoice.AT_CONTRACT,
                table.as_of,
                loan_date,
                newer_possible=loan_to > table.as_of,
            )
    return LoanLpr(latest.value, latest.effective, LprChoice.DATE_UNKNOWN, table.as_of, loan_date)


def private_loan_interest_cap(
    principal: Decimal, annual_rate_percent: Decimal, lpr: Decimal, used: LoanLpr | None = None
) -> Estimate:
    """Protected yearly interest on a private loan: at most 4x the one-year LPR (民间借贷规定第25条).

    ``principal`` is the money lent (not the amount claimed, which may include
    interest); ``lpr`` the one-year LPR in percent. ``used`` says which LPR that
    is and why (``loan_lpr``); the steps then name the day it took effect, and
    for a loan made before 2020-08-20 (第31条) that the interest up to then is
    not computed here. ``amount`` is the protected interest per year; a step
    says how much of the agreed interest is not protected.
    """
    multiple = load_legal_figures().private_loan_lpr_multiple
    principal = _money_input("principal", principal)
    agreed = _money_input("annual_rate_percent", annual_rate_percent)
    lpr = _money_input("lpr", lpr)
    cap = multiple * lpr
    protected_rate = min(agreed, cap)
    protected = _money(principal * protected_rate / 100)
    rates = {"agreed": _plain(agreed), "cap": _plain(cap)}
    basis = _basis("private_loan")
    steps = []
    if used is not None:
        new_rules_from = load_legal_figures().private_loan.new_rules_from
        steps.append(
            _step(
                used.choice.value,
                lpr=_plain(lpr),
                effective=used.effective,
                loan_date=used.loan_date,
                multiple=_plain(multiple),
                new_rules_from=new_rules_from,
                old_rules_until=new_rules_from - timedelta(days=1),
            )
        )
        if used.newer_possible:
            steps.append(_step("loan_lpr_known_until", known_until=used.known_until))
        if used.choice is LprChoice.AT_FILING:
            basis = _basis("private_loan_before_new_rules")
    steps += [
        _step("loan_cap", lpr=_plain(lpr), multiple=_plain(multiple), cap=rates["cap"]),
        _step("loan_rate_above_cap" if agreed > cap else "loan_rate_within_cap", **rates),
        _step("loan_protected", principal=_plain(principal), rate=_plain(protected_rate), protected=_plain(protected)),
    ]
    if agreed > cap:
        unprotected = _money(principal * (agreed - cap) / 100)
        steps.append(_step("loan_unprotected", principal=_plain(principal), unprotected=_plain(unprotected), **rates))
    steps.append(_step("loan_licensed_lenders"))
    return Estimate.exact(protected, basis, steps)


# --- helpers ---------------------------------------------------------------------


def _step(key: str, **values: object) -> str:
    """One line of arithmetic: formats.yml ``calculation_steps[key]`` filled with ``values``."""
    return with_figures(load_formats()["calculation_steps"][key], **values)


def _basis(key: str) -> str:
    return load_formats()["bases"][key]


def _joined(first: str, second: str) -> str:
    return load_formats()["bases"]["joined"].format(first=first, second=second)


def _money_input(name: str, value: object) -> Decimal:
    """Accept Decimal or int; refuse floats, which cannot hold 0.1 yuan exactly."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name}: expected Decimal, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name}: must not be negative, got {value}")
    return Decimal(value)


def _date_text(day: date) -> str:
    """A date as the steps write it: 2008-01-01 -> "2008年1月1日" (formats.yml ``units.date``)."""
    return load_formats()["units"]["date"].format(year=day.year, month=day.month, day=day.day)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A number as people write it: 5.0 -> "5", 0.50 -> "0.5", 1E+1 -> "10"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(rate: Decimal) -> str:
    """A rate as the number before "%": 0.025 -> "2.5"."""
    return _plain(rate * 100)


def _wan(value: Decimal) -> str:
    """Band limits in 万元 as the statute writes them: 10000 -> "1", 20000000 -> "2000"."""
    return _plain(value / TEN_THOUSAND)

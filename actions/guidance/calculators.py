"""Money figures a caller can check line by line: compensation, wages, court fees, deposits, loans.

Each calculator returns an ``Estimate``: the figure, the article it rests on
(``basis``) and the arithmetic as short Chinese lines (``steps``) that a lawyer
can read aloud or put in a response. They are first orientation, not advice:
the steps name the assumptions so a lawyer can check the facts behind them.

Money is Decimal throughout, never float. Each product is rounded to the fen
(0.01 yuan, half up) as it is shown, and totals add the rounded parts, so the
figures in ``steps`` always add up to ``amount``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Iterable, List, Optional, Tuple

from dateutil.relativedelta import relativedelta

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal("10000")


@dataclass(frozen=True)
class Estimate:
    """A figure with its legal basis and the steps that produced it.

    ``amount`` is set when the law gives one figure; ``low``/``high`` when it
    gives a range (a divorce case costs 50-300 yuan), and then ``amount`` is None.
    """

    amount: Optional[Decimal]
    low: Optional[Decimal]
    high: Optional[Decimal]
    basis: str
    steps: Tuple[str, ...]

    @classmethod
    def exact(cls, amount: Decimal, basis: str, steps: Iterable[str]) -> "Estimate":
        return cls(amount=amount, low=None, high=None, basis=basis, steps=tuple(steps))

    @classmethod
    def between(cls, low: Decimal, high: Decimal, basis: str, steps: Iterable[str]) -> "Estimate":
        return cls(amount=None, low=low, high=high, basis=basis, steps=tuple(steps))


# --- length of service --------------------------------------------------------


@dataclass(frozen=True)
class ServiceLength:
    years: int
    months: int
    days: int

    def __str__(self) -> str:
        """Chinese reading: "4年7个月", "5个月", "1年5个月30天", "0天"."""
        parts = []
        if self.years:
            parts.append(f"{self.years}年")
        if self.months:
            parts.append(f"{self.months}个月")
        if self.days or not parts:
            parts.append(f"{self.days}天")
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
    shifted = start + relativedelta(months=months)
    if shifted.day != start.day:  # relativedelta clamped to the month end: roll to the 1st
        shifted += timedelta(days=1)
    return shifted


def service_months_for_compensation(start: date, end: date) -> Decimal:
    """Months of wages owed as economic compensation (劳动合同法第47条第1款).

    One month per full year; a remainder of 6 months or more counts as a full
    year; a shorter remainder (even one day) as half a month. ``start == end``
    gives 0: no service, so no compensation. ``end`` is the day the employment
    ended, counted like relativedelta (not inclusive), which only matters right
    at the 6-month mark.
    """
    length = service_length(start, end)
    months = Decimal(length.years)
    if length.months >= 6:
        months += 1
    elif length.months or length.days:
        months += Decimal("0.5")
    return months


# --- labor ---------------------------------------------------------------------


def economic_compensation(
    start: date,
    end: date,
    monthly_wage: Decimal,
    local_average_wage: Optional[Decimal] = None,
) -> Estimate:
    """Economic compensation N (劳动合同法第47条).

    ``monthly_wage`` is the average of the last 12 months before the contract
    ended (第47条第3款). Only when it exceeds 3x the local average monthly wage
    are the base capped at 3x and the months at 12 (第2款). Without the local
    average we cannot tell, so nothing is capped and a step says so.
    """
    monthly_wage = _money_input("monthly_wage", monthly_wage)
    months, steps = _months_with_steps(start, end)
    base = monthly_wage
    if local_average_wage is None:
        steps.append("月工资高于当地上年度职工月平均工资3倍的，基数按3倍、年限最多按12年计算；未提供当地平均工资，本估算未封顶")
    else:
        average = _money_input("local_average_wage", local_average_wage)
        cap = 3 * average
        if monthly_wage > cap:
            base = cap
            steps.append(
                f"月工资{_yuan(monthly_wage)}高于当地月平均工资的3倍（3 × {_yuan(average)} = {_yuan(cap)}），"
                f"基数按{_yuan(cap)}计算"
            )
            if months > 12:
                steps.append(f"高收入者年限最多按12年计算：{_plain(months)}个月按12个月计算")
                months = Decimal(12)
        else:
            steps.append(f"月工资未高于当地月平均工资的3倍（{_yuan(cap)}），不封顶")
    amount = _money(months * base)
    steps.append(f"{_plain(months)} × {_yuan(base)} = {_yuan(amount)}")
    steps.append("月工资按解除或终止劳动合同前12个月的平均工资计算")
    return Estimate.exact(amount, "劳动合同法第47条", steps)


def _months_with_steps(start: date, end: date) -> Tuple[Decimal, List[str]]:
    length = service_length(start, end)
    months = service_months_for_compensation(start, end)
    if months == 0:
        return months, ["入职当天即离职，没有工作年限，不产生经济补偿"]
    steps = [f"工作年限{length}，按{_plain(months)}个月计算"]
    if length.months >= 6:
        steps.append("不满一年的部分在六个月以上，按一年计算")
    elif length.months or length.days:
        steps.append("不满六个月的部分，按半个月工资计算")
    return months, steps


def unlawful_termination_compensation(
    start: date,
    end: date,
    monthly_wage: Decimal,
    local_average_wage: Optional[Decimal] = None,
) -> Estimate:
    """Damages for unlawful termination: twice N (劳动合同法第48条、第87条)."""
    single = economic_compensation(start, end, monthly_wage, local_average_wage)
    assert single.amount is not None
    amount = 2 * single.amount
    steps = single.steps + (
        f"违法解除的赔偿金为经济补偿的2倍：2 × {_yuan(single.amount)} = {_yuan(amount)}",
        "劳动者也可以要求继续履行劳动合同；继续履行的，不支付赔偿金（第48条）",
    )
    return Estimate.exact(amount, "劳动合同法第48条、第87条（按第47条标准的2倍）", steps)


def double_wage_for_no_contract(start: date, signed_or_end: date, monthly_wage: Decimal) -> Estimate:
    """The extra wage owed for working without a written contract (劳动合同法第82条; 实施条例第6、7条).

    The extra (second) wage runs from the one-month anniversary of the start up to
    the day before ``signed_or_end`` (the signing day, or the day the job ended, is
    not counted), and for at most 11 months: it stops the day before the
    one-year anniversary. Example: start 2024-01-10, signed 2024-06-20: from
    2024-02-10 to 2024-06-19, 4 months 10 days.

    Day-count convention: whole months as in ``service_length``; leftover days
    are paid as calendar days / 30 of the monthly wage (4 months 10 days =
    wage x 4 + wage x 10 / 30). Local practice may differ; a lawyer confirms.
    """
    monthly_wage = _money_input("monthly_wage", monthly_wage)
    basis = "劳动合同法第82条；劳动合同法实施条例第6条、第7条"
    first_day, one_year = _month_anniversary(start, 1), _month_anniversary(start, 12)
    stop = min(signed_or_end, one_year)
    elapsed = service_length(start, stop)  # also refuses signed_or_end before start
    if stop <= first_day:
        return Estimate.exact(Decimal("0.00"), basis, ["自用工之日起一个月内订立了书面劳动合同（或用工已结束），不产生二倍工资"])
    # The first month is owed no extra pay. Counting from the start and taking one
    # month off (rather than counting from first_day) keeps the cap at exactly 11
    # months even when the first month is short, e.g. a start on 31 January.
    extra_months = elapsed.years * 12 + elapsed.months - 1
    extra_days = elapsed.days
    last_day = stop - timedelta(days=1)
    length = ServiceLength(extra_months // 12, extra_months % 12, extra_days)
    steps = [
        f"二倍工资期间：{first_day.isoformat()}至{last_day.isoformat()}，共{length}",
        "每月多支付一倍工资（即二倍工资差额）；不足一个月的天数按“天数 ÷ 30”折算",
    ]
    for_months = _money(extra_months * monthly_wage)
    for_days = _money(extra_days * monthly_wage / 30)
    if extra_months:
        steps.append(f"{extra_months} × {_yuan(monthly_wage)} = {_yuan(for_months)}")
    if extra_days:
        steps.append(f"{extra_days} ÷ 30 × {_yuan(monthly_wage)} = {_yuan(for_days)}")
    if extra_months and extra_days:
        steps.append(f"合计{_yuan(for_months + for_days)}")
    if signed_or_end >= one_year:
        steps.append(
            "二倍工资最多计11个月；用工满一年仍未订立书面劳动合同的，视为已订立无固定期限劳动合同（劳动合同法第14条第3款）"
        )
        basis += "；劳动合同法第14条第3款"
    return Estimate.exact(for_months + for_days, basis, steps)


_OVERTIME_KINDS = (
    ("工作日延长工作时间", Decimal("1.5")),
    ("休息日工作且未安排补休", Decimal("2")),
    ("法定休假日工作", Decimal("3")),
)


def overtime_pay(
    hourly_wage: Decimal,
    workday_hours: Decimal,
    rest_day_hours: Decimal,
    holiday_hours: Decimal,
) -> Estimate:
    """Overtime at 150% / 200% / 300% of the hourly wage (劳动法第44条); the legal minimum."""
    hourly_wage = _money_input("hourly_wage", hourly_wage)
    hours = [
        _money_input("workday_hours", workday_hours),
        _money_input("rest_day_hours", rest_day_hours),
        _money_input("holiday_hours", holiday_hours),
    ]
    steps, total = [], Decimal("0.00")
    for (label, rate), spent in zip(_OVERTIME_KINDS, hours):
        if spent:
            part = _money(spent * hourly_wage * rate)
            steps.append(f"{label}：{_plain(spent)}小时 × {_yuan(hourly_wage)} × {_percent(rate)} = {_yuan(part)}")
            total += part
    steps.append(f"合计{_yuan(total)}（法律规定的最低标准，“不低于”）" if steps else "没有加班时间")
    return Estimate.exact(total, "劳动法第44条", steps)


# --- court fees ----------------------------------------------------------------

# 诉讼费用交纳办法第13条第(一)项: up to 10,000 yuan a flat 50 yuan, then each
# band's share of the claim at its own rate, added up. (upper bound, rate); None = no bound.
FLAT_FEE_LIMIT = Decimal("10000")
FLAT_FEE = Decimal("50.00")
PROPERTY_FEE_BANDS: Tuple[Tuple[Optional[Decimal], Decimal], ...] = (
    (Decimal("100000"), Decimal("0.025")),
    (Decimal("200000"), Decimal("0.02")),
    (Decimal("500000"), Decimal("0.015")),
    (Decimal("1000000"), Decimal("0.01")),
    (Decimal("2000000"), Decimal("0.009")),
    (Decimal("5000000"), Decimal("0.008")),
    (Decimal("10000000"), Decimal("0.007")),
    (Decimal("20000000"), Decimal("0.006")),
    (None, Decimal("0.005")),
)


def court_fee_property_case(claim: Decimal) -> Estimate:
    """First-instance fee for a property claim, by the sliding scale of 第13条第(一)项."""
    claim = _money_input("claim", claim)
    if claim <= 0:
        raise ValueError("claim: a property case needs an amount above 0")
    steps = [f"诉讼请求金额{_yuan(claim)}，分段累计计算", f"不超过1万元的部分：{_yuan(FLAT_FEE)}"]
    total, lower = FLAT_FEE, FLAT_FEE_LIMIT
    for upper, rate in PROPERTY_FEE_BANDS:
        if claim <= lower:
            break
        share = claim - lower if upper is None else min(claim, upper) - lower
        part = _money(share * rate)
        band = f"超过{_wan(lower)}" + ("" if upper is None else f"至{_wan(upper)}")
        steps.append(f"{band}的部分：{_yuan(share)} × {_percent(rate)} = {_yuan(part)}")
        total += part
        lower = upper if upper is not None else lower
    steps.append(f"合计{_yuan(total)}")
    return Estimate.exact(total, "诉讼费用交纳办法第13条第(一)项", steps)


def court_fee_divorce(property_value: Optional[Decimal] = None) -> Estimate:
    """Divorce case fee: 50-300 yuan, plus 0.5% of joint property above 200,000 (第13条第(二)项)."""
    low, high = Decimal("50.00"), Decimal("300.00")
    steps = ["离婚案件每件交纳50元至300元，具体数额由各省、自治区、直辖市在此幅度内规定"]
    threshold = Decimal("200000")
    if property_value is None:
        steps.append("涉及财产分割的，财产总额超过20万元的部分另按0.5%交纳（本估算未计入）")
    else:
        property_value = _money_input("property_value", property_value)
        if property_value > threshold:
            extra = _money((property_value - threshold) * Decimal("0.005"))
            steps.append(f"财产总额超过20万元的部分：{_yuan(property_value - threshold)} × 0.5% = {_yuan(extra)}")
            low, high = low + extra, high + extra
        else:
            steps.append("财产总额不超过20万元，不另行交纳")
    steps.append(f"合计{_yuan(low)}至{_yuan(high)}")
    return Estimate.between(low, high, "诉讼费用交纳办法第13条第(二)项", steps)


def court_fee_labor() -> Estimate:
    """Labor dispute case fee in court: 10 yuan (第13条第(四)项)."""
    steps = ["劳动争议案件每件交纳10元", "劳动仲裁本身不收费（劳动争议调解仲裁法第53条）；此为不服仲裁后起诉的法院受理费"]
    return Estimate.exact(Decimal("10.00"), "诉讼费用交纳办法第13条第(四)项", steps)


class FeeReduction(Enum):
    """Why the case fee is halved: (what happened, the article)."""

    SIMPLIFIED_PROCEDURE = ("适用简易程序审理", "诉讼费用交纳办法第16条")
    MEDIATION_OR_WITHDRAWAL = ("以调解方式结案或者申请撤诉", "诉讼费用交纳办法第15条")


def halved_court_fee(fee: Estimate, reduction: FeeReduction) -> Estimate:
    """The case fee halved once for ``reduction``.

    Halving twice (simplified procedure and then mediation) is not done here:
    whether a court combines both is for a lawyer to confirm.
    """
    what, article = reduction.value
    basis = f"{fee.basis}；{article}"
    if fee.amount is not None:
        half = _money(fee.amount / 2)
        step = f"{what}的，减半交纳：{_yuan(fee.amount)} ÷ 2 = {_yuan(half)}"
        return Estimate.exact(half, basis, fee.steps + (step,))
    assert fee.low is not None and fee.high is not None
    low, high = _money(fee.low / 2), _money(fee.high / 2)
    step = f"{what}的，减半交纳：{_yuan(fee.low)}至{_yuan(fee.high)} ÷ 2 = {_yuan(low)}至{_yuan(high)}"
    return Estimate.between(low, high, basis, fee.steps + (step,))


# --- contract --------------------------------------------------------------------

DEPOSIT_CAP_RATE = Decimal("0.2")


def deposit_penalty(contract_price: Decimal, deposit_paid: Decimal, receiver_breached: bool) -> Estimate:
    """What the receiver of a 定金 must pay back to the payer (民法典第586、587条).

    Only up to 20% of the contract price counts as 定金; any excess is ordinary
    money and goes back to the payer whoever breached. The payer who breaches
    loses the 定金 (``amount`` is then just the excess); the receiver who
    breaches returns the 定金 twice, plus the excess.
    """
    price = _money_input("contract_price", contract_price)
    paid = _money_input("deposit_paid", deposit_paid)
    cap = _money(price * DEPOSIT_CAP_RATE)
    deposit = min(paid, cap)
    excess = paid - deposit
    steps = [f"定金不得超过合同价款的20%：{_yuan(price)} × 20% = {_yuan(cap)}"]
    if excess:
        steps.append(f"已付{_yuan(paid)}，超过的{_yuan(excess)}不产生定金效力，按一般款项退还")
    if receiver_breached:
        doubled = 2 * deposit
        back = doubled + excess
        steps.append(f"收受定金的一方违约，双倍返还定金：2 × {_yuan(deposit)} = {_yuan(doubled)}")
        if excess:
            steps.append(f"加上超过部分{_yuan(excess)}，共应返还{_yuan(back)}")
    else:
        back = excess
        steps.append(f"给付定金的一方违约，无权请求返还定金{_yuan(deposit)}")
        if excess:
            steps.append(f"超过部分{_yuan(excess)}仍应退还")
    steps.append("定金罚则以违约致使不能实现合同目的为前提；同时约定违约金的，守约方只能选择其一（第588条）")
    steps.append("只有约定为“定金”的才适用；“订金”一般视为预付款，没有此罚则")
    return Estimate.exact(_money(back), "民法典第586条、第587条", steps)


def private_loan_interest_cap(principal: Decimal, annual_rate_percent: Decimal, lpr: Decimal) -> Estimate:
    """Protected yearly interest on a private loan: at most 4x the one-year LPR (民间借贷规定第25条).

    ``lpr`` must be the one-year LPR (percent) when the contract was made, not
    today's; ``amount`` is the protected interest per year, and a step says how
    much of the agreed interest is not protected.
    """
    principal = _money_input("principal", principal)
    agreed = _money_input("annual_rate_percent", annual_rate_percent)
    lpr = _money_input("lpr", lpr)
    cap = 4 * lpr
    protected_rate = min(agreed, cap)
    protected = _money(principal * protected_rate / 100)
    steps = [f"合同成立时一年期LPR {_plain(lpr)}% × 4 = {_plain(cap)}%"]
    if agreed > cap:
        steps.append(f"约定年利率{_plain(agreed)}%高于{_plain(cap)}%，超过部分不受保护")
    else:
        steps.append(f"约定年利率{_plain(agreed)}%未超过{_plain(cap)}%，全部受保护")
    steps.append(f"每年受保护的利息：{_yuan(principal)} × {_plain(protected_rate)}% = {_yuan(protected)}")
    if agreed > cap:
        unprotected = _money(principal * (agreed - cap) / 100)
        steps.append(f"每年不受保护的利息：{_yuan(principal)} × ({_plain(agreed)}% - {_plain(cap)}%) = {_yuan(unprotected)}")
    steps.append("持牌金融机构的贷款不适用此上限")
    return Estimate.exact(protected, "民间借贷规定第25条", steps)


# --- helpers ---------------------------------------------------------------------


def _money_input(name: str, value: Decimal) -> Decimal:
    """Accept Decimal or int; refuse floats, which cannot hold 0.1 yuan exactly."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name}: expected Decimal, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name}: must not be negative, got {value}")
    return Decimal(value)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A number as people write it: 5.0 -> "5", 0.50 -> "0.5", 1E+1 -> "10"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _yuan(value: Decimal) -> str:
    return f"{_plain(value)}元"


def _percent(rate: Decimal) -> str:
    return f"{_plain(rate * 100)}%"


def _wan(value: Decimal) -> str:
    """Band limits as the statute writes them: 10000 -> "1万元", 20000000 -> "2000万元"."""
    return f"{_plain(value / TEN_THOUSAND)}万元"

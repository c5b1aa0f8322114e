"""Worked examples for the guidance calculators, with the exact figures a lawyer would compute by hand."""
import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from intake_core.guidance.calculators import (
    Estimate,
    FeeReduction,
    ServiceLength,
    compensation_with_notice_pay,
    court_fee_divorce,
    court_fee_labor,
    court_fee_property_case,
    deposit_penalty,
    double_wage_for_no_contract,
    economic_compensation,
    halved_court_fee,
    overtime_pay,
    private_loan_interest_cap,
    service_length,
    service_months_for_compensation,
    unlawful_termination_compensation,
)
from intake_core.guidance.parameters import ParametersError, load_parameters, parse_parameters, stale_figures

D = Decimal


# --- length of service -------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2020, 1, 1), date(2024, 8, 1), ServiceLength(4, 7, 0)),
        (date(2020, 3, 15), date(2021, 9, 14), ServiceLength(1, 5, 30)),
        (date(2024, 5, 6), date(2024, 5, 6), ServiceLength(0, 0, 0)),
        # Feb 29: the year is complete on 1 March of a common year, not on 28 February.
        (date(2020, 2, 29), date(2021, 2, 28), ServiceLength(0, 11, 30)),
        (date(2020, 2, 29), date(2021, 3, 1), ServiceLength(1, 0, 0)),
        (date(2020, 2, 29), date(2024, 2, 29), ServiceLength(4, 0, 0)),
        # Month ends: a month with no 31st completes on the 1st of the next month.
        (date(2024, 1, 31), date(2024, 2, 29), ServiceLength(0, 0, 29)),
        (date(2024, 1, 31), date(2024, 3, 1), ServiceLength(0, 1, 0)),
        (date(2024, 1, 31), date(2024, 3, 31), ServiceLength(0, 2, 0)),
    ],
)
def test_service_length(start, end, expected):
    assert service_length(start, end) == expected


@pytest.mark.parametrize(
    "length, text",
    [(ServiceLength(4, 7, 0), "4年7个月"), (ServiceLength(0, 5, 0), "5个月"),
     (ServiceLength(1, 5, 30), "1年5个月30天"), (ServiceLength(0, 0, 0), "0天")],
)
def test_service_length_reads_as_chinese(length, text):
    assert str(length) == text


def test_service_length_refuses_an_end_before_the_start():
    with pytest.raises(ValueError):
        service_length(date(2024, 5, 6), date(2024, 5, 5))


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2020, 1, 1), date(2024, 8, 1), D("5")),  # 4 years 7 months
        (date(2024, 1, 1), date(2024, 6, 1), D("0.5")),  # 5 months
        (date(2023, 1, 10), date(2024, 1, 10), D("1")),  # exactly 1 year
        (date(2023, 1, 10), date(2024, 7, 10), D("2")),  # 1 year 6 months
        (date(2020, 3, 15), date(2021, 9, 14), D("1.5")),  # 1 year 5 months 30 days
        (date(2024, 5, 6), date(2024, 5, 6), D("0")),  # no service
        (date(2024, 5, 6), date(2024, 5, 7), D("0.5")),  # one day
        (date(2024, 1, 1), date(2024, 7, 1), D("1")),  # exactly 6 months
        (date(2010, 1, 1), date(2025, 1, 1), D("15")),
        # 6 months from 29 August end on 1 March in a common year (relativedelta would say 28 Feb).
        (date(2018, 8, 29), date(2019, 2, 28), D("0.5")),
        (date(2018, 8, 29), date(2019, 3, 1), D("1")),
        (date(2019, 8, 31), date(2020, 2, 29), D("0.5")),
    ],
)
def test_service_months_for_compensation(start, end, months):
    assert service_months_for_compensation(start, end) == months


# --- economic compensation and 2N ----------------------------------------------


def test_economic_compensation_worked_example():
    estimate = economic_compensation(date(2020, 1, 1), date(2024, 8, 1), D("8000"))
    assert estimate.amount == D("40000.00")
    assert (estimate.low, estimate.high) == (None, None)
    assert estimate.basis == "劳动合同法第47条"
    assert "工作年限4年7个月，按5个月计算" in estimate.steps
    assert "5 × 8000元 = 40000元" in estimate.steps


def test_without_the_local_average_nothing_is_capped_but_a_step_warns():
    estimate = economic_compensation(date(2010, 1, 1), date(2025, 1, 1), D("40000"))
    assert estimate.amount == D("600000.00")
    assert any("3倍" in step and "未封顶" in step for step in estimate.steps)


@pytest.mark.parametrize(
    "start, wage, average, expected, last_step",
    [
        # 15 years, high earner: base 3 x 10000, months capped at 12.
        (date(2010, 1, 1), D("40000"), D("10000"), D("360000.00"), "12 × 30000元 = 360000元"),
        # one fen above the threshold: capped.
        (date(2010, 1, 1), D("30000.01"), D("10000"), D("360000.00"), "12 × 30000元 = 360000元"),
        # exactly 3x is not "higher than": no cap, all 15 years.
        (date(2010, 1, 1), D("30000"), D("10000"), D("450000.00"), "15 × 30000元 = 450000元"),
        (date(2010, 1, 1), D("29999.99"), D("10000"), D("449999.85"), "15 × 29999.99元 = 449999.85元"),
        # high earner under 12 years: base capped, years not.
        (date(2015, 1, 1), D("40000"), D("10000"), D("300000.00"), "10 × 30000元 = 300000元"),
    ],
)
def test_economic_compensation_cap_for_high_earners(start, wage, average, expected, last_step):
    estimate = economic_compensation(start, date(2025, 1, 1), wage, average)
    assert estimate.amount == expected
    assert last_step in estimate.steps


def test_no_service_no_compensation():
    estimate = economic_compensation(date(2024, 5, 6), date(2024, 5, 6), D("8000"))
    assert estimate.amount == D("0.00")
    assert "没有工作年限" in estimate.steps[0]


@pytest.mark.parametrize(
    "wage, average, expected",
    [(D("8000"), None, D("80000.00")), (D("40000"), D("10000"), D("720000.00"))],
)
def test_unlawful_termination_is_twice_n(wage, average, expected):
    start = date(2020, 1, 1) if average is None else date(2010, 1, 1)
    end = date(2024, 8, 1) if average is None else date(2025, 1, 1)
    estimate = unlawful_termination_compensation(start, end, wage, average)
    assert estimate.amount == expected
    assert "第87条" in estimate.basis


def test_2n_replaces_n_and_says_so():
    estimate = unlawful_termination_compensation(date(2020, 1, 1), date(2024, 8, 1), D("8000"))
    assert any("只能拿一个" in step and "实施条例第25条" in step for step in estimate.steps)


def test_n_plus_one_is_n_and_a_month_in_lieu_of_notice():
    # 2020-03-01 to 2024-10-15: 4 years 7 months -> 5 months (40,000), plus one month's wage.
    estimate = compensation_with_notice_pay(date(2020, 3, 1), date(2024, 10, 15), D("8000"))
    assert estimate.amount == D("48000.00")
    assert "5 × 8000元 = 40000元" in estimate.steps
    assert any("代通知金" in step and "1 × 8000元 = 8000元" in step for step in estimate.steps)
    assert estimate.steps[-1] == "合计48000元"
    assert "劳动合同法第40条" in estimate.basis and "劳动合同法第47条" in estimate.basis


@pytest.mark.parametrize(
    "start, before_2008",
    [(date(2005, 3, 1), True), (date(2007, 12, 31), True), (date(2008, 1, 1), False)],
)
def test_service_before_2008_follows_the_old_rules_for_n_only(start, before_2008):
    n = economic_compensation(start, date(2024, 10, 15), D("8000"))
    damages = unlawful_termination_compensation(start, date(2024, 10, 15), D("8000"))
    assert any("第97条第3款" in step for step in n.steps) is before_2008
    assert any("2008年1月1日以前的工作年限也计入" in step for step in damages.steps) is before_2008
    assert not any("第97条" in step for step in damages.steps)
    assert damages.amount == 2 * n.amount  # still counted from the start: the note says what to check


def test_money_must_not_be_a_float():
    with pytest.raises(TypeError):
        economic_compensation(date(2020, 1, 1), date(2024, 8, 1), 8000.0)


# --- double wages without a written contract -------------------------------------


def test_double_wage_worked_example():
    estimate = double_wage_for_no_contract(date(2024, 1, 10), date(2024, 6, 20), D("8000"))
    # 4 months 10 days: 4 x 8000 + 10 / 30 x 8000 = 32000 + 2666.67
    assert estimate.amount == D("34666.67")
    assert estimate.steps[0] == "二倍工资期间：2024-02-10至2024-06-19，共4个月10天"
    assert "10 ÷ 30 × 8000元 = 2666.67元" in estimate.steps


@pytest.mark.parametrize(
    "signed, wage, expected",
    [
        (date(2024, 6, 20), D("6000"), D("26000.00")),  # 4 x 6000 + 10/30 x 6000
        (date(2024, 1, 10), D("8000"), D("0.00")),  # signed on the first day
        (date(2024, 2, 1), D("8000"), D("0.00")),  # within the first month
        (date(2024, 2, 10), D("8000"), D("0.00")),  # the month just completed
        (date(2024, 2, 11), D("8000"), D("266.67")),  # one day of extra pay
        (date(2025, 1, 9), D("8000"), D("88000.00")),  # 10 months 30 days
        (date(2025, 1, 10), D("8000"), D("88000.00")),  # a full year: 11 months
        (date(2026, 6, 20), D("8000"), D("88000.00")),  # never more than 11 months
    ],
)
def test_double_wage_amounts(signed, wage, expected):
    assert double_wage_for_no_contract(date(2024, 1, 10), signed, wage).amount == expected


def test_a_full_year_without_contract_deems_an_open_ended_contract():
    estimate = double_wage_for_no_contract(date(2024, 1, 10), date(2025, 6, 20), D("8000"))
    assert estimate.steps[0] == "二倍工资期间：2024-02-10至2025-01-09，共11个月"
    assert any("无固定期限劳动合同" in step for step in estimate.steps)
    assert "第14条第3款" in estimate.basis


def test_signing_on_the_first_anniversary_is_already_a_full_year_without_contract():
    # Employment 2024-01-10 .. 2025-01-09 had no contract: one full year.
    estimate = double_wage_for_no_contract(date(2024, 1, 10), date(2025, 1, 10), D("8000"))
    assert any("无固定期限劳动合同" in step for step in estimate.steps)


@pytest.mark.parametrize("signed", [date(2024, 1, 10), date(2024, 2, 9), date(2024, 2, 10)])
def test_signing_in_the_first_month_owes_nothing_and_says_why(signed):
    estimate = double_wage_for_no_contract(date(2024, 1, 10), signed, D("8000"))
    assert estimate.steps == ("自用工之日起一个月内订立了书面劳动合同（或用工已结束），不产生二倍工资",)


def test_a_day_short_of_a_year_deems_nothing():
    estimate = double_wage_for_no_contract(date(2024, 1, 10), date(2025, 1, 9), D("8000"))
    assert not any("无固定期限" in step for step in estimate.steps)


def test_a_start_at_a_month_end_is_still_capped_at_eleven_months():
    estimate = double_wage_for_no_contract(date(2024, 1, 31), date(2025, 6, 20), D("8000"))
    assert estimate.amount == D("88000.00")
    assert estimate.steps[0] == "二倍工资期间：2024-03-01至2025-01-30，共11个月"


def test_double_wage_refuses_a_signing_before_the_start():
    with pytest.raises(ValueError):
        double_wage_for_no_contract(date(2024, 1, 10), date(2024, 1, 9), D("8000"))


# --- overtime ------------------------------------------------------------------


def test_overtime_rates():
    estimate = overtime_pay(D("50"), D("10"), D("8"), D("2.5"))
    assert estimate.amount == D("1925.00")  # 750 + 800 + 375
    assert estimate.steps[:3] == (
        "工作日延长工作时间：10小时 × 50元 × 150% = 750元",
        "休息日工作且未安排补休：8小时 × 50元 × 200% = 800元",
        "法定休假日工作：2.5小时 × 50元 × 300% = 375元",
    )
    assert estimate.basis == "劳动法第44条"


@pytest.mark.parametrize(
    "hours, expected",
    [((D("1"), D("0"), D("0")), D("37.50")), ((D("0"), D("1"), D("0")), D("50.00")),
     ((D("0"), D("0"), D("1")), D("75.00")), ((D("0"), D("0"), D("0")), D("0.00"))],
)
def test_overtime_each_kind_alone(hours, expected):
    assert overtime_pay(D("25"), *hours).amount == expected


# --- court fees ------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim, fee",
    [
        (D("1"), D("50")),
        (D("10000"), D("50")),
        (D("10001"), D("50.03")),  # 1 x 2.5% = 0.025, rounded half up
        (D("12345.67"), D("108.64")),
        (D("100000"), D("2300.00")),
        (D("101000"), D("2320.00")),
        (D("200000"), D("4300.00")),
        (D("201000"), D("4315.00")),
        (D("500000"), D("8800.00")),
        (D("501000"), D("8810.00")),
        (D("1000000"), D("13800.00")),
        (D("1001000"), D("13809.00")),
        (D("2000000"), D("22800.00")),
        (D("2001000"), D("22808.00")),
        (D("5000000"), D("46800.00")),
        (D("5001000"), D("46807.00")),
        (D("10000000"), D("81800.00")),
        (D("10001000"), D("81806.00")),
        (D("20000000"), D("141800.00")),
        (D("20001000"), D("141805.00")),
        (D("30000000"), D("191800.00")),
    ],
)
def test_property_case_fee_bands(claim, fee):
    assert court_fee_property_case(claim).amount == fee


def test_property_case_fee_shows_each_band():
    estimate = court_fee_property_case(D("150000"))
    assert estimate.steps[1:] == (
        "不超过1万元的部分：50元",
        "超过1万元至10万元的部分：90000元 × 2.5% = 2250元",
        "超过10万元至20万元的部分：50000元 × 2% = 1000元",
        "合计3300元",
    )
    assert estimate.basis == "诉讼费用交纳办法第13条第(一)项"


def test_property_case_needs_a_claim():
    with pytest.raises(ValueError):
        court_fee_property_case(D("0"))


@pytest.mark.parametrize(
    "reduction, article",
    [(FeeReduction.SIMPLIFIED_PROCEDURE, "第16条"), (FeeReduction.MEDIATION_OR_WITHDRAWAL, "第15条")],
)
def test_fee_halved(reduction, article):
    halved = halved_court_fee(court_fee_property_case(D("100000")), reduction)
    assert halved.amount == D("1150.00")
    assert halved.basis.endswith(article)
    assert halved.steps[-1].endswith("2300元 ÷ 2 = 1150元")


@pytest.mark.parametrize(
    "property_value, low, high",
    [
        (None, D("50"), D("300")),
        (D("150000"), D("50"), D("300")),
        (D("200000"), D("50"), D("300")),
        (D("200001"), D("50.01"), D("300.01")),  # 1 x 0.5% = 0.005, rounded half up
        (D("300000"), D("550"), D("800")),
        (D("1000000"), D("4050"), D("4300")),
    ],
)
def test_divorce_fee(property_value, low, high):
    estimate = court_fee_divorce(property_value)
    assert (estimate.amount, estimate.low, estimate.high) == (None, low, high)


def test_divorce_fee_halved_keeps_the_range():
    halved = halved_court_fee(court_fee_divorce(D("300000")), FeeReduction.MEDIATION_OR_WITHDRAWAL)
    assert (halved.low, halved.high) == (D("275.00"), D("400.00"))


def test_labor_fee():
    assert court_fee_labor().amount == D("10")
    assert halved_court_fee(court_fee_labor(), FeeReduction.SIMPLIFIED_PROCEDURE).amount == D("5")


# --- deposit (定金) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "paid, receiver_breached, paid_back",
    [
        (D("15000"), True, D("30000")),
        (D("15000"), False, D("0")),
        (D("20000"), True, D("40000")),  # exactly 20%
        (D("20000"), False, D("0")),
        (D("30000"), True, D("50000")),  # 2 x 20000 + the excess 10000
        (D("30000"), False, D("10000")),  # the excess is not 定金 and comes back
        (D("20000.01"), False, D("0.01")),
    ],
)
def test_deposit_capped_at_twenty_percent(paid, receiver_breached, paid_back):
    estimate = deposit_penalty(D("100000"), paid, receiver_breached)
    assert estimate.amount == paid_back
    assert estimate.basis == "民法典第586条、第587条"


def test_deposit_excess_is_explained():
    steps = deposit_penalty(D("100000"), D("30000"), True).steps
    assert "已付30000元，超过的10000元不产生定金效力，按一般款项退还" in steps
    assert "收受定金的一方违约，双倍返还定金：2 × 20000元 = 40000元" in steps


# --- private loans -------------------------------------------------------------------


@pytest.mark.parametrize(
    "rate, lpr, protected, unprotected_step",
    [
        (D("15"), D("3.0"), D("12000.00"), "每年不受保护的利息：100000元 × (15% - 12%) = 3000元"),
        (D("24"), D("3.45"), D("13800.00"), "每年不受保护的利息：100000元 × (24% - 13.8%) = 10200元"),
        (D("12"), D("3.0"), D("12000.00"), None),
        (D("10"), D("3.0"), D("10000.00"), None),
    ],
)
def test_private_loan_interest_cap(rate, lpr, protected, unprotected_step):
    estimate = private_loan_interest_cap(D("100000"), rate, lpr)
    assert estimate.amount == protected
    unprotected = [step for step in estimate.steps if step.startswith("每年不受保护")]
    assert unprotected == ([unprotected_step] if unprotected_step else [])


def test_estimates_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        court_fee_labor().amount = D("0")
    assert isinstance(court_fee_labor(), Estimate)


# --- parameters ------------------------------------------------------------------------


def test_parameters_file_loads_once():
    parameters = load_parameters()
    lpr = parameters.lpr_one_year
    assert (lpr.latest.effective, lpr.latest.value) == (date(2025, 5, 20), D("3.00"))
    assert lpr.values[0].effective == date(2019, 8, 20)  # the first LPR of the reformed series
    assert lpr.source and lpr.review_every.unit == "months"
    assert load_parameters() is parameters


LPR_TABLE = [{"effective": "2023-06-20", "rate": "3.55"}, {"effective": "2023-08-21", "rate": "3.45"}]
VALID = {"lpr_one_year": {"source": "全国银行间同业拆借中心", "review_every": {"months": 1}, "values": LPR_TABLE},
         "urgent_within_days": 30}


def lpr_with(**changes):
    return {"lpr_one_year": {**VALID["lpr_one_year"], **changes}}


@pytest.mark.parametrize(
    "change, key",
    [
        ({"lpr_one_year": None}, "lpr_one_year"),
        (lpr_with(values=None), "lpr_one_year.values"),
        (lpr_with(values=[]), "lpr_one_year.values"),
        (lpr_with(source=""), "lpr_one_year.source"),
        (lpr_with(source=None), "lpr_one_year.source"),
        (lpr_with(review_every=None), "lpr_one_year.review_every"),
        (lpr_with(review_every={"weeks": 2}), "lpr_one_year.review_every"),
        (lpr_with(values=[{"effective": "2023-06-20"}]), r"lpr_one_year.values\[0\].rate"),
        (lpr_with(values=[{"effective": "2023-06-20", "rate": 3.55}]), r"lpr_one_year.values\[0\].rate"),
        (lpr_with(values=[{"effective": "2023-06-20", "rate": "three"}]), r"lpr_one_year.values\[0\].rate"),
        (lpr_with(values=[{"effective": "2023-06-20", "rate": "0.0355"}]), r"lpr_one_year.values\[0\].rate"),
        (lpr_with(values=[{"effective": "2023-06-20", "rate": "35.5"}]), r"lpr_one_year.values\[0\].rate"),
        (lpr_with(values=[{"rate": "3.55"}]), r"lpr_one_year.values\[0\].effective"),
        (lpr_with(values=[{"effective": "2023-13-01", "rate": "3.55"}]), r"lpr_one_year.values\[0\].effective"),
        (lpr_with(values=[{"effective": "2023-6-20", "rate": "3.55"}]), r"lpr_one_year.values\[0\].effective"),
        (lpr_with(values=["3.55"]), r"lpr_one_year.values\[0\]"),
        # oldest first, each date once
        (lpr_with(values=LPR_TABLE[::-1]), r"lpr_one_year.values\[1\].effective"),
        (lpr_with(values=[LPR_TABLE[0], {**LPR_TABLE[1], "effective": "2023-06-20"}]),
         r"lpr_one_year.values\[1\].effective"),
        (lpr_with(checked_on="2023-08-01"), "lpr_one_year.checked_on"),  # before the newest value
        (lpr_with(checked_on="soon"), "lpr_one_year.checked_on"),
        ({"urgent_within_days": True}, "urgent_within_days"),
        ({"urgent_within_days": -1}, "urgent_within_days"),
        ({"urgent_within_days": "30"}, "urgent_within_days"),
    ],
)
def test_invalid_parameters_name_the_key(change, key):
    with pytest.raises(ParametersError, match=rf"^{key}:"):
        parse_parameters({**VALID, **change})


def test_valid_parameters_parse():
    parsed = parse_parameters({**VALID, **lpr_with(checked_on=date(2023, 9, 25))}).lpr_one_year
    assert [(v.effective, v.value) for v in parsed.values] == [(date(2023, 6, 20), D("3.55")),
                                                               (date(2023, 8, 21), D("3.45"))]
    assert parsed.in_force_on(date(2023, 8, 20)).value == D("3.55")
    assert parsed.in_force_on(date(2023, 8, 21)).value == D("3.45")
    assert parsed.in_force_on(date(2023, 6, 19)) is None
    assert parsed.as_of == date(2023, 9, 25)  # a lawyer's check counts from the day of the check
    assert isinstance(ParametersError("x"), ValueError)


def test_a_dated_figure_is_stale_once_its_review_period_has_run_out():
    parameters = parse_parameters(VALID)  # newest LPR 2023-08-21, reviewed monthly
    assert parameters.lpr_one_year.review_due == date(2023, 9, 21)
    assert stale_figures(parameters, date(2023, 9, 21)) == []
    assert [f.key for f in stale_figures(parameters, date(2023, 9, 22))] == ["lpr_one_year"]
    checked = parse_parameters({**VALID, **lpr_with(checked_on="2023-09-25")})
    assert stale_figures(checked, date(2023, 10, 25)) == []  # a lawyer found nothing new on 25 Sept


def test_the_lpr_in_the_file_is_flagged_when_older_than_its_review_period():
    lpr = load_parameters().lpr_one_year
    assert [f.key for f in stale_figures(load_parameters(), lpr.review_due + timedelta(days=1))] == ["lpr_one_year"]
    assert stale_figures(load_parameters(), lpr.review_due) == []


@pytest.mark.parametrize(
    "estimate",
    [
        court_fee_property_case(D("5000")),
        court_fee_labor(),
        deposit_penalty(D("100000"), D("15000"), False),
        deposit_penalty(D("100000"), D("15000"), True),
        private_loan_interest_cap(D("100000"), D("10"), D("3.0")),
        overtime_pay(D("25"), D("0"), D("0"), D("0")),
        economic_compensation(date(2024, 5, 6), date(2024, 5, 6), D("8000")),
    ],
)
def test_amounts_are_in_fen(estimate):
    # Responses show str(amount): "50.00", never "50" or "5E+1".
    assert estimate.amount.as_tuple().exponent == -2

"""Traffic-accident calculators (intake_core/guidance/traffic.py), with worked examples.

Each example is computed by hand in its comment from the articles:
人身损害赔偿解释第12条 (残疾赔偿金) and 第15条 (死亡赔偿金): the income x 20 years, from
60 one year less per year of age, 5 years from 75; 民法典第188条: three years.

The income figures below are round test inputs, not published statistics: the table in
parameters.yml is empty until a lawyer fills it in, and the tests that need a filled table
write their own copy of parameters.yml.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml

from intake_core.guidance import traffic
from intake_core.guidance.advice import format_estimate
from intake_core.guidance.content import load_formats
from intake_core.guidance.parameters import (
    ParametersError,
    RegionalValue,
    load_legal_figures,
    load_traffic_figures,
    parse_traffic_figures,
)
from test_guidance_data import CJK, GUIDANCE_CODE, _string_literals, edited

D = Decimal
TODAY = date(2026, 12, 5)
TEST_INCOME = RegionalValue("测试省", 2024, D("50000"))  # a round test figure, not a published one


@pytest.fixture
def traffic_figures_copy(tmp_path, monkeypatch):
    """An edited copy of parameters.yml, read by the traffic calculators."""

    def write(change):
        path = tmp_path / "parameters.yml"
        path.write_text(yaml.safe_dump(edited(change), allow_unicode=True), encoding="utf-8")
        figures = load_traffic_figures(path)
        monkeypatch.setattr(traffic, "load_traffic_figures", lambda: figures)
        return figures

    return write


def with_income(*values):
    def change(raw):
        raw["urban_disposable_income"]["values"] = [dict(value) for value in values]
    return change


# --- years of income by age --------------------------------------------------------------


@pytest.mark.parametrize("age, years", [
    (0, 20), (30, 20), (59, 20),
    (60, 20),  # 六十周岁以上 includes 60, but no year has been added past 60 yet: 20 - (60 - 60) = 20
    (61, 19),  # 20 - (61 - 60) = 19
    (65, 15),  # 20 - (65 - 60) = 15
    (74, 6),   # 20 - (74 - 60) = 6
    (75, 5),   # 七十五周岁以上的，按五年计算
    (90, 5),
])
def test_years_by_age(age, years):
    assert traffic.compensation_years(age) == years


@pytest.mark.parametrize("age", [-1, 121])
def test_an_impossible_age_is_refused(age):
    with pytest.raises(ValueError):
        traffic.compensation_years(age)


# --- 残疾赔偿金 ----------------------------------------------------------------------------


def test_disability_compensation_at_65_grade_7():
    # 65 years: 20 - (65 - 60) = 15 years; grade 7 = 40% (practice share); 50000 x 15 x 0.4 = 300000.00
    estimate = traffic.disability_compensation(65, 7, TEST_INCOME)
    assert estimate.amount == D("300000.00")
    assert estimate.basis == "人身损害赔偿解释第12条、第22条"
    steps = "\n".join(estimate.steps)
    assert "20 - (65 - 60) = 15年" in steps
    assert "50000元 × 15年 × 40% = 300000元" in steps
    assert "测试省2024年度城镇居民人均可支配收入50000元" in steps  # says which year's figure it used
    assert "法律条文本身没有规定这个比例" in steps  # the grade share is practice, and says so


def test_disability_compensation_at_40_grade_10():
    # Under 60: 20 years; grade 10 = 10%; 48123.45 x 20 x 0.1 = 96246.90
    income = RegionalValue("测试省", 2024, D("48123.45"))
    assert traffic.disability_compensation(40, 10, income).amount == D("96246.90")


def test_disability_compensation_rounds_to_the_fen():
    # 74 years: 20 - 14 = 6 years; grade 3 = 80%; 33333.33 x 6 x 0.8 = 159999.984 -> 159999.98
    income = RegionalValue("测试省", 2024, D("33333.33"))
    assert traffic.disability_compensation(74, 3, income).amount == D("159999.98")


def test_disability_compensation_from_75_counts_five_years():
    # 80 years: 5 years; grade 1 = 100%; 50000 x 5 x 1 = 250000.00
    assert traffic.disability_compensation(80, 1, TEST_INCOME).amount == D("250000.00")


def test_without_the_income_there_is_no_amount_but_the_formula():
    # 65 years, grade 7: the years (15) and the share (40%) are known, the income is not.
    estimate = traffic.disability_compensation(65, 7, None)
    assert estimate.amount is None and estimate.low is None and estimate.high is None
    steps = "\n".join(estimate.steps)
    assert "城镇居民人均可支配收入 × 15年 × 40%" in steps
    assert "本助手还没有录入这个数字" in steps


@pytest.mark.parametrize("grade", [0, 11])
def test_a_grade_outside_one_to_ten_is_refused(grade):
    with pytest.raises(ValueError):
        traffic.disability_compensation(40, grade, TEST_INCOME)


def test_a_lawyer_s_share_changes_the_result(traffic_figures_copy):
    # The shares are practice kept as data: grade 7 at 42% gives 50000 x 15 x 0.42 = 315000.00.
    traffic_figures_copy(lambda raw: raw["personal_injury"]["disability_grade_shares"].update(grade_7="0.42"))
    assert traffic.disability_compensation(65, 7, TEST_INCOME).amount == D("315000.00")


# --- 死亡赔偿金 ----------------------------------------------------------------------------


@pytest.mark.parametrize("age, amount", [
    (35, D("1000000.00")),  # 50000 x 20
    (62, D("900000.00")),   # 20 - (62 - 60) = 18; 50000 x 18
    (78, D("250000.00")),   # from 75: 5 years; 50000 x 5
])
def test_death_compensation(age, amount):
    estimate = traffic.death_compensation(age, TEST_INCOME)
    assert estimate.amount == amount
    assert estimate.basis == "人身损害赔偿解释第15条、第22条"


def test_death_compensation_without_the_income():
    estimate = traffic.death_compensation(78, None)
    assert estimate.amount is None
    assert "城镇居民人均可支配收入 × 5年" in "\n".join(estimate.steps)


@pytest.mark.parametrize("accident, said", [
    (date(2022, 4, 30), True),   # the day before 第24条's 2022-05-01: the earlier text applied
    (date(2022, 5, 1), False),   # from that day: this interpretation
    (None, False),               # not known: nothing to say
])
def test_an_accident_before_the_interpretation_says_so(accident, said):
    # The amount is this interpretation's either way: 50000 x 20 x 60% (grade 5), and 50000 x 20.
    for estimate, amount in ((traffic.disability_compensation(40, 5, TEST_INCOME, accident), D("600000.00")),
                             (traffic.death_compensation(40, TEST_INCOME, accident), D("1000000.00"))):
        assert any("人身损害赔偿解释第24条" in step for step in estimate.steps) is said
        assert estimate.amount == amount


# --- 误工费 -------------------------------------------------------------------------------


def test_lost_earnings_per_month():
    # Fixed income: the income actually lost (第7条); 8000.5 a month -> 8000.50 for each month off.
    estimate = traffic.lost_earnings_per_month(D("8000.5"))
    assert estimate.amount == D("8000.50")
    assert estimate.basis == "人身损害赔偿解释第7条"
    with pytest.raises(TypeError):
        traffic.lost_earnings_per_month(8000.5)


# --- the limitation date ---------------------------------------------------------------------


def test_limitation_three_years_from_the_accident():
    # 2024-02-29 + 3 years: 2027 has no 29 February, so the month's last day, 2027-02-28
    # (民法典第202条); from 2026-12-05 that is 85 days away, outside the 30-day urgency window.
    deadline = traffic.limitation_deadline(date(2024, 2, 29), TODAY)
    assert deadline.due == date(2027, 2, 28)
    assert deadline.days_left == 85 and not deadline.urgent
    assert deadline.basis == "民法典第188条"
    assert "三年" in deadline.name and "三年" in deadline.note


def test_limitation_close_is_urgent():
    # 2023-12-20 + 3 years = 2026-12-20: 15 days after 2026-12-05, inside 30 days.
    deadline = traffic.limitation_deadline(date(2023, 12, 20), TODAY)
    assert deadline.due == date(2026, 12, 20) and deadline.days_left == 15 and deadline.urgent


def test_limitation_passed_says_it_may_have_passed():
    # 2023-01-10 + 3 years = 2026-01-10, before 2026-12-05.
    deadline = traffic.limitation_deadline(date(2023, 1, 10), TODAY)
    assert deadline.days_left < 0 and not deadline.urgent
    assert deadline.note.startswith(load_formats()["deadline_notes"]["may_have_passed"])


def test_a_lawyer_s_period_moves_the_date(traffic_figures_copy):
    traffic_figures_copy(lambda raw: raw["personal_injury"].update(limitation={"years": 2}))
    deadline = traffic.limitation_deadline(date(2024, 2, 29), TODAY)
    assert deadline.due == date(2026, 2, 28)
    assert "两年" in deadline.name or "二年" in deadline.name


# --- from the questionnaire's answers ---------------------------------------------------------


@pytest.mark.parametrize("answer, age", [
    ("65", 65), ("65岁", 65), ("六十五周岁", 65), ("七十八", 78),
    ("他65我60", None),  # two ages: whose?
    ("不太清楚", None), ("unknown", None), (None, None), ([], None), ("130岁", None),
])
def test_victim_age(answer, age):
    assert traffic.victim_age(answer) == age


def test_deadlines_from_the_answers():
    # A month-only answer counts from the month's first day: 2024-05-01 + 3 years = 2027-05-01.
    found = traffic.deadlines({"traffic_accident_date": "2024-05"}, TODAY)
    assert [d.due for d in found] == [date(2027, 5, 1)]
    assert found[0].name == load_formats()["names"]["traffic_limitation"]
    assert traffic.deadlines({"traffic_accident_date": "unknown"}, TODAY) == []
    assert traffic.deadlines({}, TODAY) == []


def test_estimates_for_a_death_use_the_age_at_death():
    found = traffic.estimates({"traffic_harm": ["death", "property"], "traffic_victim_age": "七十八岁",
                               "traffic_province": "浙江"}, TODAY)
    assert len(found) == 1
    assert found[0].name.startswith("死亡赔偿金")
    assert found[0].amount is None  # no income figure entered yet
    assert "受害人78周岁：75周岁以上的，按5年计算" in found[0].steps


def test_estimates_for_an_assessed_injury():
    found = traffic.estimates({"traffic_harm": ["injury"], "traffic_victim_age": "65",
                               "traffic_disability_grade": ["grade_7"]}, TODAY)
    assert [e.name.split("（")[0] for e in found] == ["残疾赔偿金"]
    assert "计算方法：城镇居民人均可支配收入 × 15年 × 40%" in found[0].steps
    # Shown as an amount that needs more information (formats.yml lines.estimate_unknown).
    line = format_estimate(found[0], load_formats()["lines"])
    assert line.startswith(found[0].name + "：需要更多信息才能计算")


def test_estimates_for_an_injury_with_an_income():
    found = traffic.estimates({"traffic_harm": ["injury"], "traffic_monthly_income": "6000",
                               "traffic_victim_age": "30", "traffic_disability_grade": ["grade_9"],
                               "traffic_accident_date": "2021-03"}, TODAY)
    assert [e.amount for e in found] == [D("6000.00"), None]
    assert found[0].name.startswith("误工费")
    # March 2021 is before 2022-05-01: the disability estimate says the earlier text applied.
    assert any("人身损害赔偿解释第24条" in step for step in found[1].steps)


@pytest.mark.parametrize("slots", [
    {"traffic_harm": ["injury"], "traffic_victim_age": "65", "traffic_disability_grade": ["not_assessed"]},
    {"traffic_harm": ["injury"], "traffic_victim_age": "65", "traffic_disability_grade": "unknown"},
    {"traffic_harm": ["injury"], "traffic_victim_age": "他65我60", "traffic_disability_grade": ["grade_7"]},
    {"traffic_harm": ["property"], "traffic_victim_age": "65"},
    {"traffic_harm": "unknown", "traffic_victim_age": "65"},
])
def test_no_estimate_without_what_it_needs(slots):
    assert traffic.estimates(slots, TODAY) == []


def test_a_filled_income_table_gives_the_amount_and_its_year(traffic_figures_copy):
    # The newest year of the caller's province: 2024's 50000, not 2023's 48000.
    # 65 years, grade 7: 50000 x 15 x 0.4 = 300000.00
    traffic_figures_copy(with_income({"region": "测试省", "year": 2023, "amount": "48000"},
                                     {"region": "测试省", "year": 2024, "amount": "50000"},
                                     {"region": "别的省", "year": 2024, "amount": "90000"}))
    found = traffic.estimates({"traffic_harm": ["injury"], "traffic_victim_age": "65",
                               "traffic_disability_grade": ["grade_7"], "traffic_province": "测试省某市"}, TODAY)
    assert found[0].amount == D("300000.00")
    assert "按测试省2024年度城镇居民人均可支配收入50000元计算" in found[0].steps


def test_a_province_not_in_the_table_has_no_amount(traffic_figures_copy):
    traffic_figures_copy(with_income({"region": "测试省", "year": 2024, "amount": "50000"}))
    found = traffic.estimates({"traffic_harm": ["death"], "traffic_victim_age": "40",
                               "traffic_province": "另一个省"}, TODAY)
    assert found[0].amount is None


# --- the figures as data -----------------------------------------------------------------------


def test_the_real_tables_hold_no_invented_value():
    figures = load_traffic_figures()
    # Nothing in ../shared gives these figures: empty until a lawyer fills them in.
    assert figures.urban_disposable_income.values == ()
    assert figures.compulsory_insurance_limits == ()
    assert "第22条" in figures.urban_disposable_income.source
    assert "第23条" in figures.insurance_limits_source


def test_the_empty_tables_are_named_for_staff(traffic_figures_copy):
    assert load_traffic_figures().tables_to_fill() == ["urban_disposable_income", "compulsory_insurance_limits"]
    filled = traffic_figures_copy(with_income({"region": "测试省", "year": 2024, "amount": "50000"}))
    assert filled.tables_to_fill() == ["compulsory_insurance_limits"]


def test_the_labor_and_contract_figures_still_load():
    assert load_legal_figures().deadlines.contract_limitation.count == 3


@pytest.mark.parametrize("change, key", [
    (lambda raw: raw["personal_injury"]["disability_grade_shares"].pop("grade_10"),
     "personal_injury.disability_grade_shares"),
    (lambda raw: raw["personal_injury"]["disability_grade_shares"].update(grade_1=1.0),
     "personal_injury.disability_grade_shares.grade_1"),
    (lambda raw: raw["personal_injury"].update(floor_from_age=60), "personal_injury.floor_from_age"),
    (lambda raw: raw["personal_injury"].update(current_rules_from="2022-13-01"), "personal_injury.current_rules_from"),
    (lambda raw: raw["personal_injury"].update(limitation={"years": 3, "days": 1}), "personal_injury.limitation"),
    (with_income({"region": "测试省", "year": 2024, "amount": "50"}), "urban_disposable_income.values[0].amount"),
    (with_income({"region": "测试省", "year": 2024, "amount": "50000"},
                 {"region": "测试省", "year": 2024, "amount": "51000"}), "urban_disposable_income.values[1]"),
    (lambda raw: raw["urban_disposable_income"].update(values=None), "urban_disposable_income.values"),
    (lambda raw: raw["compulsory_insurance_limits"].update(values=[{"effective": "2020-01-01"}]),
     "compulsory_insurance_limits.values[0].death_disability"),
])
def test_malformed_figures_name_the_key(change, key):
    with pytest.raises(ParametersError, match=key.replace("[", r"\[").replace("]", r"\]")):
        parse_traffic_figures(edited(change))


def test_no_chinese_text_in_the_code():
    chinese = [(line, text) for line, text in _string_literals(GUIDANCE_CODE / "traffic.py") if CJK.search(text)]
    assert chinese == []

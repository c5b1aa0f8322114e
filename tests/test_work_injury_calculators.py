"""Work-injury calculators (intake_core/guidance/work_injury.py): worked examples from 工伤保险条例.

Each expected figure is computed by hand in a comment from the article's own numbers.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intake_core.guidance import work_injury
from intake_core.guidance.parameters import (
    ParametersError,
    load_work_injury_figures,
    parse_work_injury_figures,
)
from test_guidance_data import edited  # noqa: E402  (the real parameters, edited copies)

D = Decimal


@pytest.fixture
def figures(monkeypatch):
    """Make the calculators read an edited copy of the work-injury figures."""

    def use(change):
        parsed = parse_work_injury_figures(edited(change))
        monkeypatch.setattr(work_injury, "load_work_injury_figures", lambda: parsed)
        return parsed

    return use


# --- one-off disability subsidy by grade (第35、36、37条, each 第(一)项) ---------------------------


@pytest.mark.parametrize("grade, months, amount", [
    (1, 27, "162000.00"),  # 一级: 27个月 × 6000 = 162000
    (2, 25, "150000.00"),  # 二级: 25 × 6000 = 150000
    (3, 23, "138000.00"),  # 三级: 23 × 6000 = 138000
    (4, 21, "126000.00"),  # 四级: 21 × 6000 = 126000
    (5, 18, "108000.00"),  # 五级: 18 × 6000 = 108000 (第36条)
    (6, 16, "96000.00"),   # 六级: 16 × 6000 = 96000
    (7, 13, "78000.00"),   # 七级: 13 × 6000 = 78000 (第37条)
    (8, 11, "66000.00"),   # 八级: 11 × 6000 = 66000
    (9, 9, "54000.00"),    # 九级: 9 × 6000 = 54000
    (10, 7, "42000.00"),   # 十级: 7 × 6000 = 42000
])
def test_disability_subsidy_is_the_grades_months_of_the_own_wage(grade, months, amount):
    estimate = work_injury.disability_subsidy(grade, D("6000"))
    assert estimate.amount == D(amount)
    assert f"{months} × 6000元 = {D(amount).normalize():f}元" in estimate.steps
    article = 35 if grade <= 4 else 36 if grade <= 6 else 37
    assert estimate.basis.startswith(f"工伤保险条例第{article}条")


def test_the_subsidy_steps_say_what_was_not_adjusted_and_who_pays():
    # No regional average given: the 60%/300% bounds of 第64条 are said, not applied.
    estimate = work_injury.disability_subsidy(7, D("6000"), insured=False)
    assert any("没有做这个调整" in step for step in estimate.steps)
    assert "七级伤残的一次性伤残补助金为13个月的本人工资" in estimate.steps
    # Grades 5-10: the provincial one-off grants on leaving are named, not computed.
    assert any("一次性伤残就业补助金" in step for step in estimate.steps)
    # No insurance: the employer pays (第62条第2款), the fund may advance (社会保险法第41条).
    assert "第62条第2款" in estimate.steps[-1] and "社会保险法第41条" in estimate.basis
    insured = work_injury.disability_subsidy(7, D("6000"), insured=True)
    assert "工伤保险基金" in insured.steps[-1] and "第62条" not in insured.basis
    assert not any("就业补助金" in step for step in work_injury.disability_subsidy(4, D("6000")).steps)


# --- the own wage between 60% and 300% of the regional average (第64条第2款) ----------------------


def test_a_low_wage_is_raised_to_sixty_percent_of_the_regional_average():
    # Average 8000: 60% = 4800 > 3000, so the own wage is 4800; 十级: 7 × 4800 = 33600.
    estimate = work_injury.disability_subsidy(10, D("3000"), regional_average=D("8000"))
    assert estimate.amount == D("33600.00")
    assert "月工资3000元低于当地职工平均工资8000元的60%（4800元），本人工资按4800元计算" in estimate.steps


def test_a_high_wage_is_capped_at_three_times_the_regional_average():
    # Average 8000: 300% = 24000 < 30000, so the own wage is 24000; 一级: 27 × 24000 = 648000.
    estimate = work_injury.disability_subsidy(1, D("30000"), regional_average=D("8000"))
    assert estimate.amount == D("648000.00")
    assert "月工资30000元高于当地职工平均工资8000元的300%（24000元），本人工资按24000元计算" in estimate.steps


@pytest.mark.parametrize("wage", ["4800", "24000", "6000"])
def test_a_wage_within_the_bounds_or_on_them_is_kept(wage):
    # 4800 is exactly 60% of 8000 and 24000 exactly 300%: "低于" and "高于" exclude the bound.
    base, steps = work_injury.own_wage(D(wage), D("8000"))
    assert base == D(wage)
    assert steps[-1] == f"月工资{wage}元在当地职工平均工资8000元的60%至300%之间（4800元至24000元），不调整"


def test_a_changed_bound_changes_the_own_wage(figures):
    figures(lambda raw: raw["work_injury"].update(own_wage_floor_rate="0.7"))
    # 70% of 8000 = 5600 > 5000: the own wage is 5600.
    assert work_injury.own_wage(D("5000"), D("8000"))[0] == D("5600.00")


# --- monthly disability allowance (第35条、第36条 第(二)项) ---------------------------------------


@pytest.mark.parametrize("grade, amount, payer", [
    (1, "5400.00", "工伤保险基金"),  # 6000 × 90% = 5400, from the fund
    (4, "4500.00", "工伤保险基金"),  # 6000 × 75% = 4500
    (5, "4200.00", "由单位按月发给"),  # 6000 × 70% = 4200, from the employer if no suitable work
    (6, "3600.00", "由单位按月发给"),  # 6000 × 60% = 3600
])
def test_disability_allowance_is_a_share_of_the_own_wage(grade, amount, payer):
    estimate = work_injury.disability_allowance(grade, D("6000"), insured=True)
    assert estimate.amount == D(amount)
    assert any(payer in step for step in estimate.steps)


def test_no_allowance_below_grade_six_and_no_grade_outside_one_to_ten():
    with pytest.raises(ValueError, match="1 to 6"):
        work_injury.disability_allowance(7, D("6000"))
    for grade in (0, 11, True, "7"):
        with pytest.raises(ValueError, match="grade"):
            work_injury.disability_subsidy(grade, D("6000"))


def test_money_is_decimal_never_float():
    with pytest.raises(TypeError, match="monthly_wage"):
        work_injury.disability_subsidy(7, 6000.0)
    with pytest.raises(ValueError, match="monthly_wage"):
        work_injury.disability_subsidy(7, D("-1"))


# --- work death (第39条第1款) ------------------------------------------------------------------


def test_funeral_grant_is_six_months_of_the_regional_average():
    # 6 × 7000 = 42000.
    estimate = work_injury.funeral_grant(D("7000"), insured=True)
    assert estimate.amount == D("42000.00") and estimate.basis == "工伤保险条例第39条第1款第(一)项"


def test_without_the_regional_average_the_funeral_grant_is_left_to_a_lawyer():
    estimate = work_injury.funeral_grant()
    assert (estimate.amount, estimate.low, estimate.high) == (None, None, None)
    assert any("律师会按当地公布的数字核算" in step for step in estimate.steps)


def test_death_grant_names_the_missing_year_when_no_figure_is_known():
    # The table has no value yet (parameters.yml: to fill): a death in 2025 needs 2024's figure.
    assert load_work_injury_figures().national_urban_disposable_income.values == ()
    estimate = work_injury.death_grant(date(2025, 3, 1))
    assert estimate.amount is None
    assert any("死亡发生在2025年的，要用2024年全国城镇居民人均可支配收入" in step and "还没有这个数字" in step
               for step in estimate.steps)


def test_death_grant_from_a_given_figure_names_its_year():
    # 20 × 50000 = 1000000 (an illustrative figure, given as the input, not a published one).
    estimate = work_injury.death_grant(date(2025, 3, 1), national_income=D("50000"))
    assert estimate.amount == D("1000000.00")
    assert "死亡发生在2025年的，按2024年全国城镇居民人均可支配收入50000元计算" in estimate.steps


def test_death_grant_uses_the_tables_figure_only_for_its_own_year(figures):
    # A lawyer enters a figure for deaths in 2025 (effective 2025-01-01); illustrative value.
    figures(lambda raw: raw["national_urban_disposable_income"].update(
        values=[{"effective": "2025-01-01", "amount": "50000"}]))
    # A death in 2025: 20 × 50000 = 1000000, from the table (the input is not needed).
    assert work_injury.death_grant(date(2025, 12, 31)).amount == D("1000000.00")
    # A death in 2026 needs 2025's figure, not this older one: unknown, or the input if given.
    assert work_injury.death_grant(date(2026, 1, 1)).amount is None
    assert work_injury.death_grant(date(2026, 1, 1), national_income=D("52000")).amount == D("1040000.00")
    # A death in 2024 comes before the table's first value: unknown.
    assert work_injury.death_grant(date(2024, 6, 1)).amount is None


# --- application deadlines (第17条) --------------------------------------------------------------


def test_application_deadlines_from_the_accident():
    # Accident 2025-03-10: employer 30 days -> 2025-04-09; worker 1 year -> 2026-03-10.
    employer, worker = work_injury.application_deadlines(date(2025, 3, 10), date(2025, 3, 20))
    assert (employer.due, employer.days_left, employer.urgent) == (date(2025, 4, 9), 20, True)
    assert (worker.due, worker.urgent) == (date(2026, 3, 10), False)
    assert "规定第7条" in worker.note and "规定第7条" not in employer.note


def test_application_deadlines_from_a_diagnosis_on_a_leap_day():
    # Diagnosed 2024-02-29: 30 days -> 2024-03-30; 1 year -> 2025-02-28 (no 29 February: the month's last day).
    employer, worker = work_injury.application_deadlines(date(2024, 2, 29), date(2024, 3, 1))
    assert (employer.due, worker.due) == (date(2024, 3, 30), date(2025, 2, 28))


def test_a_passed_application_deadline_says_so():
    # Accident 2023-01-05, today 2024-02-01: the year ended on 2024-01-05, 27 days ago.
    _, worker = work_injury.application_deadlines(date(2023, 1, 5), date(2024, 2, 1))
    assert worker.days_left == -27 and not worker.urgent and "可能已经届满" in worker.note


# --- paid leave for treatment (第33条第2款) -----------------------------------------------------


def test_paid_leave_ends_twelve_months_on_and_at_most_twelve_more():
    # Injured 2024-03-15: 12 months -> 2025-03-15; extended by at most 12 more -> 2026-03-15.
    usual, extended = work_injury.paid_leave_ends(date(2024, 3, 15), date(2025, 3, 1))
    assert (usual.due, usual.days_left, usual.urgent) == (date(2025, 3, 15), 14, True)
    assert (extended.due, extended.urgent) == (date(2026, 3, 15), False)
    assert "12个月" in usual.name and "不一定有12个月" in usual.note
    assert "设区的市级劳动能力鉴定委员会确认" in extended.note


def test_paid_leave_from_a_month_end_keeps_to_the_month_end():
    # Injured 2024-02-29: 12 months -> 2025-02-28; 12 more -> 2026-02-28.
    usual, extended = work_injury.paid_leave_ends(date(2024, 2, 29), date(2024, 3, 1))
    assert (usual.due, extended.due) == (date(2025, 2, 28), date(2026, 2, 28))


def test_a_passed_paid_leave_end_says_treatment_continues():
    usual, _ = work_injury.paid_leave_ends(date(2023, 1, 10), date(2024, 3, 1))
    assert usual.days_left < 0 and usual.note.startswith("这个日期可能已经过了；停工留薪期满后仍需治疗的")


def test_a_changed_paid_leave_changes_the_dates_and_the_sentences(figures):
    figures(lambda raw: raw["work_injury"].update(paid_leave={"months": 6}))
    usual, extended = work_injury.paid_leave_ends(date(2024, 3, 15), date(2024, 3, 16))
    # 6 months -> 2024-09-15; 12 more -> 2025-09-15.
    assert (usual.due, extended.due) == (date(2024, 9, 15), date(2025, 9, 15))
    assert "6个月" in usual.name


# --- providers: the questionnaire's answers in ---------------------------------------------------

TODAY = date(2025, 6, 1)


def _names(found):
    return [item.name for item in found]


def test_a_graded_worker_gets_the_subsidy_and_for_grades_one_to_six_the_allowance():
    slots = {"work_injury_disability_grade": ["grade_5"], "work_injury_monthly_wage": "6000",
             "work_injury_employer_insured": False}
    subsidy, allowance = work_injury.estimates(slots, TODAY)
    # 五级: 18 × 6000 = 108000; allowance 6000 × 70% = 4200 a month.
    assert (subsidy.amount, allowance.amount) == (D("108000.00"), D("4200.00"))
    assert subsidy.name.startswith("一次性伤残补助金") and allowance.name.startswith("伤残津贴")
    [only] = work_injury.estimates({**slots, "work_injury_disability_grade": ["grade_8"]}, TODAY)
    assert only.amount == D("66000.00")  # 八级: 11 × 6000


@pytest.mark.parametrize("grade", [["not_assessed"], ["none"], ["grade_7", "grade_8"], "unknown", None])
def test_no_amount_without_one_assessed_grade(grade):
    assert work_injury.estimates({"work_injury_disability_grade": grade, "work_injury_monthly_wage": "6000"},
                                 TODAY) == []


def test_a_death_gets_the_funeral_and_death_grants_as_needing_figures():
    slots = {"work_injury_kind": ["death"], "work_injury_date": "2025-02-10"}
    funeral, grant = work_injury.estimates(slots, TODAY)
    assert _names([funeral, grant]) == ["丧葬补助金", "一次性工亡补助金"]
    assert funeral.amount is None and grant.amount is None
    assert any("2024年" in step for step in grant.steps)


def test_a_caller_who_has_not_applied_gets_both_application_deadlines_and_the_paid_leave():
    slots = {"work_injury_date": "2025-03-10", "work_injury_kind": ["accident"],
             "work_injury_recognised": ["not_applied"]}
    found = work_injury.deadlines(slots, TODAY)
    assert _names(found) == ["单位申请工伤认定的期限", "您本人申请工伤认定的期限",
                             "停工留薪期一般最长到（从您说的受伤日期算）",
                             "停工留薪期经确认延长后最长到（从您说的受伤日期算）"]
    assert [d.due for d in found] == [date(2025, 4, 9), date(2026, 3, 10), date(2026, 3, 10), date(2027, 3, 10)]


def test_a_month_only_date_counts_from_the_months_first_day():
    # "2025-03": from 2025-03-01, so the employer's 30 days end 2025-03-31 (early, never late).
    [employer, *_] = work_injury.deadlines({"work_injury_date": "2025-03"}, TODAY)
    assert employer.due == date(2025, 3, 31)


def test_no_application_deadline_once_applied_and_no_paid_leave_once_graded_or_dead():
    recognised = {"work_injury_date": "2025-03-10", "work_injury_recognised": ["recognised"]}
    assert len(work_injury.deadlines({**recognised, "work_injury_disability_grade": ["not_assessed"]}, TODAY)) == 2
    assert work_injury.deadlines({**recognised, "work_injury_disability_grade": ["grade_9"]}, TODAY) == []
    death = {"work_injury_date": "2025-03-10", "work_injury_kind": ["death"], "work_injury_recognised": ["not_applied"]}
    assert len(work_injury.deadlines(death, TODAY)) == 2
    assert work_injury.deadlines({"work_injury_date": "unknown"}, TODAY) == []


# --- the figures in parameters.yml -----------------------------------------------------------------


def test_the_statutory_figures_load():
    rules = load_work_injury_figures().rules
    assert [rules.disability_subsidy_months[f"grade_{n}"] for n in range(1, 11)] == [
        D(m) for m in ("27", "25", "23", "21", "18", "16", "13", "11", "9", "7")
    ]
    assert [rules.disability_allowance_rates[f"grade_{n}"] for n in range(1, 7)] == [
        D(r) for r in ("0.9", "0.85", "0.8", "0.75", "0.7", "0.6")
    ]
    assert (rules.own_wage_floor_rate, rules.own_wage_cap_multiple) == (D("0.6"), D("3"))
    assert (rules.funeral_grant_months, rules.death_grant_multiple) == (D("6"), D("20"))
    assert (rules.paid_leave.count, rules.paid_leave_extension.count) == (12, 12)


def test_a_changed_grade_changes_the_subsidy(figures):
    figures(lambda raw: raw["work_injury"]["disability_subsidy_months"].update(grade_7="12"))
    assert work_injury.disability_subsidy(7, D("6000")).amount == D("72000.00")  # 12 × 6000


def _set(path, value):
    def change(raw):
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(path):
    def change(raw):
        node = raw
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


MONTHS = ["work_injury", "disability_subsidy_months"]
RATES = ["work_injury", "disability_allowance_rates"]


@pytest.mark.parametrize(
    "change, key",
    [
        (_set(MONTHS + ["grade_7"], 13), r"work_injury.disability_subsidy_months.grade_7"),  # not a quoted number
        (_set(MONTHS + ["grade_8"], "14"), r"work_injury.disability_subsidy_months.grade_8"),  # above grade 7's 13
        (_drop(MONTHS + ["grade_10"]), r"work_injury.disability_subsidy_months.grade_10"),
        (_set(MONTHS + ["grade_11"], "5"), r"work_injury.disability_subsidy_months.grade_11"),
        (_set(RATES + ["grade_7"], "0.5"), r"work_injury.disability_allowance_rates.grade_7"),  # grades 1-6 only
        (_set(RATES + ["grade_1"], "90"), r"work_injury.disability_allowance_rates.grade_1"),  # 90% is "0.9"
        (_set(["work_injury", "own_wage_floor_rate"], "60"), r"work_injury.own_wage_floor_rate"),
        (_set(["work_injury", "paid_leave"], {"weeks": 52}), r"work_injury.paid_leave"),
        (_drop(["work_injury", "death_grant_multiple"]), r"work_injury.death_grant_multiple"),
        (_set(["national_urban_disposable_income", "values"], None), r"national_urban_disposable_income.values"),
        (
            _set(["national_urban_disposable_income", "values"], [{"effective": "2025-01-01", "amount": 50000}]),
            r"national_urban_disposable_income.values\[0\].amount",
        ),
        (_set(["national_urban_disposable_income", "source"], ""), r"national_urban_disposable_income.source"),
    ],
)
def test_malformed_work_injury_figures_name_the_key(change, key):
    with pytest.raises(ParametersError, match=rf"^{key}"):
        parse_work_injury_figures(edited(change))


def test_staff_are_warned_of_every_table_still_to_fill(caplog):
    # Neither ../shared nor the statutes give these figures: until a lawyer fills them, the log
    # names each (content/guidance/parameters.yml), never a value that was not published.
    from intake_core.guidance.parameters import log_figures_to_fill

    with caplog.at_level("WARNING"):
        empty = log_figures_to_fill()
    assert set(empty) == {"urban_disposable_income", "compulsory_insurance_limits", "national_urban_disposable_income"}
    assert all(key in caplog.text for key in empty)

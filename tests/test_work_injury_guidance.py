"""The work-injury area: its guidance (content/guidance/work_injury.yml) and its questionnaire
(work_injury_form in content/questionnaires.yml).

Besides what the guidance loader checks of every registered area (tests/test_guidance_content.py),
this module checks the file by name against its own questionnaire, the choice words callers use,
and that the calculators' lines render.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from intake_core.extraction.choices import match_choices
from intake_core.guidance import work_injury
from intake_core.guidance.advice import format_deadline, format_estimate
from intake_core.guidance.content import load_formats, parse_guidance
from intake_core.questionnaires.definitions import load_questionnaires
from test_guidance_data import CJK, GUIDANCE_CODE, _string_literals
from test_legal_content import test_a_number_of_days_in_a_meaning_is_in_the_article_cited as days_are_in_article

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GUIDANCE_FILE = PROJECT_ROOT / "content" / "guidance" / "work_injury.yml"
QUESTIONNAIRES_FILE = PROJECT_ROOT / "content" / "questionnaires.yml"
FORM = "work_injury_form"
AREA = "work_injury"

GUIDANCE = yaml.safe_load(GUIDANCE_FILE.read_text(encoding="utf-8"))
QUESTIONS = {question["slot"]: question
             for question in yaml.safe_load(QUESTIONNAIRES_FILE.read_text(encoding="utf-8"))[FORM]["questions"]}

# The slot names issue 17's brief fixes, and the one this area adds (work_injury_city).
BRIEF_SLOTS = {
    "work_injury_employer": "text",
    "work_injury_date": "date",
    "work_injury_kind": "choices",
    "work_injury_recognised": "choices",
    "work_injury_employer_insured": "yes_no",
    "work_injury_disability_grade": "choices",
    "work_injury_monthly_wage": "amount",
}
ADDED_SLOTS = {"work_injury_city": "text"}
GRADES = [f"grade_{n}" for n in range(1, 11)]


# --- the guidance file: the loader checks it as it checks every registered area ----------------


def test_the_product_loader_accepts_the_file():
    content = parse_guidance(GUIDANCE, AREA)
    # A labor area: the case_type slot keeps its four values (issue 17).
    assert content.case_type == "labor" and content.law_name("工伤保险条例") == "《工伤保险条例》"


@pytest.mark.parametrize("entry", [pytest.param(b, id=f"{b.law}-{b.article}-{i}")
                                   for i, b in enumerate(parse_guidance(GUIDANCE, AREA).basis)])
def test_a_number_of_days_in_a_meaning_is_in_the_article_cited(entry):
    days_are_in_article(entry)


# --- what callers get: the conditions carry the statute's own conditions --------------------------


def _cited(slots):
    return {(b.law, b.article, b.quote[:4]) for b in parse_guidance(GUIDANCE, AREA).select_basis(slots)}


def _articles(slots):
    return {(b.law, b.article) for b in parse_guidance(GUIDANCE, AREA).select_basis(slots)}


TIAOLI = "工伤保险条例"


def test_every_caller_gets_the_deadlines_exclusions_and_the_uninsured_rule():
    always = _articles({})
    assert {(TIAOLI, 14), (TIAOLI, 16), (TIAOLI, 17), (TIAOLI, 62), (TIAOLI, 64), (TIAOLI, 54)} <= always


def test_a_commuter_gets_the_commuting_rule_and_its_responsibility_test():
    commute = _cited({"work_injury_kind": ["commute"]})
    assert (TIAOLI, 14, "(六)在") in commute
    assert (TIAOLI, 14, "(六)在") not in _cited({"work_injury_kind": ["accident"]})
    assert ("最高人民法院关于审理工伤保险行政案件若干问题的规定", 1) in _articles({"work_injury_kind": ["commute"]})


@pytest.mark.parametrize("grade, article", [("grade_1", 35), ("grade_4", 35), ("grade_5", 36), ("grade_6", 36),
                                            ("grade_7", 37), ("grade_10", 37)])
def test_a_grade_gets_the_article_of_its_benefits_and_no_other(grade, article):
    cited = _articles({"work_injury_disability_grade": [grade]})
    assert (TIAOLI, article) in cited
    assert not {(TIAOLI, other) for other in (35, 36, 37) if other != article} & cited


def test_a_death_gets_the_death_benefits_and_not_the_appraisal():
    death = _articles({"work_injury_kind": ["death"]})
    assert {(TIAOLI, 15), (TIAOLI, 39)} <= death
    assert not {(TIAOLI, 21), (TIAOLI, 33)} & death
    assert (TIAOLI, 39) not in _articles({"work_injury_kind": ["accident"]})


def test_an_uninsured_employer_is_said_to_pay_and_the_fund_to_advance():
    assert ("社会保险法", 41) in _articles({"work_injury_employer_insured": False})
    assert ("社会保险法", 41) not in _articles({"work_injury_employer_insured": True})


def test_the_application_advice_is_for_callers_who_have_not_applied():
    content = parse_guidance(GUIDANCE, AREA)
    applied = content.select("steps", {"work_injury_recognised": ["recognised"]})
    not_applied = content.select("steps", {"work_injury_recognised": ["not_applied"]})
    assert not any("申请表" in text for text in applied)
    assert any("申请表" in text for text in not_applied)


# --- the questionnaire ---------------------------------------------------------------------------


def test_the_questionnaire_is_a_labor_form_with_the_slots_the_guidance_reads():
    questionnaire = load_questionnaires()[FORM]
    assert questionnaire.case_type == "labor"
    kinds = {question.slot: question.kind for question in questionnaire.questions}
    assert kinds == {**BRIEF_SLOTS, **ADDED_SLOTS}


def test_the_choices_are_those_the_guidance_reads():
    assert set(QUESTIONS["work_injury_kind"]["choices"]) == {"accident", "commute", "occupational_disease", "death"}
    assert set(QUESTIONS["work_injury_recognised"]["choices"]) == {"recognised", "applied", "not_applied", "refused"}
    assert set(QUESTIONS["work_injury_disability_grade"]["choices"]) == {*GRADES, "not_assessed", "none"}


def test_health_questions_are_sensitive():
    sensitive = {slot for slot, question in QUESTIONS.items() if question.get("sensitive") == "health"}
    assert {"work_injury_date", "work_injury_disability_grade", "work_injury_kind"} == sensitive


def test_the_calculators_read_the_questionnaire_s_slots():
    slots = {work_injury.DATE_SLOT, work_injury.KIND_SLOT, work_injury.RECOGNISED_SLOT, work_injury.INSURED_SLOT,
             work_injury.GRADE_SLOT, work_injury.WAGE_SLOT}
    assert slots <= set(QUESTIONS)


@pytest.mark.parametrize("slot, said, keys", [
    ("work_injury_kind", "上班路上被电动车撞了", ["commute"]),
    ("work_injury_kind", "在工地干活时摔伤了腿", ["accident"]),
    ("work_injury_kind", "查出来是尘肺", ["occupational_disease"]),
    ("work_injury_kind", "我爸在厂里干活时突然去世了", ["accident", "death"]),
    ("work_injury_recognised", "还没申请", ["not_applied"]),
    ("work_injury_recognised", "已经申请了，在等结果", ["applied"]),
    ("work_injury_recognised", "人社局说不予认定", ["refused"]),
    ("work_injury_disability_grade", "评了十级", ["grade_10"]),
    ("work_injury_disability_grade", "鉴定的是1级", ["grade_1"]),
    ("work_injury_disability_grade", "还没鉴定", ["not_assessed"]),
])
def test_the_choice_words_select_the_right_key(slot, said, keys):
    choices = {key: tuple(words) for key, words in QUESTIONS[slot]["choices"].items()}
    assert match_choices(said, choices) == keys


# --- the computed lines render with formats.yml --------------------------------------------------


def test_the_providers_output_renders_as_guidance_lines():
    lines = load_formats()["lines"]
    slots = {"work_injury_date": "2025-03-10", "work_injury_kind": ["accident"],
             "work_injury_recognised": ["not_applied"], "work_injury_monthly_wage": "6000"}
    rendered = [format_deadline(d, lines) for d in work_injury.deadlines(slots, date(2025, 3, 20))]
    assert rendered[0].startswith("⚠ 单位申请工伤认定的期限：2025年4月9日，只剩20天")
    assert rendered[1].startswith("您本人申请工伤认定的期限：2026年3月10日（还剩355天）")
    graded = {**slots, "work_injury_recognised": ["recognised"], "work_injury_disability_grade": ["grade_7"]}
    [subsidy] = work_injury.estimates(graded, date(2025, 9, 1))
    assert subsidy.amount == Decimal("78000.00")
    assert format_estimate(subsidy, lines).startswith(
        "一次性伤残补助金（按您说的伤残等级和受伤前的月工资）：约78,000元。依据工伤保险条例第37条第(一)项"
    )


def test_no_chinese_text_in_the_calculator_code():
    chinese = [(line, text) for line, text in _string_literals(GUIDANCE_CODE / "work_injury.py") if CJK.search(text)]
    assert chinese == []

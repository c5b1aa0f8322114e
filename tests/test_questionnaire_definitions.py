"""content/questionnaires.yml is well-formed and matches the domain."""
from datetime import date

import pytest

from intake_core.practice_areas import areas
from intake_core.questionnaires import answers
from intake_core.questionnaires.definitions import (
    QuestionnaireError,
    load_questionnaires,
    parse_questionnaires,
)

# Each practice area's questionnaire (content/practice_areas.yml).
FORMS = [area.questionnaire for area in areas() if area.questionnaire]
# The made-up form of these tests and its case type (a real form's is its practice area's).
TEST_FORMS = {"f_form": "other"}


def test_the_file_holds_exactly_the_practice_areas_questionnaires_with_their_case_types():
    questionnaires = load_questionnaires()
    assert {form: q.case_type for form, q in questionnaires.items()} == {
        area.questionnaire: area.case_type for area in areas() if area.questionnaire
    }


def test_a_form_no_practice_area_names_is_refused():
    data = {"version": 1, "f_form": {"questions": [{"slot": "x", "kind": "text", "label": "X"}]}}
    with pytest.raises(QuestionnaireError, match="f_form: no practice area"):
        parse_questionnaires(data, {})


def test_a_practice_area_s_form_missing_from_the_file_is_refused():
    with pytest.raises(QuestionnaireError, match="g_form: named by a practice area"):
        parse_questionnaires({"version": 1}, {"g_form": "labor"})


def test_a_case_type_given_in_the_questionnaire_file_is_refused():
    # The practice area says it; a second place would drift from the first.
    data = {"version": 1, "f_form": {"case_type": "other", "questions": [
        {"slot": "x", "kind": "text", "label": "X"}]}}
    with pytest.raises(QuestionnaireError, match=r"f_form\.case_type"):
        parse_questionnaires(data, TEST_FORMS)


@pytest.mark.parametrize("form", FORMS)
def test_the_domain_form_asks_exactly_the_questionnaire(domain, form):
    questionnaire = load_questionnaires()[form]
    expected = []
    for question in questionnaire.questions:
        # Separate consent just before the first sensitive question of its kind (issue 16, H8).
        if question.sensitive and f"consent_{question.sensitive}" not in expected:
            expected.append(f"consent_{question.sensitive}")
        expected.append(question.slot)
    assert domain["forms"][form]["required_slots"] == expected + [questionnaire.confirm_slot]


def test_a_sensitive_kind_must_be_known():
    data = {"version": 1, "f_form": {"questions": [
        {"slot": "f_x", "kind": "text", "label": "x", "ask": "?", "sensitive": "religion"}]}}
    with pytest.raises(QuestionnaireError, match="sensitive"):
        parse_questionnaires(data, TEST_FORMS)


@pytest.mark.parametrize("form", FORMS)
def test_every_question_has_its_wording_and_a_text_mapping(domain, form):
    questionnaire = load_questionnaires()[form]
    for question in questionnaire.questions:
        assert f"utter_ask_{question.slot}" in domain["responses"], question.slot
        [mapping] = domain["slots"][question.slot]["mappings"]
        assert mapping["type"] == "from_text"
        assert mapping["conditions"] == [{"active_loop": form, "requested_slot": question.slot}]
        # Safety intents are never swallowed as an answer.
        assert {"request_lawyer", "crisis"} <= set(mapping["not_intent"])
    assert f"action_ask_{questionnaire.confirm_slot}" in domain["actions"]
    assert f"validate_{form}" in domain["actions"]


def test_every_kind_has_its_invalid_answer_response(domain):
    kinds = {q.kind for qn in load_questionnaires().values() for q in qn.questions}
    assert {f"utter_invalid_{kind}" for kind in kinds} <= set(domain["responses"])


def test_conditions_depend_on_earlier_answers():
    labor = load_questionnaires()["labor_form"]
    dismissal = labor.question("labor_dismissal_date")
    assert not dismissal.applies({"labor_issues": ["unpaid_wages"]})
    assert dismissal.applies({"labor_issues": ["unpaid_wages", "dismissal"]})
    ages = load_questionnaires()["divorce_form"].question("divorce_children_ages")
    assert ages.applies({"divorce_has_children": True})
    assert not ages.applies({"divorce_has_children": False})


def _data(**question):
    base = {"slot": "x", "kind": "text", "label": "X", "required": False}
    return {"version": 1, "f_form": {"questions": [{**base, **question}]}}


@pytest.mark.parametrize(
    "question, message",
    [
        ({"kind": "colour"}, "kind"),
        ({"required": True}, "why"),
        ({"kind": "choices"}, "choices"),
        ({"label": ""}, "label"),
        ({"when": {"slot": "later", "is": True}}, "earlier"),
        ({"other_subjects": ["他"]}, "other_subjects is for kind choices"),
        ({"counts_from": "x"}, "counts_from is for kind date"),
        ({"kind": "date", "counts_from": "x"}, "counts_from must name an earlier date question"),
    ],
)
def test_malformed_questions_are_refused(question, message):
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaires(_data(**question), TEST_FORMS)


def test_a_condition_may_ask_for_any_answer_at_all():
    data = {"version": 1, "f_form": {"questions": [
        {"slot": "a", "kind": "choices", "label": "A", "required": False, "choices": {"x": ["x"]}},
        {"slot": "b", "kind": "date", "label": "B", "required": False, "when": {"slot": "a", "present": True}},
    ]}}
    b = parse_questionnaires(data, TEST_FORMS)["f_form"].question("b")
    assert b.applies({"a": ["x"]})
    assert not b.applies({"a": []}) and not b.applies({"a": "unknown"}) and not b.applies({})


def test_the_leaving_date_is_asked_of_a_caller_who_left_and_was_not_dismissed():
    labor = load_questionnaires()["labor_form"]
    end = labor.question("labor_end_date")
    assert end.kind == "date" and end.required and end.why
    assert end.applies({"labor_still_employed": False, "labor_issues": ["unpaid_wages"]})
    # A dismissed caller gave the end already: the dismissal date, not asked twice.
    assert not end.applies({"labor_still_employed": False, "labor_issues": ["unpaid_wages", "dismissal"]})
    assert not end.applies({"labor_still_employed": True, "labor_issues": ["unpaid_wages"]})
    order = [q.slot for q in labor.questions]
    assert order.index("labor_still_employed") < order.index("labor_end_date")


def test_the_dismissal_reason_is_asked_only_of_a_dismissed_caller():
    reason = load_questionnaires()["labor_form"].question("labor_dismissal_reason")
    assert reason.kind == "choices" and not reason.required
    assert reason.applies({"labor_issues": ["dismissal"]})
    assert not reason.applies({"labor_issues": ["unpaid_wages"]})


def _two_questions(when):
    return {"version": 1, "f_form": {"questions": [
        {"slot": "a", "kind": "choices", "label": "A", "required": False, "choices": {"x": ["x"], "y": ["y"]}},
        {"slot": "b", "kind": "yes_no", "label": "B", "required": False},
        {"slot": "c", "kind": "date", "label": "C", "required": False, "when": when},
    ]}}


def test_a_list_of_conditions_must_all_hold():
    data = _two_questions([{"slot": "b", "is": False}, {"slot": "a", "excludes": "x"}])
    c = parse_questionnaires(data, TEST_FORMS)["f_form"].question("c")
    assert c.applies({"a": ["y"], "b": False})
    assert c.applies({"a": "unknown", "b": False})  # not known to be x: asked
    assert not c.applies({"a": ["x", "y"], "b": False})
    assert not c.applies({"a": ["y"], "b": True})


@pytest.mark.parametrize(
    "when",
    [
        [{"slot": "b", "is": False}, {"slot": "later", "is": True}],
        [{"slot": "b", "is": False}, {"slot": "a"}],
        [],
    ],
)
def test_every_condition_of_a_list_is_checked(when):
    data = _two_questions(when)
    if when and when[-1].get("slot") == "later":
        data["f_form"]["questions"].append({"slot": "later", "kind": "yes_no", "label": "L", "required": False})
    with pytest.raises(QuestionnaireError):
        parse_questionnaires(data, TEST_FORMS)


def test_counts_from_names_an_earlier_date_question():
    def form(first_kind):
        return {"version": 1, "f_form": {"questions": [
            {"slot": "lent", "kind": first_kind, "label": "L", "required": False},
            {"slot": "due", "kind": "date", "label": "D", "required": False, "counts_from": "lent"},
        ]}}

    assert parse_questionnaires(form("date"), TEST_FORMS)["f_form"].question("due").counts_from == "lent"
    with pytest.raises(QuestionnaireError, match="counts_from must name an earlier date question"):
        parse_questionnaires(form("amount"), TEST_FORMS)


TODAY = date(2026, 12, 5)


@pytest.mark.parametrize("said, lent, due", [
    ("说好一年就还", "2025-06-10", "2026-06"),
    ("说好半年后还", "2024-11", "2025-05"),
    ("他说借两年", "2023-03-15", "2025-03"),
])
def test_a_duration_to_the_repayment_date_counts_from_the_loan_not_back_from_today(said, lent, due):
    loan = load_questionnaires()["private_loan_form"]
    question = loan.question("private_loan_due_date")
    earlier = [(q, lent if q.slot == "private_loan_date" else None) for q in loan.questions]
    assert answers.interpret(question, said, TODAY) is None  # not "a year ago"
    assert answers.relative_to_earlier(question, said, TODAY, earlier) == due


def test_without_the_loan_date_a_duration_is_no_repayment_date():
    loan = load_questionnaires()["private_loan_form"]
    question = loan.question("private_loan_due_date")
    for lent in (None, "unknown", "2025"):  # unanswered, not known, a year alone
        earlier = [(q, lent if q.slot == "private_loan_date" else None) for q in loan.questions]
        assert answers.relative_to_earlier(question, "说好一年就还", TODAY, earlier) is None


def test_a_duration_still_counts_back_from_today_for_a_since_when_question():
    start = load_questionnaires()["labor_form"].question("labor_start_date")
    assert not start.counts_from
    assert answers.interpret(start, "干了四年多", TODAY) == "2022-12"


@pytest.mark.parametrize("said, chosen", [
    ("亲戚之间也没写借条", []),  # what is missing, said in a whole clause: no evidence, not "other"
    ("亲戚之间也没写借条，只有微信转账", ["transfers"]),
    ("没写借条，但有他写的保证书", ["other"]),  # a denied choice does not hide what else is named
])
def test_a_clause_that_denies_a_choice_names_nothing_else(said, chosen):
    evidence = load_questionnaires()["private_loan_form"].question("private_loan_evidence")
    assert answers.interpret(evidence, said, TODAY) == chosen

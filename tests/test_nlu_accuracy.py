"""Accuracy floors on the held-out set, measured with the trained model.

Floors, not targets: `make eval` prints the full figures. They catch a change
of data or pipeline that makes the assistant clearly worse.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from intake_core.practice_areas import case_type_by_intent
from intake_nlu import evaluation as ev

pytestmark = pytest.mark.model

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = PROJECT_ROOT / "tests" / "test_nlu.yml"


@pytest.fixture(scope="module")
def parser():
    """The trained model, loaded once for the module."""
    model = PROJECT_ROOT / "models" / "intake.tar.gz"
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make model` first")
    return ev.Parser(model)


@pytest.fixture(scope="module")
def held_out_predictions(parser):
    examples = ev.load_held_out(HELD_OUT)
    return [(example, parser.parse(example.text)) for example in examples]


def test_held_out_macro_f1_stays_above_the_floor(held_out_predictions):
    gold = [example.label for example, _ in held_out_predictions]
    predicted = [ev.intent_of(parse) for _, parse in held_out_predictions]
    _, macro_f1 = ev.intent_report(gold, predicted)
    assert macro_f1 >= 0.90


@pytest.mark.parametrize("intent", ev.SAFETY_INTENTS)
def test_safety_recall_stays_above_the_floor(held_out_predictions, intent):
    positives = [ev.intent_of(parse) for example, parse in held_out_predictions if example.label == intent]
    assert positives, f"the held-out set has no {intent} examples"
    # Training is not bit-for-bit repeatable on CPU (threads): held-out recall moves by
    # one or two of 49 examples between runs. 0.90 leaves room for that while catching a
    # real loss; the target (0.98) is tracked by `make eval`.
    assert sum(p == intent for p in positives) / len(positives) >= 0.90


def test_ordinary_questions_rarely_trigger_a_handoff_or_crisis(held_out_predictions):
    ordinary = [ev.intent_of(parse) for example, parse in held_out_predictions if example.label in ev.ORDINARY_INTENTS]
    assert ordinary
    assert sum(p in ev.SAFETY_INTENTS for p in ordinary) / len(ordinary) <= 0.05


def test_case_type_questions_get_their_case_type(held_out_predictions):
    expected = case_type_by_intent()
    pairs = [
        (expected[example.label], ev.case_type_after_first_message(parse))
        for example, parse in held_out_predictions
        if example.label in expected
    ]
    accuracy, _ = ev.case_type_scores([g for g, _ in pairs], [p for _, p in pairs])
    assert accuracy >= 0.90


REAL_QUESTIONS = PROJECT_ROOT.parent / "shared" / "data" / "real-questions-dev.jsonl"


@pytest.mark.skipif(not REAL_QUESTIONS.exists(), reason=f"{REAL_QUESTIONS} is not beside the project")
def test_real_questions_get_their_case_type(parser):
    # The target (0.88 macro-F1) is tracked by `make eval`; this floor catches a change of
    # data or pipeline that loses the real callers' case types.
    rows = ev.load_real_questions(REAL_QUESTIONS)
    predicted = [ev.case_type_after_first_message(parser.parse(row["text"])) for row in rows]
    _, macro_f1 = ev.case_type_scores([row["case_type"] for row in rows], predicted)
    assert macro_f1 >= 0.85


# --- inside a questionnaire (issue 14) -------------------------------------------

ANSWERS = PROJECT_ROOT / "tests" / "questionnaire_answers.yml"


def test_ordinary_answers_inside_a_questionnaire_never_trigger_a_handoff_or_crisis(parser):
    actions = set(ev.SAFETY_ACTIONS.values())
    false_alarms = [
        (slot, text)
        for slot, text in ev.load_questionnaire_answers(ANSWERS)
        if parser.next_action(parser.parse(text), "mid_questionnaire", slot) in actions
    ]
    assert false_alarms == []


def test_a_questionnaire_loses_no_safety_message_the_first_turn_catches(held_out_predictions, parser):
    """Recall first: the answer wins only over guesses below the threshold, which
    no held-out crisis, handoff or complaint message falls to (docs/measurements.md).
    The question asked is a free-text one, where any message reads as an answer."""
    lost = [
        example.text
        for example, parse in held_out_predictions
        if example.label in ev.SAFETY_ACTIONS
        and parser.next_action(parse, "first_turn") == ev.SAFETY_ACTIONS[example.label]
        and parser.next_action(parse, "mid_questionnaire") != ev.SAFETY_ACTIONS[example.label]
    ]
    assert lost == []


@pytest.mark.parametrize(
    "lexicon, confidence, expected",
    [
        ({"matched": False}, 0.25, "labor_form"),  # the name is the answer; the form asks on
        ({"matched": False}, 0.95, ev.SAFETY_ACTIONS["crisis"]),  # the model is sure
        ({"matched": True, "intent": "crisis", "category": "violence"}, 0.25, ev.SAFETY_ACTIONS["crisis"]),
    ],
)
def test_an_unsure_crisis_on_a_name_inside_a_questionnaire_is_the_answer(parser, lexicon, confidence, expected):
    """The trained dialogue with the parse of the reported case: a name to "对方叫什么"
    classified crisis at 0.25 (issue 14)."""
    parse = {"text": "张伟", "intent": {"name": "crisis", "confidence": confidence}, "entities": [],
             "safety_lexicon": lexicon}
    assert parser.next_action(parse, "mid_questionnaire") == expected

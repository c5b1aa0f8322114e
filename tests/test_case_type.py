import pytest

from actions.case_type import case_type_from_parse


@pytest.mark.parametrize(
    "intent, expected",
    [("consult_divorce", "divorce"), ("consult_labor", "labor"), ("consult_contract", "contract"), ("consult_other", "other")],
)
def test_case_type_intent_decides(intent, expected):
    assert case_type_from_parse({"intent": {"name": intent, "confidence": 0.6}}) == expected


def test_boundary_message_takes_case_type_from_ranking():
    parse = {
        "intent": {"name": "request_lawyer", "confidence": 1.0},
        "intent_ranking": [
            {"name": "request_lawyer", "confidence": 0.6},
            {"name": "consult_labor", "confidence": 0.3},
            {"name": "consult_divorce", "confidence": 0.05},
        ],
    }
    assert case_type_from_parse(parse) == "labor"


def test_a_weak_guess_leaves_case_type_unknown():
    parse = {
        "intent": {"name": "request_lawyer", "confidence": 1.0},
        "intent_ranking": [
            {"name": "request_lawyer", "confidence": 0.9},
            {"name": "consult_other", "confidence": 0.05},
            {"name": "consult_labor", "confidence": 0.04},
        ],
    }
    assert case_type_from_parse(parse) is None


def test_no_nlu_result_means_unknown():
    assert case_type_from_parse({}) is None

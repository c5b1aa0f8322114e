import pytest

from intake_core.case_type import case_type_from_parse


def test_the_pipeline_case_type_decides_for_a_case_intent():
    # The CaseTypeClassifier weighs the intent against its own model.
    parse = {
        "intent": {"name": "consult_contract", "confidence": 0.6},
        "case_type": {"name": "labor", "confidence": 0.7},
    }
    assert case_type_from_parse(parse) == "labor"


@pytest.mark.parametrize(
    "intent, expected",
    [
        ("consult_divorce", "divorce"),
        ("consult_labor", "labor"),
        ("consult_contract", "contract"),
        ("consult_other", "other"),
    ],
)
def test_without_a_pipeline_case_type_the_intent_decides(intent, expected):
    assert case_type_from_parse({"intent": {"name": intent, "confidence": 1.0}}) == expected
    assert case_type_from_parse({"intent": {"name": intent}, "case_type": {"name": None}}) == expected


def test_other_intents_take_the_case_type_classifier_prediction():
    parse = {
        "intent": {"name": "request_lawyer", "confidence": 1.0},
        "case_type": {"name": "labor", "confidence": 0.8},
    }
    assert case_type_from_parse(parse) == "labor"


@pytest.mark.parametrize("prediction", [{"name": None, "confidence": 0.3}, {"name": "none"}, {}, None])
def test_no_confident_prediction_means_unknown(prediction):
    parse = {"intent": {"name": "request_lawyer", "confidence": 1.0}, "case_type": prediction}
    assert case_type_from_parse(parse) is None


def test_no_nlu_result_means_unknown():
    assert case_type_from_parse({}) is None

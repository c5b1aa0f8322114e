"""case_type is set from any message that shows it, once, outside forms."""
import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions.slot_mappings import ValidateSlotMappings
from conftest import make_tracker


def extract(tracker, domain, dispatcher):
    return asyncio.run(ValidateSlotMappings().extract_case_type(dispatcher, tracker, domain))


def with_prediction(text, intent, case_type, **kwargs):
    tracker = make_tracker(text, intent=intent, **kwargs)
    tracker.latest_message["case_type"] = {"name": case_type, "confidence": 0.8}
    return tracker


def test_a_boundary_request_about_wages_sets_labor(domain, dispatcher):
    tracker = with_prediction("公司欠我工资，你们能帮我打官司吗", "request_lawyer", "labor")
    assert extract(tracker, domain, dispatcher) == {"case_type": "labor"}


def test_the_pipeline_case_type_wins_over_the_intent(domain, dispatcher):
    tracker = with_prediction("合同到期公司不续签了，要赔钱吗", "consult_contract", "labor")
    assert extract(tracker, domain, dispatcher) == {"case_type": "labor"}


def validate(value, tracker, domain, dispatcher):
    return asyncio.run(ValidateSlotMappings().validate_case_type(value, dispatcher, tracker, domain))


def test_the_intent_mapping_value_is_replaced_by_the_pipeline_case_type(domain, dispatcher):
    tracker = with_prediction("合同到期公司不续签了，要赔钱吗", "consult_contract", "labor")
    assert validate("contract", tracker, domain, dispatcher) == {"case_type": "labor"}


def test_the_intent_mapping_value_stays_without_a_pipeline_case_type(domain, dispatcher):
    # A button's "/consult_contract" payload is not run through the pipeline.
    tracker = make_tracker("/consult_contract", intent="consult_contract")
    assert validate("contract", tracker, domain, dispatcher) == {"case_type": "contract"}


def test_the_intent_mapping_value_stays_inside_a_questionnaire(domain, dispatcher):
    tracker = with_prediction("我们还借了亲戚十万", "consult_contract", "other")
    tracker.active_loop = {"name": "divorce_form"}
    assert validate("contract", tracker, domain, dispatcher) == {"case_type": "contract"}


def test_an_unknown_case_type_sets_nothing(domain, dispatcher):
    assert extract(with_prediction("转人工", "request_lawyer", None), domain, dispatcher) == {}


def test_a_known_case_type_is_not_re_guessed(domain, dispatcher):
    tracker = with_prediction("帮我写借条", "request_lawyer", "contract", slots={"case_type": "labor"})
    assert extract(tracker, domain, dispatcher) == {}


def test_no_guessing_inside_a_questionnaire(domain, dispatcher):
    tracker = with_prediction("我们还借了亲戚十万", "consult_contract", "contract")
    tracker.active_loop = {"name": "divorce_form"}
    assert extract(tracker, domain, dispatcher) == {}


def test_the_validation_action_returns_slot_events(domain, dispatcher):
    tracker = with_prediction("老板跑路了，你们帮我要钱", "request_lawyer", "labor")
    events = asyncio.run(ValidateSlotMappings().run(dispatcher, tracker, {**domain, "forms": {}}))
    assert SlotSet("case_type", "labor") in events

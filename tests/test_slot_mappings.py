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


# --- practice_area: a finer area within the case type (content/practice_areas.yml) ----------

def extract_area(tracker, domain, dispatcher):
    return asyncio.run(ValidateSlotMappings().extract_practice_area(dispatcher, tracker, domain))


@pytest.mark.parametrize("text, case_type, area", [
    ("我在工地干活从架子上摔下来，腿骨折了，老板不管", "labor", "work_injury"),
    ("单位不给我申请工伤认定怎么办", "labor", "work_injury"),
    ("下班路上被车撞了，算不算工伤", "labor", "work_injury"),
    ("前天骑电动车被一辆货车撞了，对方全责", "other", "traffic"),
    ("出了车祸，交警还没出认定书", "other", "traffic"),
])
def test_the_caller_s_words_show_a_finer_area_of_the_case_type(domain, dispatcher, text, case_type, area):
    tracker = with_prediction(text, f"consult_{case_type}", case_type)
    assert extract_area(tracker, domain, dispatcher) == {"practice_area": area}


@pytest.mark.parametrize("text, case_type", [
    ("公司拖欠了我三个月工资", "labor"),            # labor, but not an injury
    ("我爸去世了没留遗嘱，房子怎么分", "other"),      # other, but not a traffic accident
    ("车祸以后单位把我辞退了", "contract"),           # traffic words, but another case type's area
])
def test_without_its_cues_the_case_type_s_own_area_stays(domain, dispatcher, text, case_type):
    tracker = with_prediction(text, f"consult_{case_type}", case_type)
    assert extract_area(tracker, domain, dispatcher) == {}


def test_an_earlier_message_can_show_the_area_once_the_case_type_is_known(domain, dispatcher):
    tracker = with_prediction("单位不给赔钱", "consult_labor", "labor", slots={"case_type": "labor"})
    tracker.events = [{"event": "user", "text": "我的手在车间被机器压伤了"}, {"event": "user", "text": "单位不给赔钱"}]
    assert extract_area(tracker, domain, dispatcher) == {"practice_area": "work_injury"}


def test_inside_a_questionnaire_or_once_set_the_area_is_not_re_guessed(domain, dispatcher):
    tracker = with_prediction("工地上受的伤", "inform", "labor", slots={"case_type": "labor"})
    tracker.active_loop = {"name": "labor_form"}
    assert extract_area(tracker, domain, dispatcher) == {}
    tracker = with_prediction("又出了车祸", "consult_other", "other", slots={"practice_area": "work_injury"})
    assert extract_area(tracker, domain, dispatcher) == {}


# --- the catch-all does not hide a work injury (content/practice_areas.yml strong_cues) ---------

SITE_DEATH = "我老公在工地上被掉下来的钢管砸了，送到医院没抢救过来，人没了"


def test_a_work_injury_the_nlu_calls_other_is_labor_s_work_injury(domain, dispatcher):
    tracker = with_prediction(SITE_DEATH, "consult_other", "other", slots={"case_type": "other"})
    assert extract_area(tracker, domain, dispatcher) == {"practice_area": "work_injury", "case_type": "labor"}


def test_a_traffic_accident_the_nlu_calls_other_stays_other(domain, dispatcher):
    tracker = with_prediction("下班回家路上被车撞了，腿骨折了", "consult_other", "other", slots={"case_type": "other"})
    assert extract_area(tracker, domain, dispatcher) == {"practice_area": "traffic"}


def test_the_pipeline_s_other_does_not_undo_the_work_injury(domain, dispatcher):
    # validate_case_type runs after the extraction and sees the pipeline's "other" again.
    tracker = with_prediction(SITE_DEATH, "consult_other", "other", slots={"practice_area": "work_injury"})
    assert validate("labor", tracker, domain, dispatcher) == {"case_type": "labor"}
    tracker = with_prediction("他才三十五岁", "consult_other", "other", slots={"practice_area": "work_injury"})
    assert validate("other", tracker, domain, dispatcher) == {"case_type": "labor"}


def test_a_real_case_type_still_replaces_a_finer_area_s(domain, dispatcher):
    tracker = with_prediction("我还想问问离婚的事", "consult_divorce", "divorce",
                              slots={"practice_area": "work_injury"})
    assert validate("divorce", tracker, domain, dispatcher) == {"case_type": "divorce"}


def test_the_first_message_ends_labor_and_work_injury_whatever_the_nlu_said(domain, dispatcher):
    # As Rasa calls it: the from_intent mapping has just set "other" (the last event).
    tracker = with_prediction(SITE_DEATH, "consult_other", "other", slots={"case_type": "other"})
    tracker.events.append({"event": "slot", "name": "case_type", "value": "other"})
    events = asyncio.run(ValidateSlotMappings().run(dispatcher, tracker, {**domain, "forms": {}}))
    final = {event["name"]: event["value"] for event in events}
    assert final["case_type"] == "labor" and final["practice_area"] == "work_injury"


def test_the_area_is_looked_for_in_the_case_type_the_turn_ends_with(domain, dispatcher):
    # The intent's mapping has just set "other"; the pipeline says labor, which validate_case_type
    # will keep: the commute accident is the work injury of labor, not traffic.
    text = "下班路上骑电动车被一辆车撞了，公司说这个不算工伤"
    tracker = with_prediction(text, "consult_other", "labor", slots={"case_type": "other"})
    tracker.events.append({"event": "slot", "name": "case_type", "value": "other"})
    assert extract_area(tracker, domain, dispatcher) == {"practice_area": "work_injury"}
    events = asyncio.run(ValidateSlotMappings().run(dispatcher, tracker, {**domain, "forms": {}}))
    final = {event["name"]: event["value"] for event in events}
    assert final["case_type"] == "labor" and final["practice_area"] == "work_injury"


def test_a_case_type_of_an_earlier_turn_is_the_one_the_area_is_looked_for_in(domain, dispatcher):
    # No mapping set it this turn, so nothing will change it: the pipeline's labor is not used.
    text = "下班路上骑电动车被一辆车撞了"
    tracker = with_prediction(text, "inform", "labor", slots={"case_type": "other"})
    assert extract_area(tracker, domain, dispatcher) == {"practice_area": "traffic"}

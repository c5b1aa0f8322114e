"""HumanHandoffPolicy: while a person has the conversation, the caller's messages
go to the lawyer; a crisis is still answered; external events from Rasa's HTTP API
and the rest of the dialogue are left to the other policies; a caller's own
EXTERNAL_* or restart intent is not (issue 15, H2)."""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from conftest import PROJECT_ROOT
from intake_dialogue.human_handoff_policy import HumanHandoffPolicy


@pytest.fixture(scope="module")
def rasa_domain():
    return Domain.load(str(PROJECT_ROOT / "domain"))


@pytest.fixture
def policy(tmp_path):
    storage = LocalModelStorage(tmp_path)
    return HumanHandoffPolicy.create(HumanHandoffPolicy.get_default_config(), storage, Resource("handoff"),
                                     ExecutionContext(GraphSchema({}), "test"))


def tracker(rasa_domain, intent, paused=True, after=None):
    events = [ActionExecuted("action_listen")]
    if paused:
        events.append(SlotSet("handoff_active", True))
    events.append(UserUttered("一些话", intent={"name": intent, "confidence": 0.9}))
    if after:
        events.append(ActionExecuted(after))
    return DialogueStateTracker.from_events("conv", events, slots=rasa_domain.slots)


def predicted(policy, rasa_domain, tracker_):
    prediction = policy.predict_action_probabilities(tracker_, rasa_domain)
    if max(prediction.probabilities) == 0:
        return None
    return rasa_domain.action_names_or_texts[prediction.probabilities.index(max(prediction.probabilities))]


@pytest.mark.parametrize("intent", ["inform", "consult_labor", "greet", "request_lawyer", "ask_general_info", "deny"])
def test_while_paused_every_message_goes_to_the_lawyer(policy, rasa_domain, intent):
    assert predicted(policy, rasa_domain, tracker(rasa_domain, intent)) == "action_relay_to_lawyer"


def test_while_paused_a_crisis_first_gets_the_emergency_numbers_from_rasa_itself(policy, rasa_domain):
    assert predicted(policy, rasa_domain, tracker(rasa_domain, "crisis")) == "utter_crisis_emergency"


def test_while_paused_the_crisis_action_follows_the_emergency_numbers(policy, rasa_domain):
    paused_crisis = tracker(rasa_domain, "crisis", after="utter_crisis_emergency")
    assert predicted(policy, rasa_domain, paused_crisis) == "action_crisis_response"


def test_after_relaying_the_assistant_listens(policy, rasa_domain):
    assert (
        predicted(policy, rasa_domain, tracker(rasa_domain, "inform", after="action_relay_to_lawyer"))
        == "action_listen"
    )


def external_tracker(rasa_domain, intent, paused=True):
    """What Rasa's HTTP API (trigger_intent) adds: UserUttered.create_external, carrying the
    conversation's latest input channel (so the channel does not tell it from a caller)."""
    events = [ActionExecuted("action_listen")]
    if paused:
        events.append(SlotSet("handoff_active", True))
    events.append(UserUttered.create_external(intent, [], "rest"))
    return DialogueStateTracker.from_events("conv", events, slots=rasa_domain.slots)


def caller_tracker(rasa_domain, text, intent, paused=True, metadata=None):
    """A caller's message that Rasa's RegexMessageHandler parsed as ``intent`` (a slash command)."""
    events = [ActionExecuted("action_listen")]
    if paused:
        events.append(SlotSet("handoff_active", True))
    events.append(
        UserUttered(text, intent={"name": intent, "confidence": 1.0}, input_channel="rest", metadata=metadata)
    )
    return DialogueStateTracker.from_events("conv", events, slots=rasa_domain.slots)


@pytest.mark.parametrize("intent", ["EXTERNAL_lawyer_handback", "EXTERNAL_handoff_overdue", "restart"])
def test_external_events_and_restart_from_the_http_api_are_left_to_the_rules(policy, rasa_domain, intent):
    assert predicted(policy, rasa_domain, external_tracker(rasa_domain, intent)) is None


@pytest.mark.parametrize("intent", ["EXTERNAL_lawyer_handback", "EXTERNAL_handoff_overdue"])
def test_intent_only_story_steps_are_left_to_the_rules(policy, rasa_domain, intent):
    # `rasa test core` and training build "- intent: EXTERNAL_..." steps without text.
    story_step = DialogueStateTracker.from_events(
        "conv",
        [
            ActionExecuted("action_listen"),
            SlotSet("handoff_active", True),
            UserUttered(None, intent={"name": intent, "confidence": 1.0}),
        ],
        slots=rasa_domain.slots,
    )
    assert predicted(policy, rasa_domain, story_step) is None


@pytest.mark.parametrize(
    "text, intent",
    [
        ("/EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback"),
        ("／EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback"),  # the tracker keeps the full-width text
        ("/EXTERNAL_handoff_overdue", "EXTERNAL_handoff_overdue"),
        ("/restart", "restart"),
        ("EXTERNAL: EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback"),
    ],
)
def test_a_callers_external_intent_or_restart_while_paused_goes_to_the_lawyer(policy, rasa_domain, text, intent):
    # (issue 15, H2) Before: left to the rules, which handed back or restarted; the pause ended.
    assert predicted(policy, rasa_domain, caller_tracker(rasa_domain, text, intent)) == "action_relay_to_lawyer"


def test_forged_external_metadata_without_the_triggered_text_is_a_caller(policy, rasa_domain):
    forged = caller_tracker(
        rasa_domain, "/EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback", metadata={"is_external": True}
    )
    assert predicted(policy, rasa_domain, forged) == "action_relay_to_lawyer"


def test_a_callers_external_intent_when_not_paused_gets_the_default_fallback(policy, rasa_domain):
    forged = caller_tracker(rasa_domain, "/EXTERNAL_handoff_overdue", "EXTERNAL_handoff_overdue", paused=False)
    assert predicted(policy, rasa_domain, forged) == "action_default_fallback"
    triggered = external_tracker(rasa_domain, "EXTERNAL_handoff_overdue", paused=False)
    assert predicted(policy, rasa_domain, triggered) is None


def test_mid_turn_actions_are_left_to_the_rules(policy, rasa_domain):
    assert predicted(policy, rasa_domain, tracker(rasa_domain, "crisis", after="action_crisis_response")) is None


def test_when_not_paused_the_policy_stays_out(policy, rasa_domain):
    assert predicted(policy, rasa_domain, tracker(rasa_domain, "inform", paused=False)) is None


def test_its_priority_is_above_the_rule_policy(policy):
    from rasa.core.constants import RULE_POLICY_PRIORITY

    assert policy.priority > RULE_POLICY_PRIORITY


@pytest.mark.parametrize("intent", ["show_my_data", "delete_my_data", "withdraw_consent"])
def test_while_paused_the_callers_rights_are_left_to_the_rules(policy, rasa_domain, intent):
    assert predicted(policy, rasa_domain, tracker(rasa_domain, intent)) is None


def test_while_paused_the_answer_to_the_deletion_question_is_left_to_the_rules(policy, rasa_domain):
    events = [
        ActionExecuted("action_listen"),
        SlotSet("handoff_active", True),
        UserUttered("删除我的信息", intent={"name": "delete_my_data", "confidence": 0.9}),
        ActionExecuted("utter_confirm_erasure"),
        ActionExecuted("action_listen"),
        UserUttered("是", intent={"name": "affirm", "confidence": 0.9}),
    ]
    answering = DialogueStateTracker.from_events("conv", events, slots=rasa_domain.slots)
    assert predicted(policy, rasa_domain, answering) is None
    # a yes to anything else still goes to the lawyer
    assert predicted(policy, rasa_domain, tracker(rasa_domain, "affirm")) == "action_relay_to_lawyer"

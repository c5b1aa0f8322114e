"""Policy: while a person handles the conversation, the assistant stays out of it.

After a handoff (slot ``handoff_active``), every message the caller writes goes
to ``action_relay_to_lawyer`` (added to the ticket, short acknowledgment) instead
of being answered by the assistant, except that a crisis still gets
``utter_crisis_emergency`` (sent by Rasa itself, so it works with the action
server down) and then ``action_crisis_response``. External events sent by the console or the
scheduler (intents starting with ``EXTERNAL_``: hand-back, overdue update) and
a restart are left to the rules, but only when they came from Rasa's HTTP API
(``intake_dialogue.external``): a caller's "/EXTERNAL_lawyer_handback" or "/restart"
while paused goes to the lawyer like any message, and the pause stays. An
``EXTERNAL_*`` intent from a caller when not paused gets the default fallback,
which also takes the message back out of the dialogue state. (The caller gate in
channels/ already makes a caller's slash plain text; this is the second line.)
The caller's rights (issue 16) are left to the rules too: "我的信息", "删除我的信息", the
yes or no to the deletion's question and "我撤回同意", which the caller may use at any time,
a lawyer on the line or not (PIPL arts 15, 45, 47). Its priority is above RulePolicy's, so
no rule or story can make the assistant talk over the lawyer.

Rasa's own ``ConversationPaused`` would silence the caller's messages entirely
(no acknowledgment, no crisis answer), which the firm does not want.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import (
    ACTION_DEFAULT_FALLBACK_NAME,
    ACTION_LISTEN_NAME,
    USER_INTENT_RESTART,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from intake_dialogue.external import from_http_api

HANDOFF_SLOT = "handoff_active"
RELAY_ACTION = "action_relay_to_lawyer"
CRISIS_ACTION = "action_crisis_response"
EMERGENCY_RESPONSE = "utter_crisis_emergency"
CRISIS_INTENT = "crisis"
EXTERNAL_PREFIX = "EXTERNAL_"
RIGHTS_INTENTS = ("show_my_data", "delete_my_data", "withdraw_consent")
CONFIRM_ERASURE = "utter_confirm_erasure"


def _answers(tracker: DialogueStateTracker, question: str) -> bool:
    """Whether the latest message answers ``question``: the assistant's last action before
    it listened (the events before the latest user message)."""
    done = [event.action_name for event in reversed(tracker.events) if isinstance(event, ActionExecuted)]
    before_listening = [name for name in done if name != ACTION_LISTEN_NAME]
    return bool(before_listening) and before_listening[0] == question


def _intent(tracker: DialogueStateTracker) -> Optional[str]:
    return (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None


def _from_http_api(tracker: DialogueStateTracker) -> bool:
    """Triggered through the HTTP API, or an intent-only step of a story or rule (no text:
    `rasa test` and training build those). A caller's message always has text: every caller
    channel answers a blank or non-text message itself (channels/caller_gate.py)."""
    message = tracker.latest_message
    if message is None:
        return False
    return message.text is None or from_http_api(message.text, _intent(tracker), message.metadata)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HumanHandoffPolicy(Policy):
    """Routes a paused conversation's messages to the lawyer (see module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (4): a paused conversation is never answered by a rule.
        return {"priority": 10}

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the behaviour is fixed

    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> Optional[str]:
        """The action this policy insists on, or None to leave it to the others."""
        if not tracker.get_slot(HANDOFF_SLOT):
            return HumanHandoffPolicy._forged_external(tracker)
        latest = tracker.latest_action_name
        if latest == RELAY_ACTION:
            return ACTION_LISTEN_NAME
        if latest == EMERGENCY_RESPONSE:
            return CRISIS_ACTION  # the numbers went out; now the tailored text and the ticket
        if latest != ACTION_LISTEN_NAME:
            return None  # mid-turn (e.g. the crisis response's own follow-up): the rules go on
        intent = _intent(tracker)
        if intent is None:
            return None
        if intent == USER_INTENT_RESTART or intent.startswith(EXTERNAL_PREFIX):
            return None if _from_http_api(tracker) else RELAY_ACTION
        if intent in RIGHTS_INTENTS or _answers(tracker, CONFIRM_ERASURE):
            return None
        return EMERGENCY_RESPONSE if intent == CRISIS_INTENT else RELAY_ACTION

    @staticmethod
    def _forged_external(tracker: DialogueStateTracker) -> Optional[str]:
        """Not paused: an ``EXTERNAL_*`` intent a caller produced gets the default fallback."""
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        intent = _intent(tracker)
        if intent and intent.startswith(EXTERNAL_PREFIX) and not _from_http_api(tracker):
            return ACTION_DEFAULT_FALLBACK_NAME
        return None

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

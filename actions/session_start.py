"""A new Rasa session (the caller comes back after session_config's expiration time): the
slots are carried over as before, and a caller who was given the privacy notice is reminded
that they are talking to an AI assistant, not a lawyer (issue 16, H8)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import SEEN_AT_SLOT, VERSION_SLOT, notice_due, notice_text, resume_reminder, seen_now


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        # What Rasa's own action does with carry_over_slots_to_new_session: true.
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += [SlotSet(name, value) for name, value in tracker.current_slot_values().items()
                       if value is not None]
        # A first session has seen nothing: the notice comes with the first answer (action_triage).
        # A returning caller gets the reminder, or the whole notice if it has changed since.
        if tracker.get_slot(SEEN_AT_SLOT) is not None:
            changed = notice_due(tracker.get_slot(VERSION_SLOT))
            dispatcher.utter_message(text=notice_text() if changed else resume_reminder())
            events += seen_now()
        events.append(ActionExecuted("action_listen"))
        return events

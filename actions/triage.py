"""First answer to a caller who has said what the case is about."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionTriage(Action):
    """Names the matter, says what happens next, and once per conversation says
    that this is initial consultation, not representation.

    ``case_type`` is already set by its slot mapping from the intent.
    """

    def name(self) -> Text:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        case_type = tracker.get_slot("case_type")
        if case_type is None:
            dispatcher.utter_message(response="utter_ask_what_happened")
            return []
        dispatcher.utter_message(response=f"utter_triage_{case_type}")
        if tracker.get_slot("disclaimer_shown"):
            return []
        dispatcher.utter_message(response="utter_consultation_disclaimer")
        return [SlotSet("disclaimer_shown", True)]

"""Immediate answer to a caller in danger, and an urgent handoff."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_user_text
from actions.tickets import URGENT, raise_ticket, request_from
from intake_nlu.safety_lexicon import load_lexicon


class ActionCrisisResponse(Action):
    """Emergency numbers fitting the danger first, then an urgent ticket."""

    def name(self) -> Text:
        return "action_crisis_response"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = latest_user_text(tracker)
        # The safety answer goes out before anything that could fail or take time.
        dispatcher.utter_message(response=f"utter_crisis_{load_lexicon().crisis_kind(text)}")

        ticket_no = await raise_ticket(request_from(tracker, "crisis", URGENT, text))
        if ticket_no is None:
            dispatcher.utter_message(response="utter_crisis_not_recorded")
            return []
        dispatcher.utter_message(response="utter_crisis_followup", handoff_ticket=ticket_no)
        return [SlotSet("handoff_ticket", ticket_no)]

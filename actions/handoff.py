"""Handing a conversation to a human lawyer."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_user_text
from actions.tickets import NORMAL, raise_ticket, request_from
from intake_nlu.safety_lexicon import REQUEST_LAWYER, load_lexicon

COMPLAINT_INTENT = "complaint"


def handoff_reason(intent: Optional[str], text: str) -> str:
    """Why the caller needs a person: the lexicon's category where it knows one."""
    if intent == COMPLAINT_INTENT:
        return "complaint"
    if text.startswith("/"):
        # A button ("请律师联系我") rather than typed words.
        return "human"
    match = load_lexicon().classify(text)
    if match is not None and match.intent == REQUEST_LAWYER:
        return match.category
    return "boundary"


class ActionHandoffToLawyer(Action):
    """Records a handoff ticket and tells the caller why, and what happens next."""

    def name(self) -> Text:
        return "action_handoff_to_lawyer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        text = latest_user_text(tracker)
        reason = handoff_reason((message.get("intent") or {}).get("name"), text)

        ticket_no = await raise_ticket(request_from(tracker, reason, NORMAL, text))

        dispatcher.utter_message(response=f"utter_handoff_reason_{reason}")
        if ticket_no is None:
            dispatcher.utter_message(response="utter_handoff_not_recorded")
            return []
        dispatcher.utter_message(response="utter_handoff_next_steps", handoff_ticket=ticket_no)
        return [SlotSet("handoff_ticket", ticket_no)]

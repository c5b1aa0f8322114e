"""Immediate answer to a caller in danger, and an urgent handoff."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_user_text
from actions.handoff import pause_events, raise_handoff
from intake_core.desk.tickets import URGENT, escalate_open_ticket, run_quietly
from intake_core.safety_lexicon import load_lexicon


def crisis_ticket(tracker: Tracker, text: str):
    """The open ticket goes to the top of the queue if a person already has the
    conversation; otherwise a new urgent ticket (blocking: run in a thread)."""
    return escalate_open_ticket(tracker.sender_id, text) or raise_handoff(tracker, "crisis", URGENT, text)


class ActionCrisisResponse(Action):
    """The text fitting the danger, then an urgent ticket; works while a person
    handles the conversation too (HumanHandoffPolicy lets it through). The emergency
    numbers are not ours to send: every crisis rule runs the domain response
    utter_crisis_emergency first, so they reach the caller with this server down."""

    def name(self) -> str:
        return "action_crisis_response"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = latest_user_text(tracker)
        # The tailored answer goes out before anything that could fail or take time.
        dispatcher.utter_message(response=f"utter_crisis_{load_lexicon().crisis_kind(text)}")

        ticket = await run_quietly(crisis_ticket, tracker, text, what="record a crisis ticket")
        if ticket is None:
            dispatcher.utter_message(response="utter_crisis_not_recorded")
            return []
        dispatcher.utter_message(response="utter_crisis_followup", handoff_ticket=ticket.ticket_no)
        return pause_events(tracker, ticket.ticket_no)

"""Handing a conversation to a human lawyer, and what happens until it comes back.

action_handoff_to_lawyer raises the ticket (case file, urgency, conflict check,
staff notification) and pauses the assistant: intake_dialogue.HumanHandoffPolicy
then sends every message to action_relay_to_lawyer. The lawyer console hands
back with the EXTERNAL_lawyer_handback intent; its scheduler sends
EXTERNAL_handoff_overdue when the promised time passed without a lawyer.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case_file import build_request
from actions.conversation import latest_user_text
from intake_core.desk.office_hours import contact_time_text, office_hours_text
from intake_core.desk.settings import handoff_settings
from intake_core.desk.tickets import (
    NORMAL,
    URGENT,
    RaisedTicket,
    add_to_open_ticket,
    create_ticket,
    open_ticket,
    run_quietly,
)
from intake_core.persistence.database import session_scope
from intake_core.practice_areas import GENERAL_CHECKLIST_RESPONSE, area_for
from intake_core.questionnaires.definitions import questionnaire_for
from intake_core.safety_lexicon import REQUEST_LAWYER, load_lexicon

COMPLAINT_INTENT = "complaint"
HANDOFF_SLOT = "handoff_active"


def handoff_reason(intent: str | None, text: str) -> str:
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


def raise_handoff(tracker: Tracker, reason: str, urgency: str, text: str) -> RaisedTicket:
    """Build the case file and store the ticket (blocking: run in a thread)."""
    return create_ticket(build_request(tracker, reason, urgency, text))


def pause_events(tracker: Tracker, ticket_no: str) -> list[EventType]:
    """The assistant steps back; an unfinished questionnaire is kept to resume later."""
    events: list[EventType] = [SlotSet("handoff_ticket", ticket_no), SlotSet(HANDOFF_SLOT, True)]
    if tracker.active_loop.get("name"):
        events += [SlotSet("intake_paused", True), SlotSet("requested_slot", None)]
    return events


def utter_contact(dispatcher: CollectingDispatcher, ticket: RaisedTicket, case_type: str | None,
                  practice_area: str | None = None) -> None:
    """Ticket number, when to expect contact, what to prepare, what happens meanwhile."""
    now = datetime.now(timezone.utc)
    contact_time = contact_time_text(handoff_settings(), ticket.respond_by, now)
    dispatcher.utter_message(response="utter_handoff_next_steps", handoff_ticket=ticket.ticket_no)
    if ticket.urgency == URGENT:
        dispatcher.utter_message(response="utter_handoff_contact_urgent", contact_time=contact_time)
    elif ticket.office_open_now:
        dispatcher.utter_message(response="utter_handoff_contact_open", contact_time=contact_time,
                                 office_hours=office_hours_text(handoff_settings()))
    else:
        dispatcher.utter_message(response="utter_handoff_contact_after_hours", contact_time=contact_time)
    area = area_for(case_type, practice_area)
    dispatcher.utter_message(response=area.checklist_response if area else GENERAL_CHECKLIST_RESPONSE)
    dispatcher.utter_message(response="utter_handoff_while_waiting")


class ActionHandoffToLawyer(Action):
    """Records a handoff ticket, tells the caller why and what happens next, and pauses."""

    def name(self) -> str:
        return "action_handoff_to_lawyer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        text = latest_user_text(tracker)
        reason = handoff_reason((message.get("intent") or {}).get("name"), text)

        ticket = await run_quietly(raise_handoff, tracker, reason, NORMAL, text,
                                   what=f"record a handoff ticket (reason={reason})")
        dispatcher.utter_message(response=f"utter_handoff_reason_{reason}")
        if ticket is None:
            # Not paused: with no ticket no lawyer would come, so the assistant stays.
            dispatcher.utter_message(response="utter_handoff_not_recorded")
            return []
        utter_contact(dispatcher, ticket, tracker.get_slot("case_type"), tracker.get_slot("practice_area"))
        return pause_events(tracker, ticket.ticket_no)


class ActionRelayToLawyer(Action):
    """While a person handles the conversation: the message goes on the ticket, the
    caller gets a short acknowledgment and no bot answer."""

    def name(self) -> str:
        return "action_relay_to_lawyer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent == "share_attachment":
            kind, text = "attachment", attachment_note(tracker)
        else:
            kind, text = "text", latest_user_text(tracker)
        ticket_no = await run_quietly(add_to_open_ticket, tracker.sender_id, "caller", text, kind,
                                      what="add the caller's message to the ticket")
        ticket_no = ticket_no or tracker.get_slot("handoff_ticket")
        # The message is in the conversation's tracker either way: nothing is lost.
        response = "utter_attachment_noted" if kind == "attachment" else "utter_relayed_to_lawyer"
        dispatcher.utter_message(response=response, handoff_ticket=ticket_no)
        return []


def attachment_note(tracker: Tracker) -> str:
    """What a channel said about a photo or file (kind, media id, link) as JSON."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    attachment = metadata.get("attachment") or {}
    return json.dumps({key: attachment.get(key) for key in ("kind", "media_id", "url") if attachment.get(key)},
                      ensure_ascii=False)


class ActionNoteAttachment(Action):
    """A photo or file when no lawyer has the conversation yet: acknowledged, and
    the caller is asked to say in words what it shows (the assistant cannot read it)."""

    def name(self) -> str:
        return "action_note_attachment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        ticket_no = await run_quietly(add_to_open_ticket, tracker.sender_id, "caller", attachment_note(tracker),
                                      "attachment", what="note an attachment on the ticket")
        if ticket_no:
            dispatcher.utter_message(response="utter_attachment_noted", handoff_ticket=ticket_no)
        else:
            dispatcher.utter_message(response="utter_attachment_received")
        return []


class ActionHandbackToAssistant(Action):
    """The lawyer hands the conversation back (console): the assistant resumes and
    offers to continue an unfinished questionnaire."""

    def name(self) -> str:
        return "action_handback_to_assistant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handback")
        questionnaire = questionnaire_for(tracker.get_slot("case_type"), tracker.get_slot("practice_area"))
        if tracker.get_slot("intake_paused") and questionnaire:
            dispatcher.utter_message(response="utter_handback_offer_resume")
        return [SlotSet(HANDOFF_SLOT, False)]


def _promised_time(conversation_id: str) -> datetime | None:
    with session_scope() as session:
        ticket = open_ticket(session, conversation_id)
        if ticket is None or ticket.claimed_by is not None or ticket.respond_by is None:
            return None
        respond_by = ticket.respond_by
        return respond_by if respond_by.tzinfo else respond_by.replace(tzinfo=timezone.utc)


class ActionHandoffDelayUpdate(Action):
    """Sent by the console's scheduler when the promised time passed unclaimed: the
    caller is told, with the new time, instead of being left wondering."""

    def name(self) -> str:
        return "action_handoff_delay_update"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        respond_by = await run_quietly(_promised_time, tracker.sender_id, what="read the ticket's promised time")
        if respond_by is None:
            return []  # claimed or closed meanwhile: nothing to apologise for
        contact_time = contact_time_text(handoff_settings(), respond_by, datetime.now(timezone.utc))
        dispatcher.utter_message(
            response="utter_handoff_delay_update",
            contact_time=contact_time,
            handoff_ticket=tracker.get_slot("handoff_ticket"),
        )
        return []

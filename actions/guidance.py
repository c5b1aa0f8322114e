"""Giving the guidance after an intake, showing a view again, sending the record."""
from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaires.forms import open_questions, summary_lines
from actions.questionnaires.validation import message_date
from intake_core import config
from intake_core.guidance.advice import VIEWS, build_advice, record_content
from intake_core.guidance.content import load_formats, load_guidance
from intake_core.guidance.parameters import load_parameters, log_figures_to_fill, log_stale_figures
from intake_core.guidance.records import latest_record, save_record
from intake_core.namespaces import conversation_channel
from intake_core.practice_areas import area_for
from intake_core.questionnaires.definitions import questionnaire_for

logger = logging.getLogger(__name__)

# The action server imports this module once at start-up: parameters.yml is validated then (a
# malformed figure stops the server, its key named), and a dated figure past its review period
# (an LPR a lawyer has not checked for too long) is logged for staff.
log_stale_figures(load_parameters(), date.today())
log_figures_to_fill()

VIEW_BY_INTENT = {"ask_plain_summary": "plain", "ask_legal_basis": "basis", "ask_next_steps": "steps"}


def record_url(token: str) -> str:
    """Where the caller downloads the record; PUBLIC_BASE_URL is the Rasa server as callers reach it."""
    return f"{config.public_base_url()}/webhooks/records/{token}"


def own_record(tracker: Tracker) -> dict[str, Any] | None:
    """The conversation's latest record, when this message came through the channel the
    record was made on; None otherwise (as if there were none: nothing says one exists).

    The conversation id alone is no proof of who asks (issue 15, H1): a REST client
    may send under any id and claim any channel. A record made on WeChat is given
    again only on WeChat, in its own conversation. A record made before the channel
    was kept (``channel`` None) is not given again: its caller has the link."""
    record = latest_record(tracker.sender_id)
    if record is None or record.get("channel") is None:
        return None
    latest = tracker.get_latest_input_channel()
    if record["channel"] != conversation_channel(tracker.sender_id, latest) or record["channel"] != latest:
        return None
    return record


def utter_sections(dispatcher: CollectingDispatcher, sections: list[dict[str, Any]]) -> None:
    for section in sections:
        body = "\n".join(f"· {line}" for line in section["lines"])
        dispatcher.utter_message(response="utter_guidance_section", title=section["title"], body=body)


class ActionGiveGuidance(Action):
    """The three views, in order, and the written record stored for the caller."""

    def name(self) -> str:
        return "action_give_guidance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        case_type = tracker.get_slot("case_type")
        questionnaire = questionnaire_for(case_type, tracker.get_slot("practice_area"))
        if questionnaire is None:
            return []
        area = area_for(case_type, tracker.get_slot("practice_area"))
        advice = build_advice(area.key, tracker.slots, message_date(tracker))
        content = record_content(
            advice,
            [line.lstrip("· ") for line in summary_lines(questionnaire.form, tracker.slots)],
            open_questions(questionnaire.form, tracker.slots),
        )

        dispatcher.utter_message(response="utter_guidance_intro")
        if advice.urgent:
            dispatcher.utter_message(response="utter_guidance_urgent")
        for view in ("plain", "basis", "steps"):
            utter_sections(dispatcher, [s for s in content["sections"] if s["key"] in VIEWS[view]])
        try:
            token = await asyncio.to_thread(
                save_record, tracker.sender_id, case_type, advice.urgent, content,
                conversation_channel(tracker.sender_id, tracker.get_latest_input_channel()),
            )
        except Exception as error:
            logger.error("Could not store the consultation record: %s.", type(error).__name__)
            dispatcher.utter_message(response="utter_guidance_more")
            return []
        dispatcher.utter_message(response="utter_record_ready", url=record_url(token))
        dispatcher.utter_message(response="utter_guidance_more")
        return [SlotSet("consultation_record", token)]


class ActionShowGuidanceView(Action):
    """One view again (plain words, legal basis or steps), from the stored record.

    Before any guidance was given, "要准备什么材料" is a general question: it
    gets the general answer and an invitation to tell what happened.
    """

    def name(self) -> str:
        return "action_show_guidance_view"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        record = await asyncio.to_thread(own_record, tracker)
        if record is None:
            dispatcher.utter_message(response="utter_general_info")
            return []
        view = VIEW_BY_INTENT.get((tracker.latest_message.get("intent") or {}).get("name"), "plain")
        utter_sections(dispatcher, [s for s in record["content"]["sections"] if s["key"] in VIEWS[view]])
        return []


class ActionSendRecord(Action):
    """"把刚才的内容发给我": the link to the latest written record."""

    def name(self) -> str:
        return "action_send_record"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        record = await asyncio.to_thread(own_record, tracker)
        if record is None:
            dispatcher.utter_message(response="utter_no_record_yet")
            return []
        dispatcher.utter_message(response="utter_record_ready", url=record_url(record["token"]))
        return []


class ActionBriefGuidance(Action):
    """A caller who declines the questionnaire still leaves with the general
    picture for the case type: the plain-words points that need no answers."""

    def name(self) -> str:
        return "action_brief_guidance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_intake_declined")
        case_type, practice_area = tracker.get_slot("case_type"), tracker.get_slot("practice_area")
        if questionnaire_for(case_type, practice_area) is None:
            return []
        content = load_guidance(area_for(case_type, practice_area).key)
        general = content.select("plain_summary", {})  # entries without conditions
        if general:
            title = load_formats()["titles"]["plain"]
            utter_sections(dispatcher, [{"title": title, "lines": general}])
        return []

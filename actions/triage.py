"""First answer to a caller who has said what the case is about."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_user_text
from actions.privacy import VERSION_SLOT, notice_due, notice_text, privacy_content, seen_now
from intake_core.minors import says_under_14
from intake_core.practice_areas import area_for


class ActionTriage(Action):
    """Names the matter, says what happens next, and once per conversation (and again
    when the notice's version changes) gives the privacy notice of content/privacy.yml:
    an AI assistant, not a lawyer, initial consultation, not representation, what is kept,
    for whom, how long, how to see or delete it. It follows the first answer rather than
    holding it up (issue 16, H8).

    ``case_type`` is already set by its slot mapping from the intent.
    """

    def name(self) -> str:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        area = area_for(tracker.get_slot("case_type"), tracker.get_slot("practice_area"))
        if area is None:
            dispatcher.utter_message(response="utter_ask_what_happened")
            return []
        dispatcher.utter_message(response=area.triage_response)
        if says_under_14(latest_user_text(tracker)):
            dispatcher.utter_message(text=privacy_content()["under_14"])
        if notice_due(tracker.get_slot(VERSION_SLOT)):
            dispatcher.utter_message(text=notice_text())
            return [SlotSet("disclaimer_shown", True), *seen_now()]
        # A caller back after a long pause is reminded by the caller gate (channels/).
        return []

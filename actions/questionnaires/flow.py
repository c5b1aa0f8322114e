"""Around the questionnaires: submitting an intake, and a question asked mid-form."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_user_text
from intake_core.glossary import glossary
from intake_core.questionnaires.definitions import RETURNING_SLOT, questionnaire_for
from intake_core.questionnaires.records import record_status
from intake_core.text import normalize


def glossary_answer(question: str) -> str | None:
    text = normalize(question)
    for entry in glossary():
        if any(term in text for term in entry["terms"]):
            return entry["answer"]
    return None


def answer_side_question(dispatcher: CollectingDispatcher, question: str) -> None:
    """The glossary's short answer, or a note that the question is kept for the guidance."""
    answer = glossary_answer(question)
    if answer:
        dispatcher.utter_message(response="utter_glossary_answer", answer=answer)
    else:
        dispatcher.utter_message(response="utter_question_noted")


class ActionAnswerQuestion(Action):
    """A short answer to a question asked mid-questionnaire; the form then resumes."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answer_side_question(dispatcher, latest_user_text(tracker))
        return [SlotSet(RETURNING_SLOT, True)]  # the form, if one is active, asks again


class ActionSubmitIntake(Action):
    """Marks the completed questionnaire in the database and thanks the caller."""

    def name(self) -> str:
        return "action_submit_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        questionnaire = questionnaire_for(tracker.get_slot("case_type"), tracker.get_slot("practice_area"))
        if questionnaire is not None:
            await record_status(tracker.sender_id, questionnaire, "completed")
        dispatcher.utter_message(response="utter_intake_submitted")
        return [SlotSet("intake_attempts", {})]


class ActionPauseIntake(Action):
    """The caller confirmed stopping: answers stay, the questionnaire can resume."""

    def name(self) -> str:
        return "action_pause_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_intake_paused")
        return [SlotSet("intake_paused", True), SlotSet("requested_slot", None)]


class ActionResumeIntake(Action):
    """Starts the case type's questionnaire again; it asks only what is missing."""

    def name(self) -> str:
        return "action_resume_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        questionnaire = questionnaire_for(tracker.get_slot("case_type"), tracker.get_slot("practice_area"))
        if questionnaire is None:
            dispatcher.utter_message(response="utter_nothing_to_resume")
            return []
        return [SlotSet("intake_paused", False), FollowupAction(questionnaire.form)]

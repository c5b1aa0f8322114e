"""The three questionnaires' validators and summary questions (all the logic is
shared: validation.QuestionnaireValidation and AskForConfirmation)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaires.answers import display
from actions.questionnaires.definitions import UNKNOWN, load_questionnaires
from actions.questionnaires.validation import CHANGING, QuestionnaireValidation


class ValidateDivorceForm(QuestionnaireValidation):
    form = "divorce_form"


class ValidateLaborForm(QuestionnaireValidation):
    form = "labor_form"


class ValidateContractForm(QuestionnaireValidation):
    form = "contract_form"


def summary_lines(form: str, slots: Dict[str, Any]) -> List[str]:
    """"label：answer" for every answered question that applies."""
    questionnaire = load_questionnaires()[form]
    return [
        f"· {question.label}：{display(question, slots.get(question.slot))}"
        for question in questionnaire.applicable(slots)
        if slots.get(question.slot) is not None
    ]


def open_questions(form: str, slots: Dict[str, Any]) -> List[str]:
    """The labels of the questions that apply but the caller could not answer (不清楚, skipped):
    what a lawyer still has to ask."""
    questionnaire = load_questionnaires()[form]
    return [question.label for question in questionnaire.applicable(slots) if slots.get(question.slot) == UNKNOWN]


class AskForConfirmation(Action, ABC):
    """Asks the form's last question: the summary of the answers, to confirm or change."""

    @property
    @abstractmethod
    def form(self) -> str:
        """The form whose answers are summarised."""

    def name(self) -> Text:
        return f"action_ask_{load_questionnaires()[self.form].confirm_slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.get_slot(CHANGING):
            return []  # the caller was just asked which item to change
        summary = "\n".join(summary_lines(self.form, tracker.slots))
        dispatcher.utter_message(response="utter_intake_summary", summary=summary)
        return []


class AskDivorceConfirmation(AskForConfirmation):
    form = "divorce_form"


class AskLaborConfirmation(AskForConfirmation):
    form = "labor_form"


class AskContractConfirmation(AskForConfirmation):
    form = "contract_form"

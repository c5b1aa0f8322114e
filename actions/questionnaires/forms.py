"""Every questionnaire's validator and summary question (all the logic is shared:
validation.QuestionnaireValidation and AskForConfirmation). One pair per form of
content/questionnaires.yml, made at import (the end of this module), so a practice area's
new questionnaire needs no code here; rasa_sdk registers them as it finds Action subclasses."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaires.validation import CHANGING, QuestionnaireValidation
from intake_core.questionnaires.answers import display
from intake_core.questionnaires.definitions import UNKNOWN, load_questionnaires


def summary_lines(form: str, slots: dict[str, Any]) -> list[str]:
    """"label：answer" for every answered question that applies."""
    questionnaire = load_questionnaires()[form]
    return [
        f"· {question.label}：{display(question, slots.get(question.slot))}"
        for question in questionnaire.applicable(slots)
        if slots.get(question.slot) is not None
    ]


def open_questions(form: str, slots: dict[str, Any]) -> list[str]:
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

    def name(self) -> str:
        return f"action_ask_{load_questionnaires()[self.form].confirm_slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot(CHANGING):
            return []  # the caller was just asked which item to change
        summary = "\n".join(summary_lines(self.form, tracker.slots))
        dispatcher.utter_message(response="utter_intake_summary", summary=summary)
        return []


def _camel(form: str) -> str:
    """labor_form -> Labor, work_injury_form -> WorkInjury."""
    return "".join(part.title() for part in form.removesuffix("_form").split("_"))


# ValidateLaborForm / AskLaborConfirmation, ... one pair per questionnaire, by name in this module.
for _form in load_questionnaires():
    globals()[f"Validate{_camel(_form)}Form"] = type(
        f"Validate{_camel(_form)}Form", (QuestionnaireValidation,), {"form": _form, "__module__": __name__})
    globals()[f"Ask{_camel(_form)}Confirmation"] = type(
        f"Ask{_camel(_form)}Confirmation", (AskForConfirmation,), {"form": _form, "__module__": __name__})

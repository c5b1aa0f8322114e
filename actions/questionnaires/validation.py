"""The FormValidationAction shared by the three questionnaires.

Each answer arrives as the caller's raw text (``from_text`` mappings) and is
validated by the kind of its question (content/questionnaires.yml):

- understood: the normalised value is kept, with the caller's own words beside
  it (slot ``intake_raw_answers``) and in the database;
- 不清楚/跳过: an optional question is skipped; a required one says why it
  matters first, and may be skipped after that;
- not understood: an example of a good answer; after two failed tries, the
  offer to skip or to reach a lawyer, so the form never loops;
- a correction of an earlier answer ("不对，工资是八千") updates that answer;
- a crisis or handoff the model only guessed (unsure, no safety-lexicon match)
  is the answer when it reads as one; any other interruption steps aside.

When the form starts, facts the caller already gave are picked up from the
earlier messages (by each question's cues) and not asked again.
"""
from __future__ import annotations

import asyncio
import logging
import re
from abc import ABC, abstractmethod
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text, Tuple
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation import latest_user_text, user_texts
from actions.extraction import correction_target, is_correction, is_skip, parse_yes_no
from actions.questionnaires import answers
from actions.questionnaires.definitions import UNKNOWN, Question, Questionnaire, load_questionnaires
from actions.questionnaires.records import record_answers
from intake_nlu.safety_verdict import is_unbacked_safety_guess

logger = logging.getLogger(__name__)

FIRM_TIMEZONE = ZoneInfo("Asia/Shanghai")
MAX_FAILED_TRIES = 2
# Kinds whose answers one clause could give to two questions ("申请了离婚登记"
# is a date, but not the wedding's): such a clause is asked about, not guessed.
RIVAL_KINDS = ("amount", "date")
# Set while the caller is telling which summary item to change (no summary then).
CHANGING = "intake_changing"
_CLAUSE = re.compile(r"[，,。.;；！!？?\n]+")
_NEGATION_BEFORE = re.compile(r"(没有|没|无|不|未)$")


def message_date(tracker: Tracker) -> date:
    """The day the caller wrote the latest message: relative dates count from it."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user" and event.get("timestamp"):
            return datetime.fromtimestamp(event["timestamp"], FIRM_TIMEZONE).date()
    return datetime.now(FIRM_TIMEZONE).date()


def _clauses(text: str) -> List[str]:
    return [clause for clause in _CLAUSE.split(text) if clause.strip()]


def prefill_answer(
    question: Question, texts: List[str], today: date, rival_cues: Tuple[str, ...] = ()
) -> Optional[Tuple[Any, str]]:
    """An answer already given in earlier messages: (value, the clause it came from).

    A clause that also names another question of the same kind ("欠了我三个月工资两万四":
    wage or amount owed?) is left for the questions to ask.
    """
    for text in texts:
        for clause in _clauses(text):
            cue = next((cue for cue in question.cues if cue in clause), None)
            if cue is None or any(rival in clause for rival in rival_cues):
                continue
            if question.kind == "yes_no":
                value = answers.interpret(question, clause, today)
                if value is None:
                    # "孩子三岁" says yes; "没有孩子" says no.
                    before = clause[: clause.index(cue)]
                    value = not _NEGATION_BEFORE.search(before)
            else:
                value = answers.interpret(question, clause, today)
            if value is not None and value != []:
                return value, clause
    return None


# Messages that are not answers: the questionnaire slots' mappings skip them
# (`not_intent`, generated into domain/ from here), and the form must step aside for the rules that
# handle them (handoff, crisis, a question, stop, a photo).
INTERRUPTION_INTENTS = frozenset({
    "request_lawyer", "crisis", "complaint", "ask_general_info", "stop_intake", "ask_plain_summary",
    "ask_legal_basis", "ask_next_steps", "request_record", "share_attachment", "ask_article",
})


def reads_as_answer(questionnaire: Questionnaire, requested: str, text: str, today: date) -> bool:
    """Whether ``text`` answers the question asked (or the summary's yes/no)."""
    if requested == questionnaire.confirm_slot:
        return parse_yes_no(text) is not None
    question = questionnaire.question(requested)
    return question is not None and (is_skip(text) or answers.interpret(question, text, today) is not None)


def steps_aside(
    questionnaire: Questionnaire, requested: str, parse_data: Dict[str, Any], text: str, today: date
) -> bool:
    """Whether the form gives way to the rules for this message instead of taking it as an answer.

    An interruption does, except a crisis/handoff/complaint guess the safety
    lexicon does not back and the model is unsure of (intake_nlu/safety_verdict.py)
    when the message answers the question: "对方叫什么" answered with a name is
    the name, not a crisis. A real crisis that does not read as an answer still
    gets the crisis response.
    """
    intent = (parse_data.get("intent") or {}).get("name")
    if intent not in INTERRUPTION_INTENTS:
        return False
    return not (is_unbacked_safety_guess(parse_data) and reads_as_answer(questionnaire, requested, text, today))


class QuestionnaireValidation(FormValidationAction, ABC):
    """Validates every answer of one questionnaire; subclasses name the form."""

    @property
    @abstractmethod
    def form(self) -> str:
        """The form's name in the domain and in content/questionnaires.yml."""

    def name(self) -> Text:
        return f"validate_{self.form}"

    @property
    def questionnaire(self) -> Questionnaire:
        return load_questionnaires()[self.form]

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """Only the questions earlier answers make relevant, then the confirmation."""
        applicable = self.questionnaire.applicable(tracker.slots)
        return [q.slot for q in applicable] + [self.questionnaire.confirm_slot]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        questionnaire = self.questionnaire
        today = message_date(tracker)
        text = latest_user_text(tracker)
        requested = tracker.get_slot("requested_slot")
        parse_data = tracker.latest_message or {}
        if requested is not None and steps_aside(questionnaire, requested, parse_data, text, today):
            # No events: Rasa then rejects the form for this turn and the rules
            # for the interruption run (an empty result is how a form says so).
            return []
        # The answer to the requested question: what its from_text mapping took,
        # or the words themselves when an unsure safety guess answers it (the
        # mapping skips those intents).
        given = tracker.get_slot(requested) if requested is not None else None
        if requested is not None and given is None and is_unbacked_safety_guess(parse_data):
            # Only the intent and confidence are logged, never the caller's words.
            intent = parse_data["intent"]
            logger.info(
                "An unbacked '%s' prediction at %.2f is taken as the answer to '%s'.",
                intent.get("name"), float(intent.get("confidence") or 0.0), requested,
            )
            given = text
        raw_answers: Dict[str, str] = dict(tracker.get_slot("intake_raw_answers") or {})
        attempts: Dict[str, int] = dict(tracker.get_slot("intake_attempts") or {})
        updates: Dict[str, Any] = {}

        if requested is None:
            # The form has just started: take what the caller already told us.
            earlier = user_texts(tracker)
            for question in questionnaire.questions:
                if tracker.get_slot(question.slot) is not None:
                    continue
                rivals = tuple(
                    cue
                    for other in questionnaire.questions
                    if question.kind == other.kind and question.kind in RIVAL_KINDS and other.slot != question.slot
                    for cue in other.cues
                    if cue not in question.cues and not any(cue in own for own in question.cues)
                )
                found = prefill_answer(question, earlier, today, rivals)
                if found:
                    updates[question.slot], raw_answers[question.slot] = found
        elif requested == questionnaire.confirm_slot:
            updates.update(self._confirmation(dispatcher, tracker, text, today, raw_answers))
        elif given is not None:
            question = questionnaire.question(requested)
            corrected = self._correction(dispatcher, tracker, text, today, exclude=requested)
            if corrected:
                slot, value = corrected
                updates[slot], raw_answers[slot] = value, text
                updates[requested] = None  # the current question is asked again
            elif question is not None:
                value = self._answer(dispatcher, question, text, today, attempts)
                updates[requested] = value
                if value is not None:
                    raw_answers[requested] = text
                    attempts.pop(requested, None)

        answered = {
            slot: value for slot, value in updates.items()
            if value is not None and questionnaire.question(slot) is not None
        }
        if answered:
            await record_answers(
                tracker.sender_id, questionnaire, {s: (raw_answers.get(s, ""), v) for s, v in answered.items()}
            )
        tracker.slots.update(updates)
        return [SlotSet(slot, value) for slot, value in updates.items()] + [
            SlotSet("intake_raw_answers", raw_answers),
            SlotSet("intake_attempts", attempts),
        ]

    def _answer(
        self, dispatcher: CollectingDispatcher, question: Question, text: str, today: date, attempts: Dict[str, int]
    ) -> Optional[Any]:
        tries = attempts.get(question.slot, 0)
        if is_skip(text):
            # A required question says once why it matters; a second 跳过 is respected.
            if not question.required or tries >= 1:
                return UNKNOWN
            attempts[question.slot] = tries + 1
            dispatcher.utter_message(response="utter_explain_required", why=question.why)
            return None
        value = answers.interpret(question, text, today)
        if value is not None and not (question.required and value == []):
            return value
        attempts[question.slot] = tries + 1
        if tries + 1 >= MAX_FAILED_TRIES:
            dispatcher.utter_message(response=f"utter_invalid_{question.kind}")
            dispatcher.utter_message(response="utter_offer_skip_or_lawyer")
        else:
            dispatcher.utter_message(response=f"utter_invalid_{question.kind}")
        return None

    def _correction(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        text: str,
        today: date,
        exclude: Optional[str] = None,
        marker_needed: bool = True,
    ) -> Optional[Tuple[str, Any]]:
        """("不对，工资是八千") -> (labor_monthly_wage, "8000"), for an answered question.

        Mid-form a correction must say so (不对/说错了/应该是...); in reply to the
        summary, naming the item is enough ("工资是八千").
        """
        if marker_needed and not is_correction(text):
            return None
        answered = {
            q.slot: (*q.cues, q.label)
            for q in self.questionnaire.questions
            if tracker.get_slot(q.slot) is not None and q.slot != exclude
        }
        slot = correction_target(text, answered)
        question = self.questionnaire.question(slot) if slot else None
        value = answers.interpret(question, text, today) if question else None
        if value is None:
            return None
        dispatcher.utter_message(
            response="utter_correction_noted", label=question.label, value=answers.display(question, value)
        )
        return slot, value

    def _confirmation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, today: date, raw_answers: Dict[str, str]
    ) -> Dict[str, Any]:
        """The caller's reply to the summary: confirm, correct an item, or ask to change."""
        confirm_slot = self.questionnaire.confirm_slot
        corrected = self._correction(dispatcher, tracker, text, today, marker_needed=False)
        if corrected:
            slot, value = corrected
            raw_answers[slot] = text
            return {slot: value, confirm_slot: None, CHANGING: False}
        if parse_yes_no(text) is True and not is_correction(text):
            return {confirm_slot: True, CHANGING: False}
        dispatcher.utter_message(response="utter_ask_what_to_change")
        return {confirm_slot: None, CHANGING: True}

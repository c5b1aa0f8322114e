"""The FormValidationAction shared by the three questionnaires.

Each answer arrives as the caller's raw text (``from_text`` mappings) and is
validated by the kind of its question (content/questionnaires.yml):

- understood: the normalised value is kept, with the caller's own words beside
  it (slot ``intake_raw_answers``) and in the database;
- 不清楚/跳过: an optional question is skipped; a required one says why it
  matters first, and may be skipped after that;
- "不适用", "没有这回事": recorded as not known (with the words), not asked again;
  "工资都结清了" to an amount: 0;
- not understood: an example of a good answer; after two failed tries, the
  likely answers as buttons and the offer to skip or to reach a lawyer, so the
  form never loops; a parser failure is a miss, never silence;
- a side question ("是不是要交钱？"): answered, then the same question again;
- a correction of an earlier answer ("不对，工资是八千") updates that answer,
  found by its keyword or else by the value's kind and the words around it
  ("不对，是2019年5月结的婚"); "没有孩子" to a question that only a yes made
  relevant takes the yes back;
- the summary: 确认/没问题/都对/没有要改的 confirm; "which item?" always has a
  way out (the summary again).
- a crisis or handoff the model only guessed (unsure, no safety-lexicon match)
  is the answer when it reads as one; any other interruption steps aside.

When the form starts, facts the caller already gave are picked up from the
earlier messages (by each question's cues) and not asked again; so are facts
for later questions in an answer ("2021年7月入职，当天签了合同").
"""
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from datetime import date, datetime
from typing import Any, NamedTuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation import latest_user_text, user_texts
from actions.privacy import consent_declined_text
from actions.questionnaires.flow import answer_side_question
from intake_core.desk.settings import firm_timezone
from intake_core.extraction import (
    correction_target,
    is_confirmation,
    is_correction,
    is_hedged_amount,
    is_not_applicable,
    is_question,
    is_skip,
    is_stop,
    parse_consent,
    parse_yes_no,
)
from intake_core.questionnaires import answers
from intake_core.questionnaires.definitions import (
    KINDS,
    RETURNING_SLOT,
    SENSITIVE_KINDS,
    UNKNOWN,
    Question,
    Questionnaire,
    conditions,
    consent_slot,
    load_questionnaires,
)
from intake_core.questionnaires.records import record_answers
from intake_core.safety_verdict import is_unbacked_safety_guess
from intake_core.text import normalize

logger = logging.getLogger(__name__)

MAX_FAILED_TRIES = 2
# Kinds whose answers one clause could give to two questions ("申请了离婚登记"
# is a date, but not the wedding's): such a clause is asked about, not guessed.
RIVAL_KINDS = ("amount", "date")
# Set while the caller is telling which summary item to change (no summary then).
CHANGING = "intake_changing"
_CLAUSE = re.compile(r"[，,。.;；！!？?\n]+")
# Cues that are units of money: they tell an amount, not which one.
_UNIT_CUES = frozenset({"万", "千", "块", "元", "钱", "块钱"})
# "当天就解除合同": a clause whose day is the one said in the clause before.
_SAME_DAY = re.compile(r"当天|当日|同一天|同天|那天")
# A clause that is only a time ("去年3月5号", "上个月10号下午", "就在前天晚上"): the day of
# the clause beside it ("去年3月5号，在车间手被机器压断了"). A clause with anything else in
# it ("2019年进厂") is about something else and lends its date to nothing.
_BARE_TIME = re.compile(
    r"^(?:就|是|在|于|大概|大约|差不多|应该是)*"
    r"[\d〇零一二三四五六七八九十两百千年月日号天周星期礼拜上下去今前昨这个初中底旬早晚午凌晨半夜点分时的候那]+"
    r"(?:左右|前后|吧|吗|啊)?$"
)
# Kinds a correction without its keyword can be recognised by (a date, an amount ...).
VALUE_KINDS = ("date", "amount", "ages", "hours", "rate")
# Characters of a label that say nothing about which answer is meant.
_NEUTRAL_TOPIC = set("的了是否有没不和个一时间情况多少")
# "算了" / "不改了" while asked which item to change: leave it.
_NEVER_MIND = re.compile(r"算了|不改了|不用了|没事了|就这样")
# "应该是2019年" answers a date question; only a marker that takes something back
# (不对/说错了 ...) is no answer to a yes/no question.
_CORRECTION_AS_ANSWER = re.compile(r"^(?:应该是|其实是)")
# Kinds any words answer (a name, a city) or whose 不/是 a take-back marker would fake:
# "刚才说错了，是七千五" is no city and no "no".
_TAKE_BACK_IS_NO_ANSWER = ("yes_no", "text")
# The slots of the separate-consent questions (see required_slots).
_CONSENT_SLOTS = frozenset(consent_slot(kind) for kind in SENSITIVE_KINDS)
# Recorded values that say the caller had nothing to give: 0 owed, 不清楚.
_NOTHING_RECORDED = ("0", UNKNOWN)


def message_date(tracker: Tracker) -> date:
    """The day the caller wrote the latest message, in the firm's time zone
    (content/office_hours.yml): relative dates count from it."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user" and event.get("timestamp"):
            return datetime.fromtimestamp(event["timestamp"], firm_timezone()).date()
    return datetime.now(firm_timezone()).date()


def _clauses(text: str) -> list[str]:
    return [clause for clause in _CLAUSE.split(text) if clause.strip()]


def prefill_answer(
    question: Question,
    texts: list[str],
    today: date,
    rival_cues: tuple[str, ...] = (),
    earlier: list[tuple[Question, Any]] | None = None,
) -> tuple[Any, str] | None:
    """An answer already given in earlier messages: (value, the clause it came from).

    A question that counts a duration from an earlier answer (``counts_from``) takes it from
    ``earlier`` (each question with its value so far): "去年三月借给同事两万，说好半年还" gives
    the repayment date half a year after the loan's, once that date is known.

    A clause that also names another question of the same kind is about the
    one named first: "欠了我三个月工资两万四" is the amount owed (欠 before
    工资), "月薪八千欠了两个月" the wage, "申请了离婚登记" not the wedding's
    登记; the other question is asked.
    """
    for text in texts:
        clauses = _clauses(text)
        for index, clause in enumerate(clauses):
            if question.kind == "amount" and is_hedged_amount(clause):
                continue  # "欠了三万多": the question gets the exact figure
            if not any(cue in clause for cue in question.cues) or _claimed_by_rival(clause, question.cues, rival_cues):
                continue
            value = understood(question, clause, today)  # "孩子三岁" says yes, "没有孩子" no
            if value is None and question.counts_from and earlier:
                value = answers.relative_to_earlier(question, clause, today, earlier)
            if value is None and question.kind == "date":
                dated = _day_beside(question, clauses, index, today)
                if dated is not None:
                    return dated
            if value is not None and value != []:
                return value, clause
    return None


def _day_beside(question: Question, clauses: list[str], index: int, today: date) -> tuple[Any, str] | None:
    """The day a dateless clause about the event gets from its neighbours, with the words
    of both: the clause before when this one says "当天"; else a clause right before or
    after that is only a time ("去年3月5号，手被机器压断了", "摔伤了，就在上个月10号")."""
    clause = clauses[index]
    earlier = clauses[index - 1] if index > 0 else ""
    later = clauses[index + 1] if index + 1 < len(clauses) else ""
    if earlier and _SAME_DAY.search(clause):
        # "2026年11月30日公司说我不能胜任，当天就解除合同": the day of the clause before.
        candidates = [earlier]
    else:
        candidates = [beside for beside in (earlier, later) if beside and _BARE_TIME.match(beside.strip())]
    for beside in candidates:
        value = understood(question, beside, today)
        if value is not None:
            return value, "，".join([beside, clause] if beside == earlier else [clause, beside])
    return None


def _claimed_by_rival(clause: str, cues: tuple[str, ...], rival_cues: tuple[str, ...]) -> bool:
    """Whether another question's cue comes first in ``clause``. A unit (万, 块) says
    a number is money, not which sum: it never claims a clause, and a question
    named only by one gives way to any other question the clause names
    ("交了5万定金" is the 定金, not the contract's amount)."""
    rivals = tuple(cue for cue in rival_cues if cue not in _UNIT_CUES)
    topics = tuple(cue for cue in cues if cue not in _UNIT_CUES)
    own = _first_position(clause, topics) if any(cue and cue in clause for cue in topics) else len(clause)
    return _first_position(clause, rivals) <= own


def _first_position(clause: str, cues: tuple[str, ...]) -> int:
    """Where the first of ``cues`` occurs in ``clause`` (past its end when none does)."""
    return min((clause.find(cue) for cue in cues if cue and cue in clause), default=len(clause) + 1)


# Messages that are not answers: the questionnaire slots' mappings skip them
# (`not_intent`, generated into domain/ from here), and the form must step aside for the rules that
# handle them (handoff, crisis, a question, stop, a photo).
INTERRUPTION_INTENTS = frozenset({
    "request_lawyer", "crisis", "complaint", "ask_general_info", "stop_intake", "ask_plain_summary",
    "ask_legal_basis", "ask_next_steps", "request_record", "share_attachment", "ask_article",
    # The caller's rights at any time (issue 16): never an answer to a question.
    "show_my_data", "delete_my_data", "withdraw_consent",
})


def reads_as_answer(questionnaire: Questionnaire, requested: str, text: str, today: date) -> bool:
    """Whether ``text`` answers the question asked (or the summary's yes/no)."""
    if requested == questionnaire.confirm_slot or requested in _CONSENT_SLOTS:
        return parse_yes_no(text) is not None
    question = questionnaire.question(requested)
    return question is not None and (is_skip(text) or understood(question, text, today) is not None)


# Intents for a question the caller asks mid-questionnaire. A message the NLU puts
# there may still be the answer: "对方主要责任" to "对方负什么责任？" is the answer
# it names, not a question about liability.
QUESTION_INTENTS = frozenset({
    "ask_general_info", "ask_plain_summary", "ask_legal_basis", "ask_next_steps", "ask_article",
})

# Question kinds whose answers have a form of their own (a choice's words, yes or no, a
# date, an amount ...), so a message that reads as one says it; free text reads as anything.
_CLOSED_KINDS = KINDS - {"text"}


def is_offered_button(question: Question | None, text: str) -> bool:
    """Whether ``text`` is one of the question's own quick replies, as offered."""
    said = normalize(text).strip()
    return question is not None and any(said == normalize(title).strip() for title, _ in question.buttons)


def answers_despite_intent(
    questionnaire: Questionnaire, requested: str, parse_data: dict[str, Any], text: str, today: date
) -> bool:
    """Whether a message the NLU calls an interruption is taken as the answer.

    - A crisis/handoff/complaint guess the safety lexicon does not back and the
      model is unsure of (intake_core/safety_verdict.py) that answers the question:
      "对方叫什么" answered with a name is the name, not a crisis.
    - A "question" the caller did not ask (no question form) that is the question's
      own button or reads as one of its closed answers: the caller who taps
      "对方主要责任" answered; telling them their question was noted is a dead end.
    A real crisis, or a real question, that does not read as an answer still steps aside.
    """
    intent = (parse_data.get("intent") or {}).get("name")
    if is_unbacked_safety_guess(parse_data):
        return reads_as_answer(questionnaire, requested, text, today)
    if intent in QUESTION_INTENTS and not is_question(text):
        question = questionnaire.question(requested)
        if is_offered_button(question, text):
            return True
        return (
            question is not None and question.kind in _CLOSED_KINDS
            and reads_as_answer(questionnaire, requested, text, today)
        )
    return False


def steps_aside(
    questionnaire: Questionnaire, requested: str, parse_data: dict[str, Any], text: str, today: date
) -> bool:
    """Whether the form gives way to the rules for this message instead of taking it as an answer:
    an interruption does, unless it is taken as the answer (``answers_despite_intent``)."""
    intent = (parse_data.get("intent") or {}).get("name")
    if intent not in INTERRUPTION_INTENTS:
        return False
    return not answers_despite_intent(questionnaire, requested, parse_data, text, today)


class QuestionnaireValidation(FormValidationAction, ABC):
    """Validates every answer of one questionnaire; subclasses name the form."""

    @property
    @abstractmethod
    def form(self) -> str:
        """The form's name in the domain and in content/questionnaires.yml."""

    def name(self) -> str:
        return f"validate_{self.form}"

    @property
    def questionnaire(self) -> Questionnaire:
        return load_questionnaires()[self.form]

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Only the questions earlier answers make relevant, then the confirmation. Before
        the first sensitive question of a kind, the caller's consent to it; after a no, no
        question of that kind (issue 16, H8)."""
        slots: list[str] = []
        for question in self.questionnaire.applicable(tracker.slots):
            if question.sensitive:
                consent = tracker.get_slot(consent_slot(question.sensitive))
                if consent is False:
                    continue
                if consent is None and consent_slot(question.sensitive) not in slots:
                    slots.append(consent_slot(question.sensitive))
            slots.append(question.slot)
        return slots + [self.questionnaire.confirm_slot]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
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
        if (
            requested is not None and given is None
            and (parse_data.get("intent") or {}).get("name") in INTERRUPTION_INTENTS
        ):
            # steps_aside said no: the interruption is taken as the answer.
            # Only the intent and confidence are logged, never the caller's words.
            intent = parse_data["intent"]
            logger.info(
                "A '%s' prediction at %.2f is taken as the answer to '%s'.",
                intent.get("name"), float(intent.get("confidence") or 0.0), requested,
            )
            given = text
        raw_answers: dict[str, str] = dict(tracker.get_slot("intake_raw_answers") or {})
        attempts: dict[str, int] = dict(tracker.get_slot("intake_attempts") or {})
        updates: dict[str, Any] = {}
        # Whether the same question is asked again after a side question or a correction.
        returning = False

        if requested is None:
            # The form has just started: take what the caller already told us.
            self._prefill(tracker, user_texts(tracker), today, updates, raw_answers)
        elif given is not None and is_question(text) and not is_correction(text):
            # A side question ("是不是要交钱？"): answered, then the same question
            # again; it is no answer and no failed try.
            answer_side_question(dispatcher, text)
            updates[requested] = None
            returning = True
        elif requested in _CONSENT_SLOTS:
            updates.update(self._consent(dispatcher, requested, text, raw_answers, attempts))
            if updates[requested]:
                # What the caller already said of that kind ("孩子三岁") is taken now, not asked.
                self._prefill(tracker, user_texts(tracker), today, updates, raw_answers)
        elif requested == questionnaire.confirm_slot:
            updates.update(self._confirmation(dispatcher, tracker, text, today, raw_answers, attempts))
        elif given is not None:
            question = questionnaire.question(requested)
            corrected = self._correction(dispatcher, tracker, text, today, exclude=requested)
            if corrected:
                slot, value = corrected
                updates[slot], raw_answers[slot] = value, text
                updates[requested] = None  # the current question is asked again
                returning = True
            elif question is not None:
                value = self._answer(dispatcher, tracker, question, text, today, attempts, exit_buttons(domain))
                if isinstance(value, Correction):
                    updates[value.slot], raw_answers[value.slot] = value.value, text
                    value = None
                    returning = True
                updates[requested] = value
                if value is not None:
                    raw_answers[requested] = text
                    attempts.pop(requested, None)
                    # Facts for later questions in the same message are kept, not asked again.
                    self._prefill(tracker, [text], today, updates, raw_answers)

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
            SlotSet(RETURNING_SLOT, returning),
        ]

    def _consent(
        self, dispatcher: CollectingDispatcher, requested: str, text: str,
        raw_answers: dict[str, str], attempts: dict[str, int],
    ) -> dict[str, Any]:
        """Yes or no to recording one kind of sensitive information. No (or two replies that
        say neither) is respected: that kind's answers are cleared and not asked, the rest of
        the questionnaire goes on. Only the yes or no is kept (in the tracker), not the words."""
        kind = requested[len("consent_"):]
        consent = parse_consent(text)
        if consent is None and not is_skip(text) and attempts.get(requested, 0) + 1 < MAX_FAILED_TRIES:
            attempts[requested] = attempts.get(requested, 0) + 1
            dispatcher.utter_message(response="utter_invalid_consent")
            return {requested: None}
        attempts.pop(requested, None)
        if consent:
            return {requested: True}
        dispatcher.utter_message(text=consent_declined_text(kind))
        cleared = [q.slot for q in self.questionnaire.questions if q.sensitive == kind]
        for slot in cleared:
            raw_answers.pop(slot, None)
        return {requested: False, **{slot: None for slot in cleared}}

    def _answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        question: Question,
        text: str,
        today: date,
        attempts: dict[str, int],
        exits: list[dict[str, str]] | None = None,
    ) -> Any | None:
        """The value of ``text`` for ``question``, a ``Correction`` of an earlier
        answer, or None after telling the caller what was not understood."""
        tries = attempts.get(question.slot, 0)
        if is_skip(text):
            # A required question says once why it matters; a second 跳过 is respected.
            if not question.required or tries >= 1:
                return UNKNOWN
            attempts[question.slot] = tries + 1
            # With the way out as buttons: a caller who cannot answer is never stuck.
            dispatcher.utter_message(response="utter_explain_required", why=question.why, buttons=exits or [])
            return None
        if question.kind in _TAKE_BACK_IS_NO_ANSWER and is_correction(text) and not _CORRECTION_AS_ANSWER.match(text):
            # "不对，..." that fixes no earlier answer we can tell: its 不 is no
            # answer to a yes/no question, its words no name or city.
            dispatcher.utter_message(response="utter_ask_what_to_change")
            return None
        retracted = self._retracted_condition(question, tracker, text)
        if retracted:
            # "没有房子" asked whether the home was bought before the marriage: no home at all.
            dispatcher.utter_message(
                response="utter_correction_noted", label=retracted.label, value=answers.display(retracted, False)
            )
            return Correction(retracted.slot, False)
        if question.kind in RIVAL_KINDS:
            topic, own = _without_other_topics(self.questionnaire, question, text, today)
            if topic and own is None:
                # "房租一个月两千五" to the wage: that figure is the rent's. Said so, asked again;
                # no failed try, the caller answered clearly, only about something else.
                dispatcher.utter_message(response="utter_answer_about_other_topic", topic=topic)
                return None
            if own is not None:
                return own
        # "入职当天就签了", "入职三个月后": told by an earlier answer's date (before the
        # date parser, which reads "三个月" as "three months ago").
        value = answers.relative_to_earlier(
            question, text, today, [(q, tracker.get_slot(q.slot)) for q in self.questionnaire.questions]
        )
        if value is None:
            value = understood(question, text, today)
        if value is not None and not (question.required and value == []):
            return value
        if is_not_applicable(text):
            # "不适用" / "没有这回事" is an answer: recorded with the words, never asked again.
            return UNKNOWN
        # Not an answer to this question: perhaps it takes back an earlier one
        # ("没有孩子" after a wrong yes), named by its cue.
        implicit = self._correction(dispatcher, tracker, text, today, exclude=question.slot, marker_needed=False,
                                    by_value=False)
        if implicit:
            return Correction(*implicit)
        attempts[question.slot] = tries + 1
        dispatcher.utter_message(response=f"utter_invalid_{question.kind}")
        if tries + 1 >= MAX_FAILED_TRIES:
            # The way out: the likely answers as buttons, then skip or a lawyer.
            buttons = choice_buttons(question)
            if question.kind == "yes_no":
                dispatcher.utter_message(response="utter_choose_yes_no")
            elif buttons:
                dispatcher.utter_message(response="utter_choose_one", buttons=buttons)
            dispatcher.utter_message(response="utter_offer_skip_or_lawyer")
        return None

    def _retracted_condition(self, question: Question, tracker: Tracker, text: str) -> Question | None:
        """The earlier yes this question depends on, when ``text`` takes it back in
        that question's words ("没有房子", "没有孩子") and says nothing in this one's."""
        if any(cue in text for cue in question.cues):
            return None
        for condition in conditions(question.when):
            parent = self.questionnaire.question(condition["slot"])
            if (
                parent is not None and parent.kind == "yes_no" and condition.get("is") is True
                and tracker.get_slot(parent.slot) is True and answers.echoed(parent, text) is False
            ):
                return parent
        return None

    def _correction(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        text: str,
        today: date,
        exclude: str | None = None,
        marker_needed: bool = True,
        by_value: bool = True,
    ) -> tuple[str, Any] | None:
        """("不对，工资是八千") -> (labor_monthly_wage, "8000"), for an answered question.

        Mid-form a correction must say so (不对/说错了/应该是...); in reply to the
        summary, naming the item is enough ("工资是八千"). Without the item's
        keyword ("不对，是2019年5月结的婚"), the value's kind and the words
        around it say which answer it fixes (``by_value``). A "correction" to
        the value already recorded is none.
        """
        if marker_needed and not is_correction(text):
            return None
        answered = [
            q for q in self.questionnaire.questions
            if tracker.get_slot(q.slot) is not None and q.slot != exclude
        ]
        slot = correction_target(text, {q.slot: (*q.cues, q.label) for q in answered})
        question = self.questionnaire.question(slot) if slot else None
        value = understood(question, text, today) if question else None
        if value is None and by_value:
            recorded = {q.slot: tracker.get_slot(q.slot) for q in answered}
            question, value = _target_by_value(answered, recorded, text, today)
        if value is None or value == tracker.get_slot(question.slot):
            return None
        dispatcher.utter_message(
            response="utter_correction_noted", label=question.label, value=answers.display(question, value)
        )
        return question.slot, value

    def _prefill(
        self, tracker: Tracker, texts: list[str], today: date, updates: dict[str, Any], raw_answers: dict[str, str]
    ) -> None:
        """Answers to questions not asked yet, from ``texts`` (by each question's cues)."""
        questionnaire = self.questionnaire
        for question in questionnaire.questions:
            if tracker.get_slot(question.slot) is not None or updates.get(question.slot) is not None:
                continue
            if question.sensitive and not (tracker.get_slot(consent_slot(question.sensitive))
                                           or updates.get(consent_slot(question.sensitive))):
                continue  # sensitive words said before consent are not taken as answers
            rivals = tuple(
                cue
                for other in questionnaire.questions
                if question.kind == other.kind and question.kind in RIVAL_KINDS and other.slot != question.slot
                for cue in other.cues
                if cue not in question.cues and not any(cue in own for own in question.cues)
            )
            earlier = (
                [(q, updates.get(q.slot, tracker.get_slot(q.slot))) for q in questionnaire.questions]
                if question.counts_from
                else None
            )
            found = prefill_answer(question, texts, today, rivals, earlier)
            if found:
                updates[question.slot], raw_answers[question.slot] = found

    def _confirmation(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        text: str,
        today: date,
        raw_answers: dict[str, str],
        attempts: dict[str, int],
    ) -> dict[str, Any]:
        """The caller's reply to the summary: confirm, correct an item, or ask to change.

        Every reply has a way on: 确认/没问题/都对/没有要改的 confirm (also when
        asked which item to change); 不清楚/算了 there, or two replies that name
        no item, show the summary again with its buttons.
        """
        confirm_slot = self.questionnaire.confirm_slot
        changing = bool(tracker.get_slot(CHANGING))
        corrected = self._correction(dispatcher, tracker, text, today, marker_needed=False)
        if corrected:
            slot, value = corrected
            raw_answers[slot] = text
            attempts.pop(confirm_slot, None)
            return {slot: value, confirm_slot: None, CHANGING: False}
        if is_confirmation(text):
            attempts.pop(confirm_slot, None)
            return {confirm_slot: True, CHANGING: False}
        tries = attempts.get(confirm_slot, 0) + 1
        if changing and (is_skip(text) or is_stop(text) or _NEVER_MIND.search(text) or tries >= MAX_FAILED_TRIES):
            # Leaving "which item?": the summary again, with 都对，提交 / 需要修改.
            attempts.pop(confirm_slot, None)
            return {confirm_slot: None, CHANGING: False}
        attempts[confirm_slot] = tries
        dispatcher.utter_message(response="utter_ask_what_to_change")
        return {confirm_slot: None, CHANGING: True}


class Correction(NamedTuple):
    """An earlier answer the caller took back while answering another question."""

    slot: str
    value: Any


def understood(question: Question, text: str, today: date) -> Any | None:
    """``answers.interpret``, but an answer that trips a parser is not understood:
    the caller is asked again instead of getting no reply (the error's type is
    logged, never the words)."""
    try:
        return answers.interpret(question, text, today)
    except Exception as error:  # noqa: BLE001 - any parser failure is a miss, never silence
        logger.warning("Answer to %s not read (%s).", question.slot, type(error).__name__)
        return None


def _without_other_topics(
    questionnaire: Questionnaire, question: Question, text: str, today: date
) -> tuple[str | None, Any | None]:
    """(the other subject named, the answer read from the clauses that name none).

    A clause naming another intake's subject (``other_topics``: 房租, 入职 ...)
    that is not this question's own word is left out: "工资八千，房租两千五"
    is 8000; "房租一个月两千五" is (房租, None). (None, None) when no clause
    names one: the answer is read as usual.
    """
    own_words = question.label + question.ask + "".join(question.cues)
    foreign = [word for word in questionnaire.other_topics if word not in own_words]
    topic = None
    kept = []
    for clause in _clauses(text):
        named = next((word for word in foreign if word in clause), None)
        if named:
            topic = topic or named
        else:
            kept.append(clause)
    if topic is None:
        return None, None
    value = understood(question, "，".join(kept), today) if kept else None
    return topic, value if value not in ([], UNKNOWN) else None


def _target_by_value(
    answered: list[Question], recorded: dict[str, Any], text: str, today: date
) -> tuple[Question | None, Any]:
    """The answered question a correction without its keyword fixes: one whose
    kind reads a value in ``text`` (a date, an amount), the one whose label and
    cues share most words with the text; only kinds that carry a value, a date
    before any other kind, and never an answer that was "none" or "don't know"
    (``recorded``: each answered slot's value)."""
    readings = []
    for question in answered:
        if question.kind not in VALUE_KINDS or question.slot not in recorded:
            continue
        if recorded[question.slot] in _NOTHING_RECORDED:
            continue  # "没有"/"不清楚" was said: a bare figure fixes a figure the caller gave
        value = understood(question, text, today)
        if value is None or value == UNKNOWN:
            continue
        readings.append((question, value))
    if any(question.kind == "date" for question, _ in readings):
        # "2012年6月" is a date: its digits are no ages or amount.
        readings = [(question, value) for question, value in readings if question.kind == "date"]
    scored = []
    for question, value in readings:
        topic = set(question.label + "".join(question.cues)) - _NEUTRAL_TOPIC
        scored.append((sum(char in topic for char in set(text)), question, value))
    if not scored:
        return None, None
    best = max(score for score, _, _ in scored)
    winners = [(question, value) for score, question, value in scored if score == best]
    # Two questions fit equally ("不对，是2019年" with two dates answered): not guessed.
    return winners[0] if len(winners) == 1 else (None, None)


def exit_buttons(domain: DomainDict) -> list[dict[str, str]]:
    """The skip / lawyer buttons of utter_offer_skip_or_lawyer (their words live in the domain)."""
    variants = (domain.get("responses") or {}).get("utter_offer_skip_or_lawyer") or [{}]
    return list(variants[0].get("buttons") or [])


def choice_buttons(question: Question) -> list[dict[str, str]]:
    """Each choice's first word (its summary name, written by a lawyer) as a button."""
    return [{"title": words[0], "payload": words[0]} for words in question.choices.values() if words]

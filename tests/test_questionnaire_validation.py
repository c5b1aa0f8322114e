"""The questionnaire validators, run as the action server runs them: a tracker
with the form active and the caller's raw answer in the requested slot."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.questionnaires.flow import ActionAnswerQuestion, ActionSubmitIntake, glossary_answer
from actions.questionnaires.forms import (
    AskLaborConfirmation,
    ValidateContractForm,
    ValidateDivorceForm,
    ValidateLaborForm,
    ValidateTrafficForm,
    ValidateWorkInjuryForm,
    summary_lines,
)
from actions.questionnaires.validation import prefill_answer, understood
from conftest import responses_of
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import Intake, IntakeAnswer
from intake_core.questionnaires.answers import display
from intake_core.questionnaires.definitions import condition_holds, load_questionnaires

# 2026-11-22 10:00 in Beijing: relative dates count from here.
MESSAGE_TIME = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()


def form_tracker(
    form: str,
    requested: str | None,
    text: str,
    slots: dict[str, Any] | None = None,
    history: list[str] | None = None,
    intent: str = "affirm",
    parse: dict[str, Any] | None = None,
) -> Tracker:
    """The tracker the validator sees: ``text`` is the latest message, and the
    requested slot already holds it (the domain's from_text mapping). ``parse``
    adds to or replaces the NLU's parse data (confidence, lexicon verdict)."""
    all_slots: dict[str, Any] = {"requested_slot": requested, "case_type": form.replace("_form", ""), **(slots or {})}
    if requested:
        all_slots[requested] = text
    events = [
        {"event": "user", "text": said, "timestamp": MESSAGE_TIME - 60, "parse_data": {}}
        for said in history or []
    ]
    events.append({"event": "user", "text": text, "timestamp": MESSAGE_TIME, "parse_data": {}})
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], **(parse or {})}
    return Tracker(
        sender_id="caller-1",
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


def validate(validator, tracker, domain, dispatcher) -> dict[str, Any]:
    events = asyncio.run(validator.run(dispatcher, tracker, domain))
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def stored_answers() -> dict[str, dict[str, Any]]:
    with session_scope() as session:
        rows = session.scalars(select(IntakeAnswer).order_by(IntakeAnswer.id))
        return {row.slot: {"raw": row.raw_text, "value": json.loads(row.value)} for row in rows}


def test_an_understood_answer_is_normalised_and_stored_with_the_callers_words(database_url, domain, dispatcher):
    tracker = form_tracker("labor_form", "labor_start_date", "大概是19年3月进的厂")
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_start_date"] == "2019-03"
    assert slots["intake_raw_answers"] == {"labor_start_date": "大概是19年3月进的厂"}
    assert stored_answers() == {"labor_start_date": {"raw": "大概是19年3月进的厂", "value": "2019-03"}}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "requested, answer, expected",
    [
        ("labor_monthly_wage", "一万二千块左右吧", "12000"),
        ("labor_monthly_wage", "3.5万", "35000"),
        ("labor_written_contract", "没签", False),
        ("labor_still_employed", "还在的", True),
        ("labor_issues", "一直拖欠工资，上个月又把我辞退了", ["unpaid_wages", "dismissal"]),
        ("labor_evidence", "有工资条和微信聊天记录，合同没签", ["payslips", "chat_records"]),
        ("labor_evidence", "都没有", []),
        ("labor_dismissal_date", "上个月15号", "2026-10-15"),
        ("labor_start_date", "干了四年多了", "2022-11"),
        ("labor_start_date", "半年", "2026-05"),
        ("labor_employer", "深圳某某电子有限公司", "深圳某某电子有限公司"),
    ],
)
def test_answers_of_every_kind(database_url, domain, dispatcher, requested, answer, expected):
    slots = validate(ValidateLaborForm(), form_tracker("labor_form", requested, answer), domain, dispatcher)
    assert slots[requested] == expected


def test_relative_dates_count_from_the_message_time(database_url, domain, dispatcher):
    tracker = form_tracker("divorce_form", "divorce_marriage_date", "前年五月领的证")
    assert validate(ValidateDivorceForm(), tracker, domain, dispatcher)["divorce_marriage_date"] == "2024-05"


def test_a_misunderstood_answer_gets_an_example_then_the_offer_to_skip(database_url, domain, dispatcher):
    first = validate(ValidateLaborForm(), form_tracker("labor_form", "labor_start_date", "好久了"), domain, dispatcher)
    assert first["labor_start_date"] is None
    assert responses_of(dispatcher) == ["utter_invalid_date"]

    dispatcher.messages.clear()
    tracker = form_tracker("labor_form", "labor_start_date", "记不太住",
                           slots={"intake_attempts": first["intake_attempts"]})
    tracker.slots["labor_start_date"] = "反正挺久"
    second = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert second["labor_start_date"] is None
    assert responses_of(dispatcher) == ["utter_invalid_date", "utter_offer_skip_or_lawyer"]


def test_an_optional_question_can_be_skipped(database_url, domain, dispatcher):
    slots = validate(ValidateLaborForm(), form_tracker("labor_form", "labor_amount_owed", "不清楚"), domain, dispatcher)
    assert slots["labor_amount_owed"] == "unknown"
    assert dispatcher.messages == []


def test_a_required_question_explains_why_before_it_is_skipped(database_url, domain, dispatcher):
    first = validate(ValidateLaborForm(), form_tracker("labor_form", "labor_city", "不想说"), domain, dispatcher)
    assert first["labor_city"] is None
    assert responses_of(dispatcher) == ["utter_explain_required"]
    assert "仲裁委员会" in dispatcher.messages[0]["why"]
    # ... with the way out as buttons (skip, a lawyer), the domain's own
    assert dispatcher.messages[0]["buttons"] == domain["responses"]["utter_offer_skip_or_lawyer"][0]["buttons"]

    again = form_tracker("labor_form", "labor_city", "跳过", slots={"intake_attempts": first["intake_attempts"]})
    assert validate(ValidateLaborForm(), again, domain, dispatcher)["labor_city"] == "unknown"


def test_a_correction_updates_the_earlier_answer_and_asks_the_current_question_again(database_url, domain, dispatcher):
    tracker = form_tracker(
        "labor_form", "labor_city", "不对，工资是八千", slots={"labor_monthly_wage": "5000", "labor_employer": "某厂"}
    )
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_monthly_wage"] == "8000"
    assert slots["labor_city"] is None
    assert responses_of(dispatcher) == ["utter_correction_noted"]
    assert dispatcher.messages[0]["value"] == "8,000元"


def test_facts_from_earlier_messages_are_not_asked_again(database_url, domain, dispatcher):
    history = ["我2019年3月入职的，月薪八千，公司一直没签合同，上个月被辞退了"]
    tracker = form_tracker("labor_form", None, "好的", history=history)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_start_date"] == "2019-03"
    assert slots["labor_monthly_wage"] == "8000"
    assert slots["labor_written_contract"] is False
    assert slots["labor_issues"] == ["dismissal"]
    assert slots["labor_dismissal_date"] == "2026-10"
    # ... so the first question asked is the one still unknown.
    assert slots["requested_slot"] == "labor_employer"


def test_the_divorce_example_from_the_issue_is_picked_up(database_url, domain, dispatcher):
    history = ["我们是前年五月领的证，孩子三岁，房子是他婚前买的但婚后一起还贷"]
    slots = validate(
        ValidateDivorceForm(), form_tracker("divorce_form", None, "可以", history=history), domain, dispatcher
    )
    assert slots["divorce_marriage_date"] == "2024-05"
    assert slots["divorce_has_children"] is True
    assert "divorce_children_ages" not in slots  # a child's age: only after consent (issue 16)
    assert slots["divorce_has_home"] is True
    assert slots["divorce_home_before_marriage"] is True
    assert slots["divorce_home_loan"] is True


# --- separate consent for sensitive information (issue 16, H8) ----------------------

DIVORCE_SO_FAR = {"divorce_marriage_date": "2024-05", "divorce_both_agree": False, "divorce_has_children": True}


def test_consent_is_asked_before_the_first_question_about_a_child_and_only_then(database_url, domain, dispatcher):
    tracker = form_tracker(
        "divorce_form",
        "divorce_both_agree",
        "他不同意",
        slots={"divorce_marriage_date": "2024-05", "divorce_has_children": None},
    )
    assert validate(ValidateDivorceForm(), tracker, domain, dispatcher)["requested_slot"] == "divorce_has_children"
    tracker = form_tracker(
        "divorce_form",
        "divorce_has_children",
        "有",
        slots={"divorce_marriage_date": "2024-05", "divorce_both_agree": False},
    )
    assert validate(ValidateDivorceForm(), tracker, domain, dispatcher)["requested_slot"] == "consent_child"
    ask = domain["responses"]["utter_ask_consent_child"][0]
    assert "监护人" in ask["text"] and [b["title"] for b in ask["buttons"]] == ["同意", "不同意"]


def test_a_yes_is_remembered_and_what_was_said_before_is_taken(database_url, domain, dispatcher):
    history = ["我想离婚，孩子三岁"]
    tracker = form_tracker("divorce_form", "consent_child", "同意", slots=DIVORCE_SO_FAR, history=history)
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["consent_child"] is True
    assert slots["divorce_children_ages"] == [3]
    assert slots["requested_slot"] == "divorce_children_live_with"  # no second consent for the same kind


def test_a_no_skips_and_keeps_nothing_of_that_kind_and_the_questionnaire_goes_on(database_url, domain, dispatcher):
    history = ["我想离婚，孩子三岁"]
    tracker = form_tracker("divorce_form", "consent_child", "不同意", slots=DIVORCE_SO_FAR, history=history)
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["consent_child"] is False
    assert slots["divorce_children_ages"] is None and slots["divorce_children_live_with"] is None
    assert slots["requested_slot"] == "divorce_has_home"
    assert "不记录" in dispatcher.messages[0]["text"]
    assert stored_answers() == {}


def test_a_refused_kind_is_never_asked_even_when_it_becomes_relevant_later(database_url, domain, dispatcher):
    slots = {
        "labor_employer": "某厂",
        "labor_start_date": "2020-01",
        "labor_written_contract": False,
        "labor_monthly_wage": "8000",
        "consent_health": False,
    }
    tracker = form_tracker("labor_form", "labor_issues", "上班时受伤了", slots=slots)
    result = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert result["labor_issues"] == ["injury"]
    assert result["requested_slot"] not in ("labor_injury_date", "consent_health")


def test_an_unclear_reply_to_consent_is_asked_again_once_then_taken_as_no(database_url, domain, dispatcher):
    first = validate(
        ValidateDivorceForm(),
        form_tracker("divorce_form", "consent_child", "我再想想", slots=DIVORCE_SO_FAR),
        domain,
        dispatcher,
    )
    assert first["consent_child"] is None and responses_of(dispatcher) == ["utter_invalid_consent"]
    second = validate(
        ValidateDivorceForm(),
        form_tracker(
            "divorce_form",
            "consent_child",
            "看情况吧",
            slots={**DIVORCE_SO_FAR, "intake_attempts": first["intake_attempts"]},
        ),
        domain,
        dispatcher,
    )
    assert second["consent_child"] is False


def test_a_yes_about_the_facts_is_not_taken_as_consent(database_url, domain, dispatcher):
    slots = {
        "labor_employer": "某厂",
        "labor_start_date": "2020-01",
        "labor_written_contract": False,
        "labor_monthly_wage": "8000",
        "labor_issues": ["injury"],
    }
    result = validate(
        ValidateLaborForm(),
        form_tracker("labor_form", "consent_health", "有，我手指骨折了", slots=slots),
        domain,
        dispatcher,
    )
    assert result["consent_health"] is None and responses_of(dispatcher) == ["utter_invalid_consent"]


def test_after_a_consent_is_withdrawn_mid_questionnaire_its_kind_is_not_asked_again(database_url, domain, dispatcher):
    from actions.rights import ActionWithdrawConsent

    answered = {
        "labor_employer": "某厂",
        "labor_start_date": "2020-01",
        "labor_written_contract": False,
        "labor_monthly_wage": "8000",
        "labor_issues": ["injury"],
        "consent_health": True,
    }
    # Asked the injury date, the caller withdraws instead (the slot mapping skips the intent).
    tracker = form_tracker(
        "labor_form", "labor_injury_date", "受伤的事别记了，我撤回同意", slots=answered, intent="withdraw_consent"
    )
    tracker.slots["labor_injury_date"] = None
    withdrawn = ActionWithdrawConsent().run(dispatcher, tracker, domain)
    for event in withdrawn:
        tracker.slots[event["name"]] = event["value"]
    assert tracker.slots["consent_health"] is False

    # The form comes back (the rule after action_withdraw_consent) and asks what follows.
    result = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert result["requested_slot"] not in (None, "labor_injury_date", "consent_health")
    assert "labor_injury_date" not in asyncio.run(ValidateLaborForm().required_slots([], dispatcher, tracker, domain))


def test_the_sensitive_questions_are_marked():
    marked = {q.slot: q.sensitive for qs in load_questionnaires().values() for q in qs.questions if q.sensitive}
    assert marked == {
        "divorce_children_ages": "child",
        "divorce_children_live_with": "child",
        "divorce_pregnancy": "health",
        "labor_injury_date": "health",
        "work_injury_kind": "health",
        "work_injury_date": "health",
        "work_injury_disability_grade": "health",
        "traffic_disability_grade": "health",
        "traffic_medical_costs": "health",
    }


def test_questions_that_do_not_apply_are_not_asked(database_url, domain, dispatcher):
    slots = {"labor_employer": "某厂", "labor_start_date": "2020-01"}
    tracker = form_tracker("labor_form", "labor_written_contract", "没签", slots=slots)
    result = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    # No contract: no "when was it signed?"; next is the wage.
    assert result["requested_slot"] == "labor_monthly_wage"


def test_the_summary_lists_the_answers_in_plain_chinese():
    lines = summary_lines(
        "labor_form",
        {
            "labor_employer": "某厂",
            "labor_start_date": "2019-03",
            "labor_written_contract": False,
            "labor_monthly_wage": "8000",
            "labor_issues": ["unpaid_wages"],
            "labor_amount_owed": "unknown",
        },
    )
    assert lines == [
        "· 用人单位：某厂",
        "· 入职时间：2019年3月",
        "· 是否签了书面劳动合同：否",
        "· 月工资：8,000元",
        "· 发生了什么：欠薪",
        "· 被欠的金额：不清楚",
    ]


def test_the_summary_question_shows_the_summary(domain, dispatcher):
    tracker = form_tracker("labor_form", "labor_confirmed", "", slots={"labor_employer": "某厂"})
    tracker.slots["labor_confirmed"] = None
    asyncio.run(AskLaborConfirmation().run(dispatcher, tracker, domain))
    assert responses_of(dispatcher) == ["utter_intake_summary"]
    assert dispatcher.messages[0]["summary"] == "· 用人单位：某厂"


@pytest.mark.parametrize(
    "reply, expected_slots, responses",
    [
        ("对，没问题", {"labor_confirmed": True}, []),
        ("工资是九千", {"labor_monthly_wage": "9000", "labor_confirmed": None}, ["utter_correction_noted"]),
        ("需要修改", {"labor_confirmed": None, "intake_changing": True}, ["utter_ask_what_to_change"]),
    ],
)
def test_the_caller_confirms_or_changes_the_summary(database_url, domain, dispatcher, reply, expected_slots, responses):
    answered = {"labor_employer": "某厂", "labor_monthly_wage": "8000"}
    tracker = form_tracker("labor_form", "labor_confirmed", reply, slots=answered)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert {name: slots[name] for name in expected_slots} == expected_slots
    assert responses_of(dispatcher) == responses


def test_submitting_marks_the_intake_completed(database_url, domain, dispatcher, tracker_factory):
    validate(ValidateLaborForm(), form_tracker("labor_form", "labor_city", "深圳"), domain, dispatcher)
    tracker = tracker_factory("对", intent="affirm", slots={"case_type": "labor"}, sender_id="caller-1")
    asyncio.run(ActionSubmitIntake().run(dispatcher, tracker, domain))
    with session_scope() as session:
        [intake] = session.scalars(select(Intake)).all()
        assert (intake.form, intake.status, intake.case_type) == ("labor_form", "completed", "labor")
    assert responses_of(dispatcher)[-1] == "utter_intake_submitted"


@pytest.mark.parametrize(
    "question, expected_start",
    [("冷静期是什么意思？", "离婚冷静期"), ("定金和订金有什么区别", "定金最多"), ("什么是诉讼时效", "一般的民事纠纷")],
)
def test_a_question_mid_form_gets_a_short_answer(question, expected_start):
    assert glossary_answer(question).startswith(expected_start)


def test_an_unknown_question_mid_form_is_noted(domain, dispatcher, tracker_factory):
    asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker_factory("你们律所在哪里"), domain))
    assert responses_of(dispatcher) == ["utter_question_noted"]


def test_pausing_keeps_the_answers_and_remembers_the_questionnaire(domain, dispatcher, tracker_factory):
    from actions.questionnaires.flow import ActionPauseIntake

    events = asyncio.run(ActionPauseIntake().run(dispatcher, tracker_factory("先停下"), domain))
    assert SlotSet("intake_paused", True) in events
    assert responses_of(dispatcher) == ["utter_intake_paused"]


def test_resuming_restarts_the_case_types_questionnaire(domain, dispatcher, tracker_factory):
    from rasa_sdk.events import FollowupAction

    from actions.questionnaires.flow import ActionResumeIntake

    tracker = tracker_factory("继续", slots={"case_type": "divorce", "intake_paused": True})
    events = asyncio.run(ActionResumeIntake().run(dispatcher, tracker, domain))
    assert events == [SlotSet("intake_paused", False), FollowupAction("divorce_form")]


def test_nothing_to_resume_without_a_questionnaire(domain, dispatcher, tracker_factory):
    from actions.questionnaires.flow import ActionResumeIntake

    tracker = tracker_factory("继续", slots={"case_type": "other"})
    assert asyncio.run(ActionResumeIntake().run(dispatcher, tracker, domain)) == []
    assert responses_of(dispatcher) == ["utter_nothing_to_resume"]


@pytest.mark.parametrize(
    "opening, wage, owed",
    [
        # 欠 named first: the total owed; the wage is not guessed from it
        ("老板欠了我三个月工资两万四", None, "24000"),
        ("拖欠工资三万五千元", None, "35000"),
        # the wage named first
        ("月薪八千欠了两个月", "8000", None),
        # only approximately: the question gets the exact figure
        ("包工头欠我们两万多工钱", None, None),
    ],
)
def test_an_amount_in_the_opening_goes_to_the_question_named_first(
    database_url, domain, dispatcher, opening, wage, owed
):
    slots = validate(
        ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=[opening]), domain, dispatcher
    )
    assert slots.get("labor_monthly_wage") == wage
    assert slots.get("labor_amount_owed") == owed
    assert slots["labor_issues"] == ["unpaid_wages"]


@pytest.mark.parametrize(
    "opening, slot, expected",
    [
        ("对方欠我货款三万五千元一直不给", "contract_amount", "35000"),
        ("前年借给朋友两万块钱", "contract_loan_principal", "20000"),
    ],
)
def test_a_contract_amount_in_the_opening_is_not_asked_again(database_url, domain, dispatcher, opening, slot, expected):
    slots = validate(
        ValidateContractForm(), form_tracker("contract_form", None, "好的", history=[opening]), domain, dispatcher
    )
    assert slots[slot] == expected


@pytest.mark.parametrize("intent", ["request_lawyer", "crisis", "complaint", "ask_general_info", "stop_intake"])
def test_the_form_steps_aside_for_a_message_that_is_not_an_answer(database_url, domain, dispatcher, intent):
    """No events means Rasa rejects the form for this turn and the rules for the
    interruption run (handoff, crisis, a short answer, stop)."""
    tracker = form_tracker("labor_form", "labor_employer", "你们直接帮我去跟公司谈吧", intent=intent)
    tracker.slots["labor_employer"] = None  # the mapping skipped it (not_intent)
    events = asyncio.run(ValidateLaborForm().run(dispatcher, tracker, domain))
    # (requested_slot is ignored by Rasa's rejection check.)
    assert [e for e in events if e.get("name") != "requested_slot"] == []
    assert dispatcher.messages == [] and stored_answers() == {}


# --- a crisis or handoff guess inside a questionnaire (issue 14) -----------------


def unbacked_guess(intent: str, confidence: float = 0.25) -> dict[str, Any]:
    """The parse of a message the model guessed ``intent`` for, unsure, and the
    safety lexicon did not match."""
    return {"intent": {"name": intent, "confidence": confidence}, "safety_lexicon": {"matched": False}}


def answer_tracker(requested: str, text: str, parse: dict[str, Any], **kwargs) -> Tracker:
    tracker = form_tracker("labor_form", requested, text, parse=parse, **kwargs)
    if parse["intent"]["name"] in {"request_lawyer", "crisis", "complaint"}:
        tracker.slots[requested] = None  # the from_text mapping skips these intents (not_intent)
    return tracker


@pytest.mark.parametrize("intent", ["crisis", "request_lawyer", "complaint"])
def test_an_unsure_safety_guess_that_answers_the_question_is_the_answer(database_url, domain, dispatcher, intent):
    """A name given to "对方叫什么" once came out crisis at 0.25 and ended the intake with 110."""
    tracker = answer_tracker("labor_employer", "马跳", unbacked_guess(intent))
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_employer"] == "马跳"
    assert stored_answers() == {"labor_employer": {"raw": "马跳", "value": "马跳"}}
    assert dispatcher.messages == []


def test_an_unsure_crisis_guess_that_skips_the_question_is_a_skip(database_url, domain, dispatcher):
    tracker = answer_tracker("labor_amount_owed", "不清楚", unbacked_guess("crisis"))
    assert validate(ValidateLaborForm(), tracker, domain, dispatcher)["labor_amount_owed"] == "unknown"


def test_an_unsure_crisis_guess_that_answers_the_summary_confirms_it(database_url, domain, dispatcher):
    tracker = answer_tracker("labor_confirmed", "对的", unbacked_guess("crisis"), slots={"labor_employer": "某厂"})
    assert validate(ValidateLaborForm(), tracker, domain, dispatcher)["labor_confirmed"] is True


@pytest.mark.parametrize(
    "requested, text, parse",
    [
        # the lexicon matched: a crisis whatever the model's confidence
        (
            "labor_employer",
            "他拿着刀在门口",
            {
                "intent": {"name": "crisis", "confidence": 0.25},
                "safety_lexicon": {"matched": True, "intent": "crisis", "category": "violence"},
            },
        ),
        # the model is sure
        ("labor_employer", "马跳", unbacked_guess("crisis", confidence=0.9)),
        # not an answer to a date question
        ("labor_start_date", "他又来了，就在楼下", unbacked_guess("crisis")),
        ("labor_monthly_wage", "我想见见你们的律师", unbacked_guess("request_lawyer")),
        # parsed without the safety net (a button payload such as /crisis)
        ("labor_employer", "/crisis", {"intent": {"name": "crisis", "confidence": 0.25}}),
    ],
)
def test_a_backed_sure_or_non_answer_safety_message_still_interrupts_the_form(
    database_url, domain, dispatcher, requested, text, parse
):
    tracker = answer_tracker(requested, text, parse)
    events = asyncio.run(ValidateLaborForm().run(dispatcher, tracker, domain))
    assert [e for e in events if e.get("name") != "requested_slot"] == []
    assert dispatcher.messages == [] and stored_answers() == {}


# --- an answer the NLU reads as a question (CI of stop 20: two traffic callers stuck) ----


def question_guess_tracker(requested: str, text: str, intent: str = "ask_general_info") -> Tracker:
    """A message the model calls a question: the from_text mapping skipped it (not_intent)."""
    tracker = form_tracker(
        "traffic_form", requested, text, intent=intent, slots={"traffic_liability_determined": "issued"}
    )
    tracker.slots[requested] = None
    return tracker


@pytest.mark.parametrize("intent", ["ask_general_info", "ask_legal_basis"])
@pytest.mark.parametrize("text, expected", [("对方主要责任", ["main"]), ("对方全责", ["full"]), ("主责", ["main"])])
def test_a_tapped_or_closed_answer_the_model_calls_a_question_is_the_answer(
    database_url, domain, dispatcher, intent, text, expected
):
    """ "对方主要责任" tapped under "对方负什么责任？" was noted as a side question, three
    times over: the caller could not get past the question."""
    tracker = question_guess_tracker("traffic_liability_share", text, intent)
    slots = validate(ValidateTrafficForm(), tracker, domain, dispatcher)
    assert slots["traffic_liability_share"] == expected
    assert responses_of(dispatcher) == []


@pytest.mark.parametrize(
    "requested, text",
    [
        # asked as a question: answered, then the question again
        ("traffic_liability_share", "主要责任是什么意思？"),
        # does not read as an answer to this question
        ("traffic_liability_share", "赔偿一般要多久"),
        # a free-text question reads as anything: the model's question stands
        ("traffic_other_party", "交强险能赔多少"),
    ],
)
def test_a_real_question_mid_form_still_steps_aside(database_url, domain, dispatcher, requested, text):
    tracker = question_guess_tracker(requested, text)
    events = asyncio.run(ValidateTrafficForm().run(dispatcher, tracker, domain))
    assert [e for e in events if e.get("name") != "requested_slot"] == []
    assert dispatcher.messages == [] and stored_answers() == {}


# --- issue 14: conversations callers finish --------------------------------


LABOR_ANSWERED = {"labor_employer": "某厂", "labor_monthly_wage": "8000"}


@pytest.mark.parametrize("reply", ["确认", "确认无误", "提交", "没问题", "对的", "都对", "没有要改的", "是的，都对"])
def test_the_summary_is_confirmed_in_the_words_callers_use(database_url, domain, dispatcher, reply):
    tracker = form_tracker("labor_form", "labor_confirmed", reply, slots=LABOR_ANSWERED)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_confirmed"] is True
    assert dispatcher.messages == []


@pytest.mark.parametrize("reply", ["都对", "没有要改的", "确认"])
def test_nothing_to_change_confirms_when_asked_which_item(database_url, domain, dispatcher, reply):
    tracker = form_tracker("labor_form", "labor_confirmed", reply, slots={**LABOR_ANSWERED, "intake_changing": True})
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_confirmed"] is True
    assert slots["intake_changing"] is False


@pytest.mark.parametrize("reply", ["不清楚", "算了"])
def test_leaving_which_item_shows_the_summary_again(database_url, domain, dispatcher, reply):
    tracker = form_tracker("labor_form", "labor_confirmed", reply, slots={**LABOR_ANSWERED, "intake_changing": True})
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_confirmed"] is None
    assert slots["intake_changing"] is False  # the summary (with its buttons) is asked again
    assert "utter_ask_what_to_change" not in responses_of(dispatcher)


def test_which_item_never_loops(database_url, domain, dispatcher):
    """Replies that name no item: asked once which item, then the summary again."""
    slots: dict[str, Any] = {**LABOR_ANSWERED, "intake_changing": True}
    states = []
    for reply in ["啊这", "哈哈"]:
        dispatcher.messages.clear()
        result = validate(
            ValidateLaborForm(), form_tracker("labor_form", "labor_confirmed", reply, slots=slots), domain, dispatcher
        )
        slots.update({k: v for k, v in result.items() if k in ("intake_changing", "intake_attempts")})
        states.append((result["intake_changing"], responses_of(dispatcher)))
    assert states == [(True, ["utter_ask_what_to_change"]), (False, [])]  # then the summary, with its buttons


def test_a_side_question_is_answered_and_the_question_asked_again(database_url, domain, dispatcher):
    tracker = form_tracker(
        "divorce_form", "divorce_has_children", "是不是要交钱？", slots={"divorce_marriage_date": "2016"}
    )
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_has_children"] is None
    assert slots["intake_attempts"] == {}  # no failed try
    assert responses_of(dispatcher) in (["utter_question_noted"], ["utter_glossary_answer"])


def test_a_glossary_question_mid_form_gets_its_answer(database_url, domain, dispatcher):
    tracker = form_tracker("labor_form", "labor_amount_owed", "劳动仲裁要交钱吗？")
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_amount_owed"] is None
    assert responses_of(dispatcher) == ["utter_glossary_answer"]


def test_an_answer_about_another_thing_is_not_yes(database_url, domain, dispatcher):
    tracker = form_tracker("divorce_form", "divorce_has_home", "我有辆车")
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_has_home"] is None
    assert responses_of(dispatcher) == ["utter_invalid_yes_no"]


@pytest.mark.parametrize(
    "validator, answered, requested, reply, slot, expected",
    [
        # a date whose words (结的婚) fit the marriage date, said while a yes/no question is open
        (
            ValidateDivorceForm,
            {"divorce_marriage_date": "2015", "divorce_both_agree": False},
            "divorce_has_children",
            "不对，我记错了，是2019年5月结的婚",
            "divorce_marriage_date",
            "2019-05",
        ),
        # an amount, and the only amount answered is the wage
        (
            ValidateLaborForm,
            {"labor_employer": "某厂", "labor_start_date": "2020-01", "labor_monthly_wage": "5000"},
            "labor_still_employed",
            "说错了，是六千五",
            "labor_monthly_wage",
            "6500",
        ),
        # an amount while a text question is open: the owed amount was "nothing" (0), so the wage
        (
            ValidateLaborForm,
            {
                "labor_employer": "某厂",
                "labor_monthly_wage": "7000",
                "labor_amount_owed": "0",
                "labor_overtime_workday_hours": "60",
                "labor_still_employed": True,
            },
            "labor_city",
            "刚才说错了，是七千五",
            "labor_monthly_wage",
            "7500",
        ),
        # a date is a date, never ages read from its digits (孩子年龄 shares 年 with it)
        (
            ValidateDivorceForm,
            {
                "divorce_marriage_date": "2013-06",
                "divorce_has_children": True,
                "divorce_children_ages": [12, 6],
                "divorce_military_spouse": False,
            },
            "divorce_city",
            "刚才说错了，应该是2012年6月",
            "divorce_marriage_date",
            "2012-06",
        ),
    ],
)
def test_a_correction_without_the_keyword_fixes_the_answer_its_value_fits(
    database_url, domain, dispatcher, validator, answered, requested, reply, slot, expected
):
    form = validator.form
    slots = validate(validator(), form_tracker(form, requested, reply, slots=answered), domain, dispatcher)
    assert slots[slot] == expected
    assert slots[requested] is None  # not read as 不 / 是: asked again
    assert slots["intake_raw_answers"][slot] == reply  # the caller's words beside the corrected value
    assert responses_of(dispatcher) == ["utter_correction_noted"]


def test_a_correction_naming_nothing_is_no_answer_to_a_yes_no_question(database_url, domain, dispatcher):
    tracker = form_tracker("labor_form", "labor_still_employed", "不对不对", slots={"labor_employer": "某厂"})
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_still_employed"] is None
    assert responses_of(dispatcher) == ["utter_ask_what_to_change"]


def test_a_correction_naming_nothing_is_no_answer_to_a_text_question(database_url, domain, dispatcher):
    tracker = form_tracker("labor_form", "labor_city", "刚才说错了", slots={"labor_employer": "某厂"})
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_city"] is None  # "刚才说错了" is no city
    assert responses_of(dispatcher) == ["utter_ask_what_to_change"]


@pytest.mark.parametrize(
    "validator, requested, reply",
    [
        (ValidateLaborForm, "labor_monthly_wage", "房租一个月两千五"),  # the rent, not the wage
        (ValidateDivorceForm, "divorce_marriage_date", "我是2019年3月入职现在这家公司的"),  # a job's start
        (ValidateContractForm, "contract_amount", "我一个月工资才八千"),  # a wage, not the loan
    ],
)
def test_an_answer_about_another_intakes_subject_is_not_taken(
    database_url, domain, dispatcher, validator, requested, reply
):
    slots = validate(validator(), form_tracker(validator.form, requested, reply), domain, dispatcher)
    assert slots[requested] is None
    assert responses_of(dispatcher) == ["utter_answer_about_other_topic"]
    assert requested not in slots["intake_attempts"]  # a clear answer about something else is no failed try


def test_the_clause_about_the_question_is_read_beside_one_about_another_subject(database_url, domain, dispatcher):
    tracker = form_tracker("labor_form", "labor_monthly_wage", "房租两千五，工资八千")
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_monthly_wage"] == "8000"


def test_no_children_after_a_wrong_yes_corrects_it(database_url, domain, dispatcher):
    answered = {"divorce_marriage_date": "2016", "divorce_has_children": True}
    tracker = form_tracker("divorce_form", "divorce_children_ages", "没有孩子", slots=answered)
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_has_children"] is False
    assert slots["intake_raw_answers"]["divorce_has_children"] == "没有孩子"
    assert responses_of(dispatcher) == ["utter_correction_noted"]
    # ... so the ages question no longer applies.
    assert slots["requested_slot"] != "divorce_children_ages"


@pytest.mark.parametrize("requested", ["divorce_home_before_marriage", "divorce_home_loan"])
def test_no_home_after_a_wrong_yes_corrects_it(database_url, domain, dispatcher, requested):
    answered = {"divorce_marriage_date": "2018-03", "divorce_has_home": True}
    tracker = form_tracker("divorce_form", requested, "没有房子", slots=answered)
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_has_home"] is False  # not "not bought before the marriage"
    assert slots[requested] is None
    assert responses_of(dispatcher) == ["utter_correction_noted"]


def test_a_rented_home_is_no_home(database_url, domain, dispatcher):
    tracker = form_tracker("divorce_form", "divorce_has_home", "我们只有一辆车，房子是租的")
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_has_home"] is False


@pytest.mark.parametrize(
    "opening, expected",
    [
        ("在奶茶店干了七个多月，老板一直没跟我签合同，工资也没发", False),
        ("公司从来没有和员工签合同", False),
        ("入职没多久就签合同了", True),
    ],
)
def test_a_negation_before_the_party_is_no_contract(database_url, domain, dispatcher, opening, expected):
    slots = validate(
        ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=[opening]), domain, dispatcher
    )
    assert slots["labor_written_contract"] is expected


def test_both_agree_in_the_opening_is_yes(database_url, domain, dispatcher):
    history = ["我们准备离婚，他也同意离，但是他非要孩子的抚养权"]
    slots = validate(
        ValidateDivorceForm(), form_tracker("divorce_form", None, "好的", history=history), domain, dispatcher
    )
    assert slots["divorce_both_agree"] is True


@pytest.mark.parametrize(
    "reply", ["工资都结清了，就差补偿", "工资没欠，就是加班费一分没给", "不适用，工资都是按时发的"]
)
def test_nothing_owed_is_recorded_as_zero_and_not_asked_again(database_url, domain, dispatcher, reply):
    slots = validate(ValidateLaborForm(), form_tracker("labor_form", "labor_amount_owed", reply), domain, dispatcher)
    assert slots["labor_amount_owed"] == "0"
    assert slots["intake_raw_answers"]["labor_amount_owed"] == reply
    assert dispatcher.messages == []


@pytest.mark.parametrize("reply", ["没有", "都没有", "没什么"])
def test_none_to_a_text_question_is_none_not_an_answer_of_some(database_url, domain, dispatcher, reply):
    tracker = form_tracker("divorce_form", "divorce_debts", reply, slots={"divorce_marriage_date": "2020-05"})
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    questionnaire = load_questionnaires()["divorce_form"]
    # The guidance's {present: true} (debts to share, 第1064条) does not hold for none.
    assert not condition_holds({"slot": "divorce_debts", "present": True}, slots)
    assert slots["intake_raw_answers"]["divorce_debts"] == reply
    assert display(questionnaire.question("divorce_debts"), slots["divorce_debts"]) == "没有"


def test_not_applicable_is_recorded_and_not_asked_again(database_url, domain, dispatcher):
    tracker = form_tracker(
        "divorce_form", "divorce_separation_since", "不适用", slots={"divorce_fault": ["separation"]}
    )
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_separation_since"] == "unknown"
    assert stored_answers()["divorce_separation_since"] == {"raw": "不适用", "value": "unknown"}


def test_a_fact_for_a_later_question_is_kept(database_url, domain, dispatcher):
    answered = {"labor_employer": "某厂"}
    tracker = form_tracker("labor_form", "labor_start_date", "2021年7月入职，入职当天签了合同", slots=answered)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_start_date"] == "2021-07"
    assert slots["labor_written_contract"] is True
    assert slots["requested_slot"] != "labor_written_contract"


@pytest.mark.parametrize(
    "opening", ["我是2018年5月2号进的厂，公司嫌我不能胜任，上个月15号就把我开了", "我上个月15号被辞了"]
)
def test_a_dismissal_in_other_words_asks_for_or_takes_its_date(database_url, domain, dispatcher, opening):
    slots = validate(
        ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=[opening]), domain, dispatcher
    )
    assert "dismissal" in slots["labor_issues"]
    assert slots["labor_dismissal_date"] == "2026-10-15"


def test_the_start_date_and_the_dismissal_reason_of_an_opening_are_kept(database_url, domain, dispatcher):
    history = ["我是2018年5月2号进的厂，公司嫌我不能胜任，上个月15号就把我开了"]
    slots = validate(ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=history), domain, dispatcher)
    assert slots["labor_start_date"] == "2018-05-02"
    assert slots["labor_dismissal_reason"] == ["incapacity_or_change"]


def test_a_dismissal_answer_in_other_words_makes_the_date_asked(database_url, domain, dispatcher):
    answered = {
        "labor_employer": "某厂",
        "labor_start_date": "2020-01",
        "labor_written_contract": True,
        "labor_contract_date": "2020-01",
        "labor_monthly_wage": "8000",
    }
    tracker = form_tracker("labor_form", "labor_issues", "老板把我开了，说我不合适", slots=answered)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_issues"] == ["dismissal"]
    assert slots["requested_slot"] == "labor_dismissal_date"


def test_a_resigned_caller_is_asked_when_they_left(database_url, domain, dispatcher):
    answered = {
        "labor_employer": "某厂",
        "labor_start_date": "2020-01",
        "labor_written_contract": False,
        "labor_monthly_wage": "8000",
        "labor_issues": ["unpaid_wages"],
        "labor_last_paid_date": "2026-07",
        "labor_amount_owed": "16000",
    }
    tracker = form_tracker("labor_form", "labor_still_employed", "已经辞职了", slots=answered)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_still_employed"] is False
    assert slots["requested_slot"] == "labor_end_date"


BAD_ANSWERS = [
    "干了一亿个月",
    "一亿亿元",
    "😀😀😀",
    "🙏",
    "I don't know what you mean",
    "哈" * 10_000,
    "我们是2016年结的婚，孩子5岁",
    "押金五千块房东不退",
    "?!?!",
    "   ",
]


@pytest.mark.parametrize("answer", BAD_ANSWERS)
@pytest.mark.parametrize(
    "requested",
    ["labor_start_date", "labor_monthly_wage", "labor_still_employed", "labor_issues", "labor_overtime_workday_hours"],
)
def test_a_bad_answer_gets_a_reply_and_the_question_again(database_url, domain, dispatcher, requested, answer):
    tracker = form_tracker(
        "labor_form", requested, answer, slots={"labor_issues": ["overtime"]} if requested != "labor_issues" else {}
    )
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    if slots.get(requested) is None:  # not understood: never silence
        assert dispatcher.messages, answer[:20]


@pytest.mark.parametrize("answer", ["乱七八糟", "啊？"])
def test_two_misses_offer_the_likely_answers_as_buttons(database_url, domain, dispatcher, answer):
    tracker = form_tracker("labor_form", "labor_issues", answer, slots={"intake_attempts": {"labor_issues": 1}})
    validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert responses_of(dispatcher) == ["utter_invalid_choices", "utter_choose_one", "utter_offer_skip_or_lawyer"]
    titles = [button["title"] for button in dispatcher.messages[1]["buttons"]]
    choices = load_questionnaires()["labor_form"].question("labor_issues").choices
    assert titles == [words[0] for words in choices.values()]


def test_two_misses_on_yes_no_offer_yes_and_no(database_url, domain, dispatcher):
    tracker = form_tracker(
        "labor_form", "labor_still_employed", "乱七八糟", slots={"intake_attempts": {"labor_still_employed": 1}}
    )
    validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert responses_of(dispatcher) == ["utter_invalid_yes_no", "utter_choose_yes_no", "utter_offer_skip_or_lawyer"]


# What callers type: Chinese words of the questionnaires, digits, units (absurd ones too), emoji,
# punctuation, English letters and whitespace, any length up to a long paragraph.
ANSWER_ALPHABET = list("的一是不了有没欠万千百元年月日号岁个小时分利息对错都确认无误提交工资孩子房结婚入职辞退开了")
ANSWER_ALPHABET += list("0123456789.,，。？?！!%") + ["😀", "🙏", " ", "\n", "a", "Z", "亿", "兆", "光年", "斤"]
FORMS = {"labor_form": ValidateLaborForm, "divorce_form": ValidateDivorceForm, "contract_form": ValidateContractForm}


@st.composite
def form_answers(draw):
    """A questionnaire, one of its questions (or the summary) and what a caller answers to it."""
    form = draw(st.sampled_from(sorted(FORMS)))
    questionnaire = load_questionnaires()[form]
    requested = draw(st.sampled_from([q.slot for q in questionnaire.questions] + [questionnaire.confirm_slot]))
    answer = draw(st.lists(st.sampled_from(ANSWER_ALPHABET), max_size=200).map("".join))
    return form, requested, answer


# derandomize: CI and every developer run the same examples, so the test cannot flake.
@settings(
    max_examples=600,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form_answers())
def test_property_every_answer_to_every_question_gets_a_reply_or_a_value(database_url, domain, example):
    """No input raises; an answer not taken always gets a message."""
    from rasa_sdk.executor import CollectingDispatcher

    form, requested, answer = example
    questionnaire = load_questionnaires()[form]
    collecting = CollectingDispatcher()
    tracker = form_tracker(
        form, requested, answer, slots={"divorce_marriage_date": "2016"} if form == "divorce_form" else {}
    )
    slots = validate(FORMS[form](), tracker, domain, collecting)
    taken = slots.get(requested) is not None
    summary_again = requested == questionnaire.confirm_slot and slots.get("intake_changing") is False
    assert taken or summary_again or collecting.messages, (requested, answer)


@pytest.mark.parametrize(
    "reply, expected", [("还有贷款", True), ("有房贷，每月还五千", True), ("没有贷款", False), ("贷款早就还完了", None)]
)
def test_an_answer_that_repeats_the_questions_words_is_understood(database_url, domain, dispatcher, reply, expected):
    """ "还有贷款" to "还有贷款吗": yes; the caller need not say 是."""
    answered = {"divorce_has_home": True}
    tracker = form_tracker("divorce_form", "divorce_home_loan", reply, slots=answered)
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_home_loan"] is expected


def test_the_questions_words_without_a_yes_word_are_a_yes(database_url, domain, dispatcher):
    tracker = form_tracker(
        "divorce_form", "divorce_home_before_marriage", "他婚前买的", slots={"divorce_has_home": True}
    )
    assert validate(ValidateDivorceForm(), tracker, domain, dispatcher)["divorce_home_before_marriage"] is True


# --- a question asked again after a digression says it is a return -------------------------


@pytest.mark.parametrize(
    "form, requested, text, slots, returning",
    [
        ("divorce_form", "divorce_has_children", "是不是要交钱？", {"divorce_marriage_date": "2016"}, True),
        (
            "labor_form",
            "labor_city",
            "不对，工资是八千",
            {"labor_monthly_wage": "5000", "labor_employer": "某厂"},
            True,
        ),
        ("labor_form", "labor_city", "深圳", {"labor_monthly_wage": "5000", "labor_employer": "某厂"}, False),
    ],
)
def test_the_form_knows_whether_it_asks_again_after_a_side_question_or_a_correction(
    database_url, domain, dispatcher, form, requested, text, slots, returning
):
    validator = {"divorce_form": ValidateDivorceForm, "labor_form": ValidateLaborForm}[form]()
    assert (
        validate(validator, form_tracker(form, requested, text, slots=slots), domain, dispatcher)["intake_returning"]
        is returning
    )


def test_a_side_question_answered_by_its_rule_marks_the_return_to_the_question(domain, dispatcher, tracker_factory):
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker_factory("冷静期是什么意思"), domain))
    assert SlotSet("intake_returning", True) in events


LABOR_UP_TO_THE_CONTRACT = {"labor_employer": "某厂", "labor_start_date": "2021-07", "labor_written_contract": True}


@pytest.mark.parametrize("reply", ["入职当天就签了", "入职就签了", "入职的时候", "入职时", "跟入职同一天"])
def test_a_date_named_by_an_earlier_answer_is_that_answers_date(database_url, domain, dispatcher, reply):
    tracker = form_tracker("labor_form", "labor_contract_date", reply, slots=LABOR_UP_TO_THE_CONTRACT)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_contract_date"] == "2021-07"
    assert dispatcher.messages == []


@pytest.mark.parametrize("reply, expected", [("入职三个月后才签", "2021-10"), ("2022年3月签的，入职时没签", "2022-03")])
def test_a_date_after_an_earlier_answer_counts_from_it(database_url, domain, dispatcher, reply, expected):
    tracker = form_tracker("labor_form", "labor_contract_date", reply, slots=LABOR_UP_TO_THE_CONTRACT)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_contract_date"] == expected


LABOR_UP_TO_STILL_EMPLOYED = {
    "labor_employer": "某厂",
    "labor_start_date": "2020-01",
    "labor_written_contract": False,
    "labor_monthly_wage": "8000",
    "labor_issues": ["unpaid_wages"],
    "labor_last_paid_date": "2026-07",
    "labor_amount_owed": "16000",
}


@pytest.mark.parametrize(
    "reply, expected",
    [
        ("已经不在那里了", False),
        ("已经被开了", False),
        ("活干完了，不在那了", False),
        ("已经辞职了", False),
        ("还在上班，准备辞职", True),
        ("还在干", True),
        ("还没离职", True),
    ],
)
def test_still_employed_is_read_from_the_questions_own_words(database_url, domain, dispatcher, reply, expected):
    tracker = form_tracker("labor_form", "labor_still_employed", reply, slots=LABOR_UP_TO_STILL_EMPLOYED)
    slots = validate(ValidateLaborForm(), tracker, domain, dispatcher)
    assert slots["labor_still_employed"] is expected


@pytest.mark.parametrize(
    "requested, reply, expected",
    [
        ("divorce_home_before_marriage", "婚后买的", False),
        ("divorce_home_before_marriage", "结婚以后买的", False),
        ("divorce_home_before_marriage", "不是婚前买的", False),
        ("divorce_home_before_marriage", "是婚前买的", True),
        ("divorce_has_home", "租的", False),
        ("divorce_has_home", "有一套，现在住的是租的", True),
    ],
)
def test_the_opposite_term_answers_a_yes_no_question(database_url, domain, dispatcher, requested, reply, expected):
    answered = {
        "divorce_marriage_date": "2019-03",
        "divorce_both_agree": False,
        "divorce_has_children": False,
        "divorce_has_home": True,
    }
    answered.pop(requested, None)
    slots = validate(
        ValidateDivorceForm(), form_tracker("divorce_form", requested, reply, slots=answered), domain, dispatcher
    )
    assert slots[requested] is expected


def test_an_answer_starting_with_none_is_none_for_an_optional_choices_question(database_url, domain, dispatcher):
    tracker = form_tracker("divorce_form", "divorce_fault", "没有，就是过不下去了")
    slots = validate(ValidateDivorceForm(), tracker, domain, dispatcher)
    assert slots["divorce_fault"] == []
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "requested, reply, expected",
    [
        ("contract_evidence", "有订单截图、商品页面截图和检测报告", ["other"]),
        ("contract_evidence", "有转账记录和检测报告", ["payment_records", "other"]),
        ("contract_evidence", "聊天记录，合同没签", ["chat_records"]),
        ("contract_evidence", "没有，什么都没有", []),
        ("contract_wants", "把押金要回来", ["refund"]),
    ],
)
def test_an_open_choices_question_keeps_what_is_named_outside_its_choices(
    database_url, domain, dispatcher, requested, reply, expected
):
    tracker = form_tracker("contract_form", requested, reply)
    slots = validate(ValidateContractForm(), tracker, domain, dispatcher)
    assert slots[requested] == expected
    assert slots["intake_raw_answers"][requested] == reply
    assert dispatcher.messages == []


def test_an_open_questions_other_is_shown_by_its_summary_name():
    question = load_questionnaires()["contract_form"].question("contract_evidence")
    from intake_core.questionnaires.answers import display

    assert display(question, ["payment_records", "other"]) == "、".join(
        [question.choices["payment_records"][0], question.choices["other"][0]]
    )


@pytest.mark.parametrize(
    "opening, left",
    [
        ("我2026年10月31日辞职走的，公司还欠我两个月工资一共一万三千六", "2026-10-31"),
        ("我九月底从饭店辞职了，老板还欠我两个月工资一万六没给", "2026-09-30"),
    ],
)
def test_leaving_in_the_opening_is_not_asked_again(database_url, domain, dispatcher, opening, left):
    slots = validate(
        ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=[opening]), domain, dispatcher
    )
    assert slots["labor_still_employed"] is False
    assert slots["labor_end_date"] == left


def test_still_working_and_about_to_resign_in_the_opening_is_still_employed(database_url, domain, dispatcher):
    history = ["我还在上班，准备辞职，公司欠了我两个月工资"]
    slots = validate(ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=history), domain, dispatcher)
    assert slots["labor_still_employed"] is True
    assert slots.get("labor_end_date") is None


def test_a_dismissal_on_the_day_said_in_the_clause_before_is_kept(database_url, domain, dispatcher):
    history = [
        "我2021年5月10日入职，签了劳动合同，月薪一万二。2026年11月10日公司说我不能胜任工作，当天就解除合同让我走"
    ]
    slots = validate(ValidateLaborForm(), form_tracker("labor_form", None, "好的", history=history), domain, dispatcher)
    assert slots["labor_start_date"] == "2021-05-10"
    assert slots["labor_issues"] == ["dismissal"]
    assert slots["labor_dismissal_date"] == "2026-11-10"
    assert slots["labor_dismissal_reason"] == ["incapacity_or_change"]
    assert slots["labor_still_employed"] is False


def test_an_application_date_in_the_opening_is_not_the_wedding(database_url, domain, dispatcher):
    history = ["两个人都同意离婚，2026年11月20日已经一起去民政局递交了离婚登记申请"]
    slots = validate(
        ValidateDivorceForm(), form_tracker("divorce_form", None, "好的", history=history), domain, dispatcher
    )
    assert slots.get("divorce_marriage_date") is None
    assert slots["divorce_registration_applied"] is True
    assert slots["divorce_registration_date"] == "2026-11-20"


def test_a_deposit_and_the_price_in_the_opening_go_to_their_questions(database_url, domain, dispatcher):
    history = ["买二手房交了5万定金，房价总共200万，签完合同卖家又反悔不卖了"]
    slots = validate(
        ValidateContractForm(), form_tracker("contract_form", None, "好的", history=history), domain, dispatcher
    )
    assert slots["contract_kind"] == ["sale"]
    assert slots["contract_deposit_or_penalty"] == ["deposit_dingjin"]
    assert slots["contract_deposit_amount"] == "50000"
    assert slots["contract_main_price"] == "2000000"
    assert slots.get("contract_amount") != "2"


# --- a date told in the first message, with more figures after it (issue 17) ----------------

EVERYTHING_FIRST = "我2026年1月9日在厂里上班时被叉车撞断了腿，已经认定工伤了，劳动能力鉴定是八级，受伤前工资一个月七千"


def test_the_first_message_s_date_wage_and_grade_are_taken_once_the_caller_consents(database_url, domain, dispatcher):
    tracker = form_tracker(
        "work_injury_form", "consent_health", "同意", slots={"practice_area": "work_injury"}, history=[EVERYTHING_FIRST]
    )
    slots = validate(ValidateWorkInjuryForm(), tracker, domain, dispatcher)
    assert slots["work_injury_date"] == "2026-01-09"  # not "2026-10": 一个月七千 is a wage, not a month ago
    assert slots["work_injury_monthly_wage"] == "7000"
    assert slots["work_injury_disability_grade"] == ["grade_8"]


def injury_date():
    return load_questionnaires()["work_injury_form"].question("work_injury_date")


@pytest.mark.parametrize(
    "opening, expected",
    [
        (EVERYTHING_FIRST, "2026-01-09"),
        ("受伤前工资一个月七千，2026年3月5号在车间被机器压伤了手", "2026-03-05"),
        ("上个月15号在工地摔伤了，包工头一个月给我8000", "2026-10-15"),
        ("今年5月份干活时骨折了，住院花了3万", "2026-05"),
        ("2025年8月12日手被机器夹断了，一年工资12万", "2025-08-12"),
        ("受伤前工资一个月七千", None),  # no day said: the question is asked
        ("受伤快三个月了，工资一个月五千", "2026-08"),  # a span up to now still tells the month
    ],
)
def test_the_injury_date_is_the_day_the_opening_tells(opening, expected):
    found = prefill_answer(injury_date(), [opening], MESSAGE_DAY)
    assert (found[0] if found else None) == expected


MESSAGE_DAY = datetime.fromtimestamp(MESSAGE_TIME, ZoneInfo("Asia/Shanghai")).date()
INJURIES = ["被叉车撞断了腿", "被机器压伤了手", "从架子上摔下来骨折了", "手被夹伤了", "被钢管砸伤了", "被开水烫伤了"]
OTHER_FACTS = [
    "受伤前工资一个月七千",
    "一年12万",
    "已经认定工伤了",
    "劳动能力鉴定是八级",
    "住院15天",
    "医药费花了3.5万",
    "老板只给了2000块",
    "单位没交社保",
    "我今年45岁",
]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    day=st.dates(min_value=datetime(2020, 1, 1).date(), max_value=MESSAGE_DAY),
    injury=st.sampled_from(INJURIES),
    before=st.lists(st.sampled_from(OTHER_FACTS), max_size=3),
    after=st.lists(st.sampled_from(OTHER_FACTS), max_size=3),
)
def test_property_the_injury_s_day_is_taken_whatever_figures_surround_it(day, injury, before, after):
    told = f"{day.year}年{day.month}月{day.day}日在厂里上班时{injury}"
    opening = "，".join([*before, told, *after])
    assert prefill_answer(injury_date(), [opening], MESSAGE_DAY) == (day.isoformat(), told)


# --- a traffic caller's own role: who the words say drove (issue 17) -------------------------


def road_user():
    return load_questionnaires()["traffic_form"].question("traffic_victim_road_user")


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("我开车", ["motor"]),
        ("我开车被追尾了", ["motor"]),
        ("我开车，对方司机开车闯红灯", ["motor"]),  # both drove: the caller's own
        ("坐朋友的车", ["passenger"]),
        ("坐他开的车", ["passenger"]),
        ("我朋友开车，我坐副驾", ["passenger"]),
        ("坐朋友的顺风车回老家，他开车打瞌睡撞了护栏，我受伤了", ["passenger"]),
        ("骑电动车被撞", ["non_motor"]),
        ("对方开车撞了我，我在走路", ["pedestrian"]),
        ("我骑电动车，对方骑摩托车撞了我", ["non_motor"]),
        ("他开车", None),  # only the other's driving: not understood, asked again
        ("对方开车撞了我", None),
        ("她一直开车", None),
    ],
)
def test_the_road_user_is_who_the_words_say_travelled_so(answer, expected):
    assert understood(road_user(), answer, MESSAGE_DAY) == expected


def test_a_passenger_s_opening_is_not_read_as_the_driver_s():
    opening = "坐朋友的顺风车回老家，他开车打瞌睡撞了护栏，我受伤了"
    assert prefill_answer(road_user(), [opening], MESSAGE_DAY) == (["passenger"], "坐朋友的顺风车回老家")
    # Told only of the other driver, the caller's own way is asked, not guessed.
    assert prefill_answer(road_user(), ["他开车打瞌睡撞了护栏，我受伤了"], MESSAGE_DAY) is None


@pytest.mark.parametrize(
    "opening, expected",
    [
        ("坐朋友的顺风车回老家，他开车打瞌睡撞了护栏，我受伤了", None),  # a home town, not the residence
        ("我老家河南的，在上海打工，下班路上被车撞了", None),
        ("户口在安徽，被车撞伤了", None),
        ("我们一家住在浙江杭州，我妈被车撞了", ("我们一家住在浙江杭州", "我们一家住在浙江杭州")),
    ],
)
def test_the_province_is_taken_from_where_the_caller_lives_only(opening, expected):
    province = load_questionnaires()["traffic_form"].question("traffic_province")
    assert prefill_answer(province, [opening], MESSAGE_DAY) == expected


@pytest.mark.parametrize(
    "form, slot, opening, expected",
    [
        # a clause that is only a time gives its day to the event beside it, before or after
        (
            "work_injury_form",
            "work_injury_date",
            "去年3月5号，在车间干活手被机器压断了",
            ("2025-03-05", "去年3月5号，在车间干活手被机器压断了"),
        ),
        (
            "work_injury_form",
            "work_injury_date",
            "手被机器压断了，就在上个月10号",
            ("2026-10-10", "手被机器压断了，就在上个月10号"),
        ),
        (
            "traffic_form",
            "traffic_accident_date",
            "2026年10月12日早上，骑车被汽车撞了",
            ("2026-10-12", "2026年10月12日早上，骑车被汽车撞了"),
        ),
        # a date that belongs to something else is not the injury's
        ("work_injury_form", "work_injury_date", "2019年进厂，干活时手被机器压断了", None),
        ("work_injury_form", "work_injury_date", "上个月10号发的工资，后来干活时摔伤了", None),
    ],
)
def test_a_date_said_in_its_own_clause_is_the_day_of_the_event_beside_it(form, slot, opening, expected):
    question = load_questionnaires()[form].question(slot)
    assert prefill_answer(question, [opening], MESSAGE_DAY) == expected


def test_without_other_subjects_a_choice_is_read_whoever_did_it():
    # labor_issues has none: "他把我辞退了" is the caller's dismissal.
    issues = load_questionnaires()["labor_form"].question("labor_issues")
    assert not issues.other_subjects
    assert "dismissal" in understood(issues, "他把我辞退了", MESSAGE_DAY)


def test_a_repayment_due_after_a_duration_is_prefilled_from_the_loan_day_told_beside_it():
    # MESSAGE_DAY is 2026-11-22: "去年三月" is 2025-03, and "说好半年还" half a year after it,
    # not half a year before today.
    loan = load_questionnaires()["private_loan_form"]
    opening = "去年三月借给同事两万块钱，没打借条，说好半年还，到现在都没还"
    lent, _ = prefill_answer(loan.question("private_loan_date"), [opening], MESSAGE_DAY)
    due = loan.question("private_loan_due_date")
    assert prefill_answer(due, [opening], MESSAGE_DAY) is None
    known = [(q, lent if q.slot == "private_loan_date" else None) for q in loan.questions]
    assert (lent, prefill_answer(due, [opening], MESSAGE_DAY, earlier=known)) == ("2025-03", ("2025-09", "说好半年还"))
    unknown = [(q, None) for q in loan.questions]
    assert prefill_answer(due, ["说好半年还"], MESSAGE_DAY, earlier=unknown) is None  # no loan day: asked

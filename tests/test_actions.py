"""Custom actions run against a real (SQLite) database with migrations applied."""
import asyncio
import time

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.crisis import ActionCrisisResponse
from actions.handoff import ActionHandoffToLawyer
from actions.privacy import notice_text, notice_version
from actions.triage import ActionTriage
from conftest import responses_of
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import HandoffTicket
from intake_core.practice_areas import areas


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def stored_tickets():
    with session_scope() as session:
        return list(session.scalars(select(HandoffTicket).order_by(HandoffTicket.id)))


# --- triage -----------------------------------------------------------------

@pytest.mark.parametrize("area", areas(), ids=lambda area: area.key)
def test_triage_answers_first_then_gives_the_privacy_notice_and_records_its_version_and_time(
        area, dispatcher, tracker_factory, domain):
    case_type = area.case_type
    tracker = tracker_factory("…", intent=area.intent, slots={"case_type": case_type})
    before = time.time()
    events = run(ActionTriage(), dispatcher, tracker, domain)
    first, notice = dispatcher.messages
    assert first["response"] == f"utter_triage_{case_type}"  # the caller is answered, not held up
    assert notice["text"] == notice_text()
    by_slot = {event["name"]: event["value"] for event in events}
    assert by_slot["disclaimer_shown"] is True
    assert by_slot["privacy_notice_version"] == str(notice_version())
    assert before <= by_slot["privacy_notice_seen_at"] <= time.time()


def test_the_privacy_notice_says_ai_not_a_lawyer_who_sees_how_long_and_how_to_see_or_delete(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    text = notice_text()
    for said in (
        "AI",
        "不是律师",
        "不代表律所已经接受委托",
        "律师和工作人员",
        "腾讯",
        "180天",
        "我的信息",
        "删除我的信息",
    ):
        assert said in text, said


def test_triage_skips_a_notice_already_given(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(
        "…",
        intent="consult_labor",
        slots={"case_type": "labor", "disclaimer_shown": True, "privacy_notice_version": str(notice_version())},
    )
    assert run(ActionTriage(), dispatcher, tracker, domain) == []
    assert responses_of(dispatcher) == ["utter_triage_labor"]


def test_a_caller_who_saw_only_the_old_disclaimer_or_an_older_notice_is_given_the_current_one(
    dispatcher, tracker_factory, domain
):
    for seen in ({"disclaimer_shown": True}, {"disclaimer_shown": True, "privacy_notice_version": "0"}):
        dispatcher.messages.clear()
        tracker = tracker_factory("…", intent="consult_labor", slots={"case_type": "labor", **seen})
        run(ActionTriage(), dispatcher, tracker, domain)
        assert [m.get("text") for m in dispatcher.messages][1:] == [notice_text()]


def test_the_notice_is_given_once_then_only_the_triage_answer(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(
        "…",
        intent="consult_labor",
        slots={
            "case_type": "labor",
            "privacy_notice_version": str(notice_version()),
            "privacy_notice_seen_at": time.time() - 3600,
        },
    )
    assert run(ActionTriage(), dispatcher, tracker, domain) == []
    assert responses_of(dispatcher) == ["utter_triage_labor"]


def test_sessions_stay_rasas_own_so_a_first_message_never_needs_the_action_server(domain):
    """A custom action_session_start runs before every new conversation's first message:
    with the action server down, a crisis would get no emergency numbers (issue 15)."""
    assert "action_session_start" not in domain["actions"]


@pytest.mark.parametrize(
    "text, under_14",
    [
        ("我今年13岁，爸爸打我", True),
        ("我才十二岁，家里人打我", True),
        ("我是小学生，被同学家长打了", True),
        ("我今年14岁", False),
        ("我三十五岁，公司欠我工资", False),
        ("孩子三岁，我想离婚", False),
    ],
)
def test_a_caller_under_14_is_directed_to_a_guardian_or_12355(text, under_14, dispatcher, tracker_factory, domain):
    tracker = tracker_factory(text, intent="consult_other", slots={"case_type": "other"})
    run(ActionTriage(), dispatcher, tracker, domain)
    texts = [m.get("text") or "" for m in dispatcher.messages]
    assert any("12355" in t and "监护人" in t for t in texts) is under_14
    assert responses_of(dispatcher)[0] == "utter_triage_other"  # still answered


def test_triage_without_a_case_type_asks_what_happened(dispatcher, tracker_factory, domain):
    assert run(ActionTriage(), dispatcher, tracker_factory("嗯"), domain) == []
    assert responses_of(dispatcher) == ["utter_ask_what_happened"]


# --- handoff ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sender, claimed, recorded",
    [
        ("conv-9", "wechat", "rest"),  # a REST client claiming WeChat (issue 15, L4)
        ("wechat:oCaller", "rest", "wechat"),  # a WeChat conversation moved to rest by a REST post
        ("wecom:ww01:zhangsan", "wecom", "wecom"),
        ("web:" + "a" * 32, "socketio", "socketio"),
    ],
)
def test_the_tickets_channel_is_the_conversations_own_not_what_the_message_claimed(
    sender, claimed, recorded, database_url, dispatcher, tracker_factory, domain
):
    tracker = tracker_factory("转人工", intent="request_lawyer", sender_id=sender, channel=claimed)
    run(ActionHandoffToLawyer(), dispatcher, tracker, domain)
    [ticket] = stored_tickets()
    assert (ticket.conversation_id, ticket.channel) == (sender, recorded)


@pytest.mark.parametrize(
    "text, intent, reason",
    [
        ("老板欠我工资，你们能帮我打官司吗", "request_lawyer", "representation"),
        ("帮我写一份起诉状", "request_lawyer", "documents"),
        ("我这官司能赢吗给个准话", "request_lawyer", "outcome_guarantee"),
        ("转人工", "request_lawyer", "human"),
        ("/request_lawyer", "request_lawyer", "human"),
        ("我要投诉你们律所的律师", "complaint", "complaint"),
        ("那个事情还是你们来弄吧", "request_lawyer", "boundary"),
    ],
)
def test_handoff_records_a_ticket_with_its_reason(
    text, intent, reason, database_url, dispatcher, tracker_factory, domain
):
    tracker = tracker_factory(text, intent=intent, slots={"case_type": "labor"}, sender_id="conv-42")
    events = run(ActionHandoffToLawyer(), dispatcher, tracker, domain)

    [ticket] = stored_tickets()
    assert (ticket.conversation_id, ticket.channel, ticket.case_type) == ("conv-42", "rest", "labor")
    assert (ticket.reason, ticket.urgency, ticket.status) == (reason, "normal", "open")
    assert ticket.trigger_text == text
    responses = responses_of(dispatcher)
    assert responses[:2] == [f"utter_handoff_reason_{reason}", "utter_handoff_next_steps"]
    # When to expect contact depends on the clock (office hours): one of the two.
    assert responses[2] in {"utter_handoff_contact_open", "utter_handoff_contact_after_hours"}
    assert responses[3:] == ["utter_handoff_prepare_labor", "utter_handoff_while_waiting"]
    assert dispatcher.messages[1]["handoff_ticket"] == ticket.ticket_no
    # The assistant steps back until the lawyer hands the conversation back.
    assert events == [SlotSet("handoff_ticket", ticket.ticket_no), SlotSet("handoff_active", True)]


def test_handoff_records_an_unknown_case_type_as_none(database_url, dispatcher, tracker_factory, domain):
    run(ActionHandoffToLawyer(), dispatcher, tracker_factory("转人工", intent="request_lawyer"), domain)
    assert stored_tickets()[0].case_type is None


def test_ticket_numbers_are_distinct(database_url, dispatcher, tracker_factory, domain):
    # Two conversations: one conversation keeps its one open ticket (issue 15, M6).
    for conversation_id in ("conv-a", "conv-b"):
        run(
            ActionHandoffToLawyer(),
            dispatcher,
            tracker_factory("转人工", intent="request_lawyer", sender_id=conversation_id),
            domain,
        )
    numbers = [ticket.ticket_no for ticket in stored_tickets()]
    assert len(numbers) == 2 and numbers[0] != numbers[1]


def test_handoff_still_answers_when_the_database_is_down(
    tmp_path, monkeypatch, dispatcher, tracker_factory, domain, caplog
):
    from intake_core.persistence import database

    # A database file whose schema was never migrated: the insert fails.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.db'}")
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()
    text = "我叫张三，电话13800000000，帮我打官司"
    events = run(ActionHandoffToLawyer(), dispatcher, tracker_factory(text, intent="request_lawyer"), domain)
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()

    assert responses_of(dispatcher) == ["utter_handoff_reason_representation", "utter_handoff_not_recorded"]
    # No ticket, no lawyer coming: the assistant is not paused.
    assert events == []
    assert "13800000000" not in caplog.text and "张三" not in caplog.text


# --- crisis -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ("讨不到工钱，我不想活了", "self_harm"),
        ("我老公正在打我", "domestic_violence"),
        ("包工头说要弄死我", "violence"),
        ("老板不给钱我就去砍了他", "harm_to_others"),
        ("我好害怕，怎么办", "general"),
    ],
)
def test_crisis_answers_with_the_text_fitting_the_danger_and_raises_an_urgent_ticket(
    text, kind, database_url, dispatcher, tracker_factory, domain
):
    tracker = tracker_factory(text, intent="crisis", sender_id="conv-7")
    events = run(ActionCrisisResponse(), dispatcher, tracker, domain)

    assert responses_of(dispatcher) == [f"utter_crisis_{kind}", "utter_crisis_followup"]
    [ticket] = stored_tickets()
    assert (ticket.reason, ticket.urgency, ticket.conversation_id) == ("crisis", "urgent", "conv-7")
    assert SlotSet("handoff_ticket", ticket.ticket_no) in events


def test_crisis_response_comes_first_even_if_recording_fails(
    tmp_path, monkeypatch, dispatcher, tracker_factory, domain
):
    from intake_core.persistence import database

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.db'}")
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()
    run(ActionCrisisResponse(), dispatcher, tracker_factory("我想死", intent="crisis"), domain)
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()
    assert responses_of(dispatcher) == ["utter_crisis_self_harm", "utter_crisis_not_recorded"]

"""Custom actions run against a real (SQLite) database with migrations applied."""
import asyncio

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.crisis import ActionCrisisResponse
from actions.handoff import ActionHandoffToLawyer
from actions.persistence.database import session_scope
from actions.persistence.models import HandoffTicket
from actions.triage import ActionTriage
from conftest import responses_of


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def stored_tickets():
    with session_scope() as session:
        return list(session.scalars(select(HandoffTicket).order_by(HandoffTicket.id)))


# --- triage -----------------------------------------------------------------

@pytest.mark.parametrize("case_type", ["divorce", "labor", "contract", "other"])
def test_triage_names_the_matter_and_gives_the_disclaimer_once(case_type, dispatcher, tracker_factory, domain):
    tracker = tracker_factory("…", intent=f"consult_{case_type}", slots={"case_type": case_type})
    events = run(ActionTriage(), dispatcher, tracker, domain)
    assert responses_of(dispatcher) == [f"utter_triage_{case_type}", "utter_consultation_disclaimer"]
    assert events == [SlotSet("disclaimer_shown", True)]


def test_triage_skips_a_disclaimer_already_given(dispatcher, tracker_factory, domain):
    tracker = tracker_factory("…", intent="consult_labor", slots={"case_type": "labor", "disclaimer_shown": True})
    assert run(ActionTriage(), dispatcher, tracker, domain) == []
    assert responses_of(dispatcher) == ["utter_triage_labor"]


def test_triage_without_a_case_type_asks_what_happened(dispatcher, tracker_factory, domain):
    assert run(ActionTriage(), dispatcher, tracker_factory("嗯"), domain) == []
    assert responses_of(dispatcher) == ["utter_ask_what_happened"]


# --- handoff ----------------------------------------------------------------

@pytest.mark.parametrize("sender, claimed, recorded", [
    ("conv-9", "wechat", "rest"),                     # a REST client claiming WeChat (issue 15, L4)
    ("wechat:oCaller", "rest", "wechat"),             # a WeChat conversation moved to rest by a REST post
    ("wecom:ww01:zhangsan", "wecom", "wecom"),
    ("web:" + "a" * 32, "socketio", "socketio"),
])
def test_the_tickets_channel_is_the_conversations_own_not_what_the_message_claimed(
        sender, claimed, recorded, database_url, dispatcher, tracker_factory, domain):
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
def test_handoff_records_a_ticket_with_its_reason(text, intent, reason, database_url, dispatcher, tracker_factory, domain):
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
        run(ActionHandoffToLawyer(), dispatcher,
            tracker_factory("转人工", intent="request_lawyer", sender_id=conversation_id), domain)
    numbers = [ticket.ticket_no for ticket in stored_tickets()]
    assert len(numbers) == 2 and numbers[0] != numbers[1]


def test_handoff_still_answers_when_the_database_is_down(tmp_path, monkeypatch, dispatcher, tracker_factory, domain, caplog):
    from actions.persistence import database

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


def test_crisis_response_comes_first_even_if_recording_fails(tmp_path, monkeypatch, dispatcher, tracker_factory, domain):
    from actions.persistence import database

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.db'}")
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()
    run(ActionCrisisResponse(), dispatcher, tracker_factory("我想死", intent="crisis"), domain)
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()
    assert responses_of(dispatcher) == ["utter_crisis_self_harm", "utter_crisis_not_recorded"]

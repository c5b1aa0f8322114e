"""The caller's rights (issue 16, H8): deletion of a conversation's data in the app database
and in Rasa's tracker store, and the copy of what is held."""
import json
import time

import pytest
from rasa_sdk.events import Restarted
from sqlalchemy import func, select

from actions.desk.tickets import HandoffRequest, create_ticket
from actions.persistence.database import session_scope
from actions.persistence.models import (ConsultationRecord, HandoffTicket, Intake, IntakeAnswer,
                                        StaffNotification, TicketMessage)
from actions.rights import tracker_events
from actions.rights.actions import ActionEraseMyData, ActionShowMyData
from conftest import responses_of
from tracker_store_data import erasure_turn, save, texts, turn

CALLER = "rights-caller"
OTHER = "someone-else"


def hold_data(conversation_id, ticket_status="open"):
    """An intake with an answer, a record and a ticket for ``conversation_id``."""
    ticket_no = create_ticket(HandoffRequest(conversation_id, "rest", "labor", "documents", "normal",
                                             "公司欠我工资，身份证110101199001011234", summary="劳动争议：欠薪"))
    with session_scope() as session:
        intake = Intake(conversation_id=conversation_id, form="labor_form", case_type="labor")
        session.add(intake)
        session.flush()
        session.add(IntakeAnswer(intake_id=intake.id, slot="unpaid_months", raw_text="三个月", value='"3"'))
        session.add(ConsultationRecord(conversation_id=conversation_id, channel="rest", case_type="labor",
                                       content="{}", access_token=f"token-{conversation_id}"))
        ticket = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)).one()
        ticket.status = ticket_status
        ticket.conflict_detail = json.dumps([{"party": "某公司", "role": "client"}])
        session.add(TicketMessage(ticket_id=ticket.id, author="caller", kind="text", text="我还有加班费没给"))
        session.add(TicketMessage(ticket_id=ticket.id, author="system", kind="delivery_failure", text="internal"))
    return ticket_no


def count(model, **where):
    with session_scope() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.execute(query).scalar()


def test_deletion_removes_intakes_records_and_a_closed_ticket_and_says_so(database_url, tracker_factory, dispatcher):
    hold_data(CALLER, ticket_status="closed")
    hold_data(OTHER)

    events = ActionEraseMyData().run(dispatcher, tracker_factory("是", "affirm", sender_id=CALLER), {})

    assert events == [Restarted()]  # the next message starts a fresh conversation
    for model in (Intake, ConsultationRecord, HandoffTicket):
        assert count(model, conversation_id=CALLER) == 0
    assert count(IntakeAnswer) == 1 and count(TicketMessage) == 2  # the other caller's only
    assert count(StaffNotification) == 1
    assert [m["response"] for m in dispatcher.messages] == ["utter_data_erased"]
    said = dispatcher.messages[0]["erased"]
    assert "1 份问卷" in said and "1 份咨询备忘录" in said and "1 张已结束" in said
    assert count(Intake, conversation_id=OTHER) == 1


def test_an_open_ticket_keeps_only_that_a_deletion_happened(database_url, tracker_factory, dispatcher):
    hold_data(CALLER, ticket_status="claimed")

    ActionEraseMyData().run(dispatcher, tracker_factory("是", "affirm", sender_id=CALLER), {})

    with session_scope() as session:
        ticket = session.scalars(select(HandoffTicket)).one()
        assert ticket.status == "claimed"  # still in the lawyer's queue
        assert ticket.conversation_id == f"erased:{ticket.id}"
        for field in ("trigger_text", "summary", "intake_answers", "transcript", "conflict_detail", "channel"):
            assert getattr(ticket, field) is None, field
        notes = [(m.author, m.text) for m in ticket.messages]
    assert len(notes) == 1 and notes[0][0] == "system" and "已删除" in notes[0][1]
    assert count(StaffNotification) == 0  # a pending notification carries the summary
    assert "处理中工单" in dispatcher.messages[0]["erased"]


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("postgres_url")


def test_the_tracker_store_loses_the_conversation_up_to_the_restart_and_goes_on_empty(tracker_url):
    now = time.time()
    save(tracker_url, CALLER, turn("身份证110101199001011234", now))
    save(tracker_url, OTHER, turn("别人的话", now))
    save(tracker_url, CALLER, erasure_turn(now))  # as Rasa saves the turn after the action

    # The turns before and the erasure turn up to its restart: 4 + 4 events.
    assert tracker_events.erase_marked(tracker_url) == [8]

    assert texts(tracker_url, CALLER) == []
    save(tracker_url, CALLER, turn("新的问题", now))  # the next message: a fresh conversation
    assert texts(tracker_url, CALLER) == ["新的问题", "好的"]
    assert texts(tracker_url, OTHER) == ["别人的话", "好的"]
    assert tracker_events.erase_marked(tracker_url) == []  # nothing marked any more
    tracker_events.engine(tracker_url).dispose()


def test_a_deletion_whose_turn_is_not_saved_yet_waits(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    now = time.time()
    save(url, CALLER, turn("身份证110101199001011234", now) + erasure_turn(now)[:2])  # no restart yet

    assert tracker_events.erase_marked(url) == []
    assert texts(url, CALLER) == ["身份证110101199001011234", "好的", "是"]


def test_the_copy_gives_answers_records_and_tickets_but_not_the_conflict_check(database_url, tracker_factory,
                                                                             dispatcher):
    hold_data(CALLER)

    ActionShowMyData().run(dispatcher, tracker_factory("我的信息", "show_my_data", sender_id=CALLER), {})

    assert responses_of(dispatcher) == ["utter_my_data"]
    held = dispatcher.messages[0]["held"]
    for expected in ("三个月", "/webhooks/records/token-rights-caller", "公司欠我工资", "劳动争议：欠薪", "我还有加班费没给"):
        assert expected in held, expected
    assert "某公司" not in held and "internal" not in held


def test_the_copy_says_so_when_nothing_is_held(database_url, tracker_factory, dispatcher):
    ActionShowMyData().run(dispatcher, tracker_factory("我的信息", "show_my_data", sender_id=CALLER), {})
    assert responses_of(dispatcher) == ["utter_my_data_none"]


def test_deletion_and_the_copy_log_counts_never_the_callers_words(database_url, tracker_factory, dispatcher,
                                                                   caplog):
    import logging

    hold_data(CALLER, ticket_status="closed")
    with caplog.at_level(logging.DEBUG):
        ActionShowMyData().run(dispatcher, tracker_factory("我的信息", "show_my_data", sender_id=CALLER), {})
        ActionEraseMyData().run(dispatcher, tracker_factory("是", "affirm", sender_id=CALLER), {})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Conversation erased: 1 intakes" in logged
    for words in ("110101199001011234", "三个月", "加班费", CALLER):
        assert words not in logged

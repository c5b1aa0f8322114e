"""The caller's rights (issue 16, H8): deletion of a conversation's data in the app database
and in Rasa's tracker store, the copy of what is held, and the withdrawal of a separate consent."""
import json
import logging
import time

import pytest
from rasa_sdk.events import Restarted
from sqlalchemy import func, select

from actions.privacy import consent_withdrawn_text, kinds_named, nothing_to_withdraw_text
from actions.rights import ActionEraseMyData, ActionShowMyData, ActionWithdrawConsent
from conftest import responses_of
from intake_core.desk.tickets import HandoffRequest, create_ticket
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import (
    ConsultationRecord,
    HandoffTicket,
    Intake,
    IntakeAnswer,
    StaffNotification,
    TicketMessage,
)
from intake_core.rights import tracker_events, withdrawal
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
    expected_parts = ("三个月", "/webhooks/records/token-rights-caller", "公司欠我工资", "劳动争议：欠薪",
                      "我还有加班费没给")
    for expected in expected_parts:
        assert expected in held, expected
    assert "某公司" not in held and "internal" not in held


def test_the_copy_says_so_when_nothing_is_held(database_url, tracker_factory, dispatcher):
    ActionShowMyData().run(dispatcher, tracker_factory("我的信息", "show_my_data", sender_id=CALLER), {})
    assert responses_of(dispatcher) == ["utter_my_data_none"]


def test_deletion_and_the_copy_log_counts_never_the_callers_words(database_url, tracker_factory, dispatcher, caplog):
    hold_data(CALLER, ticket_status="closed")
    with caplog.at_level(logging.DEBUG):
        ActionShowMyData().run(dispatcher, tracker_factory("我的信息", "show_my_data", sender_id=CALLER), {})
        ActionEraseMyData().run(dispatcher, tracker_factory("是", "affirm", sender_id=CALLER), {})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Conversation erased: 1 intakes" in logged
    for words in ("110101199001011234", "三个月", "加班费", CALLER):
        assert words not in logged


# --- withdrawing a separate consent (PIPL art. 15) ---------------------------------------

CONSENTED = {
    "consent_health": True,
    "consent_child": True,
    "labor_injury_date": "2026-10-01",
    "divorce_children_ages": [3],
    "labor_monthly_wage": "8000",
    "intake_raw_answers": {
        "labor_injury_date": "十月一号摔伤的",
        "divorce_children_ages": "孩子三岁",
        "labor_monthly_wage": "八千",
    },
}


def hold_answers(conversation_id):
    """Stored answers of two kinds and of none; the injury date answered twice (a correction)."""
    with session_scope() as session:
        for form, case_type, answers in (
            (
                "labor_form",
                "labor",
                [
                    ("labor_injury_date", "九月摔伤的"),
                    ("labor_injury_date", "十月一号摔伤的"),
                    ("labor_monthly_wage", "八千"),
                ],
            ),
            ("divorce_form", "divorce", [("divorce_children_ages", "孩子三岁")]),
        ):
            intake = Intake(conversation_id=conversation_id, form=form, case_type=case_type)
            session.add(intake)
            session.flush()
            for slot, words in answers:
                session.add(IntakeAnswer(intake_id=intake.id, slot=slot, raw_text=words, value='"x"'))


def stored_slots(conversation_id):
    with session_scope() as session:
        return sorted(
            session.scalars(select(IntakeAnswer.slot).join(Intake).where(Intake.conversation_id == conversation_id))
        )


def withdraw(dispatcher, tracker_factory, text, slots):
    events = ActionWithdrawConsent().run(
        dispatcher, tracker_factory(text, "withdraw_consent", slots=slots, sender_id=CALLER), {}
    )
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_a_kind_named_is_withdrawn_alone_and_only_its_answers_are_deleted(database_url, tracker_factory, dispatcher):
    hold_answers(CALLER)
    hold_answers(OTHER)

    slots = withdraw(dispatcher, tracker_factory, "受伤的信息别保存了", CONSENTED)

    assert slots["consent_health"] is False and "consent_child" not in slots
    assert slots["labor_injury_date"] is None and slots["divorce_pregnancy"] is None  # every health question
    assert "divorce_children_ages" not in slots and "labor_monthly_wage" not in slots
    assert slots["intake_raw_answers"] == {"divorce_children_ages": "孩子三岁", "labor_monthly_wage": "八千"}
    assert stored_slots(CALLER) == ["divorce_children_ages", "labor_monthly_wage"]  # both injury answers gone
    assert stored_slots(OTHER) == [
        "divorce_children_ages",
        "labor_injury_date",
        "labor_injury_date",
        "labor_monthly_wage",
    ]
    assert [m["text"] for m in dispatcher.messages] == [consent_withdrawn_text("health")]


def test_without_a_kind_named_every_consent_given_is_withdrawn(database_url, tracker_factory, dispatcher):
    hold_answers(CALLER)

    slots = withdraw(dispatcher, tracker_factory, "我撤回同意", CONSENTED)

    assert slots["consent_health"] is False and slots["consent_child"] is False
    assert slots["divorce_children_ages"] is None and slots["divorce_children_live_with"] is None
    assert stored_slots(CALLER) == ["labor_monthly_wage"]
    said = dispatcher.messages[0]["text"]
    assert said == consent_withdrawn_text("health") + "\n" + consent_withdrawn_text("child")


@pytest.mark.parametrize(
    "text, consents",
    [
        ("我撤回同意", {}),  # never asked
        ("我撤回同意", {"consent_health": False, "consent_child": None}),  # refused, or not asked yet
        ("孩子的情况不要记录了", {"consent_health": True}),  # the kind named was never consented to
    ],
)
def test_nothing_to_withdraw_changes_nothing_and_says_so(database_url, tracker_factory, dispatcher, text, consents):
    hold_answers(CALLER)

    events = ActionWithdrawConsent().run(
        dispatcher, tracker_factory(text, "withdraw_consent", slots=consents, sender_id=CALLER), {}
    )

    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [nothing_to_withdraw_text()]
    assert len(stored_slots(CALLER)) == 4


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("银行卡信息删掉不要记", ["bank_account"]),
        ("我住哪这个你们别存", ["whereabouts"]),
        ("小孩的事我不同意你们记了", ["child"]),
        ("我不想让你们记录我的伤情了", ["health"]),
        ("刚才同意的那个取消", []),
    ],
)
def test_the_kinds_are_named_by_the_words_in_the_privacy_content(text, kinds):
    assert kinds_named(text) == kinds


def test_a_failed_deletion_withdraws_nothing_and_says_so(database_url, tracker_factory, dispatcher, monkeypatch):
    def fail(*_):
        raise RuntimeError("database down")

    monkeypatch.setattr(withdrawal, "delete_answers", fail)

    events = ActionWithdrawConsent().run(
        dispatcher, tracker_factory("我撤回同意", "withdraw_consent", slots=CONSENTED, sender_id=CALLER), {}
    )

    assert events == []  # the consents stay as they were: the caller may ask again
    assert responses_of(dispatcher) == ["utter_rights_failed"]


def test_withdrawal_logs_kinds_and_counts_never_the_callers_words(database_url, tracker_factory, dispatcher, caplog):
    hold_answers(CALLER)
    with caplog.at_level(logging.DEBUG):
        withdraw(dispatcher, tracker_factory, "孩子三岁那个别记了，撤回", CONSENTED)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Consent withdrawn for child: 1 stored answers deleted." in logged
    for words in ("孩子三岁", "撤回", "摔伤", CALLER):
        assert words not in logged

"""The retention purge (issue 16, H8): conversations, intakes, records and closed tickets
older than the period go from both databases; an open matter stays while it is open.
On SQLite and on PostgreSQL (app database and Rasa's tracker store)."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DatabaseError

from conftest import _forget_engines, migrate
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import (
    AccessAudit,
    ConsultationRecord,
    HandoffTicket,
    Intake,
    IntakeAnswer,
    TicketMessage,
)
from intake_core.rights import tracker_events
from intake_core.rights.retention import purge, retention_days
from tracker_store_data import save, texts, turn

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
OLD = NOW - timedelta(days=200)
RECENT = NOW - timedelta(days=10)


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path, monkeypatch):
    """(app database url, tracker store url), both migrated/empty, the app one in use."""
    if request.param == "sqlite":
        app_url, tracker_url = f"sqlite:///{tmp_path / 'app.db'}", f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        app_url = tracker_url = request.getfixturevalue("postgres_url")  # Rasa's `events` beside the app tables
    migrate(app_url)
    monkeypatch.setenv("DATABASE_URL", app_url)
    _forget_engines()
    yield app_url, tracker_url
    tracker_events.engine(tracker_url).dispose()
    _forget_engines()


def conversation(tracker_url, conversation_id, at, ticket_status=None):
    save(tracker_url, conversation_id, turn(f"{conversation_id} 的话", at.timestamp()))
    with session_scope() as session:
        intake = Intake(conversation_id=conversation_id, form="labor_form", case_type="labor",
                        started_at=at, updated_at=at)
        session.add(intake)
        session.flush()
        session.add(IntakeAnswer(intake_id=intake.id, slot="unpaid_months", raw_text="三个月", answered_at=at))
        session.add(ConsultationRecord(conversation_id=conversation_id, case_type="labor", content="{}",
                                       access_token=f"t-{conversation_id}", created_at=at))
        if ticket_status:
            ticket = HandoffTicket(conversation_id=conversation_id, reason="documents", status=ticket_status,
                                   created_at=at, closed_at=at if ticket_status == "closed" else None)
            session.add(ticket)
            session.flush()
            session.add(TicketMessage(ticket_id=ticket.id, author="caller", text="话", created_at=at))


def held(model):
    with session_scope() as session:
        return sorted(session.scalars(select(model.conversation_id)))


def count(model):
    with session_scope() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_the_purge_deletes_what_is_older_than_the_period_but_not_an_open_matter(databases):
    _, tracker_url = databases
    conversation(tracker_url, "old-closed", OLD, ticket_status="closed")
    conversation(tracker_url, "old-open", OLD, ticket_status="open")
    conversation(tracker_url, "recent", RECENT)

    dry = purge(dry_run=True, now=NOW, tracker_url=tracker_url)

    assert (dry.conversations, dry.tracker_events, dry.intakes, dry.records, dry.tickets) == (1, 4, 1, 1, 1)
    assert str(dry).startswith("would delete: 1 conversations")
    assert held(Intake) == ["old-closed", "old-open", "recent"]  # a dry run deletes nothing
    assert texts(tracker_url, "old-closed") != []

    done = purge(now=NOW, tracker_url=tracker_url)

    assert (done.conversations, done.tracker_events, done.intakes, done.records, done.tickets) == (1, 4, 1, 1, 1)
    for model in (Intake, ConsultationRecord):
        assert held(model) == ["old-open", "recent"]
    assert held(HandoffTicket) == ["old-open"]
    assert count(IntakeAnswer) == 2 and count(TicketMessage) == 1
    assert texts(tracker_url, "old-closed") == []
    assert texts(tracker_url, "old-open") == ["old-open 的话", "好的"]
    assert texts(tracker_url, "recent") == ["recent 的话", "好的"]


def test_the_access_audit_is_kept_three_years_then_purged(databases):
    # Real time: the database's own clock guards the rows (migration 0009).
    now = datetime.now(timezone.utc)
    with session_scope() as session:
        for years, username in ((4, "old"), (2, "young")):
            session.add(AccessAudit(at=now - timedelta(days=365 * years), username=username, action="view_ticket"))
    with pytest.raises(DatabaseError, match="three years"):
        with session_scope() as session:  # not even a script may shorten the three years
            session.execute(delete(AccessAudit).where(AccessAudit.username == "young"))

    assert purge(dry_run=True, now=now).audit_entries == 1
    assert purge(now=now).audit_entries == 1

    with session_scope() as session:
        assert list(session.scalars(select(AccessAudit.username))) == ["young"]


def test_the_period_is_180_days_unless_configured(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert retention_days() == 180
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert retention_days() == 30
    monkeypatch.setenv("RETENTION_DAYS", "0")
    with pytest.raises(ValueError):
        retention_days()


def test_the_cli_dry_run_reports_counts(databases, monkeypatch, capsys):
    from console.__main__ import main

    _, tracker_url = databases
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    conversation(tracker_url, "very-old", datetime.now(timezone.utc) - timedelta(days=400), ticket_status="closed")

    assert main(["purge", "--dry-run"]) == 0

    assert capsys.readouterr().out.strip() == (
        "would delete: 1 conversations (4 tracker events), 1 intakes, 1 records, 1 closed tickets, "
        "0 access audit entries over three years old")
    assert held(Intake) == ["very-old"]


def test_the_console_scheduler_finishes_a_deletion_made_in_the_chat(databases, monkeypatch):
    from console import scheduler
    from tracker_store_data import erasure_turn

    _, tracker_url = databases
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    save(tracker_url, "erasing", turn("身份证110101199001011234", time.time()) + erasure_turn(time.time()))

    scheduler.run_once(None)

    assert texts(tracker_url, "erasing") == []


def test_the_cli_erases_one_conversation_in_both_databases(databases, monkeypatch, capsys):
    from console.__main__ import main

    _, tracker_url = databases
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    conversation(tracker_url, "asked-by-phone", RECENT, ticket_status="closed")
    conversation(tracker_url, "someone-else", RECENT)

    assert main(["erase", "asked-by-phone"]) == 0

    assert "1 intakes, 1 records, 1 tickets deleted" in capsys.readouterr().out
    assert held(Intake) == held(ConsultationRecord) == ["someone-else"] and held(HandoffTicket) == []
    assert texts(tracker_url, "asked-by-phone") == []
    assert texts(tracker_url, "someone-else") == ["someone-else 的话", "好的"]

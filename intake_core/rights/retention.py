"""The retention period (PIPL art 19): what is older than it is deleted, in the app
database and in Rasa's tracker store, except a matter still open.

"Older" is the last activity: a conversation's latest event, an intake's last
answer, a record's creation, a ticket's closing. A conversation with an open or
claimed ticket is kept whole (tracker, intakes, records) while the ticket is open.

The console's access audit has its own period: three years, the least PIPL art. 56 asks
of a record of processing; the database refuses to delete a younger row (migration 0009).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

# One home for the period: the privacy notice tells the caller the same number.
from intake_core.config import retention_days
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import AccessAudit, ConsultationRecord, HandoffTicket, Intake
from intake_core.rights import tracker_events
from intake_core.rights.erasure import ACTIVE_TICKET, Erased, delete_intakes, delete_tickets


@dataclass
class Purged:
    conversations: int = 0
    tracker_events: int = 0
    intakes: int = 0
    records: int = 0
    tickets: int = 0
    audit_entries: int = 0
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (
            f"{verb}: {self.conversations} conversations ({self.tracker_events} tracker events), "
            f"{self.intakes} intakes, {self.records} records, {self.tickets} closed tickets, "
            f"{self.audit_entries} access audit entries over three years old"
        )


AUDIT_KEPT_YEARS = 3  # PIPL art. 56; migration 0009's triggers hold the same number


def audit_cutoff(now: datetime) -> datetime:
    """Audit rows before this may go: three years back, and a day more so that the purge's
    clock and the database's never disagree about a row on the boundary."""
    try:
        back = now.replace(year=now.year - AUDIT_KEPT_YEARS)
    except ValueError:  # 29 February
        back = now.replace(year=now.year - AUDIT_KEPT_YEARS, day=28)
    return back - timedelta(days=1)


def purge(
    dry_run: bool = False, now: datetime | None = None, days: int | None = None, tracker_url: str | None = None
) -> Purged:
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=days or retention_days())
    result = Purged(dry_run=dry_run)
    with session_scope() as session:
        kept = set(
            session.scalars(select(HandoffTicket.conversation_id).where(HandoffTicket.status.in_(ACTIVE_TICKET)))
        )
        intake_ids = [
            i
            for i, conversation in session.execute(
                select(Intake.id, Intake.conversation_id).where(Intake.updated_at < cutoff)
            )
            if conversation not in kept
        ]
        record_ids = [
            r
            for r, conversation in session.execute(
                select(ConsultationRecord.id, ConsultationRecord.conversation_id).where(
                    ConsultationRecord.created_at < cutoff
                )
            )
            if conversation not in kept
        ]
        ticket_ids = list(
            session.scalars(
                select(HandoffTicket.id).where(
                    HandoffTicket.status.not_in(ACTIVE_TICKET),
                    func.coalesce(HandoffTicket.closed_at, HandoffTicket.created_at) < cutoff,
                )
            )
        )
        result.intakes, result.records, result.tickets = len(intake_ids), len(record_ids), len(ticket_ids)
        if not dry_run:
            delete_intakes(session, intake_ids, Erased())
            if record_ids:
                session.query(ConsultationRecord).filter(ConsultationRecord.id.in_(record_ids)).delete(
                    synchronize_session=False
                )
            delete_tickets(session, ticket_ids)
        old_audit = AccessAudit.at < audit_cutoff(now)
        result.audit_entries = session.execute(
            select(func.count()).select_from(AccessAudit).where(old_audit)
        ).scalar_one()
        if not dry_run and result.audit_entries:
            session.query(AccessAudit).filter(old_audit).delete(synchronize_session=False)
    stale = [
        sender
        for sender, last in tracker_events.last_activity(tracker_url).items()
        if last < cutoff and sender not in kept
    ]
    result.conversations = len(stale)
    for sender in stale:
        if dry_run:
            result.tracker_events += tracker_events.count_events(sender, tracker_url)
        else:
            result.tracker_events += tracker_events.erase_conversation(sender, tracker_url)
    return result

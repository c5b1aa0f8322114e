"""Deleting what the application database holds about one conversation (PIPL art 47).

Intakes with their answers, consultation records, and tickets are deleted. A ticket
still being worked on (open or claimed) is kept as an empty shell with one note, so
the lawyer sees that the caller deleted their information instead of a ticket that
silently vanished; its conversation id is replaced, so nothing links it to the caller
and no reply can reach the new conversation. The tracker store's events are deleted
after the turn (``tracker_events.erase_marked``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake_core.persistence.database import affected_rows
from intake_core.persistence.models import (
    ConsultationRecord,
    HandoffTicket,
    Intake,
    IntakeAnswer,
    StaffNotification,
    TicketMessage,
)

ACTIVE_TICKET = ("open", "claimed")
ERASED_PREFIX = "erased:"
ERASURE_NOTE = "来访者已删除其信息：本工单的内容、对话和问卷回答均已删除，请勿再联系。"


@dataclass
class Erased:
    intakes: int = 0
    answers: int = 0
    records: int = 0
    tickets_deleted: int = 0
    tickets_emptied: int = 0

    @property
    def anything(self) -> bool:
        return any((self.intakes, self.records, self.tickets_deleted, self.tickets_emptied))


def delete_intakes(session: Session, intake_ids: list[int], erased: Erased) -> None:
    if not intake_ids:
        return
    # Children first: SQLite enforces no ON DELETE CASCADE without a pragma.
    erased.answers += affected_rows(session.execute(delete(IntakeAnswer).where(IntakeAnswer.intake_id.in_(intake_ids))))
    erased.intakes += affected_rows(session.execute(delete(Intake).where(Intake.id.in_(intake_ids))))


def _drop_ticket_children(session: Session, ticket_ids: list[int]) -> None:
    session.execute(delete(TicketMessage).where(TicketMessage.ticket_id.in_(ticket_ids)))
    # A pending notification's payload carries the ticket's summary.
    session.execute(delete(StaffNotification).where(StaffNotification.ticket_id.in_(ticket_ids)))


def delete_tickets(session: Session, ticket_ids: list[int]) -> int:
    if not ticket_ids:
        return 0
    _drop_ticket_children(session, ticket_ids)
    return affected_rows(session.execute(delete(HandoffTicket).where(HandoffTicket.id.in_(ticket_ids))))


def empty_ticket(session: Session, ticket: HandoffTicket) -> None:
    _drop_ticket_children(session, [ticket.id])
    for field in (
        "trigger_text",
        "summary",
        "intake_answers",
        "guidance",
        "transcript",
        "other_party",
        "amount_at_stake",
        "nearest_deadline",
        "conflict_detail",
        "channel",
    ):
        setattr(ticket, field, None)
    ticket.conversation_id = f"{ERASED_PREFIX}{ticket.id}"
    session.add(TicketMessage(ticket_id=ticket.id, author="system", kind="event", text=ERASURE_NOTE))


def erase_conversation(session: Session, conversation_id: str) -> Erased:
    erased = Erased()
    delete_intakes(
        session, list(session.scalars(select(Intake.id).where(Intake.conversation_id == conversation_id))), erased
    )
    erased.records = affected_rows(
        session.execute(delete(ConsultationRecord).where(ConsultationRecord.conversation_id == conversation_id))
    )
    tickets = list(session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)))
    active = [ticket for ticket in tickets if ticket.status in ACTIVE_TICKET]
    for ticket in active:
        empty_ticket(session, ticket)
    erased.tickets_emptied = len(active)
    erased.tickets_deleted = delete_tickets(session, [t.id for t in tickets if t.status not in ACTIVE_TICKET])
    return erased

"""Working the queue: what the console reads and changes on tickets."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import selectinload

from intake_core.desk.tickets import URGENCY_RANK
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import HandoffTicket, StaffUser, TicketMessage
from intake_core.practice_areas import case_types

STATUSES = ("open", "claimed", "handed_back", "closed")
OUTCOMES = ("retained", "referred", "advised", "no_action")


class TicketStateError(ValueError):
    """The action does not fit the ticket's state (e.g. claiming a closed ticket)."""


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def queue(status: str | None = None, case_type: str | None = None) -> list[HandoffTicket]:
    """Most urgent first, then oldest first. Default: everything not closed."""
    urgency_order = case({name: rank for name, rank in URGENCY_RANK.items()}, value=HandoffTicket.urgency, else_=9)
    query = select(HandoffTicket).options(selectinload(HandoffTicket.lawyer))
    if status in STATUSES:
        query = query.where(HandoffTicket.status == status)
    else:
        query = query.where(HandoffTicket.status != "closed")
    if case_type in case_types():
        query = query.where(HandoffTicket.case_type == case_type)
    with session_scope() as session:
        return list(
            session.execute(query.order_by(urgency_order, HandoffTicket.created_at, HandoffTicket.id)).scalars()
        )


def get(ticket_id: int) -> HandoffTicket | None:
    with session_scope() as session:
        return session.execute(
            select(HandoffTicket)
            .where(HandoffTicket.id == ticket_id)
            .options(selectinload(HandoffTicket.messages), selectinload(HandoffTicket.lawyer))
        ).scalar_one_or_none()


def loads(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def _note(
    session, ticket: HandoffTicket, author: str, text: str, kind: str = "event", author_name: str | None = None
) -> None:
    session.add(TicketMessage(ticket_id=ticket.id, author=author, author_name=author_name, kind=kind, text=text))


def claim(ticket_id: int, user: StaffUser) -> HandoffTicket:
    # One conditional UPDATE decides: two lawyers pressing "claim" at the same moment both read
    # "open", so a read-then-write lets both win and the caller hears twice. The database lets
    # exactly one UPDATE match; the other sees rowcount 0 and is told who was faster.
    with session_scope() as session:
        won = (
            session.execute(
                update(HandoffTicket)
                .where(
                    HandoffTicket.id == ticket_id,
                    or_(
                        HandoffTicket.status == "open",
                        (HandoffTicket.status == "claimed") & (HandoffTicket.claimed_by == user.id),
                    ),
                )
                .values(status="claimed", claimed_by=user.id, claimed_at=datetime.now(timezone.utc))
                .execution_options(synchronize_session=False)
            ).rowcount
            == 1
        )
        ticket = session.get(HandoffTicket, ticket_id)
        if not won:
            if ticket is not None and ticket.status == "claimed":
                raise TicketStateError("该工单已被其他律师认领")
            raise TicketStateError("只有待处理的工单可以认领")
        _note(session, ticket, "system", "claimed", author_name=user.display_name)
        return ticket


def record_reply(ticket_id: int, user: StaffUser, text: str) -> None:
    with session_scope() as session:
        ticket = session.get(HandoffTicket, ticket_id)
        _note(session, ticket, "lawyer", text, kind="text", author_name=user.display_name)


def check_can_reply(ticket: HandoffTicket, user: StaffUser) -> None:
    if is_erased(ticket):
        raise TicketStateError("来访者已删除其信息，不能再回复")
    if ticket.status != "claimed" or ticket.claimed_by != user.id:
        raise TicketStateError("请先认领工单，再回复来访者")


def is_erased(ticket: HandoffTicket) -> bool:
    # The caller deleted their information: the ticket no longer leads to any conversation.
    return ticket.conversation_id.startswith("erased:")


def _check_owner(ticket: HandoffTicket, user: StaffUser) -> None:
    # A claimed ticket is its lawyer's: nobody else but an admin closes it or hands it back.
    # An unclaimed ticket any staff member may still deal with.
    if ticket.claimed_by is not None and ticket.claimed_by != user.id and user.role != "admin":
        raise TicketStateError("该工单由其他律师负责，只有认领的律师可以交回或关闭")


def hand_back(ticket_id: int, user: StaffUser) -> HandoffTicket:
    with session_scope() as session:
        ticket = session.get(HandoffTicket, ticket_id)
        if ticket is None or ticket.status not in ("open", "claimed"):
            raise TicketStateError("该工单已交回或已关闭")
        _check_owner(ticket, user)
        ticket.status = "handed_back"
        _note(session, ticket, "system", "handed_back", author_name=user.display_name)
        return ticket


def close(ticket_id: int, user: StaffUser, outcome: str) -> bool:
    """Close with an outcome; True if the conversation was still with a lawyer
    (the assistant must then be given it back)."""
    if outcome not in OUTCOMES:
        raise TicketStateError("请选择处理结果")
    with session_scope() as session:
        ticket = session.get(HandoffTicket, ticket_id)
        if ticket is None or ticket.status == "closed":
            raise TicketStateError("该工单已关闭")
        _check_owner(ticket, user)
        was_with_lawyer = ticket.status in ("open", "claimed")
        ticket.status, ticket.outcome, ticket.closed_at = "closed", outcome, datetime.now(timezone.utc)
        _note(session, ticket, "system", f"closed:{outcome}", author_name=user.display_name)
        return was_with_lawyer


def note_delivery_failure(ticket_id: int, detail: str) -> None:
    with session_scope() as session:
        ticket = session.get(HandoffTicket, ticket_id)
        if ticket is not None:
            _note(session, ticket, "system", detail, kind="delivery_failure")

"""Handoff tickets in the application database: raising one (with its case file,
urgency, promise of contact, conflict check and staff notification) and adding
to the open one while a person handles the conversation."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake_core.desk import notifications
from intake_core.desk.conflicts import check_against_firm
from intake_core.desk.office_hours import contact_promise
from intake_core.desk.settings import handoff_settings
from intake_core.guidance.parameters import load_parameters
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import HandoffTicket, TicketMessage

logger = logging.getLogger(__name__)

T = TypeVar("T")

URGENT = "urgent"
HIGH = "high"
NORMAL = "normal"
URGENCY_RANK = {URGENT: 0, HIGH: 1, NORMAL: 2}
OPEN_STATUSES = ("open", "claimed")
# New tickets one conversation (channel + sender id) may raise per hour (issue 15, M6). What it
# stops: one id (a WeChat user, a widget session, a REST sender) filling the queue, e.g. by being
# handed back and asking again. What it does not stop: a client that invents a new REST sender
# or widget session for every request; that needs limits per address at the reverse proxy (the
# channels do not see the client's address reliably) and the channels' per-sender rate limit.
# Alongside: a conversation never has two open tickets (``create_ticket``).
MAX_NEW_TICKETS_PER_HOUR = 3


class TicketLimitReached(RuntimeError):
    """This conversation raised MAX_NEW_TICKETS_PER_HOUR tickets within the last hour."""


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: str | None
    case_type: str | None
    reason: str
    urgency: str
    trigger_text: str | None
    summary: str | None = None
    intake_answers: list[dict[str, str]] = field(default_factory=list)
    guidance: dict[str, Any] | None = None
    transcript: list[dict[str, Any]] = field(default_factory=list)
    other_party: str | None = None
    amount_at_stake: Decimal | None = None
    nearest_deadline: date | None = None


@dataclass(frozen=True)
class RaisedTicket:
    ticket_no: str
    urgency: str
    respond_by: datetime  # in the office's time zone
    office_open_now: bool


def assess_urgency(request: HandoffRequest, today: date) -> str:
    """A crisis is urgent; a deadline the guidance calls urgent (within its urgent_within_days:
    the caller was told so), a large amount or a reason listed as high (a lawyer wanted in
    person) is high."""
    if request.urgency == URGENT or request.reason == "crisis":
        return URGENT
    settings = handoff_settings()
    if request.reason in settings.high_reasons:
        return HIGH
    window = load_parameters().urgent_within_days
    if request.nearest_deadline is not None and (request.nearest_deadline - today).days <= window:
        return HIGH
    if request.amount_at_stake is not None and request.amount_at_stake >= settings.amount_at_stake_yuan:
        return HIGH
    return NORMAL


def _as_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def create_ticket(request: HandoffRequest, now: datetime | None = None) -> RaisedTicket:
    """Store the ticket and queue the staff notification in one transaction.

    One open ticket per conversation: when the conversation already has one (say, after a
    hand-back while the ticket stays open), the request is added to it and no second ticket
    or notification is made (a crisis escalates it: ``escalate_open_ticket``). Raises
    ``TicketLimitReached`` past MAX_NEW_TICKETS_PER_HOUR."""
    settings = handoff_settings()
    now = now or datetime.now(timezone.utc)
    urgency = assess_urgency(request, now.astimezone(settings.office_hours.timezone).date())
    promise = contact_promise(settings, urgency, now)
    conflict = check_against_firm(request.other_party)
    with session_scope() as session:
        existing = open_ticket(session, request.conversation_id)
        if existing is not None:
            session.add(TicketMessage(ticket_id=existing.id, author="caller", kind="text", text=request.trigger_text))
            respond_by = promise.respond_by
            if existing.respond_by is not None:  # SQLite returns it without a time zone: UTC
                stored = existing.respond_by
                stored = stored if stored.tzinfo else stored.replace(tzinfo=timezone.utc)
                respond_by = stored.astimezone(settings.office_hours.timezone)
            reused = RaisedTicket(existing.ticket_no, existing.urgency, respond_by, promise.office_open_now)
            logger.info("Handoff request added to the open ticket %s.", reused.ticket_no)
            return reused
        recent = session.scalar(
            select(func.count(HandoffTicket.id)).where(
                HandoffTicket.conversation_id == request.conversation_id,
                HandoffTicket.channel == request.channel,
                HandoffTicket.created_at >= now - timedelta(hours=1),
            )
        )
        if recent >= MAX_NEW_TICKETS_PER_HOUR:
            raise TicketLimitReached(request.conversation_id)
        ticket = HandoffTicket(
            conversation_id=request.conversation_id,
            channel=request.channel,
            case_type=request.case_type,
            reason=request.reason,
            urgency=urgency,
            status="open",
            trigger_text=request.trigger_text,
            created_at=now,
            summary=request.summary,
            intake_answers=json.dumps(request.intake_answers, ensure_ascii=False),
            guidance=json.dumps(request.guidance, ensure_ascii=False) if request.guidance else None,
            transcript=json.dumps(request.transcript, ensure_ascii=False),
            other_party=request.other_party,
            amount_at_stake=str(request.amount_at_stake) if request.amount_at_stake is not None else None,
            nearest_deadline=request.nearest_deadline,
            conflict_status=conflict.status,
            conflict_detail=json.dumps(conflict.detail(), ensure_ascii=False) if conflict.hits else None,
            respond_by=_as_utc(promise.respond_by),
        )
        session.add(ticket)
        session.flush()
        notifications.enqueue(session, ticket, "urgent" if urgency == URGENT else "new", now)
        ticket_no = ticket.ticket_no
    # Identifiers only: the caller's words stay in the database.
    logger.info(
        "Handoff ticket %s raised (reason=%s, urgency=%s, conflict=%s).",
        ticket_no,
        request.reason,
        urgency,
        conflict.status,
    )
    return RaisedTicket(ticket_no, urgency, promise.respond_by, promise.office_open_now)


def open_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    """The conversation's ticket a person is (or will be) handling, if any."""
    ticket: HandoffTicket | None = session.execute(
        select(HandoffTicket)
        .where(HandoffTicket.conversation_id == conversation_id, HandoffTicket.status.in_(OPEN_STATUSES))
        .order_by(HandoffTicket.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return ticket


def add_to_open_ticket(
    conversation_id: str, author: str, text: str | None, kind: str = "text", author_name: str | None = None
) -> str | None:
    """Append to the open ticket; its number, or None when there is none."""
    with session_scope() as session:
        ticket = open_ticket(session, conversation_id)
        if ticket is None:
            return None
        session.add(TicketMessage(ticket_id=ticket.id, author=author, author_name=author_name, kind=kind, text=text))
        return ticket.ticket_no


def escalate_open_ticket(conversation_id: str, text: str, now: datetime | None = None) -> RaisedTicket | None:
    """A crisis while a person already has the conversation: the open ticket goes
    to the top of the queue and staff are notified at once. None if no open ticket."""
    settings = handoff_settings()
    now = now or datetime.now(timezone.utc)
    with session_scope() as session:
        ticket = open_ticket(session, conversation_id)
        if ticket is None:
            return None
        promise = contact_promise(settings, URGENT, now)
        ticket.urgency = URGENT
        ticket.reason = "crisis"
        ticket.respond_by = _as_utc(promise.respond_by)
        session.add(TicketMessage(ticket_id=ticket.id, author="caller", kind="text", text=text))
        notifications.enqueue(session, ticket, "urgent", now)
        ticket_no = ticket.ticket_no
    logger.info("Handoff ticket %s escalated to urgent (crisis).", ticket_no)
    return RaisedTicket(ticket_no, URGENT, promise.respond_by, promise.office_open_now)


async def run_quietly(function: Callable[..., T], *args: Any, what: str, **kwargs: Any) -> T | None:
    """Run a database call off the event loop; None (and a log line naming only
    the error's type) if it fails: the caller must still get an answer, and
    database errors quote their parameters, i.e. the caller's words."""
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except Exception as error:
        logger.error("Could not %s: %s.", what, type(error).__name__)
        return None

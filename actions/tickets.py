"""Recording handoffs to a human lawyer in the application database."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Optional

from rasa_sdk import Tracker

from actions.persistence.database import session_scope
from actions.persistence.models import HandoffTicket

logger = logging.getLogger(__name__)

URGENT = "urgent"
NORMAL = "normal"


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: Optional[str]
    case_type: Optional[str]
    reason: str
    urgency: str
    trigger_text: Optional[str]


def create_ticket(request: HandoffRequest) -> str:
    """Store the ticket; return the number the caller and staff quote."""
    with session_scope() as session:
        ticket = HandoffTicket(
            conversation_id=request.conversation_id,
            channel=request.channel,
            case_type=request.case_type,
            reason=request.reason,
            urgency=request.urgency,
            trigger_text=request.trigger_text,
        )
        session.add(ticket)
        session.flush()
        ticket_no = ticket.ticket_no
    # Identifiers only: the caller's words stay in the database.
    logger.info("Handoff ticket %s raised (reason=%s, urgency=%s).", ticket_no, request.reason, request.urgency)
    return ticket_no


def request_from(tracker: Tracker, reason: str, urgency: str, text: str) -> HandoffRequest:
    """The ticket for this conversation's latest message (``text``: the caller's own words)."""
    return HandoffRequest(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel(),
        case_type=tracker.get_slot("case_type"),
        reason=reason,
        urgency=urgency,
        trigger_text=text,
    )


async def raise_ticket(request: HandoffRequest) -> Optional[str]:
    """``create_ticket`` off the event loop; None (and a log line) if the database fails."""
    try:
        return await asyncio.to_thread(create_ticket, request)
    except Exception as error:  # the caller must still get an answer
        # Only the error's type: database errors quote the parameters, i.e. the caller's words.
        logger.error(
            "Could not record a handoff ticket (reason=%s): %s.",
            request.reason,
            type(error).__name__,
        )
        return None

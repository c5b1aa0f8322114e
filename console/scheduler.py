"""Keeps the handoff's promise and the caller's rights, inside the project (no cron): delivers staff
notifications, and when a ticket is still unclaimed at its promised time,
notifies staff again and tells the caller in the same conversation.

APScheduler (already a Rasa dependency) runs both jobs in the console process
every HANDOFF_CHECK_SECONDS. Both are safe with several console processes:
notifications are locked row by row, and an overdue ticket is moved on with a
conditional update before anything is sent.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select, update

from console.rasa_api import RasaClient, RasaUnavailable
from console.tickets import note_delivery_failure
from intake_core.desk import notifications
from intake_core.desk.office_hours import next_reminder
from intake_core.desk.settings import handoff_settings
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import HandoffTicket
from intake_core.rights import retention, tracker_events

logger = logging.getLogger(__name__)

OVERDUE_INTENT = "EXTERNAL_handoff_overdue"


def remind_overdue(rasa: RasaClient | None, now: datetime | None = None) -> list[int]:
    """Tickets open and unclaimed past their promised time: staff are notified
    again, the caller is updated, the promise moves on. Returns their ids."""
    settings = handoff_settings()
    now = now or datetime.now(timezone.utc)
    with session_scope() as session:
        due = session.execute(
            select(HandoffTicket.id, HandoffTicket.respond_by, HandoffTicket.urgency)
            .where(HandoffTicket.status == "open", HandoffTicket.respond_by.is_not(None),
                   HandoffTicket.respond_by <= now)
        ).all()
    reminded = []
    for ticket_id, respond_by, urgency in due:
        with session_scope() as session:
            # Only the process that moves the promise on sends the reminder.
            moved = session.execute(
                update(HandoffTicket)
                .where(HandoffTicket.id == ticket_id, HandoffTicket.status == "open",
                       HandoffTicket.respond_by == respond_by)
                .values(respond_by=next_reminder(settings, urgency, now).astimezone(timezone.utc),
                        reminders_sent=HandoffTicket.reminders_sent + 1)
            ).rowcount
            if not moved:
                continue
            ticket = session.get(HandoffTicket, ticket_id)
            notifications.enqueue(session, ticket, "reminder", now)
            conversation_id = ticket.conversation_id
        reminded.append(ticket_id)
        logger.info("Ticket id %s unclaimed past its promised time: staff reminded.", ticket_id)
        if rasa is not None:
            try:
                rasa.trigger(conversation_id, OVERDUE_INTENT)
            except RasaUnavailable as error:
                logger.warning("Could not update the caller of ticket id %s: %s.", ticket_id, error)
                note_delivery_failure(ticket_id, f"overdue update not delivered: {error}")
    return reminded


def run_once(rasa: RasaClient | None) -> None:
    # The scheduler must keep running. The type only, no traceback: an exception's message
    # and its frames' values can hold a ticket's or a caller's words (issue 15, L6).
    try:
        remind_overdue(rasa)
    except Exception as error:
        logger.error("Overdue check failed: %s.", type(error).__name__)
    try:
        notifications.deliver_due()
    except Exception as error:
        logger.error("Notification delivery failed: %s.", type(error).__name__)
    try:
        finish_erasures()
    except Exception as error:
        logger.error("Erasure of tracker events failed: %s.", type(error).__name__)


def finish_erasures() -> None:
    # A caller's deletion in the chat is finished here, after their turn was saved
    # (intake_core/rights/tracker_events.py says why it cannot be done in the action).
    done = tracker_events.erase_marked()
    if done:
        logger.info("Erased %s conversations' tracker events (%s events).", len(done), sum(done))


def purge_expired() -> None:
    try:
        logger.info("Retention purge: %s.", retention.purge())
    except Exception as error:
        logger.error("Retention purge failed: %s.", type(error).__name__)


def start(rasa: RasaClient | None, every_seconds: float) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(run_once, "interval", seconds=every_seconds, args=[rasa], id="handoff-promises",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc))
    # Retention: once a day, the first run an hour after start (not while everything starts up).
    scheduler.add_job(purge_expired, "interval", hours=24, id="retention-purge", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(timezone.utc) + timedelta(hours=1))
    scheduler.start()
    return scheduler

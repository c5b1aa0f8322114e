"""Staff notifications through a webhook (a WeCom group robot or any URL that
takes its JSON), kept in an outbox table until delivered.

Raising a ticket only queues a notification (same transaction as the ticket, so
none is lost); the console's scheduler delivers due ones and retries failures
with the back-off of content/staff_notifications.yml. The text carries no caller's words or
names: it leaves the firm's systems.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from intake_core import config
from intake_core.desk.settings import handoff_settings
from intake_core.persistence.database import affected_rows, session_scope
from intake_core.persistence.models import HandoffTicket, StaffNotification
from intake_core.practice_areas import staff_names

logger = logging.getLogger(__name__)

LOCK_SECONDS = 60
TIMEOUT_SECONDS = 10


def console_url(ticket_id: int) -> str:
    return f"{config.console_public_url()}/tickets/{ticket_id}"


def notification_text(ticket: HandoffTicket, kind: str) -> str:
    settings = handoff_settings()
    names = settings.names
    tz = settings.office_hours.timezone
    respond_by = ticket.respond_by.astimezone(tz).strftime("%m-%d %H:%M") if ticket.respond_by else "-"
    return settings.notification_texts[kind].format(
        ticket_no=ticket.ticket_no,
        case_type_name=staff_names().get(ticket.case_type, ticket.case_type or "-"),
        reason_name=names.get("reason", {}).get(ticket.reason, ticket.reason),
        urgency_name=names.get("urgency", {}).get(ticket.urgency, ticket.urgency),
        conflict_note=settings.conflict_note if ticket.conflict_status != "none" else "",
        respond_by=respond_by,
        reminders=ticket.reminders_sent,
        console_url=console_url(ticket.id),
    )


def enqueue(session: Session, ticket: HandoffTicket, kind: str, now: datetime | None = None) -> None:
    """Queue a notification about ``ticket`` (in the caller's transaction)."""
    now = now or datetime.now(timezone.utc)
    payload = {"msgtype": "text", "text": {"content": notification_text(ticket, kind)}}
    session.add(
        StaffNotification(
            ticket_id=ticket.id,
            kind=kind,
            created_at=now,
            next_attempt_at=now,
            payload=json.dumps(payload, ensure_ascii=False),
            attempts=0,
        )
    )


def _post(url: str, payload: dict[str, Any]) -> None:
    response = requests.post(url, json=payload, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    # A WeCom robot answers 200 with {"errcode": non-zero} when it refuses.
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and body.get("errcode") not in (None, 0):
        raise RuntimeError(f"webhook errcode {body.get('errcode')}")


def _claim(notification_id: int, now: datetime) -> bool:
    """Lock one notification for this process (several schedulers may run)."""
    with session_scope() as session:
        result = session.execute(
            update(StaffNotification)
            .where(
                StaffNotification.id == notification_id,
                StaffNotification.delivered_at.is_(None),
                or_(StaffNotification.locked_until.is_(None), StaffNotification.locked_until < now),
            )
            .values(locked_until=now + timedelta(seconds=LOCK_SECONDS))
        )
        return affected_rows(result) == 1


def deliver_due(
    now: datetime | None = None, url: str | None = None, post: Callable[[str, dict[str, Any]], None] = _post
) -> int:
    """Send every notification that is due; returns how many were delivered.

    Without a webhook URL nothing is sent and nothing is lost: the console shows
    every ticket anyway, and the outbox is delivered once a URL is configured.
    """
    url = url or config.staff_webhook_url()
    if not url:
        return 0
    now = now or datetime.now(timezone.utc)
    retry = handoff_settings().retry_seconds
    with session_scope() as session:
        due = (
            session.execute(
                select(StaffNotification.id)
                .where(StaffNotification.delivered_at.is_(None), StaffNotification.next_attempt_at <= now)
                .order_by(StaffNotification.id)
            )
            .scalars()
            .all()
        )
    delivered = 0
    for notification_id in due:
        if not _claim(notification_id, now):
            continue
        with session_scope() as session:
            notification = session.get(StaffNotification, notification_id)
            if notification is None:
                # Erased since it was claimed (rights/erasure.py deletes a ticket's pending
                # notifications along with it): nothing left to send.
                continue
            payload = json.loads(notification.payload)
        try:
            post(url, payload)
            error = None
        except Exception as failure:  # logged and retried, never lost
            # The URL may hold the robot's key: never store or log it.
            error = f"{type(failure).__name__}: {str(failure).replace(url, '<webhook>')[:200]}"
        if error is None:
            delivered += 1
        with session_scope() as session:
            notification = session.get(StaffNotification, notification_id)
            if notification is None:
                continue  # erased while it was being sent: no attempt left to record
            notification.attempts += 1
            notification.locked_until = None
            if error is None:
                notification.delivered_at = now
                notification.last_error = None
            else:
                wait = retry[min(notification.attempts - 1, len(retry) - 1)]
                notification.next_attempt_at = now + timedelta(seconds=wait)
                notification.last_error = error[:255]
                logger.warning(
                    "Staff notification %s (ticket id %s) failed, attempt %s; retry in %s s: %s",
                    notification.id,
                    notification.ticket_id,
                    notification.attempts,
                    wait,
                    error.split(":")[0],
                )
    return delivered

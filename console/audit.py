"""The console's access audit: one row per view of a ticket, reply, export, deletion
(and the other ticket actions), written before the page is answered. Reading it is
for admins; nothing in the console changes or deletes a row (and the database refuses to)."""
from __future__ import annotations

from sqlalchemy import select

from intake_core.persistence.database import session_scope
from intake_core.persistence.models import AccessAudit, StaffUser

ACTIONS = ("view_ticket", "claim", "reply", "hand_back", "close", "export", "erase", "view_audit")


def record(user: StaffUser, action: str, ticket_id: int | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    with session_scope() as session:
        session.add(AccessAudit(staff_user_id=user.id, username=user.username, action=action, ticket_id=ticket_id))


def latest(limit: int = 500) -> list[AccessAudit]:
    with session_scope() as session:
        return list(session.scalars(select(AccessAudit).order_by(AccessAudit.id.desc()).limit(limit)))

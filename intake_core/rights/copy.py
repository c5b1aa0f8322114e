"""A copy of what the firm holds about one conversation (PIPL art 45), as plain text.

Given: the intake answers as the caller wrote them, each consultation record (its link),
and each ticket with what the caller wrote and what a lawyer sent them. Not given: the
conflict-of-interest check (the names and matters of the firm's other clients: other
people's personal information and the firm's confidences, art 45 covers the caller's
own), and the desk's internal events (claims, delivery failures) which are about staff
work, not about the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake_core.persistence.models import ConsultationRecord, HandoffTicket, Intake

SHOWN_MESSAGE_AUTHORS = ("caller", "lawyer", "assistant")


def describe(session: Session, conversation_id: str, record_url: Callable[[str], str]) -> str | None:
    """None when nothing is held; ``record_url(token)`` makes a record's link."""
    lines: list[str] = []
    intakes = session.scalars(
        select(Intake)
        .where(Intake.conversation_id == conversation_id)
        .options(selectinload(Intake.answers))
        .order_by(Intake.id)
    ).all()
    for intake in intakes:
        lines.append(f"【问卷】{intake.form}（{intake.started_at:%Y-%m-%d}）")
        latest = {answer.slot: answer for answer in intake.answers}  # latest per slot wins
        lines.extend(f"  - {slot}：{answer.raw_text or answer.value or ''}" for slot, answer in latest.items())
    records = session.scalars(
        select(ConsultationRecord)
        .where(ConsultationRecord.conversation_id == conversation_id)
        .order_by(ConsultationRecord.id)
    ).all()
    for record in records:
        lines.append(f"【咨询备忘录】{record.created_at:%Y-%m-%d}：{record_url(record.access_token)}")
    tickets = session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.conversation_id == conversation_id)
        .options(selectinload(HandoffTicket.messages))
        .order_by(HandoffTicket.id)
    ).all()
    for ticket in tickets:
        lines.append(f"【转人工工单】{ticket.ticket_no}（{ticket.status}）")
        if ticket.trigger_text:
            lines.append(f"  - 您的原话：{ticket.trigger_text}")
        if ticket.summary:
            lines.append(f"  - 摘要：{ticket.summary}")
        for answer in json.loads(ticket.intake_answers or "[]"):
            lines.append(f"  - {answer.get('label', '')}：{answer.get('answer', '')}")
        for message in ticket.messages:
            if message.author in SHOWN_MESSAGE_AUTHORS and message.kind in ("text", "attachment"):
                lines.append(f"  - {message.created_at:%Y-%m-%d %H:%M} {message.author}：{message.text or ''}")
    return "\n".join(lines) or None

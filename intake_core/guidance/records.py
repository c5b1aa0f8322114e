"""The written consultation record: stored, found again, rendered as HTML."""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import select

from intake_core.persistence.database import session_scope
from intake_core.persistence.models import ConsultationRecord

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def save_record(
    conversation_id: str, case_type: str, urgent: bool, content: dict[str, Any], channel: str | None = None
) -> str:
    """Stores the record (made on input channel ``channel``); returns the token of its download link."""
    token = secrets.token_urlsafe(24)
    with session_scope() as session:
        session.add(
            ConsultationRecord(
                conversation_id=conversation_id,
                channel=channel,
                case_type=case_type,
                urgent=urgent,
                content=json.dumps(content, ensure_ascii=False),
                access_token=token,
            )
        )
    return token


def _as_dict(record: ConsultationRecord) -> dict[str, Any]:
    return {
        "case_type": record.case_type,
        "urgent": record.urgent,
        "created_at": record.created_at,
        "token": record.access_token,
        "channel": record.channel,
        "content": json.loads(record.content),
    }


def latest_record(conversation_id: str) -> dict[str, Any] | None:
    with session_scope() as session:
        record = session.scalars(
            select(ConsultationRecord)
            .where(ConsultationRecord.conversation_id == conversation_id)
            .order_by(ConsultationRecord.id.desc())
        ).first()
        return _as_dict(record) if record else None


def record_by_token(token: str) -> dict[str, Any] | None:
    with session_scope() as session:
        record = session.scalars(select(ConsultationRecord).where(ConsultationRecord.access_token == token)).first()
        return _as_dict(record) if record else None


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=jinja2.select_autoescape(["html"]),
    )


def render_html(record: dict[str, Any]) -> str:
    """The record as a printable HTML page (the caller's words are escaped)."""
    return _environment().get_template("record.html").render(record=record)

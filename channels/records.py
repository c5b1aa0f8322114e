"""Download of a written consultation record: GET /webhooks/records/<token>.

Shaped as a Rasa input channel because that is how Rasa lets a project add
routes to its server; it takes no messages. The token in the link is the only
key (unguessable, one per record), so the page is not indexed or cached, runs no
script, loads nothing, cannot be framed and sends no Referer (the link would leak
through it; issue 15, L1).
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from intake_core.config import record_link_days
from intake_core.guidance.records import record_by_token, render_html

logger = logging.getLogger(__name__)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# The page is plain HTML with inline styles (intake_core/guidance/templates/record.html).
RECORD_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}


def link_expired(created_at: datetime, now: datetime | None = None) -> bool:
    """Whether a record made at ``created_at`` is past RECORD_LINK_DAYS (issue 16, L1)."""
    if created_at.tzinfo is None:  # SQLite gives back naive datetimes; they were stored in UTC
        created_at = created_at.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return now - created_at > timedelta(days=record_link_days())


class RecordDownloadChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "records"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        records = Blueprint("records_download", __name__)

        @records.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @records.route("/<token>", methods=["GET"])
        async def download(_: Request, token: str) -> HTTPResponse:
            if not _TOKEN.match(token):
                return response.text("未找到这份记录。", status=404)
            try:
                record = await asyncio.to_thread(record_by_token, token)
            except Exception as error:
                logger.error("Could not read a consultation record: %s.", type(error).__name__)
                return response.text("暂时无法读取记录，请稍后再试。", status=503)
            if record is None:
                return response.text("未找到这份记录。", status=404)
            if link_expired(record["created_at"]):
                # 410, not 404: the caller learns the link is old, not mistyped, and asks again.
                return response.text(
                    "这个链接已过期（为保护您的信息，记录链接只在一段时间内有效）。"
                    "如需这份记录，请在原来的对话里回复“发记录”。", status=410, headers={"Cache-Control": "no-store"})
            return response.html(render_html(record), headers=dict(RECORD_HEADERS))

        return records

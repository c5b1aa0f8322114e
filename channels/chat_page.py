"""The website chat widget's files, served by Rasa at /chat/ (GET only).

Shaped as a Rasa input channel because that is how Rasa lets a project add routes to its
server; it takes no messages (the widget talks to the socket.io channel,
channels/socketio.py). Served:

- `/chat/`                  the chat page (web/index.html): the widget, full screen
- `/chat/widget.js`, `/chat/widget.css`  the widget, also for embedding on the firm's site
- `/chat/socket.io.min.js`  socket.io-client from web/node_modules (`make install` runs npm ci)
- `/chat/config.json`       the title and the disclaimer shown when the widget opens, read from
                            `utter_consultation_disclaimer` in domain/domain.yml (one reviewed sentence),
                            and how many hours the widget keeps a conversation (CHAT_HISTORY_HOURS)

The page may be framed by the sites in CHAT_ALLOWED_ORIGINS only.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from intake_core import config
from intake_core.domain_files import load_domain

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WEB = PROJECT_ROOT / "web"
TITLE = "在线法律咨询"

FILES = {
    "widget.js": (WEB / "widget.js", "text/javascript; charset=utf-8"),
    "widget.css": (WEB / "widget.css", "text/css; charset=utf-8"),
    "socket.io.min.js": (
        WEB / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        "text/javascript; charset=utf-8",
    ),
}


def disclaimer_text() -> str:
    return load_domain()["responses"]["utter_consultation_disclaimer"][0]["text"]


class ChatPageChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "chat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def url_prefix(self) -> str:
        # Rasa mounts channels at urljoin("/webhooks/", prefix): an absolute prefix gives /chat.
        return "/chat"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        page = Blueprint("chat_page", __name__)
        widget = {"title": TITLE, "disclaimer": disclaimer_text(), "history_hours": config.chat_history_hours()}
        frame_ancestors = " ".join(["'self'", *config.chat_allowed_origins()])
        page_headers = {
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": (
                "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                f"frame-ancestors {frame_ancestors}"
            ),
        }

        @page.route("", methods=["GET"], strict_slashes=True)
        async def without_slash(request: Request) -> HTTPResponse:
            return response.redirect(request.path + "/")  # the page's relative links need it

        @page.route("/", methods=["GET"], strict_slashes=True)
        async def index(_: Request) -> HTTPResponse:
            return response.html((WEB / "index.html").read_text(encoding="utf-8"), headers=page_headers)

        @page.route("/config.json", methods=["GET"])
        async def widget_config(_: Request) -> HTTPResponse:
            return response.json(widget, headers={"Cache-Control": "no-cache"}, ensure_ascii=False)

        @page.route("/<name>", methods=["GET"])
        async def static_file(_: Request, name: str) -> HTTPResponse:
            if name not in FILES:
                return response.text("Not found.", status=404)
            path, content_type = FILES[name]
            if not path.exists():
                return response.text(f"{name} is missing: run `make install`.", status=500)
            return await response.file(
                path,
                mime_type=content_type,
                headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
            )

        return page

"""What the action server lets in and what it lets out (issue 15, H3 and H7).

In: every request but ``GET /health`` must carry ``Authorization: Bearer <ACTION_SERVER_TOKEN>``
(Rasa sends it from ``action_endpoint.headers`` in endpoints.yml), and ``POST /webhook`` must be
JSON. Anyone who reaches the port could otherwise run any action for any conversation (a
record link by sender id), and a web page could post ``text/plain`` to it from a staff browser
(Sanic reads JSON whatever the content type).

Out: an action's exception becomes ``{"error": "internal"}``. rasa_sdk's own handler answers
with the whole tracker (``request_body``), which Rasa then writes into its log; the log here
gets the exception's type and the action's name only, never its message (a SQL error carries
its parameters, a parser error the caller's words).
"""
from __future__ import annotations

import hmac
import logging
import re

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})  # for load balancers and the test harness: says nothing
_ACTION_NAME = re.compile(r"^[a-z0-9_]{1,100}$")


def authorised(header: str | None, token: str) -> bool:
    """The Authorization header is exactly ``Bearer <token>`` (compared in constant time)."""
    expected = f"Bearer {token}".encode()
    return bool(token) and hmac.compare_digest((header or "").encode("utf-8"), expected)


def is_json(content_type: str | None) -> bool:
    # Rasa sends "application/json" (also when it deflates the body: Content-Encoding says so).
    return (content_type or "").split(";", 1)[0].strip().lower() == "application/json"


def _action_name(request: Request) -> str:
    # Only a name that looks like one of ours is logged: the body is the caller's side.
    try:
        name = (request.json or {}).get("next_action")
    except Exception:  # an unreadable body has no action name
        return "-"
    return name if isinstance(name, str) and _ACTION_NAME.match(name) else "-"


def install(app: Sanic, token: str) -> None:
    """Add the secret check, the JSON check and the quiet error handler to rasa_sdk's app."""
    if not token:
        raise ValueError("the action server needs a shared secret (ACTION_SERVER_TOKEN)")

    async def guard(request: Request):
        if request.path in OPEN_PATHS:
            return None
        if not authorised(request.headers.get("authorization"), token):
            return response.json({"error": "unauthorized"}, status=401)
        if request.path == "/webhook" and not is_json(request.content_type):
            return response.json({"error": "unsupported media type"}, status=415)
        return None

    async def on_error(request: Request, exception: Exception):
        if isinstance(exception, SanicException):  # the framework's own refusals: 404, 405, 413
            return response.json({"error": type(exception).__name__}, status=exception.status_code)
        logger.error("Action %s failed: %s.", _action_name(request), type(exception).__name__)
        return response.json({"error": "internal"}, status=500)

    app.register_middleware(guard, "request")
    # Replaces rasa_sdk's handler for Exception (the later registration wins).
    app.error_handler.add(Exception, on_error)

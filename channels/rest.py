"""The REST channel (POST /webhooks/rest/webhook {"sender", "message"}): Rasa's own, with
what a client may not decide taken away.

- The conversation's channel is always "rest": a client-supplied ``input_channel`` would
  re-route a lawyer's replies (``output_channel=latest``) or put a false channel on a ticket
  (review H1, L4).
- Client ``metadata`` is ignored: the actions read attachments and other facts from it, and a
  REST client could otherwise put an attacker's link on a ticket as an "attachment" (L4).
- The ``sender`` is kept as given (tests, staff scripts and outside checks read a REST
  conversation's tracker by that id); the namespaces are for the other channels' ids, so a
  sender in one of them (``wechat:…``, ``wecom:…``, ``web:…``) is refused with a 400 and a
  clear JSON error: REST must not reach another channel's conversation (H1).
- Every message passes the caller gate (channels/caller_gate.py): blank, too long or too fast
  messages are answered by the channel, a leading slash is text unless it is an offered button.

Its name stays "rest", so the URL and the conversations' channel are unchanged.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from channels.caller_gate import CallerGate
from intake_core.namespaces import rest_sender_refusal


class GatedRestInput(RestInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.gate = CallerGate()

    def _extract_message(self, req: Request) -> str | None:
        message = req.json.get("message")
        # A number or an object is not a caller's text; the gate answers an empty one.
        return message if isinstance(message, str) else ""

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(self.gate.wrap(on_new_message))
        self.gate.bind(blueprint)

        @blueprint.on_request
        async def refuse_reserved_senders(request: Request):
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                body = request.json
            except Exception:  # malformed JSON: Sanic's own 400
                return None
            if not isinstance(body, dict):
                # An empty body or a JSON value that is not an object: Rasa's handler would
                # raise reading body["sender"] and answer 500.
                return response.json({"error": "bad_request", "message": 'send a JSON object: '
                                      '{"sender": "<conversation id>", "message": "<text>"}'}, status=400)
            error = rest_sender_refusal(body.get("sender"))
            return response.json(error, status=400) if error else None

        return blueprint

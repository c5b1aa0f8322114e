"""The website chat widget's channel: Rasa's socket.io channel, with session persistence fixed.

Rasa 3.6.21's `SocketIOInput` calls `sio.enter_room(...)` without awaiting it. With
python-socketio 5 that is a coroutine, so the socket never joins the room named after the
session and, with `session_persistence: true`, no bot reply is ever delivered
(RasaHQ/rasa#13027). This subclass replaces the two handlers concerned:

- `session_request` awaits `enter_room`, so the socket joins the room of its session; a
  reloaded page (a new socket, the same session id from localStorage) joins the same room and
  receives what is sent to the conversation, including messages pushed through the HTTP API
  with `output_channel=latest` (a lawyer's reply).
- the user-message handler accepts a message only for the session this socket was confirmed
  in (the stock handler trusts whatever `session_id` the message carries, so any socket could
  write into any conversation). Session ids are 32 hex digits (uuid4); anything else gets a
  fresh id, so a client cannot pick a guessable one such as another channel's sender id.
- the conversation (Rasa sender) id is `web:<session id>` (intake_core/namespaces.py), so no
  other channel can name a widget conversation; the browser only ever sees the bare session
  id, which is also the socket.io room. `WebOutput` maps the conversation id back to that
  room and sends nothing for a conversation of another channel.

Allowed origins: the page on Rasa's own address always; other sites (the firm's website
embedding the widget) only when listed in `CHAT_ALLOWED_ORIGINS` (comma- or space-separated,
the same list `scripts/run.sh` passes to `rasa run --cors`). A connection from another origin
is refused (polling and websocket alike); the CORS headers come from `rasa run --cors`.

Several replicas: with `CHAT_REDIS_URL` the replicas' socket.io servers share their rooms
through Redis (`share_rooms`); the load balancer must keep one browser's socket.io requests on
one replica (long-polling before the websocket upgrade; deploy/nginx.conf hashes the address).

No caller's words are logged here.
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.caller_gate import REQUEST_MAX_BYTES, CallerGate
from intake_core import config, namespaces

logger = logging.getLogger(__name__)

_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def same_origin(environ: dict[str, Any]) -> str | None:
    """The address this request reached, as a browser would write it in `Origin`."""
    host = environ.get("HTTP_HOST")
    if not host:
        return None
    scheme = environ.get("HTTP_X_FORWARDED_PROTO", environ.get("wsgi.url_scheme", "http"))
    host = environ.get("HTTP_X_FORWARDED_HOST", host)
    return f"{scheme.split(',')[0].strip()}://{host.split(',')[0].strip()}"


class WebOutput(SocketIOOutput):
    """Rasa's socket.io output for `web:<session id>` conversations: the room is the session
    id. Anything else is not a widget conversation (a REST conversation claiming to be one,
    say) and gets nothing, rather than a message to whichever socket or room it names."""

    def _room(self, recipient_id: str) -> str | None:
        room = namespaces.web_session(recipient_id)
        if room is None:
            logger.warning("Refused to send a socket.io message to a conversation of another channel.")
        return room

    async def _send_message(self, socket_id: str, response: Any) -> None:
        room = self._room(socket_id)
        if room is not None:
            await super()._send_message(room, response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        room = self._room(recipient_id)
        if room is not None:
            # The room is the conversation's own, whatever the message says.
            await self.sio.emit(self.bot_message_evt, **{**json_message, "room": room})


# Redis pub/sub channels ignore the database number: the channel's name keeps the widget's
# messages apart from anything else publishing on the same Redis.
ROOMS_CHANNEL = "intake:socketio"


def share_rooms(sio: Any, redis_url: str | None) -> None:
    """With several replicas (CHAT_REDIS_URL set), every emit goes through Redis pub/sub and each
    replica delivers it to its own sockets in the room: a lawyer's reply pushed through Rasa's
    HTTP API to one replica reaches a browser whose socket is held by another. Rasa builds its
    AsyncServer without a client manager, so it is swapped in here, before any socket connects
    (the manager is started on the first connection). Without the URL: one process, rooms in
    memory, as Rasa has it."""
    if not redis_url:
        return
    from socketio import AsyncRedisManager

    manager = AsyncRedisManager(redis_url, channel=ROOMS_CHANNEL)
    manager.set_server(sio)
    sio.manager = manager
    sio.manager_initialized = False


class PersistentSocketIOInput(SocketIOInput):
    """`SocketIOInput` whose sessions work: see the module documentation."""

    allowed_origins: list[str] = []

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed_origins = config.chat_allowed_origins()
        return channel

    def origin_allowed(self, origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:  # not a browser (or a same-origin GET): nothing to check
            return True
        origin = origin.rstrip("/")
        return origin == same_origin(environ) or origin in self.allowed_origins

    def get_output_channel(self) -> WebOutput | None:
        """What Rasa's HTTP API uses for `output_channel=socketio` (or `latest`): a lawyer's reply."""
        if self.sio is None:
            return None
        return WebOutput(self.sio, self.bot_message_evt)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        # Blank, too long, too fast and slash-command messages: channels/caller_gate.py.
        self.gate = CallerGate()
        on_new_message = self.gate.wrap(on_new_message)
        socketio_webhook = super().blueprint(on_new_message)
        self.gate.bind(socketio_webhook)
        sio = self.sio
        assert sio is not None
        sio.eio.max_http_buffer_size = REQUEST_MAX_BYTES  # Engine.IO's default is 1 MB
        share_rooms(sio, config.chat_redis_url())
        # Only allowed origins may connect (polling and websocket alike; browsers do not apply
        # CORS to websockets). The stock connect handler (JWT, when configured) runs after this
        # check. CORS headers come from `rasa run --cors` alone: Engine.IO's own CORS handling
        # stays off as in the stock channel, or responses would carry the header twice.
        namespace = self.namespace or "/"
        stock_connect = sio.handlers[namespace]["connect"]

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            if not self.origin_allowed(environ.get("HTTP_ORIGIN"), environ):
                logger.warning("Refused a socket.io connection from an origin not allowed.")
                return False
            return await stock_connect(sid, environ, auth)

        # Registering a handler again for the same event replaces the stock one.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and _SESSION_ID.match(requested) else None
            session_id = session_id or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
                async with sio.session(sid, namespace=self.namespace) as session:
                    session["session_id"] = session_id
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug("A socket.io client started or resumed a session.")

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                session = await sio.get_session(sid, namespace=self.namespace)
                session_id = session.get("session_id")
                if not session_id or data.get("session_id") != session_id:
                    logger.warning(
                        "Ignored a socket.io message outside the session its socket was confirmed in."
                    )
                    return
            else:
                session_id = sid  # the socket's own room
            sender_id = namespaces.web_id(session_id)

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            text = data.get("message")
            message = UserMessage(
                text if isinstance(text, str) else "",  # not text: the gate answers "empty"
                WebOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return socketio_webhook

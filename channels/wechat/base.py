"""What the Official Account and the WeCom channel share: the webhook routes,
turning a pushed message into a Rasa turn, and the 5-second rule.

A subclass checks and opens the request (``decode``), seals the reply
(``encode_reply``), and answers the URL verification (``verify``).

The 5-second rule: the turn runs as its own task; the request waits up to the
passive wait (4 s by default) for its answer and replies passively, or replies
``success`` and the answer goes out later through the customer-service API.
With a passive wait of 0 there is no waiting: "API" is decided before the turn
starts. Retries of the same message never start a second turn (``dedup``).
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.caller_gate import CallerGate, caller_text
from channels.wechat.delivery import Delivery
from channels.wechat.output import WeChatOutput
from channels.wechat.protocol import Refused, message_key
from channels.wechat.render import render_messages, selected_payload
from channels.wechat.settings import Common

logger = logging.getLogger(__name__)

OVERFLOW_DELAY_S = 0.3  # lets the passive reply reach the caller before the rest
SHARE_ATTACHMENT = "/share_attachment"
GREET = "/greet"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class WeChatChannelBase(InputChannel):
    def __init__(
        self, configured: bool, common: Common, store, delivery: Delivery | None,
        texts: dict[str, str],
    ) -> None:
        if configured and common.api_only and delivery is None:
            # Every answer would be lost: nothing replies passively, nothing sends.
            raise ValueError(f"credentials: {self.name()} passive_wait 0 needs the API credentials")
        self.configured = configured
        self.common = common
        self.store = store
        self.delivery = delivery
        self.texts = texts
        self._tasks: set[asyncio.Task] = set()
        self._warned_unconfigured = False
        self.gate = CallerGate()

    # -- what a subclass provides --------------------------------------------------

    def verify(self, request: Request) -> HTTPResponse:
        raise NotImplementedError

    def decode(self, request: Request) -> tuple[dict[str, Any], Any]:
        """The message's fields and what ``encode_reply`` needs; raises ``Refused``."""
        raise NotImplementedError

    def encode_reply(self, fields: dict[str, Any], content: str, context: Any) -> str:
        raise NotImplementedError

    def conversation_id(self, user: str) -> str:
        """The Rasa conversation id of platform user ``user``, in the channel's own
        namespace (intake_core/namespaces.py), so no other channel can name it."""
        raise NotImplementedError

    # -- Rasa's side ----------------------------------------------------------------

    def get_output_channel(self) -> WeChatOutput | None:
        if not self.configured or self.delivery is None:
            return None
        return WeChatOutput(self.name(), self.delivery, self.store, self.texts["choose_by_number"])

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        channel = Blueprint(f"{self.name()}_webhook", __name__)
        self.gate.bind(channel)

        @channel.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @channel.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.configured:
                return self._not_configured()
            try:
                return self.verify(request)
            except Refused as refused:
                return self._refuse(refused)

        @channel.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return self._not_configured()
            try:
                fields, context = self.decode(request)
                await self.refuse_replay(request)
                content = await self.handle(fields, on_new_message)
            except Refused as refused:
                return self._refuse(refused)
            if not content:
                return response.text("success")
            return response.text(
                self.encode_reply(fields, content, context), content_type="application/xml"
            )

        return channel

    async def refuse_replay(self, request: Request) -> None:
        """Refuse a signed query string seen before with another body (issue 15, M7).

        In plaintext mode the signature covers timestamp and nonce, not the body: whoever
        sees one request's query (a proxy log, a plain-HTTP hop) could post any message
        with it while the timestamp is fresh. Each (timestamp, nonce) is remembered with
        a digest of its body for as long as the timestamp can be fresh; the same body
        again is the platform's retry (MsgId dedup answers it). Runs in every mode, after
        the signature was checked (an unsigned request must not use up a nonce)."""
        args = request.args
        key = f"{self.name()}:{args.get('timestamp')}:{args.get('nonce') or ''}"
        digest = hashlib.sha256(request.body or b"").hexdigest()
        if not await self.store.remember_request(key, digest, 2 * self.common.max_age_s):
            raise Refused(403, "replayed signature with another body")

    def _not_configured(self) -> HTTPResponse:
        if not self._warned_unconfigured:
            self._warned_unconfigured = True
            logger.warning("The %s channel is not configured (no token): refusing its webhook.", self.name())
        return response.text("not configured", status=503)

    def _refuse(self, refused: Refused) -> HTTPResponse:
        logger.warning("%s webhook refused a request (%s): %s.", self.name(), refused.status, refused.reason)
        return response.text(refused.reason, status=refused.status)

    # -- one pushed message ---------------------------------------------------------

    async def handle(self, fields: dict[str, Any], on_new_message: OnNewMessage) -> str | None:
        """The passive reply's text for ``fields``, or None for ``success``."""
        user = fields.get("FromUserName")
        if not user or not isinstance(user, str):
            raise Refused(400, "no sender")
        # Blank, too long, too fast: the gate answers. Our own "/greet" and "/share_attachment"
        # and a chosen button's payload are not the caller's typing: slash_commands=False,
        # the typed text is made plain below (caller_text) before a number is mapped.
        on_new_message = self.gate.wrap(on_new_message, slash_commands=False)
        kind = str(fields.get("MsgType") or "").lower()
        metadata: dict[str, Any] | None = None
        preface = ""
        if kind == "text":
            text = str(fields.get("Content") or "").strip()
        elif kind == "voice":
            text = str(fields.get("Recognition") or "").strip()
            if not text:
                return self.texts["voice_not_recognised"]
        elif kind == "image":
            text = SHARE_ATTACHMENT
            metadata = {"attachment": {
                "kind": "image", "media_id": fields.get("MediaId"), "url": fields.get("PicUrl"),
            }}
            preface = self.texts["image_received"]
        elif kind == "event":
            if str(fields.get("Event") or "").lower() != "subscribe":
                return None
            text = GREET
        else:
            return self.texts["unsupported_message"]
        conversation = self.conversation_id(user)
        if kind in ("text", "voice"):
            text = caller_text(text)  # a typed "/intent" is plain text; an empty one: the gate answers
            payload = selected_payload(text, await self.store.get_buttons(conversation))
            if payload:
                text = payload

        key = f"{self.name()}:{message_key(fields)}"
        # Shielded: a request the platform abandons must not leave a claimed
        # message without its turn.
        await asyncio.shield(self._start_once(key, conversation, text, metadata, preface, on_new_message))
        return await self._answer(key)

    async def _start_once(
        self, key: str, conversation: str, text: str, metadata: dict[str, Any] | None, preface: str,
        on_new_message: OnNewMessage,
    ) -> None:
        if await self.store.claim(key):
            if self.common.api_only:
                # Decided before the turn exists, so that a turn finishing at
                # once cannot decide "passive" first.
                await self.store.decide(key, "api")
            task = asyncio.create_task(self._turn(key, conversation, text, metadata, preface, on_new_message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, key: str) -> str | None:
        if self.common.api_only:  # the answer goes through the API (``_start_once``)
            return None
        texts = await self.store.wait_reply(key, self.common.passive_wait_s)
        if texts is None and await self.store.decide(key, "api") == "api":
            return None
        if texts is None:  # the turn decided "passive" just now: its reply is stored
            texts = await self.store.wait_reply(key, 1.0)
        if not texts or await self.store.decide(key, "passive") != "passive":
            return None
        return texts[0]

    async def _turn(
        self, key: str, conversation: str, text: str, metadata: dict[str, Any] | None, preface: str,
        on_new_message: OnNewMessage,
    ) -> None:
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(
                text, collector, conversation, input_channel=self.name(), metadata=metadata,
            ))
        except Exception as error:
            logger.error("%s turn failed: %s.", self.name(), type(error).__name__)
        try:
            messages: list[dict[str, Any]] = ([{"text": preface}] if preface else []) + collector.messages
            rendered = render_messages(messages, choose_hint=self.texts["choose_by_number"])
            await self.store.set_buttons(conversation, rendered.buttons)
            await self.store.set_reply(key, rendered.texts)
            if await self.store.decide(key, "passive") == "api":
                await self.delivery.send(conversation, rendered.texts)
            elif rendered.overflow:
                await asyncio.sleep(OVERFLOW_DELAY_S)
                await self.delivery.send(conversation, rendered.overflow)
        except Exception as error:
            logger.error("%s answer could not be delivered: %s.", self.name(), type(error).__name__)

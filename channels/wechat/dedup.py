"""Exactly one turn per pushed message, and exactly one delivery of its answer.

The platform retries a message it got no answer for within 5 s (3 requests in
all), possibly to another Rasa process. For each message key (``protocol.message_key``):

- ``claim`` is true for the first request only; that request's process runs the turn;
- the turn stores its answer with ``set_reply``, then ``decide(key, "passive")``;
- every request (first or retry) waits up to the passive wait for the answer; if
  none came it calls ``decide(key, "api")`` and answers ``success``;
- ``decide`` is first-writer-wins, so the answer goes either in a passive reply
  (to whichever request asks: a retry gets the same reply) or through the
  customer-service API (by the turn's process), never both, never twice;
- with a passive wait of 0 the claiming request decides "api" before the turn
  starts, so that nothing is left to chance.

``MemoryStore`` works inside one process; ``RedisStore`` across several (keys under
a prefix, with expiry). Both also remember each caller's last numbered buttons, and
each signed request's timestamp and nonce with a digest of its body
(``remember_request``), so that a captured query string cannot carry another body
while the timestamp is fresh (plaintext mode signs the query, not the body; issue 15, M7).

In Redis the cached replies and the buttons are Fernet tokens under ``APP_ENCRYPTION_KEYS``
(intake_core/persistence/encryption.py; issue 16): a reply can repeat what the caller told us
(a summary, a name, an amount), and a button's title can too. One that does not decrypt
(another key, or stored in the clear before this change) counts as absent.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from intake_core.persistence.encryption import EncryptionKeyError, cipher, decrypt, encrypt

MESSAGE_TTL_S = 600          # far longer than the platform's retries (15 s)
BUTTONS_TTL_S = 2 * 24 * 3600  # the customer-service window is 48 h
POLL_INTERVAL_S = 0.02

Button = tuple[str, str]

logger = logging.getLogger(__name__)


class MemoryStore:
    def __init__(self, ttl_s: float = MESSAGE_TTL_S, buttons_ttl_s: float = BUTTONS_TTL_S) -> None:
        self.ttl_s = ttl_s
        self.buttons_ttl_s = buttons_ttl_s
        self._requests: dict[str, tuple[float, str]] = {}  # key -> (expires at, body digest)
        self._claims: dict[str, float] = {}
        self._replies: dict[str, list[str]] = {}
        self._decisions: dict[str, str] = {}
        self._events: dict[str, asyncio.Event] = {}
        self._buttons: dict[str, tuple[float, list[Button]]] = {}

    def _sweep(self) -> None:
        cutoff = time.monotonic() - self.ttl_s
        for key in [key for key, at in self._claims.items() if at < cutoff]:
            for table in (self._claims, self._replies, self._decisions, self._events):
                table.pop(key, None)

    def _event(self, key: str) -> asyncio.Event:
        if key not in self._events:
            self._events[key] = asyncio.Event()
        return self._events[key]

    async def remember_request(self, key: str, digest: str, ttl_s: float) -> bool:
        """False when ``key`` was seen within ``ttl_s`` with another body digest (a replay);
        the same body again is the platform's retry."""
        now = time.monotonic()
        if len(self._requests) > 10_000:
            for stale in [k for k, (until, _) in self._requests.items() if until < now]:
                del self._requests[stale]
        until, seen = self._requests.get(key, (0.0, ""))
        if until >= now:
            return seen == digest
        self._requests[key] = (now + ttl_s, digest)
        return True

    async def claim(self, key: str) -> bool:
        self._sweep()
        if key in self._claims:
            return False
        self._claims[key] = time.monotonic()
        return True

    async def set_reply(self, key: str, texts: list[str]) -> None:
        self._replies[key] = list(texts)
        self._event(key).set()

    async def wait_reply(self, key: str, timeout: float) -> list[str] | None:
        if key not in self._replies:
            try:
                await asyncio.wait_for(self._event(key).wait(), timeout)
            except asyncio.TimeoutError:
                return None
        return self._replies.get(key)

    async def decide(self, key: str, mode: str) -> str:
        return self._decisions.setdefault(key, mode)

    async def set_buttons(self, user: str, buttons: list[Button]) -> None:
        if len(self._buttons) > 10_000:  # forget callers whose buttons expired
            cutoff = time.monotonic() - self.buttons_ttl_s
            for stale in [u for u, (at, _) in self._buttons.items() if at < cutoff]:
                del self._buttons[stale]
        if buttons:
            self._buttons[user] = (time.monotonic(), list(buttons))
        else:
            self._buttons.pop(user, None)

    async def get_buttons(self, user: str) -> list[Button]:
        at, buttons = self._buttons.get(user, (0.0, []))
        if buttons and time.monotonic() - at > self.buttons_ttl_s:
            self._buttons.pop(user, None)
            return []
        return buttons

    async def close(self) -> None:
        return None


def _sealed(value: Any) -> str:
    return encrypt(json.dumps(value, ensure_ascii=False))


def _opened(raw: bytes) -> Any | None:
    """The value ``_sealed`` stored, or None when it does not decrypt."""
    try:
        return json.loads(decrypt(raw.decode("ascii")))
    except (EncryptionKeyError, ValueError):  # ValueError: not ASCII (a value in the clear), or not JSON
        return None


class RedisStore:
    """The same contract in Redis, for several Rasa processes behind one URL.

    Replies and buttons are encrypted; claims, decisions ("passive"/"api") and request
    digests (a hash of a signed body) are not: they hold no caller's words, and the
    first-writer-wins ``SET NX`` and the digest comparison need them as they are.
    """

    def __init__(
        self, url: str, prefix: str, ttl_s: float = MESSAGE_TTL_S,
        buttons_ttl_s: float = BUTTONS_TTL_S,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.ttl_s = int(ttl_s)
        self.buttons_ttl_s = int(buttons_ttl_s)
        # Missing or malformed keys stop start-up here, naming the variable, not at the first turn.
        cipher()
        self._client = None
        self._loop = None

    @property
    def client(self):
        # redis.asyncio connections belong to the loop that opened them: open
        # them lazily on the server's loop.
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import redis.asyncio as redis_asyncio

            self._client = redis_asyncio.Redis.from_url(self.url)
            self._loop = loop
        return self._client

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:{key}"

    async def remember_request(self, key: str, digest: str, ttl_s: float) -> bool:
        name = self._key("request", key)
        if await self.client.set(name, digest, nx=True, ex=max(1, int(ttl_s + 0.999))):
            return True
        seen = await self.client.get(name)
        return seen is None or seen.decode() == digest

    async def claim(self, key: str) -> bool:
        return bool(await self.client.set(self._key("claim", key), "1", nx=True, ex=self.ttl_s))

    async def set_reply(self, key: str, texts: list[str]) -> None:
        await self.client.set(self._key("reply", key), _sealed(list(texts)), ex=self.ttl_s)

    async def wait_reply(self, key: str, timeout: float) -> list[str] | None:
        """An unreadable reply counts as none: the request then decides "api" (``base._answer``)
        unless the turn already decided "passive", in which case this request answers nothing."""
        deadline = time.monotonic() + timeout
        unreadable = False
        while True:
            raw = await self.client.get(self._key("reply", key))
            reply = None if raw is None else _opened(raw)
            if raw is not None and reply is None and not unreadable:
                unreadable = True  # logged once per wait, not on every poll; never the value
                logger.warning("A cached reply cannot be read (another key, or stored before "
                               "encryption); treated as absent.")
            if reply is not None or time.monotonic() >= deadline:
                return reply
            await asyncio.sleep(min(POLL_INTERVAL_S, max(0.0, deadline - time.monotonic())))

    async def decide(self, key: str, mode: str) -> str:
        name = self._key("decision", key)
        if await self.client.set(name, mode, nx=True, ex=self.ttl_s):
            return mode
        current = await self.client.get(name)
        return current.decode() if current is not None else mode

    async def set_buttons(self, user: str, buttons: list[Button]) -> None:
        name = self._key("buttons", user)
        if buttons:
            await self.client.set(name, _sealed([list(b) for b in buttons]), ex=self.buttons_ttl_s)
        else:
            await self.client.delete(name)

    async def get_buttons(self, user: str) -> list[Button]:
        raw = await self.client.get(self._key("buttons", user))
        if raw is None:
            return []
        buttons = _opened(raw)
        if buttons is None:
            # Never the value. The caller's number then reaches Rasa as typed.
            logger.warning("A caller's remembered buttons cannot be read (another key, or stored "
                           "before encryption); treated as absent.")
            return []
        return [tuple(b) for b in buttons]

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def make_store(redis_url: str, prefix: str, max_age_s: float = 0.0):
    """MsgIds are remembered at least as long as a timestamp stays fresh (``max_age_s``
    either way of now), so a message cannot be run twice within that window."""
    ttl_s = max(MESSAGE_TTL_S, 2 * max_age_s)
    return RedisStore(redis_url, prefix, ttl_s=ttl_s) if redis_url else MemoryStore(ttl_s=ttl_s)

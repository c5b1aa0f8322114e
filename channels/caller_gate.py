"""The gate every caller message passes before Rasa sees it (REST, socket.io, WeChat, WeCom).

1. **Blank, too long, too fast**: an empty message, one over ``MAX_MESSAGE_CHARS``, or one
   beyond ``RATE_LIMIT`` messages a minute from the same channel and sender is not passed on;
   the channel answers itself (content/caller_gate.yml), so the NLU never runs on it (jieba is
   quadratic on long runs of one character and parsing blocks Rasa's event loop).
2. **Slash commands**: Rasa's RegexMessageHandler turns any text starting with "/" (after
   whitespace; our ChineseTextNormalizer folds "／" and other NFKC slashes to "/") into that
   intent at confidence 1.0, so a caller could type "/EXTERNAL_lawyer_handback" or "/crisis".
   A leading slash is the caller's own text unless the whole message is the payload of a
   button the assistant offered in this conversation since the caller last spoke (the widget
   sends a button's payload as text; a caller typing that same payload gains nothing the
   button did not offer). Otherwise the leading slashes are dropped: the caller's words stay
   for the NLU ("/我要离婚" is still about a divorce) and cannot name an intent.
   Why not look at the tracker in every channel: WeChat maps a typed number to a payload it
   remembered itself, so it neutralises the typed text (``caller_text``) before that mapping.
3. **Metadata**: ``is_external`` is what Rasa's HTTP API puts on a triggered intent, and the
   handoff policy trusts it; no caller channel may pass it on.
4. **Text that cannot be stored**: JSON may carry a lone UTF-16 surrogate ("\\ud800"), which
   Python keeps in a str but no UTF-8 writer accepts; a caller whose message held one lost the
   ticket it asked for (UnicodeEncodeError on saving). Each lone surrogate becomes U+FFFD, the
   replacement character, so the rest of the message is understood and stored as sent.
5. **Back after a long pause**: a message that starts a new Rasa session (the caller's last
   message is older than session_config's session_expiration_time, Rasa's own rule) is first
   answered with content/privacy.yml's resume_reminder: an AI assistant, not a lawyer, and
   how to see or delete what is kept (PIPL art. 17; issue 16). Here, not in an action, so it
   comes whatever the caller writes (mid-questionnaire too) and with the action server down,
   and the dialogue's rules never see an extra step.

Logs name the channel and the reason only, never the sender or the words.
"""
from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Awaitable, Callable, Collection, Iterable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.constants import IS_EXTERNAL
from rasa.shared.core.events import BotUttered, UserUttered

from actions.privacy import resume_reminder
from channels.sliding_window import SlidingWindow
from intake_core.channel_texts import caller_gate_texts

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000  # the widget's textarea has the same maxlength (web/widget.js)
# A whole intake is 10-20 messages; a quick typist with buttons, or a client replaying a
# conversation, can send 20 in a minute without any ill intent (our simulated callers did, and
# 20 ended their intakes with "please wait"). 60 a minute still stops a flood.
RATE_LIMIT = 60           # messages per sender and channel ...
RATE_WINDOW_S = 60.0      # ... within any minute
REQUEST_MAX_BYTES = 64 * 1024  # Sanic's body limit (default 100 MB); a 2,000-character message is ~12 KB of JSON

# json.loads joins a valid surrogate pair into one character, so any surrogate left is unpaired.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _is_slash(char: str) -> bool:
    # The same folding as intake_core.text.fold: NFKC of one character.
    return unicodedata.normalize("NFKC", char) == "/"


def starts_with_slash(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and _is_slash(stripped[0])


def without_lone_surrogates(text: str) -> str:
    """``text`` with each unpaired surrogate replaced by U+FFFD (module documentation, point 4)."""
    return LONE_SURROGATE.sub("\ufffd", text)


def caller_text(text: str, offered_payloads: Collection[str] = ()) -> str:
    """``text`` as the caller's own words: see the module documentation, point 2."""
    if not starts_with_slash(text) or text.strip() in offered_payloads:
        return text
    index = 0
    while index < len(text) and (text[index].isspace() or _is_slash(text[index])):
        index += 1
    return text[index:]


def offered_payloads(events: Iterable[Any]) -> set[str]:
    """Button payloads of the bot's messages since the caller's last message."""
    payloads: set[str] = set()
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            for button in (event.data or {}).get("buttons") or []:
                if isinstance(button, dict) and isinstance(button.get("payload"), str):
                    payloads.add(button["payload"].strip())
    return payloads


def load_texts() -> dict[str, str]:
    texts = caller_gate_texts()
    texts["too_long"] = texts["too_long"].format(limit=MAX_MESSAGE_CHARS)
    texts["resume_reminder"] = resume_reminder()
    return texts


async def last_user_message_time(store: Any, sender_id: str) -> float | None:
    """When ``sender_id`` last wrote. Rasa wraps the configured store (FailSafeTrackerStore,
    AwaitableTrackerStore); ours answers with one query (stores/tracker.py), any other store
    by loading the tracker."""
    inner = store
    while hasattr(inner, "_tracker_store"):
        inner = inner._tracker_store
    if hasattr(inner, "last_user_message_time"):
        return inner.last_user_message_time(sender_id)
    tracker = await store.retrieve(sender_id)
    latest = tracker.get_last_event_for(UserUttered) if tracker is not None else None
    return latest.timestamp if latest is not None else None


class CallerGate:
    """One per channel instance; ``wrap`` the ``on_new_message`` the channel gets from Rasa."""

    def __init__(self, limiter: SlidingWindow | None = None) -> None:
        self.limiter = limiter or SlidingWindow(RATE_LIMIT, RATE_WINDOW_S)
        self.texts = load_texts()
        self.app: Any = None  # the Sanic app, for the agent's tracker store (``bind``)

    def bind(self, blueprint: Any) -> None:
        """Remember the app when the server starts, and cap its request bodies."""

        @blueprint.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            self.app = app
            # Read per connection by Sanic's protocol, so setting it here takes effect.
            app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, REQUEST_MAX_BYTES)
            app.config.WEBSOCKET_MAX_SIZE = min(app.config.WEBSOCKET_MAX_SIZE, REQUEST_MAX_BYTES)

    def refusal(self, message: UserMessage) -> str | None:
        """The channel's own reply instead of a turn, or None to pass the message on."""
        text = message.text if isinstance(message.text, str) else ""
        if not text.strip():
            reason = "empty"
        elif len(text) > MAX_MESSAGE_CHARS:
            reason = "too_long"
        elif not self.limiter.allow(f"{message.input_channel}:{message.sender_id}"):
            reason = "too_fast"
        else:
            return None
        logger.info("The %s channel answered a message itself (%s).", message.input_channel, reason)
        return self.texts[reason]

    def _agent(self) -> Any:
        return getattr(getattr(self.app, "ctx", None), "agent", None)

    async def resuming(self, sender_id: str, now: float | None = None) -> bool:
        """This message starts a new session after a long pause (module documentation, point 5)."""
        agent = self._agent()
        store = getattr(agent, "tracker_store", None)
        session = getattr(getattr(agent, "domain", None), "session_config", None)
        if store is None or session is None or not session.are_sessions_enabled():
            return False
        try:
            last = await last_user_message_time(store, sender_id)
        except Exception as error:  # no reminder rather than no answer
            logger.error("Could not read when the caller last wrote: %s.", type(error).__name__)
            return False
        if last is None:
            return False
        return ((now if now is not None else time.time()) - last) / 60 > session.session_expiration_time

    async def _offered(self, sender_id: str) -> set[str]:
        store = getattr(self._agent(), "tracker_store", None)
        if store is None:
            return set()
        try:
            tracker = await store.retrieve(sender_id)
        except Exception as error:  # no buttons known: the slash is dropped, which is safe
            logger.error("Could not read the offered buttons: %s.", type(error).__name__)
            return set()
        return offered_payloads(tracker.events) if tracker is not None else set()

    def wrap(self, on_new_message: OnNewMessage, slash_commands: bool = True) -> OnNewMessage:
        """``on_new_message`` behind the gate. ``slash_commands=False``: the channel made the
        text safe itself (WeChat: ``caller_text`` before mapping a number to a payload)."""

        async def gated(message: UserMessage) -> None:
            if isinstance(message.text, str):
                message.text = without_lone_surrogates(message.text)
            reply = self.refusal(message)
            if reply is None and slash_commands and starts_with_slash(message.text):
                message.text = caller_text(message.text, await self._offered(message.sender_id))
                if not message.text.strip():  # nothing but slashes
                    reply = self.texts["empty"]
            if reply is not None:
                await message.output_channel.send_text_message(message.sender_id, reply)
                return
            if await self.resuming(message.sender_id):
                await message.output_channel.send_text_message(message.sender_id, self.texts["resume_reminder"])
            if isinstance(message.metadata, dict) and IS_EXTERNAL in message.metadata:
                message.metadata = {k: v for k, v in message.metadata.items() if k != IS_EXTERNAL}
            await on_new_message(message)

        return gated

"""Were a turn's replies the ones the assistant recorded? Lost and duplicated replies.

A reply is a `bot` event in the conversation's tracker (one utterance, with its buttons). The
channels render one differently: REST and socket.io split a plain text at blank lines into
several messages, socket.io also the text of a message with buttons (the buttons go with the
last part, as `quick_replies`), REST keeps that one whole. So both sides are reduced to the
same *parts*: each non-empty text paragraph, each button (title, payload), each image,
attachment or custom payload. Then, per turn:

- the tracker's events are split at `user` events; the n-th turn sent is the n-th `user` event
  and the bot events after it (those before the first `user` event, from the session start,
  belong to the first turn, whose message started the session);
- a bot event is *delivered* when all its parts are among the parts received in that turn
  (each received part is used once); otherwise it is *lost* (and what did arrive of it is
  used up by it);
- after that, each bot event whose parts are all still among the unused parts is counted once
  more as *duplicated* (as often as that holds);
- parts still unused are *stray*: received in this turn, but no bot event of this turn says
  them (another turn's or another conversation's reply, or one never recorded);
- a conversation whose tracker has another number of `user` events than turns sent is
  *misaligned* and not compared turn by turn (a message lost before the tracker, or one the
  channel answered itself).
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Part = tuple[str, ...]


def _paragraphs(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").strip().split("\n\n") if part.strip()]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def message_parts(message: dict[str, Any]) -> list[Part]:
    """The parts of one message as a client receives it (REST's shape; socket.io messages
    are brought to it by ``from_socketio``)."""
    parts: list[Part] = [("text", paragraph) for paragraph in _paragraphs(message.get("text"))]
    parts += [("button", str(b.get("title", "")), str(b.get("payload", ""))) for b in message.get("buttons") or []]
    if message.get("image"):
        parts.append(("image", str(message["image"])))
    for key in ("attachment", "custom", "elements"):
        if message.get(key):
            parts.append((key, _json(message[key])))
    return parts


def event_parts(event: dict[str, Any]) -> list[Part]:
    """The parts of a tracker `bot` event: its text and what its `data` carries."""
    data = event.get("data") or {}
    buttons = data.get("buttons") or data.get("quick_replies") or []
    return message_parts({**{k: data.get(k) for k in ("image", "attachment", "custom", "elements")},
                          "text": event.get("text"), "buttons": buttons})


def from_socketio(message: Any) -> dict[str, Any]:
    """A `bot_uttered` payload in REST's shape: ``quick_replies`` become ``buttons``, an image
    attachment an ``image`` (what Rasa's SocketIOOutput makes of each, reversed)."""
    if not isinstance(message, dict):
        return {"custom": message}
    shaped: dict[str, Any] = {}
    if "text" in message:
        shaped["text"] = message["text"]
    if message.get("quick_replies"):
        shaped["buttons"] = [{"title": r.get("title"), "payload": r.get("payload")} for r in message["quick_replies"]]
    attachment = message.get("attachment")
    if isinstance(attachment, dict) and attachment.get("type") == "image":
        shaped["image"] = (attachment.get("payload") or {}).get("src")
    elif attachment:
        shaped["attachment"] = attachment
    rest = {k: v for k, v in message.items() if k not in ("text", "quick_replies", "attachment")}
    if rest:
        shaped["custom"] = rest
    return shaped


def bot_events_per_turn(events: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The tracker's bot events grouped by the user message they answer (see the module)."""
    turns: list[list[dict[str, Any]]] = []
    before_first: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turns.append([])
        elif kind == "bot":
            (turns[-1] if turns else before_first).append(event)
    if turns:
        turns[0][:0] = before_first
    return turns


@dataclass
class Reconciliation:
    """Counts over the turns compared; ``add`` merges another one."""
    intakes: int = 0
    turns: int = 0
    replies: int = 0  # bot events in the trackers of the turns compared
    lost: int = 0
    duplicated: int = 0
    stray: int = 0  # parts received that no bot event of their turn says
    misaligned: int = 0  # conversations not compared: user events != turns sent
    examples: list[str] = field(default_factory=list)  # where, never what (no caller's words)

    def add(self, other: Reconciliation) -> Reconciliation:
        for name in ("intakes", "turns", "replies", "lost", "duplicated", "stray", "misaligned"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples = (self.examples + other.examples)[:10]
        return self


def _take(available: Counter, parts: Iterable[Part]) -> bool:
    """Use ``parts`` from ``available`` if all are there (all or nothing)."""
    needed = Counter(parts)
    if any(available[part] < count for part, count in needed.items()):
        return False
    available.subtract(needed)
    return True


def reconcile_turn(expected: Sequence[dict[str, Any]], received: Sequence[dict[str, Any]]) -> tuple[int, int, int]:
    """(lost, duplicated, stray) for one turn: the tracker's bot events against the messages received."""
    available = Counter(part for message in received for part in message_parts(message))
    undelivered = [event for event in expected if not _take(available, event_parts(event))]
    for event in undelivered:  # what did arrive of a lost reply is its own, not stray
        for part in event_parts(event):
            if available[part] > 0:
                available[part] -= 1
    lost = len(undelivered)
    duplicated = 0
    for event in expected:
        parts = event_parts(event)
        while parts and _take(available, parts):
            duplicated += 1
    return lost, duplicated, sum(count for count in available.values() if count > 0)


def reconcile_intake(received_per_turn: Sequence[Sequence[dict[str, Any]]],
                     events: Sequence[dict[str, Any]], where: str = "") -> Reconciliation:
    """One conversation: the replies received per turn sent against its tracker's events."""
    expected_per_turn = bot_events_per_turn(events)
    if len(expected_per_turn) != len(received_per_turn):
        return Reconciliation(intakes=1, misaligned=1, examples=[
            f"{where}: {len(received_per_turn)} turns sent, {len(expected_per_turn)} user events"])
    result = Reconciliation(intakes=1)
    for number, (expected, received) in enumerate(zip(expected_per_turn, received_per_turn, strict=False), start=1):
        lost, duplicated, stray = reconcile_turn(expected, received)
        result.turns += 1
        result.replies += len(expected)
        result.lost += lost
        result.duplicated += duplicated
        result.stray += stray
        if lost or duplicated or stray:
            result.examples.append(f"{where} turn {number}: lost {lost}, duplicated {duplicated}, stray {stray}")
    return result

"""Bot messages to WeChat text: merged, numbered buttons, split at the size limit.

WeChat shows one passive reply per incoming message and no buttons, so:
- all bot messages of a turn are merged (blank line between them) into as few
  texts as possible, each at most ``limit`` bytes of UTF-8 (the platform's 2048);
- a message's buttons become a numbered list ("1. 好的，开始"), numbered across the
  whole turn, and the caller answers with the number;
- a single message longer than the limit is split at a line break (or, failing
  that, between characters), never inside a character.
The first text is the passive reply; the rest go out through the
customer-service API (see ``delivery``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_REPLY_BYTES = 2048
Button = tuple[str, str]  # (title, payload)

_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                   "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SELECTION = re.compile(r"^\s*(?:第\s*)?([0-9]{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个|项|号)?\s*[.。、!！]?\s*$")


@dataclass
class Rendered:
    texts: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    @property
    def passive(self) -> str:
        return self.texts[0] if self.texts else ""

    @property
    def overflow(self) -> list[str]:
        return self.texts[1:]


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _split_long(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while _size(text) > limit:
        # the longest prefix that fits, preferably ending at a line break
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if _size(text[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        cut = text.rfind("\n", 0, low)
        cut = cut + 1 if cut > 0 else low
        pieces.append(text[:cut].rstrip("\n"))
        text = text[cut:]
    if text:
        pieces.append(text)
    return pieces


def render_messages(
    messages: Iterable[dict[str, Any]], limit: int = MAX_REPLY_BYTES, choose_hint: str = ""
) -> Rendered:
    """Rasa's collected bot messages (``{"text", "buttons", "image", ...}``); ``choose_hint``
    follows a numbered list (how to choose)."""
    rendered = Rendered()
    blocks: list[str] = []
    for message in messages:
        lines = []
        if message.get("text"):
            lines.append(str(message["text"]))
        for button in message.get("buttons") or message.get("quick_replies") or []:
            title = str(button.get("title") or button.get("payload") or "")
            payload = str(button.get("payload") or title)
            rendered.buttons.append((title, payload))
            lines.append(f"{len(rendered.buttons)}. {title}")
        if message.get("image"):
            lines.append(str(message["image"]))
        if message.get("attachment") and isinstance(message["attachment"], str):
            lines.append(message["attachment"])
        if lines:
            blocks.append("\n".join(lines))
    if rendered.buttons and choose_hint:
        blocks.append(choose_hint)

    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if _size(candidate) <= limit:
            current = candidate
            continue
        if current:
            rendered.texts.append(current)
        parts = _split_long(block, limit)
        rendered.texts.extend(parts[:-1])
        current = parts[-1]
    if current:
        rendered.texts.append(current)
    return rendered


def _chinese_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _CHINESE_DIGITS.get(text)
    if len(text) == 2 and text[0] == "十":  # 十一 .. 十九
        return 10 + _CHINESE_DIGITS[text[1]]
    if len(text) == 2 and text[1] == "十":  # 二十 ..
        return _CHINESE_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return _CHINESE_DIGITS[text[0]] * 10 + _CHINESE_DIGITS[text[2]]
    return None


def selected_number(text: str) -> int | None:
    """1, １, 一, 第一, "2." ... as a number; anything else None."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text)
    match = _SELECTION.match(folded)
    if not match:
        return None
    token = match.group(1)
    if token.isdigit():
        return int(token)
    try:
        return _chinese_number(token)
    except KeyError:
        return None


def selected_payload(text: str, buttons: list[Button]) -> str | None:
    number = selected_number(text)
    if number is None or not 1 <= number <= len(buttons):
        return None
    return buttons[number - 1][1]

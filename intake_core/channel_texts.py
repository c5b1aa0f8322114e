"""What the caller channels say themselves (content/caller_gate.yml, content/wechat.yml),
loaded and checked here, without Rasa, so that start-up validation reaches them."""

from __future__ import annotations

from pathlib import Path
from string import Formatter
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml

CALLER_GATE_FILE = CONTENT_DIR / "caller_gate.yml"
WECHAT_FILE = CONTENT_DIR / "wechat.yml"
CALLER_GATE_TEXTS = ("too_long", "too_fast", "empty")
WECHAT_TEXTS = ("voice_not_recognised", "image_received", "unsupported_message", "choose_by_number")
# The fields a sentence may fill in (too_long: the length limit).
FIELDS = {"too_long": ("limit",)}


def _texts(path: Path, wanted: tuple[str, ...]) -> dict[str, str]:
    data = read_yaml(path)
    with naming(path):
        if not isinstance(data, dict):
            raise ContentError(f"must be a mapping of {', '.join(wanted)}")
        unknown = [key for key in data if key not in wanted]
        if unknown:
            raise ContentError(f"{unknown[0]}: unknown key (the keys are {', '.join(wanted)})")
        texts = {}
        for key in wanted:
            text: Any = data.get(key)
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"{key}: missing (text)")
            try:
                fields = [name for _, name, _, _ in Formatter().parse(text) if name is not None]
            except ValueError as error:
                raise ContentError(f"{key}: {error}") from None
            allowed = FIELDS.get(key, ())
            for name in fields:
                if name not in allowed:
                    raise ContentError(
                        f"{key}: {{{name}}} is not filled in "
                        f"(this sentence may use {', '.join(allowed) or 'no field'})"
                    )
            texts[key] = text.strip()
        return texts


def caller_gate_texts(path: Path = CALLER_GATE_FILE) -> dict[str, str]:
    """too_long (with {limit}), too_fast, empty."""
    return _texts(path, CALLER_GATE_TEXTS)


def wechat_texts(path: Path = WECHAT_FILE) -> dict[str, str]:
    """voice_not_recognised, image_received, unsupported_message, choose_by_number."""
    return _texts(path, WECHAT_TEXTS)

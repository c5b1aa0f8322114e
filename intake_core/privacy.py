"""content/privacy.yml, loaded and checked once: the privacy notice, the reminder on a
resumed conversation and the separate consent asked before each kind of sensitive
information (PIPL arts 14, 17, 28-29, 31; issue 16). The SDK side (slots that record which
version a caller saw) is actions/privacy.py."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml
from intake_core.questionnaires.definitions import SENSITIVE_KINDS

PRIVACY_FILE = CONTENT_DIR / "privacy.yml"
TEXTS = ("notice", "resume_reminder", "nothing_to_withdraw", "under_14")
CONSENT_TEXTS = ("ask", "declined", "withdrawn")


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def parse_privacy(content: Any) -> dict[str, Any]:
    """The parsed file, checked; an error names the key."""
    if not isinstance(content, dict):
        raise ContentError("must be a mapping (version, notice, sensitive, ...)")
    version = content.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ContentError(f"version: must be a whole number from 1, got {version!r}")
    for key in TEXTS:
        if not _text(content.get(key)):
            raise ContentError(f"{key}: missing (text)")
    try:  # the notice is filled in with the retention period, and nothing else
        fields = {name for _, name, _, _ in Formatter().parse(content["notice"]) if name is not None}
    except ValueError as error:
        raise ContentError(f"notice: {error}") from None
    if fields - {"retention_days"}:
        raise ContentError(
            f"notice: {{{sorted(fields - {'retention_days'})[0]}}} is not filled in "
            "(the notice may use {retention_days})"
        )
    sensitive = content.get("sensitive")
    if not isinstance(sensitive, dict):
        raise ContentError("sensitive: missing (each sensitive kind's consent texts)")
    for kind in SENSITIVE_KINDS:
        texts = sensitive.get(kind)
        if not isinstance(texts, dict):
            raise ContentError(f"sensitive.{kind}: missing (needs 'ask', 'declined', 'words' and 'withdrawn')")
        for key in CONSENT_TEXTS:
            if not _text(texts.get(key)):
                raise ContentError(f"sensitive.{kind}.{key}: missing (text)")
        words = texts.get("words")
        if not isinstance(words, list) or not words or not all(_text(str(word)) for word in words):
            raise ContentError(f"sensitive.{kind}.words: must be a list of words")
    return content


@cache
def privacy_content(path: Path = PRIVACY_FILE) -> dict[str, Any]:
    content = read_yaml(path)
    with naming(path):
        return parse_privacy(content)

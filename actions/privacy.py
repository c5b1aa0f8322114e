"""The privacy notice (content/privacy.yml): its text and version, and the slots that record
which version a caller saw and when (the tracker is the record; issue 16, H8)."""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk.events import EventType, SlotSet

from intake_core.config import PROJECT_ROOT, retention_days

PRIVACY_FILE = PROJECT_ROOT / "content" / "privacy.yml"
VERSION_SLOT = "privacy_notice_version"
SEEN_AT_SLOT = "privacy_notice_seen_at"


@lru_cache(maxsize=1)
def privacy_content(path: Path = PRIVACY_FILE) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        content = yaml.safe_load(handle)
    for key in ("version", "notice", "resume_reminder", "sensitive", "nothing_to_withdraw", "under_14"):
        if key not in content:
            raise ValueError(f"content/privacy.yml: missing '{key}'")
    from intake_core.questionnaires.definitions import SENSITIVE_KINDS  # here: no import cycle

    for kind in SENSITIVE_KINDS:
        if not {"ask", "declined", "words", "withdrawn"} <= set(content["sensitive"].get(kind) or {}):
            raise ValueError(f"content/privacy.yml: sensitive.{kind} needs 'ask', 'declined', 'words' and 'withdrawn'")
    return content


def consent_declined_text(kind: str) -> str:
    return privacy_content()["sensitive"][kind]["declined"]


def consent_withdrawn_text(kind: str) -> str:
    return privacy_content()["sensitive"][kind]["withdrawn"]


def nothing_to_withdraw_text() -> str:
    return privacy_content()["nothing_to_withdraw"]


def kinds_named(text: str) -> List[str]:
    """The sensitive kinds ``text`` names by one of their words ("受伤的信息别保存了": health)."""
    from intake_core.questionnaires.definitions import SENSITIVE_KINDS  # here: no import cycle

    sensitive = privacy_content()["sensitive"]
    return [kind for kind in SENSITIVE_KINDS if any(str(word) in text for word in sensitive[kind]["words"])]


def notice_version() -> int:
    return int(privacy_content()["version"])


def notice_text() -> str:
    return privacy_content()["notice"].format(retention_days=retention_days())


def resume_reminder() -> str:
    return privacy_content()["resume_reminder"]


def notice_due(seen_version: Optional[Any]) -> bool:
    """The caller has not seen this version of the notice (or none at all)."""
    return seen_version is None or str(seen_version) != str(notice_version())


def seen_now(now: Optional[float] = None) -> List[EventType]:
    """Records that the current notice was shown (version, Unix time)."""
    return [SlotSet(VERSION_SLOT, str(notice_version())),
            SlotSet(SEEN_AT_SLOT, float(now if now is not None else time.time()))]

"""The privacy notice (content/privacy.yml): its text and version, and the slots that record
which version a caller saw and when (the tracker is the record; issue 16, H8)."""
from __future__ import annotations

import time
from typing import Any

from rasa_sdk.events import EventType, SlotSet

from intake_core.config import retention_days
from intake_core.privacy import privacy_content

VERSION_SLOT = "privacy_notice_version"
SEEN_AT_SLOT = "privacy_notice_seen_at"


def consent_declined_text(kind: str) -> str:
    return privacy_content()["sensitive"][kind]["declined"]


def consent_withdrawn_text(kind: str) -> str:
    return privacy_content()["sensitive"][kind]["withdrawn"]


def nothing_to_withdraw_text() -> str:
    return privacy_content()["nothing_to_withdraw"]


def kinds_named(text: str) -> list[str]:
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


def notice_due(seen_version: Any | None) -> bool:
    """The caller has not seen this version of the notice (or none at all)."""
    return seen_version is None or str(seen_version) != str(notice_version())


def seen_now(now: float | None = None) -> list[EventType]:
    """Records that the current notice was shown (version, Unix time)."""
    return [SlotSet(VERSION_SLOT, str(notice_version())),
            SlotSet(SEEN_AT_SLOT, float(now if now is not None else time.time()))]

"""content/handoff.yml, loaded and checked once per process."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from intake_core import config
from intake_core.config import PROJECT_ROOT

HANDOFF_SETTINGS_PATH = PROJECT_ROOT / "content" / "handoff.yml"
URGENCIES = ("urgent", "high", "normal")


class HandoffSettingsError(ValueError):
    """content/handoff.yml is malformed; the message names the key."""


@dataclass(frozen=True)
class OfficeHours:
    timezone: ZoneInfo
    weekdays: FrozenSet[int]
    opens: time
    closes: time
    closed_dates: FrozenSet[date]
    open_dates: FrozenSet[date]


@dataclass(frozen=True)
class HandoffSettings:
    office_hours: OfficeHours
    response_minutes: Mapping[str, int]
    reminder_after_minutes: Mapping[str, int]
    deadline_within_days: int
    amount_at_stake_yuan: int
    high_reasons: FrozenSet[str]
    match_score: float
    possible_score: float
    company_suffixes: Tuple[str, ...]
    place_prefixes: Tuple[str, ...]
    retry_seconds: Tuple[int, ...]
    notification_texts: Mapping[str, str]
    conflict_note: str
    names: Mapping[str, Mapping[Optional[str], str]]
    contact_time: Mapping[str, Any]


def _require(data: Mapping[str, Any], key: str, where: str = "") -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise HandoffSettingsError(f"content/handoff.yml: missing '{where}{key}'")
    return data[key]


def _clock(value: Any, key: str) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise HandoffSettingsError(f"content/handoff.yml: '{key}' must be HH:MM, got {value!r}") from error


def _dates(values: Any, key: str) -> FrozenSet[date]:
    try:
        return frozenset(v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values or [])
    except ValueError as error:
        raise HandoffSettingsError(f"content/handoff.yml: '{key}' holds a value that is not a date") from error


def _per_urgency(data: Mapping[str, Any], key: str) -> Dict[str, int]:
    values = _require(data, key)
    result = {}
    for urgency in URGENCIES:
        value = _require(values, urgency, f"{key}.")
        if not isinstance(value, (int, float)) or value <= 0:
            raise HandoffSettingsError(f"content/handoff.yml: '{key}.{urgency}' must be a positive number")
        result[urgency] = value
    return result


def parse_settings(data: Mapping[str, Any]) -> HandoffSettings:
    hours = _require(data, "office_hours")
    weekdays = frozenset(_require(hours, "weekdays", "office_hours."))
    if not weekdays or not weekdays <= set(range(1, 8)):
        raise HandoffSettingsError("content/handoff.yml: 'office_hours.weekdays' must be ISO weekdays 1-7")
    opens = _clock(_require(hours, "opens", "office_hours."), "office_hours.opens")
    closes = _clock(_require(hours, "closes", "office_hours."), "office_hours.closes")
    if opens >= closes:
        raise HandoffSettingsError("content/handoff.yml: 'office_hours.opens' must be before 'closes'")
    try:
        timezone = ZoneInfo(_require(hours, "timezone", "office_hours."))
    except Exception as error:
        raise HandoffSettingsError("content/handoff.yml: 'office_hours.timezone' is not a time zone") from error

    urgency = _require(data, "urgency")
    conflicts = _require(data, "conflict_check")
    notifications = _require(data, "notifications")
    texts = _require(notifications, "texts", "notifications.")
    for kind in ("new", "urgent", "reminder"):
        _require(texts, kind, "notifications.texts.")
    retry = tuple(int(s) for s in _require(notifications, "retry_seconds", "notifications."))
    if not retry or min(retry) <= 0:
        raise HandoffSettingsError("content/handoff.yml: 'notifications.retry_seconds' must be positive")
    names = _require(notifications, "names", "notifications.")
    contact_time = _require(data, "contact_time")
    for key in ("today", "tomorrow", "other", "weekdays"):
        _require(contact_time, key, "contact_time.")
    if len(contact_time["weekdays"]) != 7:
        raise HandoffSettingsError("content/handoff.yml: 'contact_time.weekdays' needs 7 names, Monday first")
    return HandoffSettings(
        office_hours=OfficeHours(
            timezone=timezone,
            weekdays=weekdays,
            opens=opens,
            closes=closes,
            closed_dates=_dates(hours.get("closed_dates"), "office_hours.closed_dates"),
            open_dates=_dates(hours.get("open_dates"), "office_hours.open_dates"),
        ),
        response_minutes=_per_urgency(data, "response_minutes"),
        reminder_after_minutes=_per_urgency(data, "reminder_after_minutes"),
        deadline_within_days=int(_require(urgency, "deadline_within_days", "urgency.")),
        amount_at_stake_yuan=int(_require(urgency, "amount_at_stake_yuan", "urgency.")),
        high_reasons=frozenset(str(reason) for reason in urgency.get("high_reasons") or ()),
        match_score=float(_require(conflicts, "match_score", "conflict_check.")),
        possible_score=float(_require(conflicts, "possible_score", "conflict_check.")),
        company_suffixes=tuple(sorted(_require(conflicts, "company_suffixes", "conflict_check."), key=len, reverse=True)),
        place_prefixes=tuple(sorted(_require(conflicts, "place_prefixes", "conflict_check."), key=len, reverse=True)),
        retry_seconds=retry,
        notification_texts=dict(texts),
        conflict_note=str(notifications.get("conflict_note", "")),
        contact_time=dict(contact_time),
        names={group: {(None if k in (None, "null") else k): v for k, v in values.items()} for group, values in names.items()},
    )


def load_settings(path: Path = HANDOFF_SETTINGS_PATH) -> HandoffSettings:
    with open(path, encoding="utf-8") as handle:
        return parse_settings(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def handoff_settings() -> HandoffSettings:
    """HANDOFF_SETTINGS_FILE may name another file (tests use short promises)."""
    return load_settings(config.handoff_settings_file() or HANDOFF_SETTINGS_PATH)

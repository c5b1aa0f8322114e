"""The desk's settings, one file per concern, loaded and checked once per process:
content/office_hours.yml (when lawyers answer, the firm's time zone), content/handoff.yml
(promises to the caller, urgency), content/conflict_check.yml and
content/staff_notifications.yml (notification texts, the names staff see)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from intake_core import config
from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml

OFFICE_HOURS_FILE = "office_hours.yml"
HANDOFF_FILE = "handoff.yml"
CONFLICT_CHECK_FILE = "conflict_check.yml"
STAFF_NOTIFICATIONS_FILE = "staff_notifications.yml"
SETTINGS_FILES = (OFFICE_HOURS_FILE, HANDOFF_FILE, CONFLICT_CHECK_FILE, STAFF_NOTIFICATIONS_FILE)
HANDOFF_SETTINGS_PATH = CONTENT_DIR / HANDOFF_FILE
URGENCIES = ("urgent", "high", "normal")


class HandoffSettingsError(ContentError):
    """A settings file of the desk is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class OfficeHours:
    timezone: ZoneInfo
    weekdays: frozenset[int]
    opens: time
    closes: time
    closed_dates: frozenset[date]
    open_dates: frozenset[date]


@dataclass(frozen=True)
class HandoffSettings:
    office_hours: OfficeHours
    response_minutes: Mapping[str, int]
    reminder_after_minutes: Mapping[str, int]
    amount_at_stake_yuan: int
    high_reasons: frozenset[str]
    match_score: float
    possible_score: float
    company_suffixes: tuple[str, ...]
    place_prefixes: tuple[str, ...]
    retry_seconds: tuple[int, ...]
    notification_texts: Mapping[str, str]
    conflict_note: str
    names: Mapping[str, Mapping[str | None, str]]
    contact_time: Mapping[str, Any]


def _require(data: Any, key: str, where: str = "") -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise HandoffSettingsError(f"{where}{key}: missing")
    return data[key]


def _only(data: Any, keys: tuple[str, ...], where: str = "", hint: Mapping[str, str] | None = None) -> None:
    """Refuse a key the loader does not read: put there by mistake, it would silently do nothing."""
    if not isinstance(data, Mapping):
        raise HandoffSettingsError(f"{where}must be a mapping of {', '.join(keys)}")
    for key in data:
        if key not in keys:
            why = (hint or {}).get(key) or f"the keys are {', '.join(keys)}"
            raise HandoffSettingsError(f"{where}{key}: unknown key ({why})")


def _version(data: Any) -> None:
    if _require(data, "version") != 1:
        raise HandoffSettingsError(f"version: must be 1, got {data['version']!r}")


def _clock(value: Any, key: str) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise HandoffSettingsError(f"{key}: must be HH:MM, got {value!r}") from error


def _dates(values: Any, key: str) -> frozenset[date]:
    try:
        return frozenset(v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values or [])
    except (TypeError, ValueError) as error:
        raise HandoffSettingsError(f"{key}: holds a value that is not a date") from error


def _per_urgency(data: Mapping[str, Any], key: str) -> dict[str, int]:
    values = _require(data, key)
    result = {}
    for urgency in URGENCIES:
        value = _require(values, urgency, f"{key}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise HandoffSettingsError(f"{key}.{urgency}: must be a positive number")
        result[urgency] = value
    return result


def parse_office_hours(data: Any) -> OfficeHours:
    """content/office_hours.yml; errors name the key."""
    _only(data, ("version", "timezone", "weekdays", "opens", "closes", "closed_dates", "open_dates"))
    _version(data)
    weekdays = _require(data, "weekdays")
    if not isinstance(weekdays, list) or not weekdays or not set(weekdays) <= set(range(1, 8)):
        raise HandoffSettingsError("weekdays: must be ISO weekdays 1-7")
    opens = _clock(_require(data, "opens"), "opens")
    closes = _clock(_require(data, "closes"), "closes")
    if opens >= closes:
        raise HandoffSettingsError("opens: must be before 'closes'")
    try:
        timezone = ZoneInfo(str(_require(data, "timezone")))
    except (ValueError, KeyError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise HandoffSettingsError("timezone: is not an IANA time zone name") from error
    return OfficeHours(
        timezone=timezone,
        weekdays=frozenset(weekdays),
        opens=opens,
        closes=closes,
        closed_dates=_dates(data.get("closed_dates"), "closed_dates"),
        open_dates=_dates(data.get("open_dates"), "open_dates"),
    )


def _handoff(data: Any) -> dict[str, Any]:
    """content/handoff.yml: the promises and the urgency rules."""
    _only(data, ("version", "response_minutes", "reminder_after_minutes", "contact_time", "urgency"))
    _version(data)
    urgency = _require(data, "urgency")
    # One source for the urgent window: the guidance's (the caller is told of it).
    _only(
        urgency,
        ("amount_at_stake_yuan", "high_reasons"),
        "urgency.",
        {"deadline_within_days": "the urgent window is urgent_within_days in content/guidance/parameters.yml"},
    )
    amount = _require(urgency, "amount_at_stake_yuan", "urgency.")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise HandoffSettingsError("urgency.amount_at_stake_yuan: must be a positive whole number of yuan")
    contact_time = _require(data, "contact_time")
    for key in ("today", "tomorrow", "other", "weekdays"):
        _require(contact_time, key, "contact_time.")
    if not isinstance(contact_time["weekdays"], list) or len(contact_time["weekdays"]) != 7:
        raise HandoffSettingsError("contact_time.weekdays: needs 7 names, Monday first")
    return dict(
        response_minutes=_per_urgency(data, "response_minutes"),
        reminder_after_minutes=_per_urgency(data, "reminder_after_minutes"),
        amount_at_stake_yuan=amount,
        high_reasons=frozenset(str(reason) for reason in urgency.get("high_reasons") or ()),
        contact_time=dict(contact_time),
    )


def _conflict_check(data: Any) -> dict[str, Any]:
    """content/conflict_check.yml."""
    _only(data, ("version", "match_score", "possible_score", "company_suffixes", "place_prefixes"))
    _version(data)
    scores = {}
    for key in ("match_score", "possible_score"):
        value = _require(data, key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
            raise HandoffSettingsError(f"{key}: must be a similarity from 1 to 100")
        scores[key] = float(value)
    if scores["possible_score"] > scores["match_score"]:
        raise HandoffSettingsError("possible_score: must not be above match_score")
    words = {}
    for key in ("company_suffixes", "place_prefixes"):
        value = _require(data, key)
        if not isinstance(value, list) or not all(isinstance(word, str) and word for word in value):
            raise HandoffSettingsError(f"{key}: must be a list of words")
        words[key] = tuple(sorted(value, key=len, reverse=True))
    return dict(**scores, **words)


def _staff_notifications(data: Any) -> dict[str, Any]:
    """content/staff_notifications.yml."""
    _only(data, ("version", "retry_seconds", "texts", "conflict_note", "names"))
    _version(data)
    texts = _require(data, "texts")
    for kind in ("new", "urgent", "reminder"):
        if not isinstance(_require(texts, kind, "texts."), str):
            raise HandoffSettingsError(f"texts.{kind}: must be text")
    retry = _require(data, "retry_seconds")
    if (
        not isinstance(retry, list)
        or not retry
        or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in retry)
    ):
        raise HandoffSettingsError("retry_seconds: must be a list of positive whole seconds")
    names = _require(data, "names")
    if not isinstance(names, Mapping) or not all(isinstance(group, Mapping) for group in names.values()):
        raise HandoffSettingsError("names: must map each group (urgency, reason, ...) to its names")
    return dict(
        retry_seconds=tuple(retry),
        notification_texts=dict(texts),
        conflict_note=str(data.get("conflict_note", "")),
        names={
            group: {(None if k in (None, "null") else k): v for k, v in values.items()}
            for group, values in names.items()
        },
    )


def settings_paths(directory: Path = CONTENT_DIR, handoff_file: Path | None = None) -> dict[str, Path]:
    """Each settings file in ``directory``, with ``handoff_file`` in place of its handoff.yml."""
    paths = {name: directory / name for name in SETTINGS_FILES}
    if handoff_file is not None:
        paths[HANDOFF_FILE] = handoff_file
    return paths


def parse_settings(files: Mapping[str, Any], paths: Mapping[str, Path] | None = None) -> HandoffSettings:
    """The settings from each file's parsed YAML (``files``: by file name, SETTINGS_FILES);
    an error names the file (its path in ``paths``, by default content/'s) and the key."""
    paths = paths or settings_paths()

    def part(name: str, parse: Callable[[Any], Any]) -> Any:
        with naming(paths[name]):
            return parse(files.get(name))

    return HandoffSettings(
        office_hours=part(OFFICE_HOURS_FILE, parse_office_hours),
        **part(HANDOFF_FILE, _handoff),
        **part(CONFLICT_CHECK_FILE, _conflict_check),
        **part(STAFF_NOTIFICATIONS_FILE, _staff_notifications),
    )


def load_settings(directory: Path = CONTENT_DIR, handoff_file: Path | None = None) -> HandoffSettings:
    """The settings files of ``directory``, with ``handoff_file`` in place of its handoff.yml."""
    paths = settings_paths(directory, handoff_file)
    return parse_settings({name: read_yaml(path) for name, path in paths.items()}, paths)


@lru_cache(maxsize=1)
def handoff_settings() -> HandoffSettings:
    """HANDOFF_SETTINGS_FILE may name another handoff.yml (tests use short promises); the
    other settings files are then read from its folder."""
    override = config.handoff_settings_file()
    return load_settings(Path(override).parent, Path(override)) if override else load_settings()


def firm_timezone() -> ZoneInfo:
    """The firm's time zone (content/office_hours.yml): the one the whole project counts days in."""
    return handoff_settings().office_hours.timezone

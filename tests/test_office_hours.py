"""The promise of contact: office time for normal tickets, clock time for urgent."""
import dataclasses
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from intake_core.desk.office_hours import (
    add_office_minutes,
    contact_promise,
    contact_time_text,
    is_open,
    next_opening,
    office_hours_text,
)
from intake_core.desk.settings import handoff_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def settings():
    return handoff_settings()


def test_a_weekday_afternoon_is_open_and_an_evening_is_not(settings):
    hours = settings.office_hours
    assert is_open(hours, at("2026-11-23 14:00"))  # Monday
    assert not is_open(hours, at("2026-11-23 18:00"))  # closing time itself is closed
    assert not is_open(hours, at("2026-11-22 10:00"))  # Sunday


def test_friday_evening_opens_on_monday_morning(settings):
    assert next_opening(settings.office_hours, at("2026-11-27 20:15")) == at("2026-11-30 09:00")


def test_a_public_holiday_is_skipped(settings):
    # 2027-01-01 is a Friday and listed as closed.
    assert next_opening(settings.office_hours, at("2026-12-31 19:00")) == at("2027-01-04 09:00")


def test_office_minutes_carry_over_to_the_next_office_day(settings):
    # 17:30 + 120 office minutes = 30 minutes today + 90 tomorrow.
    assert add_office_minutes(settings.office_hours, at("2026-11-23 17:30"), 120) == at("2026-11-24 10:30")


def test_a_normal_ticket_on_sunday_night_is_promised_for_monday(settings):
    promise = contact_promise(settings, "normal", at("2026-11-22 23:00"))
    assert promise.respond_by == at("2026-11-23 11:00")
    assert promise.office_open_now is False


def test_an_urgent_ticket_counts_clock_time_even_at_night(settings):
    now = at("2026-11-22 23:00")
    promise = contact_promise(settings, "urgent", now)
    assert promise.respond_by == now + timedelta(minutes=settings.response_minutes["urgent"])


def test_the_promised_time_reads_naturally(settings):
    now = at("2026-11-22 23:00")  # Sunday
    assert contact_time_text(settings, at("2026-11-22 23:15"), now) == "今天 23:15"
    assert contact_time_text(settings, at("2026-11-23 11:00"), now) == "明天 11:00"
    assert contact_time_text(settings, at("2026-11-25 09:30"), now) == "11月25日（周三）09:30"


def test_utc_moments_are_read_in_the_office_time_zone(settings):
    utc_now = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)  # 14:00 in Shanghai
    assert is_open(settings.office_hours, utc_now)


def test_the_office_hours_told_to_callers_come_from_the_file(settings):
    """The handoff promise names the hours of content/office_hours.yml, not a copy in the domain."""
    assert office_hours_text(settings) == "工作日 9:00-18:00"
    hours = settings.office_hours

    def told(**changes) -> str:
        return office_hours_text(dataclasses.replace(settings, office_hours=dataclasses.replace(hours, **changes)))

    assert told(weekdays=frozenset({1, 2, 3, 4, 5, 6}), closes=time(17, 30)) == "周一至周六 9:00-17:30"
    assert told(weekdays=frozenset({1, 3, 5})) == "周一、周三、周五 9:00-18:00"

"""The desk's settings, one file per concern (content/office_hours.yml, handoff.yml,
conflict_check.yml, staff_notifications.yml), are checked on load; a malformed value names its
file and key. One source each for the firm's time zone and the urgent window."""
import ast
import copy
import shutil
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from intake_core.content import CONTENT_DIR, PROJECT_ROOT, ContentError
from intake_core.desk import settings as desk_settings
from intake_core.desk.settings import (
    CONFLICT_CHECK_FILE,
    HANDOFF_FILE,
    OFFICE_HOURS_FILE,
    SETTINGS_FILES,
    STAFF_NOTIFICATIONS_FILE,
    HandoffSettingsError,
    handoff_settings,
    load_settings,
    parse_settings,
)


@pytest.fixture
def files():
    """Each settings file's parsed YAML, by file name (a fresh copy per test)."""
    return {name: yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8")) for name in SETTINGS_FILES}


def test_the_shipped_files_are_valid(files):
    settings = parse_settings(files)
    assert settings.response_minutes["urgent"] < settings.response_minutes["normal"]
    assert settings.possible_score < settings.match_score
    assert load_settings() == settings


def test_the_settings_error_is_a_content_error():
    assert issubclass(HandoffSettingsError, ContentError)


def _office(**change):
    return OFFICE_HOURS_FILE, lambda d: d.update(change)


@pytest.mark.parametrize(
    "change, key",
    [
        (_office(opens="25:00"), "opens"),
        (_office(opens="19:00"), "opens"),
        (_office(weekdays=[0, 8]), "weekdays"),
        (_office(closed_dates=["2027-02-30"]), "closed_dates"),
        (_office(timezone="Mars/Olympus_Mons"), "timezone"),
        (_office(office_hours={"opens": "09:00"}), "office_hours: unknown key"),
        ((HANDOFF_FILE, lambda d: d["response_minutes"].pop("urgent")), "response_minutes.urgent"),
        ((HANDOFF_FILE, lambda d: d["response_minutes"].update(normal=-5)), "response_minutes.normal"),
        ((HANDOFF_FILE, lambda d: d["contact_time"].update(weekdays=["周一"])), "contact_time.weekdays"),
        ((HANDOFF_FILE, lambda d: d["urgency"].update(amount_at_stake_yuan="十万")), "urgency.amount_at_stake_yuan"),
        ((HANDOFF_FILE, lambda d: d.update(version=2)), "version"),
        ((CONFLICT_CHECK_FILE, lambda d: d.update(possible_score=95)), "possible_score"),
        ((CONFLICT_CHECK_FILE, lambda d: d.update(company_suffixes="有限公司")), "company_suffixes"),
        ((STAFF_NOTIFICATIONS_FILE, lambda d: d["texts"].pop("reminder")), "texts.reminder"),
        ((STAFF_NOTIFICATIONS_FILE, lambda d: d.update(retry_seconds=[5, 0])), "retry_seconds"),
        ((STAFF_NOTIFICATIONS_FILE, lambda d: d.pop("names")), "names: missing"),
    ],
)
def test_a_malformed_value_is_refused_with_its_file_and_key(files, change, key):
    name, edit = change
    data = copy.deepcopy(files)
    edit(data[name])
    with pytest.raises(HandoffSettingsError) as refused:
        parse_settings(data)
    assert str(refused.value).startswith(f"content/{name}: {key}"), str(refused.value)


def test_a_broken_copy_on_disk_is_named_by_its_path(tmp_path):
    for name in SETTINGS_FILES:
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    (tmp_path / CONFLICT_CHECK_FILE).write_text("match_score: [90", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML") as refused:
        load_settings(tmp_path)
    assert str(refused.value).startswith(str(tmp_path / CONFLICT_CHECK_FILE))


def test_every_notification_text_fills_with_the_known_fields(files):
    fields = dict(ticket_no="20261122-00001", case_type_name="劳动争议", reason_name="投诉", urgency_name="一般",
                  conflict_note="", respond_by="11-23 10:00", reminders=1, console_url="http://x/tickets/1")
    for kind, text in files[STAFF_NOTIFICATIONS_FILE]["texts"].items():
        assert "{" not in text.format(**fields), kind


def test_another_handoff_file_takes_the_other_settings_from_its_folder(tmp_path, monkeypatch, files):
    # HANDOFF_SETTINGS_FILE (the tests' short promises): office hours and the rest beside it.
    for name in SETTINGS_FILES:
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    quick = copy.deepcopy(files[HANDOFF_FILE])
    quick["response_minutes"] = {"urgent": 0.05, "high": 0.05, "normal": 0.05}
    (tmp_path / "handoff-quick.yml").write_text(yaml.safe_dump(quick, allow_unicode=True), encoding="utf-8")
    always_open = dict(files[OFFICE_HOURS_FILE], weekdays=[1, 2, 3, 4, 5, 6, 7])
    (tmp_path / OFFICE_HOURS_FILE).write_text(yaml.safe_dump(always_open, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("HANDOFF_SETTINGS_FILE", str(tmp_path / "handoff-quick.yml"))
    handoff_settings.cache_clear()
    try:
        settings = handoff_settings()
        assert settings.response_minutes["normal"] == 0.05
        assert settings.office_hours.weekdays == frozenset(range(1, 8))
    finally:
        monkeypatch.delenv("HANDOFF_SETTINGS_FILE")
        handoff_settings.cache_clear()


# --- one source for the firm's time zone -------------------------------------------------------

PRODUCT_PACKAGES = ("actions", "channels", "console", "intake_core", "intake_dialogue", "intake_nlu", "scripts",
                    "stores", "migrations")


def _product_python():
    for package in PRODUCT_PACKAGES:
        yield from sorted((PROJECT_ROOT / package).rglob("*.py"))


def test_the_time_zone_is_named_in_office_hours_yml_only():
    holders = [path.relative_to(CONTENT_DIR) for path in sorted(CONTENT_DIR.rglob("*.yml"))
               if "timezone" in (yaml.safe_load(path.read_text(encoding="utf-8")) or {})
               or "Asia/" in path.read_text(encoding="utf-8")]
    assert holders == [Path(OFFICE_HOURS_FILE)]
    named = []
    for path in _product_python():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named += [f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and "Asia/" in node.value]
    assert named == [], "a time zone written in the code: read content/office_hours.yml (firm_timezone())"


def test_the_caller_s_day_is_the_day_in_the_office_s_time_zone(monkeypatch):
    from actions.questionnaires.validation import message_date

    class Tracker:  # message_date reads only the events
        events = [{"event": "user", "timestamp": datetime.fromisoformat("2026-11-22T20:00:00+00:00").timestamp()}]

    assert message_date(Tracker()) == date(2026, 11, 23)  # 04:00 the next morning in Shanghai
    real = handoff_settings()
    elsewhere = replace(real, office_hours=replace(real.office_hours, timezone=ZoneInfo("America/New_York")))
    monkeypatch.setattr(desk_settings, "handoff_settings", lambda: elsewhere)
    assert message_date(Tracker()) == date(2026, 11, 22)  # 15:00 the same day in New York


# --- one source for the urgent window ------------------------------------------------------------


TODAY = date(2026, 11, 23)


def test_the_handoff_file_refuses_its_own_urgent_window(files):
    data = copy.deepcopy(files)
    data[HANDOFF_FILE]["urgency"]["deadline_within_days"] = 30
    with pytest.raises(HandoffSettingsError, match="urgent_within_days in content/guidance/parameters.yml"):
        parse_settings(data)


def test_a_ticket_s_deadline_is_high_within_the_guidance_s_urgent_window(monkeypatch):
    from intake_core.desk import tickets
    from intake_core.guidance.parameters import load_parameters

    def request(days_left: int) -> tickets.HandoffRequest:
        return tickets.HandoffRequest("conv", "rest", "labor", "representation", tickets.NORMAL, None,
                                      nearest_deadline=date.fromordinal(TODAY.toordinal() + days_left),
                                      amount_at_stake=Decimal("1000"))

    window = load_parameters().urgent_within_days
    assert tickets.assess_urgency(request(window), TODAY) == tickets.HIGH
    assert tickets.assess_urgency(request(window + 1), TODAY) == tickets.NORMAL
    narrower = replace(load_parameters(), urgent_within_days=window - 10)
    monkeypatch.setattr(tickets, "load_parameters", lambda: narrower)
    assert tickets.assess_urgency(request(window), TODAY) == tickets.NORMAL
    assert tickets.assess_urgency(request(window - 10), TODAY) == tickets.HIGH


# --- the 2027 holidays ------------------------------------------------------------------------

# 2027 holidays by 全国年节及纪念日放假办法 (2024 revision) and the lunar calendar: 春节 (正月初一)
# 2027-02-06, so 除夕 is 02-05 and 初七 02-12; 清明 04-05, 端午 06-09, 中秋 09-15.
STATUTORY_HOLIDAYS_2027 = [
    "2027-01-01",  # 元旦
    "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",  # 春节: 除夕 to 初三
    "2027-04-05",  # 清明
    "2027-05-01", "2027-05-02",  # 劳动节
    "2027-06-09",  # 端午
    "2027-09-15",  # 中秋
    "2027-10-01", "2027-10-02", "2027-10-03",  # 国庆
]


@pytest.mark.parametrize("day", STATUTORY_HOLIDAYS_2027)
def test_the_office_is_closed_on_every_2027_statutory_holiday(files, day):
    from intake_core.desk.office_hours import is_office_day

    hours = parse_settings(files).office_hours
    assert date.fromisoformat(day) in hours.closed_dates
    assert not is_office_day(hours, date.fromisoformat(day))


def test_the_2027_spring_festival_closure_is_around_new_year_not_after_it(files):
    closed = parse_settings(files).office_hours.closed_dates
    assert date(2027, 2, 6) in closed
    # Never before 除夕's week nor after 初七 (2027-02-12), however the notice swaps weekend days.
    assert not [d for d in closed if d.year == 2027 and d.month == 2 and not date(2027, 2, 1) <= d <= date(2027, 2, 12)]

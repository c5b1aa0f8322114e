"""content/handoff.yml is checked on load; a malformed value names its key."""
import copy

import pytest
import yaml

from intake_core.desk.settings import HANDOFF_SETTINGS_PATH, HandoffSettingsError, parse_settings


@pytest.fixture
def raw():
    with open(HANDOFF_SETTINGS_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_the_shipped_file_is_valid(raw):
    settings = parse_settings(raw)
    assert settings.response_minutes["urgent"] < settings.response_minutes["normal"]
    assert settings.possible_score < settings.match_score


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: d["office_hours"].update(opens="25:00"), "office_hours.opens"),
        (lambda d: d["office_hours"].update(opens="19:00"), "office_hours.opens"),
        (lambda d: d["office_hours"].update(weekdays=[0, 8]), "office_hours.weekdays"),
        (lambda d: d["response_minutes"].pop("urgent"), "response_minutes.urgent"),
        (lambda d: d["response_minutes"].update(normal=-5), "response_minutes.normal"),
        (lambda d: d["notifications"]["texts"].pop("reminder"), "notifications.texts.reminder"),
        (lambda d: d["contact_time"].update(weekdays=["周一"]), "contact_time.weekdays"),
        (lambda d: d["office_hours"].update(closed_dates=["2027-02-30"]), "office_hours.closed_dates"),
    ],
)
def test_a_malformed_value_is_refused_with_its_key(raw, change, key):
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(HandoffSettingsError, match=key.replace(".", r"\.")):
        parse_settings(data)


def test_every_notification_text_fills_with_the_known_fields(raw):
    fields = dict(ticket_no="20261122-00001", case_type_name="劳动争议", reason_name="投诉", urgency_name="一般",
                  conflict_note="", respond_by="11-23 10:00", reminders=1, console_url="http://x/tickets/1")
    for kind, text in raw["notifications"]["texts"].items():
        assert "{" not in text.format(**fields), kind


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
def test_the_office_is_closed_on_every_2027_statutory_holiday(raw, day):
    from datetime import date

    from intake_core.desk.office_hours import is_office_day

    hours = parse_settings(raw).office_hours
    assert date.fromisoformat(day) in hours.closed_dates
    assert not is_office_day(hours, date.fromisoformat(day))


def test_the_2027_spring_festival_closure_is_around_new_year_not_after_it(raw):
    from datetime import date

    closed = parse_settings(raw).office_hours.closed_dates
    assert date(2027, 2, 6) in closed
    # Never before 除夕's week nor after 初七 (2027-02-12), however the notice swaps weekend days.
    assert not [d for d in closed if d.year == 2027 and d.month == 2 and not date(2027, 2, 1) <= d <= date(2027, 2, 12)]

"""content/handoff.yml is checked on load; a malformed value names its key."""
import copy

import pytest
import yaml

from actions.desk.settings import HANDOFF_SETTINGS_PATH, HandoffSettingsError, parse_settings


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

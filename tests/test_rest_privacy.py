"""End to end through the REST channel: the privacy notice and the separate consent for a
child's information (issue 16, H8)."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest

from actions.privacy import consent_declined_text, notice_text, resume_reminder
from assistant_server import Said, new_sender, slot, texts
from intake_core.persistence.encryption import cipher

pytestmark = pytest.mark.model


def test_the_first_message_is_answered_and_the_notice_follows_and_is_recorded(assistant):
    sender = new_sender()
    before = time.time()
    turn = assistant.turn(sender, "公司欠了我三个月工资不给")
    # The notice is content/privacy.yml's text (an action's, unnamed); what it says: test_actions.py.
    notice = Said(None, notice_text())
    assert "utter_triage_labor" in turn.names and notice in turn.said
    assert turn.names.index("utter_triage_labor") < turn.said.index(notice)  # the answer first, not held up
    assert slot(assistant, sender, "case_type") == "labor"
    assert slot(assistant, sender, "privacy_notice_version") == "1"
    assert before - 5 <= slot(assistant, sender, "privacy_notice_seen_at") <= time.time() + 5
    later = assistant.turn(sender, "还有加班费也没给过")
    assert later.said and notice not in later.said


def test_a_child_s_age_is_asked_only_after_consent_and_a_no_keeps_it_out(assistant):
    sender = new_sender()
    assistant.send(sender, "我想离婚")
    assistant.send(sender, "/affirm")  # yes to the questionnaire
    assistant.send(sender, "2019年5月")  # wedding
    assistant.send(sender, "他不同意")  # both agree?
    asked = assistant.turn(sender, "有")  # children?
    assert "utter_ask_consent_child" in asked.names
    after = assistant.turn(sender, "不同意")
    assert Said(None, consent_declined_text("child")) in after.said
    assert "utter_ask_divorce_children_ages" not in after.names
    assert slot(assistant, sender, "consent_child") is False
    assert slot(assistant, sender, "divorce_children_ages") is None


def _as_if_written_days_ago(assistant, sender, days):
    """Moves the conversation's stored event times ``days`` earlier, as if the caller had
    stopped then: the timestamp column (the caller gate's query) and each event's encrypted
    JSON (what Rasa's session expiry reads). Rasa's API cannot: its SQL store only appends."""
    keys = cipher(assistant.encryption_keys)
    shift = days * 24 * 3600
    with sqlite3.connect(assistant.workdir / "tracker.db") as db:
        rows = db.execute("SELECT id, timestamp, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
        assert rows
        for row_id, timestamp, data in rows:
            event = json.loads(keys.decrypt(data.encode("ascii")))
            event["timestamp"] -= shift
            db.execute("UPDATE events SET timestamp = ?, data = ? WHERE id = ?", (
                timestamp - shift, keys.encrypt(json.dumps(event).encode("utf-8")).decode("ascii"), row_id))


def test_a_caller_back_after_a_long_pause_mid_questionnaire_is_reminded_first(assistant):
    sender = new_sender()
    assistant.send(sender, "我想离婚")
    asked = texts(assistant.send(sender, "/affirm"))  # yes to the questionnaire: the first question
    _as_if_written_days_ago(assistant, sender, 2)
    replies = assistant.send(sender, "2019年5月")
    assert replies[0]["text"] == resume_reminder()
    assert len(replies) > 1, "after the reminder the caller's message is still answered"
    assert resume_reminder() not in texts(assistant.send(sender, "他不同意"))  # once per return
    assert asked  # (the question the caller was answering when they left)

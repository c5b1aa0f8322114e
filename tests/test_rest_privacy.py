"""End to end through the REST channel: the privacy notice and the separate consent for a
child's information (issue 16, H8)."""
from __future__ import annotations

import time

import pytest

from assistant_server import new_sender, slot, texts

pytestmark = pytest.mark.model


def test_the_first_message_is_answered_and_the_notice_follows_and_is_recorded(assistant):
    sender = new_sender()
    before = time.time()
    replies = texts(assistant.send(sender, "公司欠了我三个月工资不给"))
    assert "劳动" in replies and "AI在线助手" in replies and "删除我的信息" in replies
    assert replies.index("劳动") < replies.index("AI在线助手")  # the answer first, not held up
    assert slot(assistant, sender, "case_type") == "labor"
    assert slot(assistant, sender, "privacy_notice_version") == "1"
    assert before - 5 <= slot(assistant, sender, "privacy_notice_seen_at") <= time.time() + 5
    assert "AI在线助手" not in texts(assistant.send(sender, "还有加班费也没给过"))


def test_a_child_s_age_is_asked_only_after_consent_and_a_no_keeps_it_out(assistant):
    sender = new_sender()
    assistant.send(sender, "我想离婚")
    assistant.send(sender, "/affirm")  # yes to the questionnaire
    assistant.send(sender, "2019年5月")  # wedding
    assistant.send(sender, "他不同意")  # both agree?
    asked = texts(assistant.send(sender, "有"))  # children?
    assert "14岁" in asked and "监护人" in asked
    after = texts(assistant.send(sender, "不同意"))
    assert "不记录" in after and "几岁" not in after
    assert slot(assistant, sender, "consent_child") is False
    assert slot(assistant, sender, "divorce_children_ages") is None

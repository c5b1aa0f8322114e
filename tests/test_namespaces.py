"""Conversation id namespaces (intake_core/namespaces.py; issue 15, H1): a platform's
conversation cannot be named from another channel."""
from __future__ import annotations

import pytest

from intake_core import namespaces


def test_each_platform_has_its_own_namespace_and_the_ids_map_back():
    assert namespaces.wechat_id("oAbC") == "wechat:oAbC"
    assert namespaces.wecom_id("ww01", "zhangsan") == "wecom:ww01:zhangsan"
    assert namespaces.web_id("0" * 32) == "web:" + "0" * 32
    assert namespaces.wechat_openid("wechat:oAbC") == "oAbC"
    assert namespaces.wecom_userid("wecom:ww01:zhangsan", "ww01") == "zhangsan"
    assert namespaces.web_session("web:abc") == "abc"


@pytest.mark.parametrize("conversation_id", ["oAbC", "wecom:ww01:oAbC", "web:oAbC", "wechat:", "", None, 42])
def test_only_a_wechat_conversation_has_an_openid(conversation_id):
    assert namespaces.wechat_openid(conversation_id) is None


@pytest.mark.parametrize("conversation_id", ["zhangsan", "wecom:ww02:zhangsan", "wecom:ww01", "wecom:ww01:",
                                             "wechat:ww01:zhangsan"])
def test_a_wecom_app_writes_only_to_its_own_companys_conversations(conversation_id):
    assert namespaces.wecom_userid(conversation_id, "ww01") is None


@pytest.mark.parametrize("conversation_id, channel", [
    ("wechat:oAbC", "wechat"), ("wecom:ww01:zs", "wecom"), ("web:" + "a" * 32, "socketio"),
    ("demo-1", "rest"), ("oAbC", "rest"), ("wechat:", "rest"), ("other:x", "rest"), ("", "rest"),
])
def test_the_channel_of_a_conversation_comes_from_its_id(conversation_id, channel):
    assert namespaces.channel_of(conversation_id) == channel


@pytest.mark.parametrize("sender", ["wechat:oVictim", "wecom:ww01:zs", "web:" + "a" * 32, "WeChat:oX",
                                    " wechat:oX", "WEB:x", "wechat:"])
def test_rest_refuses_senders_in_a_reserved_namespace_with_a_clear_error(sender):
    assert namespaces.is_reserved(sender)
    refusal = namespaces.rest_sender_refusal(sender)
    assert refusal["error"] == "reserved_sender" and "wechat:" in refusal["message"]
    assert "oVictim" not in str(refusal)  # the id is not echoed back


@pytest.mark.parametrize("sender", ["demo-1", "zhangsan", "oVictim", "wechat-1", "webber", "weco:x", "", None])
def test_rest_keeps_every_other_sender_as_given(sender):
    assert not namespaces.is_reserved(sender)
    assert namespaces.rest_sender_refusal(sender) is None


@pytest.mark.parametrize("conversation_id, latest, channel", [
    ("wechat:oX", "rest", "wechat"), ("wechat:oX", "wechat", "wechat"), ("web:abc", None, "socketio"),
    ("demo-1", "rest", "rest"), ("demo-1", None, "rest"), ("default", "cmdline", "cmdline"),
    ("oVictim", "wechat", "rest"), ("zs", "wecom", "rest"), ("abc", "socketio", "rest"),
])
def test_a_conversations_channel_is_its_namespace_or_else_never_a_platforms(conversation_id, latest, channel):
    assert namespaces.conversation_channel(conversation_id, latest) == channel

"""The WeChat Official Account and WeCom channels end to end: a simulated
platform (tests/wechat_platform.py) signs, encrypts, posts and retries against
a real `rasa run` with the trained model and the action server; a fake
customer-service API records what goes out outside passive replies.

The Official Account runs in safe mode (plus compatible-mode pushes) with the
default passive wait (answers passive or through the API, whichever the timing gives); the WeCom app
with a passive wait of 0, so its answers always go out through the API (a tiny positive wait would
be a race with the turn that a busy machine can lose)."""
from __future__ import annotations

import sqlite3
import time
import uuid
from types import SimpleNamespace

import pytest
import requests
import yaml

from assistant_server import PROJECT_ROOT, Said, start_assistant
from log_text import leaked
from test_rest_questionnaires import LABOR_ANSWERS
from wechat_platform import FakeApi, Platform, message_xml, random_aes_key

pytestmark = pytest.mark.model

# The channels' own sentences; the assistant's are asserted by response name (tests/README.md).
CHANNEL_TEXTS = yaml.safe_load((PROJECT_ROOT / "content" / "wechat.yml").read_text(encoding="utf-8"))
OA_TOKEN, OA_APP_ID = "oa-token-" + uuid.uuid4().hex[:8], "wx0123456789abcdef"
WECOM_TOKEN, WECOM_CORP, WECOM_AGENT = "wecom-token-" + uuid.uuid4().hex[:8], "ww0123456789abcdef", 1000002


@pytest.fixture(scope="module")
def wechat(tmp_path_factory):
    """The assistant with both WeChat channels configured, and the fake API."""
    from assistant_server import MODEL

    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first")
    api = FakeApi()
    oa_key, wecom_key = random_aes_key(), random_aes_key()
    workdir = tmp_path_factory.mktemp("wechat-assistant")
    server = start_assistant(workdir, extra_env={
        "WECHAT_TOKEN": OA_TOKEN, "WECHAT_APP_ID": OA_APP_ID, "WECHAT_APP_SECRET": "oa-secret",
        "WECHAT_ENCODING_AES_KEY": oa_key, "WECHAT_API_BASE_URL": api.base_url,
        "WECOM_CORP_ID": WECOM_CORP, "WECOM_AGENT_ID": str(WECOM_AGENT), "WECOM_SECRET": "wecom-secret",
        "WECOM_TOKEN": WECOM_TOKEN, "WECOM_ENCODING_AES_KEY": wecom_key,
        "WECOM_API_BASE_URL": api.base_url, "WECOM_PASSIVE_WAIT": "0",
    })
    yield SimpleNamespace(assistant=server, api=api, oa_key=oa_key, wecom_key=wecom_key,
                          tracker_db=workdir / "tracker.db")
    server.stop()
    api.stop()


def official_account(wechat, mode: str = "safe", timeouts=(5.0, 5.0, 5.0)) -> Platform:
    return Platform(f"{wechat.assistant.url}/webhooks/wechat/webhook", OA_TOKEN, mode=mode,
                    app_id=OA_APP_ID, encoding_aes_key=wechat.oa_key, timeouts=timeouts)


def wecom(wechat) -> Platform:
    return Platform(f"{wechat.assistant.url}/webhooks/wecom/webhook", WECOM_TOKEN, wecom=True,
                    app_id=WECOM_CORP, encoding_aes_key=wechat.wecom_key)


def new_openid() -> str:
    return "o" + uuid.uuid4().hex[:27]  # 28 characters, like an OpenID


def user_events(wechat, conversation_id: str) -> list[dict]:
    return [event for event in wechat.assistant.tracker(conversation_id)["events"] if event["event"] == "user"]


def all_user_events(wechat) -> int:
    with sqlite3.connect(wechat.tracker_db) as connection:
        return connection.execute("SELECT COUNT(*) FROM events WHERE type_name = 'user'").fetchone()[0]


def said(wechat, conversation_id: str) -> list[Said]:
    """What the assistant uttered in the conversation, with response names (its tracker)."""
    return wechat.assistant.said_since(conversation_id, 0)


def say(wechat, platform: Platform, user: str, text: str) -> str:
    """What the caller sees for ``text``: the passive reply, or (when the turn
    took longer than the passive wait) the customer-service messages."""
    before = len(wechat.api.messages_to(user))
    push = platform.push(platform.text(user, text))
    assert push.status == 200, push.body
    if push.reply is not None:
        return push.content
    return "\n\n".join(m["text"]["content"] for m in wechat.api.wait_for(user, before + 1)[before:])


# -- URL verification --------------------------------------------------------------------

def test_url_verification(wechat):
    oa, app = official_account(wechat), wecom(wechat)
    answer = oa.verify_url("echo-8848")
    assert (answer.status_code, answer.text) == (200, "echo-8848")
    assert oa.verify_url("echo-8848", forge=True).status_code == 403
    assert oa.verify_url("echo-8848", timestamp=int(time.time()) - 3600).status_code == 403
    answer = app.verify_url("1616140317555161061")
    assert (answer.status_code, answer.text) == (200, "1616140317555161061")  # decrypted
    assert app.verify_url("1616140317555161061", forge=True).status_code == 403


# -- refused requests: no turn -------------------------------------------------------------

def test_forged_or_missing_signatures_get_403_and_no_turn(wechat):
    oa, user = official_account(wechat), new_openid()
    body, query = oa.seal(message_xml(oa.text(user, "公司拖欠我工资")))
    for forged in ({**query, "msg_signature": "f" * 40}, {k: v for k, v in query.items() if k != "msg_signature"},
                   {**query, "nonce": query["nonce"] + "1"}):
        assert oa.post_raw(body, forged).status_code == 403
    plain = official_account(wechat, mode="plain")
    assert plain.post_raw(*plain.seal(message_xml(plain.text(user, "你好")))).status_code == 403
    app = wecom(wechat)
    body, query = app.seal(message_xml(app.text(user, "你好")))
    assert app.post_raw(body, {**query, "msg_signature": "0" * 40}).status_code == 403
    assert user_events(wechat, oa.conversation_id(user)) == []
    assert user_events(wechat, app.conversation_id(user)) == []


def test_a_stale_timestamp_is_refused(wechat):
    oa, user = official_account(wechat), new_openid()
    body, query = oa.seal(message_xml(oa.text(user, "你好")), timestamp=int(time.time()) - 600)
    assert oa.post_raw(body, query).status_code == 403
    assert user_events(wechat, oa.conversation_id(user)) == []


def test_malformed_oversized_and_entity_expansion_xml_are_refused_without_a_turn(wechat):
    oa, user = official_account(wechat), new_openid()
    before = all_user_events(wechat)
    bomb = ('<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    inner_bomb = bomb + message_xml(oa.text(user, "&c;")).replace("<![CDATA[&c;]]>", "&c;")
    cases = [
        (oa.seal("<xml><ToUserName>broken")[0].replace("</xml>", ""), oa.signed_query("x"), 400),  # malformed outer
        (*oa.seal("<xml><Content>unclosed</xml>"), 400),                  # malformed, correctly encrypted
        (*oa.seal(inner_bomb), 400),                                     # entity expansion inside
        (bomb + "<xml><Encrypt>&c;</Encrypt></xml>", oa.signed_query("x"), 400),  # and outside
        ("<xml><Encrypt><![CDATA[" + "A" * 70_000 + "]]></Encrypt></xml>", oa.signed_query("x"), 413),
    ]
    for body, query, status in cases:
        assert oa.post_raw(body, query).status_code == status
    assert all_user_events(wechat) == before


# -- retries and replays -------------------------------------------------------------------

def test_the_platforms_retries_and_a_replay_make_exactly_one_turn(wechat):
    # The first two requests time out (as the platform does after 5 s), the third waits.
    oa, user = official_account(wechat, timeouts=(0.02, 0.02, 30)), new_openid()
    message = oa.text(user, "公司拖欠我三个月工资，怎么办")
    push = oa.push(message)
    assert push.statuses[:2] == [None, None] and push.status == 200
    seen = push.content or wechat.api.wait_for(user, 1)[0]["text"]["content"]
    [triage] = [message for message in said(wechat, oa.conversation_id(user)) if message.name == "utter_triage_labor"]
    assert triage.text in seen
    replay = official_account(wechat).push(message)  # the same MsgId once more, later
    assert replay.status == 200
    assert len(user_events(wechat, oa.conversation_id(user))) == 1


def test_compatible_mode_gets_an_encrypted_answer(wechat):
    oa, user = official_account(wechat, mode="compatible"), new_openid()
    push = oa.push(oa.event(user, "subscribe"))
    assert push.status == 200
    seen = push.content or wechat.api.wait_for(user, 1)[0]["text"]["content"]
    [greeting] = said(wechat, oa.conversation_id(user))
    assert greeting.name == "utter_greet" and greeting.text in seen
    assert [event["text"] for event in user_events(wechat, oa.conversation_id(user))] == ["/greet"]
    assert official_account(wechat).push(oa.event(user, "unsubscribe")).body == "success"
    assert len(user_events(wechat, oa.conversation_id(user))) == 1


# -- WeCom: encrypted, slow turn through the API ------------------------------------------

def test_wecom_encrypted_round_trip_and_a_slow_turn_delivered_once_through_the_api(wechat):
    app, user = wecom(wechat), "zhangsan-" + uuid.uuid4().hex[:6]
    voice = app.push(app.voice(user))  # WeCom sends no transcript: answered at once, encrypted
    not_recognised = CHANNEL_TEXTS["voice_not_recognised"].strip()
    assert voice.status == 200 and voice.content == not_recognised and voice.reply["ToUserName"] == user
    assert voice.body.startswith("<xml>") and "<Encrypt>" in voice.body and not_recognised not in voice.body

    message = app.text(user, "你好")
    push = app.push(message)
    assert (push.status, push.body) == (200, "success")  # passive wait 0: through the API
    [sent] = wechat.api.wait_for(user, 1)
    assert sent["path"].endswith("/message/send") and sent["agentid"] == WECOM_AGENT
    [greeting] = said(wechat, app.conversation_id(user))
    assert greeting.name == "utter_greet" and greeting.text in sent["text"]["content"]
    assert app.push(message).body == "success"  # a retry after the answer went out
    assert app.push(app.text(user, "谢谢")).body == "success"
    messages = wechat.api.wait_for(user, 2)
    assert len(messages) == 2 and messages[0] == sent
    assert len(user_events(wechat, app.conversation_id(user))) == 2
    assert app.conversation_id(user) == f"wecom:{WECOM_CORP}:{user}"


# -- images, the lawyer's messages, the full intake --------------------------------------

def test_an_image_is_acknowledged_and_forwarded_with_its_metadata(wechat):
    oa, user = official_account(wechat), new_openid()
    push = oa.push(oa.image(user, "media-3321", "http://mmbiz.qpic.cn/example.jpg"))
    assert push.status == 200
    seen = push.content or wechat.api.wait_for(user, 1)[0]["text"]["content"]
    assert seen.startswith(CHANNEL_TEXTS["image_received"].strip())
    [event] = user_events(wechat, oa.conversation_id(user))
    assert event["text"] == "/share_attachment"
    assert event["metadata"]["attachment"] == {
        "kind": "image", "media_id": "media-3321", "url": "http://mmbiz.qpic.cn/example.jpg"}
    assert event["input_channel"] == "wechat"


def test_a_lawyers_message_reaches_the_caller_and_a_closed_window_is_not_an_error(wechat):
    oa, user, closed = official_account(wechat), new_openid(), new_openid()
    for who in (user, closed):
        say(wechat, oa, who, "你好")
    wechat.api.errors[closed] = 45015
    for who in (user, closed):
        before = len(wechat.api.messages_to(who))
        answer = requests.post(
            f"{wechat.assistant.url}/conversations/{oa.conversation_id(who)}/tracker/events",
            params={"token": wechat.assistant.token, "output_channel": "latest",
                    "execute_side_effects": "true"},
            json={"event": "bot", "text": "我是王律师，明天上午给您回电话。"}, timeout=30,
        )
        assert answer.status_code == 200
        received = wechat.api.wait_for(who, before + 1)[before:]
        assert received[0]["text"]["content"] == "我是王律师，明天上午给您回电话。"
    assert wechat.api.messages_to(closed)[-1]["code"] == 45015
    log = wechat.assistant.log()
    assert "45015" in log and leaked(["王律师", closed], log) == []


def test_a_labor_intake_through_the_official_account_in_safe_mode(wechat):
    oa, user = official_account(wechat), new_openid()
    offer = say(wechat, oa, user, "公司拖欠我三个月工资，怎么办")
    uttered = {message.name: message for message in said(wechat, oa.conversation_id(user))}
    assert uttered["utter_triage_labor"].text in offer and uttered["utter_offer_intake"].text in offer
    # The offer's buttons, numbered by the channel (their titles are the domain's).
    titles = [button["title"] for button in uttered["utter_offer_intake"].buttons]
    assert len(titles) == 2 and f"1. {titles[0]}" in offer and f"2. {titles[1]}" in offer

    first_question = say(wechat, oa, user, "1")  # the numbered button
    conversation = oa.conversation_id(user)
    assert conversation == f"wechat:{user}"
    tracker = wechat.assistant.tracker(conversation)
    assert tracker["active_loop"].get("name") == "labor_form"
    assert user_events(wechat, conversation)[-1]["text"] == "/affirm"
    asked = tracker["slots"]["requested_slot"]
    assert asked in LABOR_ANSWERS and first_question

    answered = []
    for _ in range(2):
        slot_name = wechat.assistant.tracker(conversation)["slots"]["requested_slot"]
        say(wechat, oa, user, LABOR_ANSWERS[slot_name])
        answered.append(slot_name)
    slots = wechat.assistant.tracker(conversation)["slots"]
    assert all(slots[name] is not None for name in answered)
    assert slots["requested_slot"] not in answered
    assert slots["case_type"] == "labor"
    log = wechat.assistant.log()
    assert leaked([user, "拖欠"], log) == []


def test_an_unconfigured_channel_refuses_everything(assistant):
    # The project's plain assistant: credentials.yml's WeChat variables are empty.
    for method in ("get", "post"):
        answer = requests.request(method, f"{assistant.url}/webhooks/wechat/webhook",
                                  params={"signature": "x", "timestamp": str(int(time.time())),
                                          "nonce": "1", "echostr": "e"}, data=b"<xml/>", timeout=10)
        assert answer.status_code == 503
    assert requests.post(f"{assistant.url}/webhooks/wecom/webhook", data=b"<xml/>",
                         timeout=10).status_code == 503

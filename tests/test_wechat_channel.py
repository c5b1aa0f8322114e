"""The WeChat / WeCom channels without Rasa: protocol, crypto (the published
test vector), XML safety, rendering and buttons, dedup (in one process and
across two through Redis), the access token, cached replies and buttons encrypted in
Redis, the 5-second rule and delivery failures.
The end-to-end tests against a real `rasa run` are in test_wechat_conversations.py."""
from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from types import SimpleNamespace

import pytest
import xmltodict
from cryptography.fernet import Fernet

from channels.caller_gate import RATE_LIMIT
from channels.wechat import WeChatInput, WeComInput, failures
from channels.wechat.dedup import MemoryStore, RedisStore
from channels.wechat.delivery import OfficialAccountClient, token_storage
from channels.wechat.protocol import (
    Refused,
    cdata,
    check_body,
    check_fresh,
    check_signature,
    parse_xml,
    render_text_reply,
    sha1_signature,
)
from channels.wechat.render import render_messages, selected_number, selected_payload
from channels.wechat.settings import Common
from intake_core.persistence.encryption import decrypt
from wechat_platform import (
    VECTOR_AES_KEY,
    VECTOR_ID,
    VECTOR_TOKEN,
    FakeApi,
    Platform,
    message_xml,
    random_aes_key,
)

REDIS_URL = "redis://127.0.0.1:6379/0"
OFFER = {"text": "现在开始吗？", "buttons": [
    {"title": "好的，开始", "payload": "/affirm"}, {"title": "先不用", "payload": "/deny"}]}

# The vector: wechatpy's tests/test_crypto.py (the platform's published example).
VECTOR_BODY = """<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>
<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=]]></Encrypt>
<AgentID><![CDATA[1]]></AgentID>
</xml>"""
VECTOR_QUERY = {"msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
                "timestamp": "1411525903", "nonce": "461056294", "encrypt_type": "aes"}
VECTOR_ECHO = {"msg_signature": "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", "timestamp": "1411443780",
               "nonce": "437374425",
               "echostr": "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="}
FOREVER = Common(max_age_s=10**11)  # the vector's timestamps are from 2014


def request(query: dict[str, str], body=b"") -> SimpleNamespace:
    return SimpleNamespace(args=dict(query), body=body.encode() if isinstance(body, str) else body)


def oa_channel(**common) -> WeChatInput:
    return WeChatInput("tok", "wxapp", "secret", common=Common(**common))


# -- the published AES vector ------------------------------------------------------------

def test_the_published_vector_decrypts_through_both_channels():
    wecom = WeComInput(VECTOR_ID, 1, "", VECTOR_TOKEN, VECTOR_AES_KEY, common=FOREVER)
    fields, _ = wecom.decode(request(VECTOR_QUERY, VECTOR_BODY))
    assert (fields["FromUserName"], fields["Content"]) == ("messense", "test")

    oa = WeChatInput(VECTOR_TOKEN, VECTOR_ID, "", VECTOR_AES_KEY, common=FOREVER)
    fields, _ = oa.decode(request(VECTOR_QUERY, VECTOR_BODY))
    assert fields["Content"] == "test"


def test_the_published_vector_with_one_changed_nonce_is_refused():
    wecom = WeComInput(VECTOR_ID, 1, "", VECTOR_TOKEN, VECTOR_AES_KEY, common=FOREVER)
    with pytest.raises(Refused) as refused:
        wecom.decode(request({**VECTOR_QUERY, "nonce": "461056295"}, VECTOR_BODY))
    assert refused.value.status == 403


def test_the_published_wecom_url_verification_vector():
    wecom = WeComInput(VECTOR_ID, 1, "", VECTOR_TOKEN, VECTOR_AES_KEY, common=FOREVER)
    assert wecom.verify(request(VECTOR_ECHO)).status == 200
    with pytest.raises(Refused):
        wecom.verify(request({**VECTOR_ECHO, "nonce": "437374424"}))


def test_a_message_for_another_app_id_is_refused():
    oa = WeChatInput(VECTOR_TOKEN, "wx_another_app", "", VECTOR_AES_KEY, common=FOREVER)
    with pytest.raises(Refused) as refused:
        oa.decode(request(VECTOR_QUERY, VECTOR_BODY))
    assert refused.value.status == 403


# -- signatures, timestamps, body safety -----------------------------------------------

def test_signature_is_sha1_of_the_sorted_parts():
    check_signature(("tok", "1700000000", "42"), sha1_signature("42", "tok", "1700000000"))
    for forged in (None, "", "0" * 40, sha1_signature("tok", "1700000000", "43")):
        with pytest.raises(Refused) as refused:
            check_signature(("tok", "1700000000", "42"), forged)
        assert refused.value.status == 403


def test_stale_and_future_timestamps_are_refused():
    now = 1_700_000_000
    check_fresh(str(now - 299), 300, now=now)
    for bad in (str(now - 301), str(now + 301), "", None, "abc"):
        with pytest.raises(Refused):
            check_fresh(bad, 300, now=now)


@pytest.mark.parametrize("body, status", [
    (b"<xml>" + b"a" * 70_000 + b"</xml>", 413),
    (b"<xml><Content>unclosed</xml>", 400),
    (b"not xml at all", 400),
    (b"", 400),
    (b"<other><a>1</a></other>", 400),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b"<xml><Content>&lol2;</Content></xml>", 400),
    (b'<!DOCTYPE xml [<!ENTITY ext SYSTEM "file:///etc/passwd">]><xml><Content>&ext;</Content></xml>', 400),
])
def test_hostile_or_broken_bodies_are_refused(body, status):
    with pytest.raises(Refused) as refused:
        parse_xml(body, 64 * 1024)
    assert refused.value.status == status


def test_the_xml_parser_itself_refuses_entities_even_without_the_marker_check():
    # Belt and braces: xmltodict (disable_entities) refuses a declared entity too.
    with pytest.raises(ValueError):
        xmltodict.parse('<!DOCTYPE x [<!ENTITY a "b">]><xml><C>&a;</C></xml>', disable_entities=True)
    check_body(b"<xml><Content>DOCTYPE in words is fine</Content></xml>", 1024)


def test_plaintext_is_refused_once_an_aes_key_is_configured():
    oa = WeChatInput("tok", "wxapp", "secret", random_aes_key())
    now = str(int(time.time()))
    query = {"timestamp": now, "nonce": "1", "signature": sha1_signature("tok", now, "1")}
    with pytest.raises(Refused) as refused:
        oa.decode(request(query, message_xml({"FromUserName": "u", "MsgType": "text"})))
    assert refused.value.status == 403


# -- reply XML ---------------------------------------------------------------------------

def test_cdata_terminator_in_bot_text_is_escaped():
    content = "见《条例》]]><script>x</script> 与 ]]]]> 结尾]]>"
    xml = render_text_reply("openid-1", "gh_1", content, create_time=1)
    parsed = xmltodict.parse(xml)["xml"]
    assert parsed["Content"] == content
    assert parsed["ToUserName"] == "openid-1" and parsed["MsgType"] == "text"
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


def test_wecom_reply_is_encrypted_with_agent_id_and_opens():
    key = random_aes_key()
    wecom = WeComInput("wwcorp", 1000002, "s", "tok", key)
    platform = Platform("http://unused", "tok", encoding_aes_key=key, app_id="wwcorp", wecom=True)
    reply = platform.open_reply(wecom.encode_reply({"FromUserName": "zhangsan"}, "好]]>的", "123"))
    assert (reply["Content"], reply["ToUserName"], reply["AgentID"]) == ("好]]>的", "zhangsan", "1000002")


# -- rendering and buttons ----------------------------------------------------------------

def test_messages_merge_into_one_reply_with_numbered_buttons():
    rendered = render_messages([{"text": "明白了。"}, OFFER], choose_hint="（回复数字）")
    assert rendered.texts == ["明白了。\n\n现在开始吗？\n1. 好的，开始\n2. 先不用\n\n（回复数字）"]
    assert rendered.buttons == [("好的，开始", "/affirm"), ("先不用", "/deny")]


def test_long_answers_are_split_within_2048_bytes_without_breaking_characters():
    long_message = "\n".join(["第%d条：劳动者可以依法申请仲裁，要求支付拖欠的工资。" % i for i in range(120)])
    rendered = render_messages([{"text": "开头"}, {"text": long_message}, {"text": "结尾"}])
    assert len(rendered.texts) > 1
    assert all(len(text.encode("utf-8")) <= 2048 for text in rendered.texts)
    joined = "\n".join(rendered.texts)
    assert joined.count("劳动者可以依法申请仲裁") == 120 and "结尾" in rendered.texts[-1]
    one_line = render_messages([{"text": "字" * 1500}])
    assert "".join(one_line.texts) == "字" * 1500 and len(one_line.texts) == 3  # 4500 bytes


@pytest.mark.parametrize("said, number", [
    ("1", 1), ("１", 1), ("一", 1), ("2", 2), ("２。", 2), ("二", 2), ("两", 2), ("第二个", 2),
    (" 3 ", 3), ("十", 10), ("十二", 12),
    ("1万", None), ("12块", None), ("一万二", None), ("好的", None), ("", None), ("一二三四", None),
])
def test_numbers_callers_type(said, number):
    assert selected_number(said) == number


def test_a_number_selects_only_an_existing_button():
    buttons = [("好的，开始", "/affirm"), ("先不用", "/deny")]
    assert selected_payload("２", buttons) == "/deny"
    assert selected_payload("3", buttons) is None
    assert selected_payload("1", []) is None


# -- turns, dedup, the 5-second rule ------------------------------------------------------

class FakeRasa:
    """on_new_message: records turns, answers with ``answer`` after ``gate`` opens."""

    def __init__(self, answer: list[dict] = None, gate: asyncio.Event = None) -> None:
        self.turns: list[SimpleNamespace] = []
        self.answer = answer if answer is not None else [{"text": "您好，请说说您遇到了什么事。"}]
        self.gate = gate

    async def __call__(self, message) -> None:
        self.turns.append(SimpleNamespace(text=message.text, sender=message.sender_id,
                                          metadata=message.metadata, channel=message.input_channel))
        if self.gate is not None:
            await self.gate.wait()
        for reply in self.answer:
            await message.output_channel.send_response(message.sender_id, dict(reply))


def text_fields(user="openid-a", content="你好", msg_id=None):
    return {"ToUserName": "gh_1", "FromUserName": user, "CreateTime": "1700000000",
            "MsgType": "text", "Content": content, "MsgId": msg_id or str(uuid.uuid4().int)[:16]}


def test_a_retry_while_the_turn_runs_waits_for_it_and_gets_the_same_reply():
    async def scenario():
        channel, gate = oa_channel(), asyncio.Event()
        rasa = FakeRasa(gate=gate)
        fields = text_fields()
        first = asyncio.create_task(channel.handle(fields, rasa))
        retry = asyncio.create_task(channel.handle(dict(fields), rasa))
        await asyncio.sleep(0)
        gate.set()
        return rasa, await first, await retry, await channel.handle(dict(fields), rasa)

    rasa, first, retry, late_retry = asyncio.run(scenario())
    assert len(rasa.turns) == 1
    assert first == retry == late_retry == "您好，请说说您遇到了什么事。"
    assert rasa.turns[0].channel == "wechat" and rasa.turns[0].sender == "wechat:openid-a"


# -- whose conversation: the channel's own id namespace (issue 15, H1) ----------------------

def test_wecom_conversations_are_named_with_the_company_and_answered_by_userid():
    api = FakeApi()
    try:
        async def scenario():
            app = WeComInput("wwcorp", 1000002, "s", "tok", random_aes_key(),
                             common=Common(passive_wait_s=0, api_base_url=api.base_url))
            rasa = FakeRasa()
            fields = {**text_fields(user="zhangsan"), "ToUserName": "wwcorp"}
            reply = await app.handle(fields, rasa)
            await asyncio.gather(*app._tasks)
            return rasa, reply

        rasa, reply = asyncio.run(scenario())
    finally:
        api.stop()
    assert reply is None and [turn.sender for turn in rasa.turns] == ["wecom:wwcorp:zhangsan"]
    assert api.texts_to("zhangsan") == ["您好，请说说您遇到了什么事。"]


@pytest.mark.parametrize("make_channel, conversation_id, owner", [
    (lambda base: oa_channel(api_base_url=base), "openid-victim", "openid-victim"),
    (lambda base: oa_channel(api_base_url=base), "wecom:wwcorp:openid-victim", "openid-victim"),
    (lambda base: oa_channel(api_base_url=base), "web:openid-victim", "openid-victim"),
    (lambda base: WeComInput("wwcorp", 1000002, "s", "tok", random_aes_key(), common=Common(api_base_url=base)),
     "wecom:wwother:zhangsan", "zhangsan"),
    (lambda base: WeComInput("wwcorp", 1000002, "s", "tok", random_aes_key(), common=Common(api_base_url=base)),
     "wechat:zhangsan", "zhangsan"),
])
def test_the_output_channel_never_sends_to_a_conversation_of_another_channel(make_channel, conversation_id, owner):
    # A lawyer's reply pushed with output_channel=wechat to a REST conversation named
    # like an OpenID (or another company's WeCom conversation) must not go out.
    api = FakeApi()
    try:
        output = make_channel(api.base_url).get_output_channel()
        asyncio.run(output.send_response(conversation_id, {"text": "律师回复：请携带合同原件。"}))
    finally:
        api.stop()
    assert api.messages_to(owner) == [] and api.sent == []


# With any positive wait the way an answer goes is a race with the turn: a turn
# that holds the event loop (or finishes at once) decides "passive" before the
# request notices its timeout. A wait of 0 decides "api" before the turn starts,
# so even the fastest turn cannot answer passively.
@pytest.mark.parametrize("passive_wait_s, slow", [(0.05, True), (0, False)],
                         ids=["a slow turn", "wait 0, an instant turn"])
def test_an_answer_not_given_passively_goes_out_through_the_api_exactly_once(passive_wait_s, slow):
    api = FakeApi()
    try:
        async def scenario():
            channel = oa_channel(passive_wait_s=passive_wait_s, api_base_url=api.base_url)
            gate = asyncio.Event() if slow else None
            rasa = FakeRasa(gate=gate)
            fields = text_fields(user="openid-slow")
            first = await channel.handle(fields, rasa)       # not given within the wait
            retry = await channel.handle(dict(fields), rasa)  # the platform retries
            if gate is not None:
                gate.set()
            await asyncio.gather(*channel._tasks)
            after = await channel.handle(dict(fields), rasa)  # a last retry after delivery
            return rasa, first, retry, after

        rasa, first, retry, after = asyncio.run(scenario())
        assert (first, retry, after) == (None, None, None)  # "success" each time
        assert len(rasa.turns) == 1
        assert api.texts_to("openid-slow") == ["您好，请说说您遇到了什么事。"]
        assert api.token_calls == 1
    finally:
        api.stop()


def test_the_passive_wait_may_be_zero_but_not_negative_and_other_limits_stay_positive():
    assert Common.from_credentials({"passive_wait": "0"}).api_only
    assert not Common.from_credentials({"passive_wait": ""}).api_only  # the default, 4 s
    assert not Common.from_credentials({"passive_wait": "0.001"}).api_only
    for wrong in ({"passive_wait": "-1"}, {"max_timestamp_age": "0"}, {"max_body_bytes": "0"}):
        with pytest.raises(ValueError):
            Common.from_credentials(wrong)


def test_a_passive_wait_of_zero_without_api_credentials_is_refused_at_startup():
    # Nothing would reply passively and nothing could send: every answer lost.
    with pytest.raises(ValueError):
        WeChatInput("tok", "wxapp", "", common=Common(passive_wait_s=0))
    with pytest.raises(ValueError):
        WeComInput("ww-corp", 0, "", "tok", random_aes_key(), common=Common(passive_wait_s=0))
    assert WeChatInput("", "", "", common=Common(passive_wait_s=0)).configured is False  # off: fine


def test_an_image_is_acknowledged_and_passed_on_with_its_metadata():
    async def scenario():
        channel, rasa = oa_channel(), FakeRasa()
        fields = {"ToUserName": "gh_1", "FromUserName": "openid-img", "CreateTime": "1700000000",
                  "MsgType": "image", "PicUrl": "http://mmbiz.example/pic.jpg", "MediaId": "media-7",
                  "MsgId": "99"}
        return rasa, await channel.handle(fields, rasa)

    rasa, reply = asyncio.run(scenario())
    [turn] = rasa.turns
    assert turn.text == "/share_attachment"
    assert turn.metadata == {"attachment": {"kind": "image", "media_id": "media-7",
                                            "url": "http://mmbiz.example/pic.jpg"}}
    assert reply.startswith("收到您发来的图片") and "您好" in reply


def test_voice_without_recognition_asks_to_type_and_runs_no_turn():
    async def scenario():
        channel, rasa = oa_channel(), FakeRasa()
        empty = {"ToUserName": "gh_1", "FromUserName": "u", "CreateTime": "1", "MsgType": "voice",
                 "MediaId": "m", "MsgId": "1", "Recognition": None}
        spoken = {**empty, "MsgId": "2", "Recognition": "公司拖欠工资"}
        return rasa, await channel.handle(empty, rasa), await channel.handle(spoken, rasa)

    rasa, empty_reply, _ = asyncio.run(scenario())
    assert "打字" in empty_reply
    assert [turn.text for turn in rasa.turns] == ["公司拖欠工资"]


def test_subscribe_greets_and_other_events_are_answered_success_without_a_turn():
    async def scenario():
        channel, rasa = oa_channel(), FakeRasa()
        event = {"ToUserName": "gh_1", "FromUserName": "u", "CreateTime": "5", "MsgType": "event"}
        results = [await channel.handle({**event, "Event": "unsubscribe"}, rasa),
                   await channel.handle({**event, "Event": "CLICK", "CreateTime": "6"}, rasa),
                   await channel.handle({**event, "Event": "subscribe", "CreateTime": "7"}, rasa),
                   await channel.handle({**event, "Event": "subscribe", "CreateTime": "7"}, rasa)]
        return rasa, results

    rasa, results = asyncio.run(scenario())
    assert results[:2] == [None, None] and results[2] == results[3] and results[2]
    assert [turn.text for turn in rasa.turns] == ["/greet"]  # the retried event: no second turn


def test_a_number_answers_the_last_buttons_and_a_later_plain_reply_forgets_them():
    async def scenario():
        channel = oa_channel()
        offer, plain = FakeRasa([OFFER]), FakeRasa([{"text": "孩子几岁？"}])
        reply = await channel.handle(text_fields(content="我想离婚"), offer)
        await channel.handle(text_fields(content="一"), plain)
        await channel.handle(text_fields(content="5"), plain)
        return reply, plain

    reply, plain = asyncio.run(scenario())
    assert "1. 好的，开始" in reply and "2. 先不用" in reply
    assert [turn.text for turn in plain.turns] == ["/affirm", "5"]


# -- several processes through Redis ------------------------------------------------------

@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-wechat-{uuid.uuid4().hex}:"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_two_processes_sharing_redis_run_one_turn_and_both_answer_it(redis_prefix):
    async def scenario():
        one = oa_channel(redis_url=REDIS_URL, redis_prefix=redis_prefix)
        two = oa_channel(redis_url=REDIS_URL, redis_prefix=redis_prefix)
        assert isinstance(one.store, RedisStore)
        gate = asyncio.Event()
        rasa_one, rasa_two = FakeRasa([OFFER], gate=gate), FakeRasa([OFFER], gate=gate)
        fields = text_fields(user="openid-redis")
        first = asyncio.create_task(one.handle(fields, rasa_one))
        await asyncio.sleep(0.05)  # the first request has claimed the message
        retry = asyncio.create_task(two.handle(dict(fields), rasa_two))
        gate.set()
        replies = (await first, await retry)
        # The buttons shown by process one are remembered for process two.
        chooser = FakeRasa([{"text": "好的"}])
        await two.handle(text_fields(user="openid-redis", content="１"), chooser)
        await one.store.close()
        await two.store.close()
        return rasa_one, rasa_two, replies, chooser

    rasa_one, rasa_two, (first, retry), chooser = asyncio.run(scenario())
    assert len(rasa_one.turns) + len(rasa_two.turns) == 1
    assert first == retry and "1. 好的，开始" in first
    assert [turn.text for turn in chooser.turns] == ["/affirm"]


def test_redis_store_decides_delivery_once(redis_prefix):
    async def scenario():
        a, b = RedisStore(REDIS_URL, redis_prefix), RedisStore(REDIS_URL, redis_prefix)
        claims = [await a.claim("k"), await b.claim("k")]
        decisions = [await b.decide("k", "api"), await a.decide("k", "passive")]
        waited = await b.wait_reply("k", 0.05)
        await a.set_reply("k", ["答"])
        got = await b.wait_reply("k", 1)
        await a.close()
        await b.close()
        return claims, decisions, waited, got

    assert asyncio.run(scenario()) == ([True, False], ["api", "api"], None, ["答"])


def test_memory_store_decides_delivery_once():
    async def scenario():
        store = MemoryStore()
        return [await store.claim("k"), await store.claim("k")], [
            await store.decide("k", "passive"), await store.decide("k", "api")]

    assert asyncio.run(scenario()) == ([True, False], ["passive", "passive"])



# -- cached replies and buttons in Redis, encrypted (issue 16) -------------------------------

SECRET_REPLY = "张三欠您五万元，对吗？"
SECRET_BUTTON = ("张三欠我五万元", "/affirm")


def _raw(name: str) -> bytes:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        return client.get(name)
    finally:
        client.close()


def test_redis_holds_replies_and_buttons_encrypted_and_another_process_reads_them(redis_prefix):
    async def scenario():
        writer, reader = RedisStore(REDIS_URL, redis_prefix), RedisStore(REDIS_URL, redis_prefix)
        await writer.set_reply("k", [SECRET_REPLY, "第二条"])
        await writer.set_buttons("openid-a", [SECRET_BUTTON, ("先不用", "/deny")])
        read = await reader.wait_reply("k", 1), await reader.get_buttons("openid-a")
        await writer.close()
        await reader.close()
        return read

    reply, buttons = asyncio.run(scenario())
    assert reply == [SECRET_REPLY, "第二条"]
    assert buttons == [SECRET_BUTTON, ("先不用", "/deny")]
    for name, words in ((f"{redis_prefix}reply:k", SECRET_REPLY),
                        (f"{redis_prefix}buttons:openid-a", SECRET_BUTTON[0])):
        raw = _raw(name)
        assert words.encode("utf-8") not in raw and json.dumps(words).encode() not in raw
        assert words in decrypt(raw.decode("ascii"))  # a Fernet token under the process's key


@pytest.mark.parametrize("written", [
    lambda value: json.dumps(value, ensure_ascii=False),  # the store's format before this change
    lambda value: Fernet(Fernet.generate_key()).encrypt(json.dumps(value).encode()).decode(),
], ids=["in the clear", "under another key"])
def test_an_unreadable_cached_reply_or_buttons_count_as_absent(written, redis_prefix, caplog):
    import redis

    writer = redis.Redis.from_url(REDIS_URL)
    writer.set(f"{redis_prefix}reply:k", written([SECRET_REPLY]))
    writer.set(f"{redis_prefix}buttons:openid-a", written([list(SECRET_BUTTON)]))
    writer.close()

    async def scenario():
        store = RedisStore(REDIS_URL, redis_prefix)
        read = await store.wait_reply("k", 0.1), await store.get_buttons("openid-a")
        await store.close()
        return read

    assert asyncio.run(scenario()) == (None, [])
    # Once per wait, not once per poll; never the value.
    assert caplog.text.count("cached reply cannot be read") == 1
    assert caplog.text.count("remembered buttons cannot be read") == 1
    assert "张三" not in caplog.text


# -- the access token in Redis, encrypted (issue 16) -----------------------------------------

def _token_client(api: FakeApi, redis_prefix: str):
    """A client whose token lives where a production process keeps it: Redis under the prefix."""
    return OfficialAccountClient("wxapp", "secret", api_base_url=api.base_url,
                                 session=token_storage(REDIS_URL, redis_prefix), timeout=10)


def _stored(redis_prefix: str) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        return [client.get(key) for key in client.scan_iter(f"{redis_prefix}token*")]
    finally:
        client.close()


def test_redis_holds_the_access_token_encrypted_and_another_process_reads_it(redis_prefix):
    api = FakeApi()
    try:
        _token_client(api, redis_prefix).message.send_text("openid-a", "好的")  # fetches the token
        [raw] = _stored(redis_prefix)
        other_process = _token_client(api, redis_prefix)
        other_process.message.send_text("openid-b", "好的")
        read_back = other_process.session.get(other_process.access_token_key)
    finally:
        api.stop()
    assert b"FAKE_ACCESS_TOKEN" not in raw
    assert json.loads(decrypt(raw.decode("ascii"))) == "FAKE_ACCESS_TOKEN"  # a Fernet token, nothing else
    assert read_back == "FAKE_ACCESS_TOKEN"
    assert api.token_calls == 1  # shared: the second process did not fetch its own
    assert api.texts_to("openid-a") == api.texts_to("openid-b") == ["好的"]


@pytest.mark.parametrize("written", [
    json.dumps("LEGACY_CLEAR_TOKEN"),  # RedisStorage's own format, from before this change
    Fernet(Fernet.generate_key()).encrypt(json.dumps("LEGACY_CLEAR_TOKEN").encode()).decode(),
], ids=["in the clear", "under another key"])
def test_an_unreadable_stored_token_counts_as_absent_and_is_fetched_again(written, redis_prefix, caplog):
    import redis

    api = FakeApi()
    client = _token_client(api, redis_prefix)
    storage = client.session
    writer = redis.Redis.from_url(REDIS_URL)
    try:
        writer.set(storage.key_name(client.access_token_key), written)
        assert storage.get(client.access_token_key) is None
        client.message.send_text("openid-a", "好的")
    finally:
        writer.close()
        api.stop()
    [raw] = _stored(redis_prefix)
    assert json.loads(decrypt(raw.decode("ascii"))) == "FAKE_ACCESS_TOKEN"  # replaced, encrypted
    assert api.token_calls == 1 and api.texts_to("openid-a") == ["好的"]
    assert "cannot be read" in caplog.text and "LEGACY_CLEAR_TOKEN" not in caplog.text

# -- delivery failures ----------------------------------------------------------------------

@pytest.mark.parametrize("code", [45015, 48001])
def test_delivery_failures_are_reported_not_raised(code, monkeypatch, caplog):
    reported, threads = [], []
    monkeypatch.setattr(failures, "report_delivery_failure",
                        lambda *args: reported.append(args) or threads.append(threading.get_ident()))
    api = FakeApi()
    api.errors["openid-closed"] = code
    try:
        channel = oa_channel(api_base_url=api.base_url)
        output = channel.get_output_channel()
        asyncio.run(output.send_response("wechat:openid-closed", {"text": "律师回复：请携带合同原件。"}))
        asyncio.run(output.send_response("wechat:openid-open", {"text": "律师回复：好的。"}))
    finally:
        api.stop()
    assert reported == [("wechat:openid-closed", "wechat", code, "refused")]
    # The report writes to the ticket database: never on the event loop's thread (issue 17).
    assert threads and threading.get_ident() not in threads
    assert api.texts_to("openid-open") == ["律师回复：好的。"]
    assert "openid" not in caplog.text and "律师回复" not in caplog.text


def test_the_failure_hook_logs_the_code_only(caplog, database_url):
    caplog.set_level("INFO")
    failures.report_delivery_failure("openid-secret", "wechat", 45015, "response out of time limit")
    assert "45015" in caplog.text and "openid-secret" not in caplog.text


def test_an_unconfigured_channel_has_no_output_channel():
    assert WeChatInput.from_credentials({"token": "", "app_id": ""}).get_output_channel() is None
    assert not WeComInput.from_credentials({"token": ""}).configured


def test_every_wechat_variable_in_credentials_has_an_empty_default_for_the_scripts():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    named = set(re.findall(r"\$\{((?:WECHAT|WECOM)_\w+)\}", (root / "credentials.yml").read_text()))
    script = (root / "scripts" / "wechat-env.sh").read_text()
    assert named and named == set(re.findall(r'"\$\{(\w+):=\}"', script))
    assert all(name in script.split("export", 1)[1] for name in named)
    for runner in ("run.sh", "shell.sh"):
        assert ". scripts/wechat-env.sh" in (root / "scripts" / runner).read_text()


def test_plaintext_mode_without_an_aes_key_checks_the_signature():
    oa = WeChatInput("tok", "wxapp", "secret")
    now = str(int(time.time()))
    body = message_xml({"ToUserName": "gh_1", "FromUserName": "u", "CreateTime": 1, "MsgType": "text",
                        "Content": "你好", "MsgId": 7})
    fields, context = oa.decode(request({"timestamp": now, "nonce": "9",
                                         "signature": sha1_signature("tok", now, "9")}, body))
    assert (fields["Content"], context) == ("你好", None)
    with pytest.raises(Refused) as refused:
        oa.decode(request({"timestamp": now, "nonce": "9", "signature": sha1_signature("tok", now, "8")}, body))
    assert refused.value.status == 403
    assert "<Encrypt>" not in oa.encode_reply(fields, "好的", None)


def test_an_unconfigured_channel_answers_503_and_says_so_once(caplog):
    channel = WeChatInput.from_credentials({"token": ""})
    statuses = [channel._not_configured().status for _ in range(3)]
    assert statuses == [503, 503, 503]
    assert caplog.text.count("not configured") == 1


def test_an_answer_longer_than_one_reply_continues_through_the_api_in_order():
    api = FakeApi()
    paragraphs = [{"text": f"第{i}段：" + "依法维护劳动者的合法权益。" * 20} for i in range(1, 9)]
    try:
        async def scenario():
            channel = oa_channel(api_base_url=api.base_url)
            reply = await channel.handle(text_fields(user="openid-long"), FakeRasa(paragraphs))
            await asyncio.gather(*channel._tasks)
            return reply

        reply = asyncio.run(scenario())
    finally:
        api.stop()
    rest = api.texts_to("openid-long")
    assert reply.startswith("第1段") and len(reply.encode("utf-8")) <= 2048
    assert rest and all(len(text.encode("utf-8")) <= 2048 for text in rest)
    shown = "\n\n".join([reply] + rest)
    assert [shown.index(f"第{i}段") for i in range(1, 9)] == sorted(shown.index(f"第{i}段") for i in range(1, 9))
    assert shown.count("段：") == 8


def test_a_slow_turn_retried_on_another_process_is_sent_once(redis_prefix):
    api = FakeApi()
    try:
        async def scenario():
            common = dict(redis_url=REDIS_URL, redis_prefix=redis_prefix, passive_wait_s=0.05,
                          api_base_url=api.base_url)
            one, two, gate = oa_channel(**common), oa_channel(**common), asyncio.Event()
            rasa_one, rasa_two = FakeRasa(gate=gate), FakeRasa(gate=gate)
            fields = text_fields(user="openid-slow-redis")
            replies = [await one.handle(fields, rasa_one), await two.handle(dict(fields), rasa_two)]
            gate.set()
            await asyncio.gather(*one._tasks, *two._tasks)
            replies.append(await two.handle(dict(fields), rasa_two))
            await one.store.close()
            await two.store.close()
            return replies, rasa_one, rasa_two

        replies, rasa_one, rasa_two = asyncio.run(scenario())
    finally:
        api.stop()
    assert replies == [None, None, None]
    assert (len(rasa_one.turns), len(rasa_two.turns)) == (1, 0)
    assert api.texts_to("openid-slow-redis") == ["您好，请说说您遇到了什么事。"]


def test_a_delivery_failure_is_shown_on_the_open_ticket(database_url):
    from sqlalchemy import select

    from intake_core.desk.tickets import HandoffRequest, create_ticket
    from intake_core.persistence.database import session_scope
    from intake_core.persistence.models import TicketMessage

    create_ticket(HandoffRequest("wechat:openid-abc", "wechat", "labor", "human", "normal", "转人工"))
    failures.report_delivery_failure("wechat:openid-abc", "wechat", 45015, "response out of time limit")
    with session_scope() as session:
        [note] = session.scalars(select(TicketMessage)).all()
    assert (note.author, note.kind) == ("system", "delivery_failure")
    assert "45015" in note.text


def test_a_delivery_failure_without_a_ticket_is_only_logged(database_url, caplog):
    failures.report_delivery_failure("openid-none", "wechat", 48001, "api unauthorized")
    assert "48001" in caplog.text and "openid-none" not in caplog.text


# -- replay of a signed query (issue 15, M7) --------------------------------------------------

def webhook_post(channel, rasa):
    """The channel's POST /webhook handler, as Rasa's server calls it."""
    [route] = [r for r in channel.blueprint(rasa)._future_routes if r.uri == "/webhook" and "POST" in r.methods]
    return route.handler


def plaintext_push(user, content, msg_id, nonce="5150", token="tok"):
    now = str(int(time.time()))
    query = {"timestamp": now, "nonce": nonce, "signature": sha1_signature(token, now, nonce)}
    body = message_xml({"ToUserName": "gh_1", "FromUserName": user, "CreateTime": int(now), "MsgType": "text",
                        "Content": content, "MsgId": msg_id})
    return query, body


def test_a_captured_plaintext_query_cannot_carry_another_body_but_a_retry_is_answered():
    async def scenario():
        channel, rasa = oa_channel(), FakeRasa()
        post = webhook_post(channel, rasa)
        query, body = plaintext_push("openid-victim", "公司拖欠我工资", 1001)
        _, forged = plaintext_push("openid-attacker", "把刚才的内容发给我", 1002)
        first = await post(request(query, body))
        replayed = await post(request(dict(query), forged))  # the captured query, another body
        retry = await post(request(dict(query), body))       # the platform's retry
        await asyncio.gather(*channel._tasks)
        return first, replayed, retry, rasa.turns

    first, replayed, retry, turns = asyncio.run(scenario())
    assert (first.status, replayed.status, retry.status) == (200, 403, 200)
    assert [turn.sender for turn in turns] == ["wechat:openid-victim"]


def test_a_replay_is_refused_across_processes_sharing_redis(redis_prefix):
    async def scenario():
        one = oa_channel(redis_url=REDIS_URL, redis_prefix=redis_prefix)
        two = oa_channel(redis_url=REDIS_URL, redis_prefix=redis_prefix)
        rasa = FakeRasa()
        query, body = plaintext_push("openid-victim", "你好", 2001)
        _, forged = plaintext_push("openid-attacker", "把刚才的内容发给我", 2002)
        statuses = [(await webhook_post(one, rasa)(request(query, body))).status,
                    (await webhook_post(two, rasa)(request(dict(query), forged))).status]
        await asyncio.gather(*one._tasks, *two._tasks)
        await one.store.close()
        await two.store.close()
        return statuses, rasa.turns

    statuses, turns = asyncio.run(scenario())
    assert statuses == [200, 403] and [turn.sender for turn in turns] == ["wechat:openid-victim"]


def test_msg_ids_and_nonces_are_remembered_as_long_as_a_timestamp_can_be_fresh():
    from channels.wechat.dedup import MESSAGE_TTL_S, make_store

    assert make_store("", "p:", max_age_s=3600).ttl_s == 7200   # fresh from -1 h to +1 h
    assert make_store("", "p:", max_age_s=60).ttl_s == MESSAGE_TTL_S

    async def scenario():
        store = MemoryStore()
        return [await store.remember_request("k", "a", 600), await store.remember_request("k", "a", 600),
                await store.remember_request("k", "b", 600)]

    assert asyncio.run(scenario()) == [True, True, False]


# -- plaintext mode and the production endpoints (issue 15, M7) ------------------------------

@pytest.mark.parametrize("environ, argv, allowed", [
    ({}, ["rasa", "run"], True),
    ({"RASA_ENDPOINTS": "endpoints.production.yml"}, ["rasa", "run"], False),
    ({}, ["rasa", "run", "--endpoints", "/srv/intake/endpoints.production.yml"], False),
    ({}, ["rasa", "run", "--endpoints=endpoints.production.yml"], False),
    ({"RASA_ENDPOINTS": "endpoints.production.yml", "WECHAT_ALLOW_PLAINTEXT": "1"}, ["rasa"], True),
    ({"WECHAT_ALLOW_PLAINTEXT": "0"}, ["rasa"], False),
    ({"RASA_ENDPOINTS": "endpoints.yml"}, ["rasa", "run", "--endpoints", "endpoints.yml"], True),
])
def test_plaintext_mode_is_refused_with_the_production_endpoints_unless_allowed(environ, argv, allowed):
    from channels.wechat.settings import plaintext_allowed

    assert plaintext_allowed(environ, argv) is allowed


def test_the_wechat_channel_does_not_start_in_plaintext_mode_in_production(monkeypatch):
    monkeypatch.delenv("WECHAT_ALLOW_PLAINTEXT", raising=False)
    monkeypatch.setenv("RASA_ENDPOINTS", "endpoints.production.yml")
    with pytest.raises(ValueError, match="EncodingAESKey"):
        WeChatInput.from_credentials({"token": "tok", "app_id": "wxapp", "app_secret": "s"})
    assert WeChatInput.from_credentials({"token": "tok", "app_id": "wxapp", "app_secret": "s",
                                         "encoding_aes_key": random_aes_key()}).crypto is not None
    assert not WeChatInput.from_credentials({"token": ""}).configured  # off: nothing to refuse
    monkeypatch.setenv("WECHAT_ALLOW_PLAINTEXT", "1")
    assert WeChatInput.from_credentials({"token": "tok", "app_id": "wxapp", "app_secret": "s"}).configured


# -- the caller gate (channels/caller_gate.py; issue 15, H2 and H6) ---------------------------

def test_a_typed_slash_command_reaches_rasa_as_plain_text_and_numbers_still_choose_buttons():
    async def scenario():
        channel = oa_channel()
        offer, plain = FakeRasa([OFFER]), FakeRasa([{"text": "好的"}])
        await channel.handle(text_fields(content="我想离婚"), offer)
        await channel.handle(text_fields(content="１"), plain)  # the offered button: its payload
        await channel.handle(text_fields(content="／EXTERNAL_lawyer_handback"), plain)
        await channel.handle(text_fields(content="/restart"), plain)
        return plain

    plain = asyncio.run(scenario())
    assert [turn.text for turn in plain.turns] == ["/affirm", "EXTERNAL_lawyer_handback", "restart"]


def test_an_over_long_or_empty_wechat_message_is_answered_without_a_turn():
    async def scenario():
        channel, rasa = oa_channel(), FakeRasa()
        long_reply = await channel.handle(text_fields(content="我" * 2001), rasa)
        empty_reply = await channel.handle(text_fields(content="／"), rasa)
        return rasa, long_reply, empty_reply

    rasa, long_reply, empty_reply = asyncio.run(scenario())
    assert rasa.turns == []
    assert "太长" in long_reply and "打字" in empty_reply


def test_a_flood_from_one_wechat_user_is_answered_by_the_channel():
    async def scenario():
        channel, rasa = oa_channel(), FakeRasa()
        replies = [await channel.handle(text_fields(content="你好"), rasa) for _ in range(RATE_LIMIT + 1)]
        return rasa, replies

    rasa, replies = asyncio.run(scenario())
    assert len(rasa.turns) == RATE_LIMIT and "稍等" in replies[-1]

"""The caller gate (channels/caller_gate.py) and the channels that use it (issue 15: H2, H6,
H1/L4 for REST).

Unit tests of the gate itself, then the REST and socket.io channels served by a small Sanic
app with a recording bot (tests/gate_echo_server.py; no model). The WeChat channel's use of
the gate is tested in test_wechat_channel.py; the real assistant in test_rest_handoff.py.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant_server import free_port
from channels.caller_gate import MAX_MESSAGE_CHARS, RATE_LIMIT, CallerGate, caller_text, offered_payloads
from channels.sliding_window import SlidingWindow
from conftest import PROJECT_ROOT
from intake_core import namespaces
from intake_core.text import fold
from socketio_client import WidgetClient

SERVER = Path(__file__).resolve().parent / "gate_echo_server.py"
FORGED = ["/EXTERNAL_lawyer_handback", "／EXTERNAL_lawyer_handback", "/crisis", "/restart",
          "  /EXTERNAL_handoff_overdue", "\u3000／request_lawyer", '/crisis{"x": "y"}']


# -- the gate's rules ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rasa_domain():
    return Domain.load(str(PROJECT_ROOT / "domain"))


def regex_intent(rasa_domain, text):
    """What Rasa's RegexMessageHandler makes of ``text`` after our ChineseTextNormalizer."""
    message = YAMLStoryReader.unpack_regex_message(Message({TEXT: fold(text)}), rasa_domain)
    return (message.get(INTENT) or {}).get("name")


@pytest.mark.parametrize("text", FORGED)
def test_a_callers_slash_command_no_longer_names_an_intent(rasa_domain, text):
    assert regex_intent(rasa_domain, text) is not None  # what a caller could do before
    assert regex_intent(rasa_domain, caller_text(text)) is None


@pytest.mark.parametrize("text, plain", [
    ("/EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback"), ("／crisis", "crisis"),
    ("  //restart", "restart"), ("/我要离婚，孩子归谁", "我要离婚，孩子归谁"),
    ("离婚/分居有什么区别", "离婚/分居有什么区别"), ("老板欠我工资", "老板欠我工资"),
])
def test_the_callers_words_are_kept_without_the_leading_slashes(text, plain):
    assert caller_text(text) == plain


def test_an_offered_button_payload_passes_and_nothing_else_does():
    offered = {"/affirm", "/deny"}
    assert caller_text("/affirm", offered) == "/affirm"
    assert caller_text("/restart", offered) == "restart"
    assert caller_text("/affirm{\"x\": 1}", offered) == "affirm{\"x\": 1}"


def test_offered_buttons_are_those_since_the_callers_last_message():
    old = BotUttered("现在开始吗？", data={"buttons": [{"title": "好", "payload": "/affirm"}]})
    new = BotUttered(
        "哪部法律？", data={"buttons": [{"title": "劳动合同法", "payload": '/ask_article{"law": "labor"}'}]}
    )
    events = [old, UserUttered("第82条"), new, ActionExecuted("action_listen")]
    assert offered_payloads(events) == {'/ask_article{"law": "labor"}'}
    assert offered_payloads(events + [UserUttered("嗯")]) == set()


def test_the_sliding_window_allows_the_limit_per_key_and_forgets_after_the_window():
    now = [1000.0]
    window = SlidingWindow(limit=3, window_s=60, clock=lambda: now[0])
    assert [window.allow("rest:a") for _ in range(4)] == [True, True, True, False]
    assert window.allow("rest:b")  # another sender has its own count
    now[0] += 59.9
    assert not window.allow("rest:a")
    now[0] += 0.2
    assert window.allow("rest:a")


def test_the_sliding_window_keeps_its_memory_bounded():
    now = [0.0]
    window = SlidingWindow(limit=1, window_s=60, clock=lambda: now[0], max_keys=10)
    for index in range(25):
        now[0] += 1
        assert window.allow(f"k{index}")
    assert len(window._events) <= 10


class Recorder:
    """Rasa's side of a channel: records what reaches it."""

    def __init__(self):
        self.heard = []

    async def __call__(self, message: UserMessage) -> None:
        self.heard.append(message)


def through_gate(gate, *messages):
    recorder, replies = Recorder(), []

    async def scenario():
        on_new_message = gate.wrap(recorder)
        for text, metadata in messages:
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, "s1", input_channel="rest", metadata=metadata))
            replies.append([m["text"] for m in collector.messages])

    asyncio.run(scenario())
    return recorder.heard, replies


def test_an_over_long_message_is_not_passed_on_and_the_caller_is_asked_to_shorten_it():
    heard, replies = through_gate(
        CallerGate(), ("我" * (MAX_MESSAGE_CHARS + 1), None), ("我" * MAX_MESSAGE_CHARS, None)
    )
    assert len(heard) == 1 and len(heard[0].text) == MAX_MESSAGE_CHARS
    assert "太长" in replies[0][0] and str(MAX_MESSAGE_CHARS) in replies[0][0]
    assert replies[1] == []


@pytest.mark.parametrize("text", ["", "   ", "\u3000\n", "/", "／／"])
def test_an_empty_message_gets_a_clear_reply(text):
    heard, replies = through_gate(CallerGate(), (text, None))
    assert heard == [] and "打字" in replies[0][0]


def test_a_flood_from_one_sender_is_answered_by_the_channel():
    now = [0.0]
    gate = CallerGate(SlidingWindow(RATE_LIMIT, 60, clock=lambda: now[0]))
    heard, replies = through_gate(gate, *[("你好", None)] * (RATE_LIMIT + 1))
    assert len(heard) == RATE_LIMIT
    assert "稍等" in replies[-1][0]


def test_a_lone_surrogate_is_replaced_so_the_message_can_be_stored():
    from_json = json.loads('"表情\\ud83d\\ude00"')  # JSON joins a valid pair into one emoji
    heard, replies = through_gate(CallerGate(), ("我要找律师\ud800，今天", None), (from_json, None))
    assert [message.text for message in heard] == ["我要找律师\ufffd，今天", "表情\U0001f600"]
    heard[0].text.encode("utf-8")  # what the ticket's encryption does: no UnicodeEncodeError
    assert replies == [[], []]


def test_the_http_apis_external_marker_cannot_come_through_a_channel():
    heard, _ = through_gate(CallerGate(), ("你好", {"is_external": True, "page": "https://x.example/"}))
    assert heard[0].metadata == {"page": "https://x.example/"}


def test_the_gate_reads_the_offered_buttons_from_the_conversation():
    gate = CallerGate()

    class App:  # Sanic's app as the gate sees it: ctx.agent.tracker_store
        class ctx:
            class agent:
                tracker_store = InMemoryTrackerStore(Domain.empty())

    gate.app = App
    tracker = DialogueStateTracker.from_events(
        "s1",
        [
            UserUttered("我想离婚"),
            BotUttered("现在开始吗？", data={"buttons": [{"title": "好", "payload": "/affirm"}]}),
        ],
    )
    asyncio.run(App.ctx.agent.tracker_store.save(tracker))
    heard, _ = through_gate(gate, ("/affirm", None), ("/restart", None))
    assert [m.text for m in heard] == ["/affirm", "restart"]


def _gate_on(tracker_store, domain):
    gate = CallerGate()

    class App:  # Sanic's app as the gate sees it: ctx.agent.{tracker_store,domain}
        class ctx:
            class agent:
                pass

    App.ctx.agent.tracker_store, App.ctx.agent.domain = tracker_store, domain
    gate.app = App
    return gate


def test_a_caller_back_after_a_long_pause_is_reminded_first_and_heard(rasa_domain):
    from actions.privacy import resume_reminder

    store = InMemoryTrackerStore(rasa_domain)
    session_minutes = rasa_domain.session_config.session_expiration_time
    now = time.time()
    asyncio.run(
        store.save(
            DialogueStateTracker.from_events(
                "s1",
                [
                    UserUttered("公司欠我工资", timestamp=now - session_minutes * 60 - 120),
                    BotUttered("请问单位叫什么？", timestamp=now - 60),
                ],
            )
        )
    )  # the bot's time does not count
    gate = _gate_on(store, rasa_domain)
    heard, replies = through_gate(gate, ("某某厂", None))
    assert [m.text for m in heard] == ["某某厂"]
    assert replies == [[resume_reminder()]]
    assert "AI" in resume_reminder() and "不是律师" in resume_reminder()


def test_within_a_session_or_for_a_new_caller_there_is_no_reminder(rasa_domain):
    store = InMemoryTrackerStore(rasa_domain)
    session_minutes = rasa_domain.session_config.session_expiration_time
    asyncio.run(
        store.save(
            DialogueStateTracker.from_events(
                "s1", [UserUttered("公司欠我工资", timestamp=time.time() - session_minutes * 60 + 120)]
            )
        )
    )
    gate = _gate_on(store, rasa_domain)
    assert asyncio.run(gate.resuming("s1")) is False
    assert asyncio.run(gate.resuming("a-new-caller")) is False
    assert asyncio.run(gate.resuming("s1", now=time.time() + 240)) is True  # Rasa's own boundary
    _, replies = through_gate(gate, ("某某厂", None))
    assert replies == [[]]


# -- the REST and socket.io channels ---------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("gate") / "server.log"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, str(SERVER), str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=str(SERVER.parent)
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gate server exited: {log_path.read_text()[-2000:]}")
        try:
            if requests.get(f"{url}/webhooks/rest/", timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("gate server did not start")
        time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rest(server, sender, message, **extra):
    response = requests.post(
        f"{server}/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}, timeout=10
    )
    response.raise_for_status()
    return [m.get("text") for m in response.json()]


def heard(server, sender):
    return [m for m in requests.get(f"{server}/heard", timeout=5).json() if m["sender"] == sender]


def test_rest_a_callers_slash_command_reaches_rasa_as_plain_text(server):
    for text in FORGED[:4]:
        assert rest(server, "rest-slash", text) == ["echo"]
    assert [m["text"] for m in heard(server, "rest-slash")] == [
        "EXTERNAL_lawyer_handback",
        "EXTERNAL_lawyer_handback",
        "crisis",
        "restart",
    ]


def test_rest_the_payload_of_an_offered_button_is_passed_on_as_it_is(server):
    requests.post(f"{server}/offer/rest-offer", timeout=5).raise_for_status()
    rest(server, "rest-offer", "/affirm")
    assert [m["text"] for m in heard(server, "rest-offer")] == ["/affirm"]
    rest(server, "rest-other", "/affirm")  # offered in another conversation only
    assert [m["text"] for m in heard(server, "rest-other")] == ["affirm"]


def test_rest_ignores_the_clients_input_channel_and_metadata_and_keeps_the_sender(server):
    rest(
        server,
        "oWx-someone",
        "你好",
        input_channel="wechat",
        metadata={"attachment": {"kind": "image", "url": "http://evil.example/x.jpg"}, "is_external": True},
    )
    [message] = heard(server, "oWx-someone")
    assert (message["channel"], message["metadata"]) == ("rest", None)


@pytest.mark.parametrize("sender", ["wechat:oVICTIM", "wecom:corp:zhangsan", "web:0123456789abcdef"])
def test_rest_refuses_a_sender_in_another_channels_namespace(server, sender):
    """A REST client cannot post into a WeChat, WeCom or widget conversation (H1)."""
    response = requests.post(f"{server}/webhooks/rest/webhook", json={"sender": sender, "message": "你好"}, timeout=10)
    assert (response.status_code, response.json()["error"]) == (400, "reserved_sender")
    assert heard(server, sender) == []


def test_rest_an_over_long_message_gets_a_reply_and_no_turn(server):
    reply = rest(server, "rest-long", "我" * (MAX_MESSAGE_CHARS + 1))
    assert len(reply) == 1 and "太长" in reply[0]
    assert heard(server, "rest-long") == []


@pytest.mark.parametrize("message", ["", "   ", None, 42, {"text": "hi"}])
def test_rest_empty_or_non_text_messages_get_a_clear_reply(server, message):
    sender = f"rest-empty-{json.dumps(message)}"
    reply = rest(server, sender, message)
    assert len(reply) == 1 and "打字" in reply[0]
    assert heard(server, sender) == []


def test_rest_a_flood_from_one_sender_is_answered_by_the_channel_not_by_rasa(server):
    replies = [rest(server, "rest-flood", "你好") for _ in range(RATE_LIMIT + 1)]
    assert replies[:RATE_LIMIT] == [["echo"]] * RATE_LIMIT
    assert "稍等" in replies[-1][0]
    assert len(heard(server, "rest-flood")) == RATE_LIMIT
    assert rest(server, "rest-flood-other", "你好") == ["echo"]


def test_a_request_body_over_64_kb_is_refused_before_it_is_read(server):
    body = json.dumps({"sender": "rest-huge", "message": "我" * 40_000}, ensure_ascii=False).encode()
    assert len(body) > 64 * 1024
    response = requests.post(
        f"{server}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 413
    assert heard(server, "rest-huge") == []


def test_socketio_slash_commands_long_messages_and_the_external_marker(server):
    client = WidgetClient(server)
    try:
        client.say("／EXTERNAL_lawyer_handback")
        assert [m.get("text") for m in client.replies(timeout=5)] == ["echo"]
        client.say("我" * (MAX_MESSAGE_CHARS + 1))
        [too_long] = client.replies(timeout=5)
        assert "太长" in too_long["text"]
        client.client.emit(
            "user_uttered", {"message": "你好", "session_id": client.session_id, "customData": {"is_external": True}}
        )
        client.replies(timeout=5)
    finally:
        client.close()
    said = heard(server, namespaces.web_id(client.session_id))
    assert [m["text"] for m in said] == ["EXTERNAL_lawyer_handback", "你好"]
    assert said[1]["metadata"] == {}

"""Scale-out on Rasa's own engine (issue 18): two Rasa replicas and one action server on the
production profile's shared stores (PostgreSQL tracker store and application database, Redis
lock store), behind a round-robin proxy (tests/replicas.py, tests/round_robin_proxy.py).

Six simulated callers (tests/callers/personas.yml) play whole intakes at once; the proxy sends
each conversation's consecutive turns to different replicas. When every caller has sent three
messages, the callers pause between turns (so no turn is in flight: a request a replica had
accepted when it died would be lost to any load balancer, see round_robin_proxy.py), replica 0
is SIGKILLed, and the callers go on through the survivor. Then, per conversation, from its
tracker in PostgreSQL:

- no turn lost, none doubled: the caller's messages are the tracker's user messages, in order,
  each once;
- no reply lost, none doubled: each turn's replies are exactly the bot messages the tracker
  recorded after that turn's user message;
- slots intact: the case type and the questionnaire answers the persona expects (its judge);
- no lock error in any server's log.

Needs PostgreSQL and Redis on this machine (.ci/run starts them) and the trained model.
"""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from callers.simulate import converse, load_personas

pytestmark = pytest.mark.model

PERSONAS = ["labor_resigned_wages_owed_in_first_message", "divorce_both_agree_applied_in_first_message",
            "contract_deposit_doubled_amounts_in_first_message", "labor_stops_and_resumes",
            "divorce_child_in_a_later_answer", "private_loan_figures_in_first_message"]
KILL_AFTER_MESSAGES = 3
TURN_TIMEOUT_S = 60
PAUSE_TIMEOUT_S = 300  # only a failure waits this long
LOCK_ERRORS = ("LockError", "Could not acquire lock", "Error while acquiring lock")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    from assistant_server import MODEL
    from replicas import StoresUnavailable, start_replicas

    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first")
    try:
        running = start_replicas(tmp_path_factory.mktemp("replicas"), count=2)
    except StoresUnavailable as error:
        pytest.fail(f"PostgreSQL and Redis must run here (.ci/run starts them): {error}")
    yield running
    running.stop()


class Caller:
    """One conversation: every message sent and every reply received, and which replica
    served each turn; pauses at the kill point."""

    def __init__(self, url: str, paused: threading.Barrier, killed: threading.Event) -> None:
        self.url, self.paused, self.killed = url, paused, killed
        self.sender = ""
        self.sent: list[str] = []
        self.replies: list[list[dict[str, Any]]] = []
        self.served_by: list[int] = []
        self.passed_pause = False

    def pause(self) -> None:
        if not self.passed_pause:
            self.passed_pause = True
            self.paused.wait(timeout=PAUSE_TIMEOUT_S)
            assert self.killed.wait(timeout=PAUSE_TIMEOUT_S)

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        self.sender = sender
        if len(self.sent) == KILL_AFTER_MESSAGES:
            self.pause()
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=TURN_TIMEOUT_S)
        response.raise_for_status()
        self.sent.append(text)
        self.replies.append(response.json())
        self.served_by.append(int(response.headers["X-Upstream"]))
        return self.replies[-1]


def turns_of(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """The tracker's user messages, each with the bot messages recorded after it."""
    turns: list[dict[str, Any]] = []
    for event in tracker["events"]:
        if event["event"] == "user":
            turns.append({"text": event.get("text"), "bot": []})
        elif event["event"] == "bot" and turns:
            turns[-1]["bot"].append(event.get("text") or "")
    return turns


def test_one_conversations_messages_at_once_on_both_replicas_are_served_one_after_the_other(deployment):
    """A caller who sends twice at once (a double tap, two tabs): the two messages reach the two
    replicas together (released by one barrier, straight to each replica). The lock store must
    let one replica handle the conversation at a time: each message recorded once, each
    request's replies exactly the bot messages recorded after its own message. (Rasa 3.6's
    stock Redis store can hand both replicas the same ticket: tests/test_lock_store.py.)"""
    messages = ["老板拖欠了我三个月工资", "你好"]
    for _ in range(8):
        sender = f"test-double-{uuid.uuid4().hex[:12]}"
        start = threading.Barrier(len(messages))

        def send(index: int, sender: str = sender, start: threading.Barrier = start) -> list[dict[str, Any]]:
            start.wait(timeout=30)
            response = requests.post(f"{deployment.replicas[index].url}/webhooks/rest/webhook",
                                     json={"sender": sender, "message": messages[index]}, timeout=TURN_TIMEOUT_S)
            response.raise_for_status()
            return response.json()

        with ThreadPoolExecutor(len(messages)) as pool:
            replies = list(pool.map(send, range(len(messages))))
        turns = turns_of(deployment.tracker(sender))
        assert sorted(turn["text"] for turn in turns) == sorted(messages), sender
        for message, received in zip(messages, replies, strict=False):
            [turn] = [turn for turn in turns if turn["text"] == message]
            assert [reply.get("text") for reply in received if "text" in reply] == [t for t in turn["bot"] if t]
    assert not [marker for marker in LOCK_ERRORS if marker in deployment.log_text()]


def test_a_message_pushed_through_one_replica_reaches_a_widget_connected_to_the_other(deployment):
    """A lawyer's reply goes through Rasa's HTTP API to whichever replica the console reaches;
    the caller's browser holds its socket on another. CHAT_REDIS_URL shares the socket.io rooms
    (channels/socketio.py, share_rooms): without it the message is sent to nobody."""
    from socketio_client import WidgetClient

    widget = WidgetClient(deployment.replicas[1].url)
    try:
        widget.say("老板拖欠了我三个月工资")
        assert widget.replies(), "the widget's own replica answered nothing"
        pushed = "律师回复（测试）"
        response = requests.post(
            f"{deployment.replicas[0].url}/conversations/web:{widget.session_id}/tracker/events",
            params={"token": deployment.token, "output_channel": "latest", "execute_side_effects": "true"},
            json={"event": "bot", "text": pushed}, timeout=30)
        response.raise_for_status()
        assert [message.get("text") for message in widget.replies()] == [pushed]
    finally:
        widget.close()


def test_two_replicas_on_shared_stores_lose_and_double_nothing_when_one_dies(deployment):
    personas = {persona["name"]: persona for persona in load_personas()}
    paused = threading.Barrier(len(PERSONAS) + 1)
    killed = threading.Event()
    callers = [Caller(deployment.url, paused, killed) for _ in PERSONAS]

    def play(index: int) -> dict[str, Any]:
        caller = callers[index]
        try:
            return converse(personas[PERSONAS[index]], caller.say, deployment.tracker)
        finally:
            caller.pause()  # a conversation shorter than the kill point still lets the kill go on

    with ThreadPoolExecutor(len(PERSONAS)) as pool:
        results = [pool.submit(play, index) for index in range(len(PERSONAS))]
        paused.wait(timeout=PAUSE_TIMEOUT_S)  # every caller is between two turns
        before_kill = list(deployment.proxy.served)
        deployment.replicas[0].kill()
        killed.set()
        results = [result.result(timeout=PAUSE_TIMEOUT_S) for result in results]

    # Both replicas served turns before the kill, each conversation alternating between them.
    assert all(count > 0 for count in before_kill), before_kill
    for caller in callers:
        first = caller.served_by[:KILL_AFTER_MESSAGES]
        assert all(a != b for a, b in zip(first, first[1:], strict=False)), (caller.sender, first)
        # After it: the survivor, the dead replica's connections refused and retried.
        assert set(caller.served_by[KILL_AFTER_MESSAGES:]) <= {1}, (caller.sender, caller.served_by)
    assert deployment.proxy.refused[0] > 0

    for name, caller, result in zip(PERSONAS, callers, results, strict=False):
        turns = turns_of(deployment.tracker(caller.sender))
        assert [turn["text"] for turn in turns] == caller.sent, f"{name}: a turn lost or doubled"
        for number, (turn, replies) in enumerate(zip(turns, caller.replies, strict=False)):
            received = [reply.get("text") or "" for reply in replies if "text" in reply]
            recorded = [text for text in turn["bot"] if text]
            assert received == recorded, f"{name}, turn {number}: replies lost or doubled"
        assert "error" not in result, f"{name}: {result.get('error')}"
        assert result["case_type_ok"] and not result["slots_missing"], (
            f"{name}: slots not intact: case type ok={result['case_type_ok']}, missing={result['slots_missing']}")
        assert len(caller.sent) > KILL_AFTER_MESSAGES + 1, f"{name}: the intake did not go on after the kill"

    logs = deployment.log_text()
    assert not [marker for marker in LOCK_ERRORS if marker in logs]

"""The action server as `make run` starts it (`python -m actions.server`): loopback only, a
shared secret, JSON only, and an action's exception reaches neither the answer nor the log
(issue 15, H3 and H7). A real process on a free port; the actions are tests/raising_actions.py
so that an exception is certain whatever the project's actions guard against."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from assistant_server import PROJECT_ROOT, free_port
from log_text import leaked

CALLERS_WORDS = ("我叫王秀英在东莞某某五金厂上班", "干了一亿个月")


def action_call(action: str, text: str, sender: str = "oWx-victim-openid") -> dict:
    """What Rasa posts to /webhook, with a tracker anyone could forge."""
    import rasa_sdk

    latest = {"text": text, "intent": {"name": "consult_labor", "confidence": 0.9}, "entities": []}
    return {
        "next_action": action,
        "sender_id": sender,
        "version": rasa_sdk.__version__,
        "domain": {},
        "tracker": {
            "sender_id": sender, "slots": {}, "latest_message": latest,
            "events": [{"event": "user", "text": text, "parse_data": latest}],
            "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def start(tmp_path: Path, env: dict, *args: str) -> subprocess.Popen:
    log = open(tmp_path / "actions.log", "w", encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "actions.server", *args], cwd=PROJECT_ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("action-server")
    port, token = free_port(), secrets.token_urlsafe(24)
    env = {**os.environ, "PYTHONPATH": f"{PROJECT_ROOT}{os.pathsep}{PROJECT_ROOT / 'tests'}",
           "ACTION_SERVER_PORT": str(port), "ACTION_SERVER_TOKEN": token}
    env.pop("ACTION_SERVER_HOST", None)
    process = start(tmp_path, env, "--actions", "raising_actions")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (tmp_path / "actions.log").read_text()
        try:
            if requests.get(f"{url}/health", timeout=2).ok:
                break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, (tmp_path / "actions.log").read_text()
            time.sleep(0.2)
    yield {"url": url, "port": port, "token": token, "log": tmp_path / "actions.log"}
    process.terminate()
    process.wait(timeout=20)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_it_prepares_multiple_choice_answers_as_it_starts(server):
    """spaCy and jieba are loaded before any caller's answer needs them (they take seconds), and
    then what start-up loaded is kept out of the garbage collector's full collections."""
    from intake_core.extraction.choices import _frozen
    from intake_core.questionnaires.definitions import load_questionnaires

    count = len({
        _frozen(question.choices)
        for questionnaire in load_questionnaires().values()
        for question in questionnaire.questions
        if question.kind == "choices"
    })
    expected = f"Multiple-choice answers ready: {count} vocabularies."
    deadline = time.monotonic() + 120  # waits for the lines, however slow the machine; never for a set time
    while "objects kept out of garbage collection" not in server["log"].read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, server["log"].read_text(encoding="utf-8")[-3000:]
        time.sleep(0.2)
    log = server["log"].read_text(encoding="utf-8")
    # In this order: the garbage collector is told once everything start-up loads is loaded.
    assert log.index(expected) < log.index("objects kept out of garbage collection")


def test_health_needs_no_secret(server):
    assert requests.get(f"{server['url']}/health", timeout=5).json() == {"status": "ok"}


@pytest.mark.parametrize("headers, params", [
    ({}, {}),
    ({"Authorization": "Bearer wrong"}, {}),
    ({"Authorization": "Bearer "}, {}),
    ({}, "token"),  # the secret as a query parameter is not accepted either
], ids=["none", "wrong", "empty", "query"])
def test_without_the_secret_no_action_runs_and_none_is_listed(server, headers, params):
    if params == "token":
        params = {"token": server["token"]}
    call = requests.post(f"{server['url']}/webhook", json=action_call("action_that_works", "你好"),
                         headers=headers, params=params, timeout=10)
    listing = requests.get(f"{server['url']}/actions", headers=headers, params=params, timeout=10)
    assert (call.status_code, listing.status_code) == (401, 401)
    assert "ok" not in call.text and "action_that_works" not in listing.text


def test_with_the_secret_an_action_runs(server):
    answer = requests.post(f"{server['url']}/webhook", json=action_call("action_that_works", "你好"),
                           headers=bearer(server["token"]), timeout=10)
    assert answer.status_code == 200
    assert [message["text"] for message in answer.json()["responses"]] == ["ok"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_declared_json_is_refused(server, content_type):
    """A web page can post text/plain to localhost without a preflight: Sanic would read it as JSON."""
    import json

    headers = {**bearer(server["token"]), **({"Content-Type": content_type} if content_type else {})}
    answer = requests.post(f"{server['url']}/webhook", headers=headers, timeout=10,
                           data=json.dumps(action_call("action_that_works", "你好")).encode())
    assert answer.status_code == 415


def test_it_listens_on_loopback_only(server):
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if state == "0A" and int(port, 16) == server["port"]:  # 0A: LISTEN
                listening.add(address)
    assert listening == {"0100007F"}  # 127.0.0.1, nothing else (not 0.0.0.0, not ::)


def test_an_action_exception_answers_internal_and_logs_type_and_name_only(server):
    text = "，".join(CALLERS_WORDS)
    answer = requests.post(f"{server['url']}/webhook", json=action_call("action_that_breaks", text),
                           headers=bearer(server["token"]), timeout=10)
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal"}  # no request_body: Rasa logs what it gets
    log = server["log"].read_text(encoding="utf-8")
    assert "action_that_breaks" in log and "ValueError" in log
    assert leaked(CALLERS_WORDS, log) == [] and "oWx-victim-openid" not in log


def test_the_server_does_not_start_without_its_secret(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ACTION_SERVER_PORT": str(free_port())}
    env.pop("ACTION_SERVER_TOKEN", None)
    finished = subprocess.run([sys.executable, "-m", "actions.server"], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2 and "ACTION_SERVER_TOKEN" in finished.stderr


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.production.yml"])
def test_rasa_sends_the_secret_the_action_server_expects(endpoints, monkeypatch):
    """endpoints.yml's header, as Rasa reads it (with its ${VAR} substitution), passes the guard."""
    from rasa.core.utils import AvailableEndpoints

    from actions.server_guard import authorised

    token = "-" + secrets.token_urlsafe(24)
    for name in ("ACTION_SERVER_HOST", "ACTION_SERVER_PORT", "TRACKER_DB", "TRACKER_DB_HOST", "TRACKER_DB_PORT",
                 "TRACKER_DB_NAME", "TRACKER_DB_USER", "TRACKER_DB_PASSWORD", "REDIS_HOST", "REDIS_PORT",
                 "REDIS_PASSWORD", "TRACKER_DB_SSLMODE", "REDIS_TLS", "REDIS_TLS_CA_CERTS", "REDIS_DB"):
        monkeypatch.setenv(name, "1")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", token)
    action = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / endpoints)).action
    assert authorised(action.headers.get("Authorization"), token)
    assert not action.token and not action.params  # nothing in the query string

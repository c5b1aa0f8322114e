"""Rasa's HTTP API token stays out of argv and output (issue 15, H4): scripts/serve_rasa.py
takes it from RASA_AUTH_TOKEN, and scripts/local-secrets.sh (sourced by run.sh) generates a
missing one without printing it. No model needed: Rasa starts without one and its API answers."""
from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from assistant_server import PROJECT_ROOT, credential_variables, free_port

SECRETS_SCRIPT = PROJECT_ROOT / "scripts" / "local-secrets.sh"
LAUNCHER = PROJECT_ROOT / "scripts" / "serve_rasa.py"


def source_secrets(tmp_path: Path, **env: str) -> tuple:
    """Source local-secrets.sh as run.sh does; (what it printed, the two secrets after it)."""
    base = {k: v for k, v in os.environ.items() if k not in ("ACTION_SERVER_TOKEN", "RASA_AUTH_TOKEN")}
    values = tmp_path / "values"
    finished = subprocess.run(
        ["bash", "-c", f'set -euo pipefail; . "{SECRETS_SCRIPT}"; '
                       f'printf "%s\\n%s\\n" "$ACTION_SERVER_TOKEN" "$RASA_AUTH_TOKEN" > "{values}"'],
        cwd=tmp_path, env={**base, **env}, capture_output=True, text=True, check=True, timeout=60,
    )
    return finished.stdout + finished.stderr, values.read_text().split()


def test_generated_secrets_are_never_printed_and_the_token_file_is_private(tmp_path):
    token_file = tmp_path / "var" / "rasa-auth-token"
    token_file.parent.mkdir()
    token_file.write_text("old\n")
    token_file.chmod(0o644)  # left from an earlier run with a wider umask
    output, (action_token, rasa_token) = source_secrets(tmp_path, RASA_AUTH_TOKEN_FILE=str(token_file))
    assert len(action_token) >= 32 and len(rasa_token) >= 32 and action_token != rasa_token
    assert action_token not in output and rasa_token not in output
    assert str(token_file) in output  # says where to find it
    assert token_file.read_text().strip() == rasa_token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_secrets_already_set_are_kept_and_not_written(tmp_path):
    token_file = tmp_path / "rasa-auth-token"
    output, values = source_secrets(tmp_path, ACTION_SERVER_TOKEN="a-set-one", RASA_AUTH_TOKEN="b-set-one",
                                    RASA_AUTH_TOKEN_FILE=str(token_file))
    assert values == ["a-set-one", "b-set-one"] and output == "" and not token_file.exists()


@pytest.mark.parametrize("argv, env_token", [
    (["--auth-token=abc"], "abc"), (["--auth-token", "abc"], "abc"), (["--auth", "abc"], "abc"), ([], ""),
], ids=["option", "separate", "abbreviated", "no-token"])
def test_the_launcher_refuses_a_token_on_the_command_line_or_none_at_all(argv, env_token):
    env = {**os.environ, "RASA_AUTH_TOKEN": env_token}
    finished = subprocess.run([sys.executable, str(LAUNCHER), *argv], env=env, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode == 2 and "RASA_AUTH_TOKEN" in finished.stderr


def command_line(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    except OSError:  # ended meanwhile
        return ""


@pytest.fixture
def rasa_without_model(tmp_path):
    # One token in 64 begins with "-": as an argument it would be read as an option.
    token, port = "-" + secrets.token_urlsafe(24), free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_AUTH_TOKEN": token,
           "ACTION_SERVER_PORT": str(free_port()), "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
           "TRACKER_DB": str(tmp_path / "tracker.db"), "RASA_TELEMETRY_ENABLED": "false",
           **{name: os.environ.get(name, "") for name in credential_variables()}}
    (tmp_path / "models").mkdir()
    log = tmp_path / "rasa.log"
    process = subprocess.Popen(
        [sys.executable, str(LAUNCHER), "--model", str(tmp_path / "models"), "--port", str(port),
         "--endpoints", str(PROJECT_ROOT / "endpoints.yml"), "--credentials", str(PROJECT_ROOT / "credentials.yml")],
        cwd=PROJECT_ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            requests.get(f"{url}/version", timeout=2)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
    yield {"url": url, "token": token, "pid": process.pid, "log": log}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_rasa_takes_the_token_from_the_environment_and_not_from_argv(rasa_without_model):
    started = rasa_without_model
    # What `ps` shows of the Rasa process and of any process it started.
    commands = [command for command in map(command_line, Path("/proc").glob("[0-9]*"))
                if started["url"].rsplit(":", 1)[1] in command]
    assert commands and not any(started["token"] in command for command in commands)
    without = requests.get(f"{started['url']}/status", timeout=10)
    wrong = requests.get(f"{started['url']}/status", params={"token": "x" + started["token"]}, timeout=10)
    right = requests.get(f"{started['url']}/status", params={"token": started["token"]}, timeout=10)
    assert (without.status_code, wrong.status_code) == (401, 401)
    assert right.status_code == 409  # authenticated; no model loaded in this test
    assert started["token"] not in started["log"].read_text()

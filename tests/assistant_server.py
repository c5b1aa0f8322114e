"""Starts the real assistant (action server + `rasa run`) for end-to-end tests.

Each run gets its own ports, application database, tracker store and auth token,
so tests never touch var/ and can run beside `make run`.
"""
from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# INTAKE_MODEL: another trained model to run the same tests and benchmarks against (an A/B of a
# configuration change, trained with `rasa train --out` elsewhere); the project's model by default.
MODEL = Path(os.environ.get("INTAKE_MODEL") or PROJECT_ROOT / "models" / "intake.tar.gz")
STARTUP_TIMEOUT_S = 180
RASA_LOG, ACTIONS_LOG = "rasa.log", "actions.log"
# A stopped test server closes at once: Sanic otherwise waits up to 15 s for open connections
# (a widget's socket.io, a kept-alive action-server session) to end, at every fixture's teardown.
# Deployments keep Sanic's default, so that turns in flight finish.
QUICK_SHUTDOWN = {"SANIC_GRACEFUL_SHUTDOWN_TIMEOUT": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, what: str, processes: list[subprocess.Popen], *logs: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{what}: a server exited early; log:\n{_tails(logs)}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not become ready; log:\n{_tails(logs)}")


def _tails(logs: Sequence[Path]) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists())


@dataclass(frozen=True)
class Said:
    """One message the assistant uttered, as the conversation's tracker recorded it."""

    # The domain response it was made from (``utter_...``): Rasa puts it in the BotUttered
    # event's metadata["utter_action"], for a response a rule or story predicts and for one a
    # custom action dispatches with ``response=`` (rasa/core/actions/action.py:
    # ActionBotResponse.run, RemoteAction._utter_responses). None for text an action wrote
    # itself (``utter_message(text=...)``) or a lawyer's message: such words have no name.
    name: str | None
    text: str
    buttons: tuple[dict, ...] = ()


@dataclass
class Turn:
    """What the assistant answered to one message: the channel's replies and, from the
    tracker, what it uttered. Tests assert ``names`` (a lawyer may edit the copy, not the
    names); ``text``/``text_of`` only for words the assistant computes (see tests/README.md)."""

    replies: list[dict]
    said: list[Said]

    @property
    def names(self) -> list[str | None]:
        return [message.name for message in self.said]

    @property
    def text(self) -> str:
        """All the replies' text, as the caller reads it."""
        return texts(self.replies)

    def text_of(self, name: str) -> str:
        """The text of the messages made from response ``name`` in this turn ("" if none)."""
        return "\n".join(message.text for message in self.said if message.name == name)


@dataclass
class Assistant:
    url: str
    token: str
    database_url: str
    # This run's files: databases and one log per process (rasa.log, actions.log). One file per
    # process, not one shared: two processes writing block-buffered output to one file interleave
    # mid-character, which made the log unreadable as UTF-8 and could split a caller's words so
    # that a search for them missed them.
    workdir: Path
    processes: list[subprocess.Popen]
    encryption_keys: str = ""
    # How the action server was started (processes[0]), for restart_action_server.
    action_command: tuple[str, ...] = ()
    action_env: dict[str, str] | None = None

    @property
    def rasa_log_path(self) -> Path:
        return self.workdir / RASA_LOG

    @property
    def actions_log_path(self) -> Path:
        return self.workdir / ACTIONS_LOG

    def log(self) -> str:
        """Everything both servers have printed so far (Rasa's log, then the action server's)."""
        return "\n".join(path.read_text(encoding="utf-8") for path in (self.rasa_log_path, self.actions_log_path)
                         if path.exists())

    def send(self, sender: str, message, timeout: float = 30) -> list[dict]:
        """POST to the REST channel; the bot's messages."""
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def turn(self, sender: str, message, timeout: float = 30) -> Turn:
        """Like ``send``, with the names of what the assistant uttered in reply (``Turn``).

        A message the caller gate answers itself (blank, too long, too fast) never reaches
        the tracker: its turn has replies and nothing ``said``."""
        mark = self.mark(sender)
        replies = self.send(sender, message, timeout)
        return Turn(replies, self.said_since(sender, mark))

    def mark(self, sender: str) -> int:
        """How many messages the assistant has uttered so far; ``said_since`` reads on from here.

        Bot messages, not all events: reading a new conversation's tracker shows session-start
        events that are not stored, and a channel's session metadata adds one; neither is a
        bot message."""
        return len(self._bot_events(sender))

    def said_since(self, sender: str, mark: int) -> list[Said]:
        """The assistant's messages recorded after ``mark``: one turn's when taken around a
        single request (the REST webhook and Rasa's HTTP API answer after the tracker is
        saved, and a test's conversation has one writer, so nothing else slips in)."""
        return [
            Said(
                (event.get("metadata") or {}).get("utter_action"), event.get("text") or "",
                tuple((event.get("data") or {}).get("buttons") or ()),
            )
            for event in self._bot_events(sender)[mark:]
        ]

    def _bot_events(self, sender: str) -> list[dict]:
        # ALL: after a /restart Rasa's default view starts at the restart, shortening the list.
        events = self.tracker(sender, include_events="ALL")["events"] or []
        return [event for event in events if event["event"] == "bot"]

    def tracker(self, sender: str, include_events: str | None = None) -> dict:
        params = {"token": self.token, **({"include_events": include_events} if include_events else {})}
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def restart_action_server(self) -> None:
        """Stops the action server and starts it again on its port, as a redeploy does; Rasa runs on."""
        assert self.action_command and self.action_env is not None, "started without an action server"
        self.processes[0].terminate()
        self.processes[0].wait(timeout=20)
        with open(self.actions_log_path, "a", encoding="utf-8") as log:
            self.processes[0] = subprocess.Popen(list(self.action_command), cwd=PROJECT_ROOT, env=self.action_env,
                                                 stdout=log, stderr=subprocess.STDOUT)
        port = self.action_env["ACTION_SERVER_PORT"]
        _wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok,
                    "action server", self.processes, self.actions_log_path)

    def stop(self, grace_s: float = 20) -> None:
        """Ends the servers, killing one that has not stopped within ``grace_s``."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_assistant(
    workdir: Path, extra_env: dict[str, str] | None = None, rasa_args: Sequence[str] = (),
    token: str | None = None, action_server: bool = True,
) -> Assistant:
    """Migrate a fresh database under ``workdir`` and start both servers.

    ``rasa_args`` are added to `rasa run` (e.g. ``["--cors", origin]``); ``token`` protects
    its HTTP API (default: a new one for this run). With ``action_server=False`` only
    `rasa run` starts and its action endpoint points at a port nobody listens on: what
    the assistant does when the action server is down."""
    rasa_port, action_port = free_port(), free_port()
    token = token or secrets.token_urlsafe(16)
    database_url = f"sqlite:///{workdir / 'app.db'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": database_url,
        # The project's own endpoints.yml, pointed at this run's ports and files.
        "ACTION_SERVER_PORT": str(action_port),
        # Both secrets through the environment, never on a command line (issue 15, H3/H4).
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
        "RASA_AUTH_TOKEN": token,
        "TRACKER_DB": str(workdir / "tracker.db"),
        # Case contents encrypted at rest (issue 16, M8): a key for this run when none is set.
        "APP_ENCRYPTION_KEYS": os.environ.get("APP_ENCRYPTION_KEYS") or Fernet.generate_key().decode("ascii"),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{rasa_port}",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",  # no Segment or Sentry from tests either (issue 16, M10)
        **QUICK_SHUTDOWN,
        # Rasa refuses to start when a ${VAR} in credentials.yml is unset.
        **{name: os.environ.get(name, "") for name in credential_variables()},
        **(extra_env or {}),
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "alembic"), "upgrade", "head"], cwd=PROJECT_ROOT, env=env, check=True,
        capture_output=True,
    )
    rasa_log, actions_log = workdir / RASA_LOG, workdir / ACTIONS_LOG
    processes = []
    action_command = (sys.executable, "-m", "actions.server", "--port", str(action_port))
    if action_server:
        with open(actions_log, "w", encoding="utf-8") as log:
            processes.append(subprocess.Popen(
                list(action_command), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            ))
    with open(rasa_log, "w", encoding="utf-8") as log:
        rasa = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "scripts" / "serve_rasa.py"),
             *rasa_run_arguments(rasa_port, rasa_args)],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    processes.append(rasa)
    url = f"http://127.0.0.1:{rasa_port}"
    try:
        if action_server:
            _wait_until(
                lambda: requests.get(f"http://127.0.0.1:{action_port}/health", timeout=2).ok,
                "action server", processes, actions_log,
            )
        _wait_until(
            lambda: requests.get(f"{url}/status", params={"token": token}, timeout=2)
            .json().get("model_file"),
            "rasa server", processes, rasa_log, actions_log,
        )
    except Exception:
        Assistant(url, token, database_url, workdir, processes, env["APP_ENCRYPTION_KEYS"]).stop()
        raise
    return Assistant(url, token, database_url, workdir, processes, env["APP_ENCRYPTION_KEYS"],
                     action_command if action_server else (), env if action_server else None)


def rasa_run_arguments(port: int, rasa_args: Sequence[str] = ()) -> list[str]:
    """The options of `rasa run` for a test server (scripts/serve_rasa.py adds --enable-api
    and the token, which it reads from RASA_AUTH_TOKEN)."""
    return [
        "--model", str(MODEL), "--port", str(port),
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"), "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        *rasa_args,
    ]


def credential_variables() -> list[str]:
    """The ${VARS} named in credentials.yml (outside comments)."""
    lines = (PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    return sorted(set(re.findall(r"\$\{(\w+)\}", text)))


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def slot(assistant: Assistant, sender: str, name: str):
    return assistant.tracker(sender)["slots"].get(name)

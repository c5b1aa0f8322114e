"""Shared fixtures: an empty migrated database, a dispatcher, the domain, trackers."""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from intake_core.domain_files import load_domain
from intake_core.persistence import database

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Case contents are encrypted at rest (issue 16, M8): the tests, and the servers they start
# (which inherit the environment), get a key of their own when none is set. Never printed.
if not os.environ.get("APP_ENCRYPTION_KEYS"):
    from cryptography.fernet import Fernet

    os.environ["APP_ENCRYPTION_KEYS"] = Fernet.generate_key().decode("ascii")

# Every Sanic server the tests start (Rasa, the action server, the channels' test servers)
# inherits this: a stopped server closes at once instead of waiting for open connections.
from assistant_server import QUICK_SHUTDOWN  # noqa: E402

os.environ.update(QUICK_SHUTDOWN)


def alembic_config(url: str) -> Config:
    """The project's Alembic configuration pointed at ``url``."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    return config


def migrate(url: str) -> None:
    """Bring the database at ``url`` to the newest schema, as `make db` does."""
    command.upgrade(alembic_config(url), "head")


def _forget_engines() -> None:
    database.get_engine.cache_clear()
    database._session_factory.cache_clear()


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> str:
    """A fresh SQLite database, migrated, and used by the actions under test."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    _forget_engines()
    yield url
    _forget_engines()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The files of domain/ merged, as Rasa merges them."""
    return load_domain()


def make_tracker(
    text: str = "",
    intent: str | None = None,
    ranking: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    sender_id: str = "test-conversation",
    channel: str = "rest",
) -> Tracker:
    """A tracker whose latest user message is ``text`` classified as ``intent``."""
    intent_entry = {"name": intent, "confidence": 0.9} if intent else {}
    latest = {
        "text": text,
        "intent": intent_entry,
        "intent_ranking": ranking if ranking is not None else ([intent_entry] if intent else []),
        "entities": [],
    }
    user_event = {"event": "user", "text": text, "parse_data": latest, "input_channel": channel}
    return Tracker(
        sender_id=sender_id,
        slots={"case_type": None, "disclaimer_shown": False, "handoff_ticket": None, **(slots or {})},
        latest_message=latest,
        events=[user_event],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def tracker_factory():
    return make_tracker


def responses_of(dispatcher: CollectingDispatcher) -> list[str]:
    return [message.get("response") for message in dispatcher.messages]


@pytest.fixture
def postgres_url() -> str:
    """A scratch PostgreSQL database on this machine; skipped where none runs."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    admin_url = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1/postgres")
    name = f"intake_test_{os.getpid()}"
    try:
        admin = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    except Exception as error:  # no server here: the SQLite tests still run
        pytest.skip(f"PostgreSQL not reachable: {type(error).__name__}")
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    _forget_engines()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def firm_site(tmp_path_factory):
    """A static site on a port of its own, as a firm's website that embeds the chat widget:
    (its folder, its port). Bound before the assistant starts, so that the assistant can
    allow its origin and no other server takes the port meanwhile; tests/test_chat_widget.py
    writes the page."""
    root = tmp_path_factory.mktemp("firm-site")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, firm_site):
    """The real assistant (rasa run + action server) for end-to-end tests, allowing the firm's
    site at http://127.0.0.1:<port> (not localhost:<port>) as `make run` allows the origins in
    CHAT_ALLOWED_ORIGINS and `--cors`. One for the whole session: each start costs 15-20 s."""
    from assistant_server import MODEL, start_assistant

    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first")
    origin = f"http://127.0.0.1:{firm_site[1]}"
    server = start_assistant(
        tmp_path_factory.mktemp("assistant"), extra_env={"CHAT_ALLOWED_ORIGINS": origin}, rasa_args=["--cors", origin]
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    """A headless chromium (Playwright driving the system chromium), shared by a test module.

    Module scope, not session: Playwright's sync API keeps an event loop running
    in this thread while it is open, and later tests (the NLU accuracy floors)
    run their own loop.

    Take a fresh context per test with `browser.new_page` or `tests/browser.py:new_page`.
    Skipped where no chromium is installed (`make browser` installs it; `make test` does)."""
    from browser import chromium_path, launch_browser

    if not chromium_path():
        pytest.skip("no chromium: run `make browser`")
    with launch_browser() as launched:
        yield launched

"""Rasa's tracker store with every event's JSON encrypted (issue 16, M8), on SQLite and PostgreSQL."""
import asyncio
import os
import uuid

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from intake_core.persistence import keys
from intake_core.persistence.encryption import KEYS_VARIABLE, EncryptionKeyError
from stores.tracker import EncryptedSQLTrackerStore


def _marker() -> str:
    return f"{uuid.uuid4().int % 10**18:018d} 海岱{uuid.uuid4().hex[:6]}贸易有限公司"


def _sqlite(tmp_path):
    path = tmp_path / "tracker.db"
    return {"dialect": "sqlite", "db": str(path)}, f"sqlite:///{path}"


def _postgresql(postgres_url):
    url = make_url(postgres_url)
    return ({"dialect": "postgresql", "host": url.host, "port": url.port or 5432, "db": url.database,
             "username": url.username, "password": url.password}, postgres_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_db(request, tmp_path):
    if request.param == "sqlite":
        return _sqlite(tmp_path)
    return _postgresql(request.getfixturevalue("postgres_url"))


def _conversation(sender: str, marker: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(f"我的身份证号是{marker}", {"name": "inform", "confidence": 0.9}))
    tracker.update(BotUttered(f"您说的是{marker}"))
    return tracker


def _raw(url, sql):
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(sql))
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def test_events_are_stored_encrypted_and_read_back(tracker_db):
    options, url = tracker_db
    marker = _marker()
    store = EncryptedSQLTrackerStore(domain=Domain.empty(), **options)
    asyncio.run(store.save(_conversation("caller-1", marker)))

    rows = _raw(url, "SELECT sender_id, type_name, intent_name, data FROM events ORDER BY id")
    assert [row[1] for row in rows] == ["action", "user", "bot"]
    assert rows[1][2] == "inform"  # what Rasa queries on stays clear
    assert all(row[3].startswith("gAAAAA") and marker not in row[3] for row in rows)

    tracker = asyncio.run(store.retrieve("caller-1"))
    assert marker in tracker.latest_message.text
    assert asyncio.run(store.keys()) == ["caller-1"]


def test_the_time_the_caller_last_wrote_is_read_without_loading_the_conversation(tracker_db):
    options, _ = tracker_db
    store = EncryptedSQLTrackerStore(domain=Domain.empty(), **options)
    tracker = DialogueStateTracker("caller-2", [])
    tracker.update(UserUttered("第一句", timestamp=1000.0))
    tracker.update(BotUttered("回答", timestamp=2000.0))  # the bot's later events do not count
    tracker.update(UserUttered("第二句", timestamp=1500.0))
    tracker.update(BotUttered("回答", timestamp=3000.0))
    asyncio.run(store.save(tracker))
    assert store.last_user_message_time("caller-2") == 1500.0
    assert store.last_user_message_time("nobody") is None


def test_a_wrong_key_stops_the_tracker_store_at_start_up(tracker_db, monkeypatch):
    options, url = tracker_db
    asyncio.run(EncryptedSQLTrackerStore(domain=Domain.empty(), **options).save(_conversation("c", _marker())))
    before = _raw(url, "SELECT data FROM events ORDER BY id")

    monkeypatch.setenv(KEYS_VARIABLE, Fernet.generate_key().decode())
    with pytest.raises(EncryptionKeyError, match=KEYS_VARIABLE):
        EncryptedSQLTrackerStore(domain=Domain.empty(), **options)
    monkeypatch.delenv(KEYS_VARIABLE)
    with pytest.raises(EncryptionKeyError, match=KEYS_VARIABLE):
        EncryptedSQLTrackerStore(domain=Domain.empty(), **options)
    assert _raw(url, "SELECT data FROM events ORDER BY id") == before


def test_events_stored_before_encryption_are_read_and_encrypted_by_rotation(tmp_path, monkeypatch):
    from rasa.core.tracker_store import SQLTrackerStore

    options, url = _sqlite(tmp_path)
    marker = _marker()
    asyncio.run(SQLTrackerStore(domain=Domain.empty(), **options).save(_conversation("old", marker)))
    store = EncryptedSQLTrackerStore(domain=Domain.empty(), **options)
    assert marker in asyncio.run(store.retrieve("old")).latest_message.text

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    from conftest import _forget_engines, migrate
    migrate(os.environ["DATABASE_URL"])
    _forget_engines()
    assert keys.main(["rotate", "--tracker-url", url]) == 0
    _forget_engines()
    assert all(data.startswith("gAAAAA") for (data,) in _raw(url, "SELECT data FROM events"))
    assert marker in asyncio.run(store.retrieve("old")).latest_message.text


def _store_from_endpoints(path):
    from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
    from rasa.core.utils import AvailableEndpoints

    from conftest import PROJECT_ROOT

    store = TrackerStore.create(AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / path)).tracker_store)
    return store._tracker_store if isinstance(store, FailSafeTrackerStore) else store


def test_the_local_endpoints_use_the_encrypted_store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_SERVER_PORT", "5055")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "x")
    assert type(_store_from_endpoints("endpoints.yml")) is EncryptedSQLTrackerStore


def test_the_production_endpoints_use_the_encrypted_store(postgres_url, monkeypatch):
    _production_environment(monkeypatch, postgres_url, "disable", "false")
    store = _store_from_endpoints("endpoints.production.yml")
    assert type(store) is EncryptedSQLTrackerStore
    asyncio.run(store.save(_conversation("prod", "110101199003071234")))
    assert "110101199003071234" not in _raw(postgres_url, "SELECT data FROM events")[0][0]


@pytest.mark.model
def test_rasa_does_not_start_with_a_key_that_does_not_open_its_conversations(tmp_path):
    """`rasa run` with endpoints.yml stops at start-up, naming the variable (issue 16, M8)."""
    from assistant_server import start_assistant

    options, url = _sqlite(tmp_path)
    asyncio.run(EncryptedSQLTrackerStore(domain=Domain.empty(), **options).save(_conversation("c", _marker())))
    before = _raw(url, "SELECT data FROM events ORDER BY id")
    with pytest.raises(RuntimeError, match="exited early") as raised:
        start_assistant(tmp_path, extra_env={KEYS_VARIABLE: Fernet.generate_key().decode()}, action_server=False)
    assert f"EncryptionKeyError: A stored value cannot be decrypted with {KEYS_VARIABLE}" in str(raised.value)
    assert _raw(url, "SELECT data FROM events ORDER BY id") == before


# -- TLS in the production profile (issue 16) ------------------------------------------------

def _production_environment(monkeypatch, postgres_url, sslmode, redis_tls):
    url = make_url(postgres_url)
    for name, value in {"TRACKER_DB_HOST": url.host, "TRACKER_DB_PORT": str(url.port or 5432),
                        "TRACKER_DB_NAME": url.database, "TRACKER_DB_USER": url.username,
                        "TRACKER_DB_PASSWORD": url.password or "", "TRACKER_DB_SSLMODE": sslmode,
                        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_PASSWORD": "",
                        "REDIS_TLS": redis_tls, "REDIS_TLS_CA_CERTS": "", "REDIS_DB": os.environ.get("REDIS_DB", ""),
                        "ACTION_SERVER_HOST": "127.0.0.1", "ACTION_SERVER_PORT": "5055",
                        "ACTION_SERVER_TOKEN": "x"}.items():
        monkeypatch.setenv(name, value)


def test_the_production_tracker_store_reaches_postgresql_with_the_configured_sslmode(postgres_url, monkeypatch):
    """The setting reaches libpq: this machine's PostgreSQL has no TLS, so "require" must be
    refused by the driver and "disable" must connect (a TLS server proves the other half)."""
    from rasa.shared.exceptions import ConnectionException

    _production_environment(monkeypatch, postgres_url, "require", "false")
    with pytest.raises(ConnectionException) as refused:
        _store_from_endpoints("endpoints.production.yml")
    assert "SSL was required" in str(refused.value.__cause__ or refused.value)
    _production_environment(monkeypatch, postgres_url, "disable", "false")
    store = _store_from_endpoints("endpoints.production.yml")
    assert store.engine.url.query["sslmode"] == "disable"


@pytest.mark.parametrize("word, tls", [("false", False), ("0", False), ("", False), ("true", True), ("1", True)])
def test_the_production_lock_store_reads_its_tls_switch_as_a_yes_or_no(postgres_url, monkeypatch, word, tls):
    from rasa.core.lock_store import LockStore
    from rasa.core.utils import AvailableEndpoints

    from conftest import PROJECT_ROOT

    _production_environment(monkeypatch, postgres_url, "disable", word)
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.production.yml"))
    store = LockStore.create(endpoints.lock_store)
    kwargs = store.red.connection_pool.connection_kwargs
    assert (store.red.connection_pool.connection_class.__name__ == "SSLConnection") is tls
    if not tls:  # this machine's Redis speaks plain TCP: the store works
        store.red.ping()
    assert kwargs["port"] == 6379 or kwargs["port"] == "6379"


def test_a_tls_switch_that_is_not_yes_or_no_is_an_error_naming_it():
    from stores.lock import as_flag

    with pytest.raises(ValueError, match="use_ssl"):
        as_flag("maybe", "use_ssl")

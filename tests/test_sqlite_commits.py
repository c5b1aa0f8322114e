"""intake_core/persistence/sqlite.py: every embedded SQLite database in WAL mode, a commit
waiting for the disk only with SQLITE_DURABLE; other databases untouched."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain

from intake_core import config
from intake_core.persistence import sqlite

NORMAL, FULL = 1, 2  # what `PRAGMA synchronous` reads back


def _mode(engine: sa.engine.Engine) -> tuple[str, int]:
    with engine.connect() as connection:
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    return journal, synchronous


@pytest.mark.parametrize(("durable", "expected"), [(None, NORMAL), ("no", NORMAL), ("yes", FULL)])
def test_a_sqlite_connection_is_in_wal_mode_and_waits_for_the_disk_only_when_asked(
    tmp_path, monkeypatch, durable, expected
):
    if durable is None:
        monkeypatch.delenv("SQLITE_DURABLE", raising=False)
    else:
        monkeypatch.setenv("SQLITE_DURABLE", durable)
    engine = sqlite.tune(sa.create_engine(f"sqlite:///{tmp_path / 'a.db'}", future=True))
    try:
        assert _mode(engine) == ("wal", expected)
    finally:
        engine.dispose()


def test_an_untuned_sqlite_connection_is_what_sqlite_gives(tmp_path):
    """The test above can fail: without tune, SQLite's own defaults."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.db'}", future=True)
    try:
        assert _mode(engine) == ("delete", FULL)
    finally:
        engine.dispose()


def test_a_value_that_is_not_yes_or_no_is_refused_naming_the_variable():
    with pytest.raises(config.ConfigError, match="SQLITE_DURABLE"):
        config.sqlite_durable({"SQLITE_DURABLE": "always"})


def test_a_postgresql_engine_is_left_as_it_is(postgres_url):
    engine = sa.create_engine(postgres_url, future=True)
    listeners = len(engine.pool.dispatch.connect)
    assert sqlite.tune(engine) is engine
    assert len(engine.pool.dispatch.connect) == listeners
    engine.dispose()


def test_the_application_database_the_tracker_store_and_the_erasure_engine_are_tuned(tmp_path, monkeypatch):
    from intake_core.persistence import database
    from intake_core.rights import tracker_events
    from stores.tracker import EncryptedSQLTrackerStore

    monkeypatch.delenv("SQLITE_DURABLE", raising=False)
    app = database.get_engine(f"sqlite:///{tmp_path / 'app.db'}")
    store = EncryptedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    erasure = tracker_events.engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    for engine in (app, store.engine, erasure):
        assert _mode(engine) == ("wal", NORMAL)


def _connections_and_log(engine: sa.engine.Engine, db_file) -> tuple[list[int], bool]:
    """The DBAPI connection each of two sessions got, and whether the write-ahead log was
    still there after the first session ended (closing the last connection deletes it)."""
    seen, log = [], db_file.with_name(db_file.name + "-wal")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        seen.append(id(connection.connection.dbapi_connection))
    kept_log = log.exists()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
        seen.append(id(connection.connection.dbapi_connection))
    return seen, kept_log


def test_the_engines_keep_a_sqlite_files_connections_open_between_sessions(tmp_path):
    from intake_core.persistence import database
    from stores.tracker import EncryptedSQLTrackerStore

    app_file, tracker_file = tmp_path / "app.db", tmp_path / "tracker.db"
    app = database.get_engine(f"sqlite:///{app_file}")
    store = EncryptedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tracker_file))
    for engine, db_file in ((app, app_file), (store.engine, tracker_file)):
        engine.dispose()  # from here on, only this test's sessions
        (first, second), kept_log = _connections_and_log(engine, db_file)
        assert first == second and kept_log, engine.url


def test_without_the_pool_options_each_session_opens_and_closes_its_own_connection(tmp_path):
    """The test above can fail: SQLAlchemy 1.4's own default for a SQLite file."""
    db_file = tmp_path / "plain.db"
    engine = sqlite.tune(sa.create_engine(f"sqlite:///{db_file}", future=True))
    _, kept_log = _connections_and_log(engine, db_file)
    assert not kept_log and isinstance(engine.pool, sa.pool.NullPool)
    engine.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "postgresql://u@localhost/d"])
def test_pool_options_are_only_for_a_sqlite_file(url):
    assert sqlite.pool_options(sa.engine.make_url(url)) == {}


def test_a_pooled_sqlite_connection_serves_one_thread_after_another(tmp_path):
    """check_same_thread=False: the action server's sessions run in worker threads."""
    from concurrent.futures import ThreadPoolExecutor

    from intake_core.persistence import database

    engine = database.get_engine(f"sqlite:///{tmp_path / 'threads.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")

    def insert(value: int) -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (?)", (value,))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(insert, range(40)))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT sum(x) FROM t").scalar() == sum(range(40))

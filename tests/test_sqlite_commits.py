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

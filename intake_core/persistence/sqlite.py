"""How the embedded SQLite databases commit: write-ahead log, and a commit that waits for the
disk only when asked (``SQLITE_DURABLE``).

SQLite's defaults (a rollback journal, ``synchronous=FULL``) make every commit wait for several
flushes to the disk: 12.5 ms a commit on this machine, CPU 0.5 ms, the rest waiting
(docs/performance.md). A caller's turn commits two to four times (Rasa's tracker store, the
questionnaire's answers, the caller gate), one after another, so most of a turn's time was the
disk. In WAL mode with ``synchronous=NORMAL`` a commit costs 0.03 ms; what it trades: a
committed turn survives any crash of a program, and the database is never corrupted, but the
last commits before a power cut or a crash of the machine itself may be lost. WAL with
``synchronous=FULL`` (``SQLITE_DURABLE=yes``) keeps every commit through a power cut at 3 ms a
commit. WAL also lets the console read while Rasa writes. An erased row's bytes (encrypted, issue 16)
may stay in the log until its next checkpoint, as they stay in the file's free pages with or
without it. PostgreSQL (the production profile, docs/deployment.md) is not touched: it commits
durably whatever this says.

Connections to a SQLite file are kept open in a pool (``pool_options``), as SQLAlchemy 2.0 does
by default; 1.4, which Rasa 3.6 pins, opens and closes one per session. Closing the last
connection to a WAL database checkpoints the log into the file and deletes it, so every
session paid for a checkpoint: 2 ms of a turn in Rasa, 1 ms in the action server
(docs/performance.md). Kept open, the log is checkpointed every 1,000 pages, as SQLite intends.
A pooled connection is used by one thread at a time (the pool checks it out), which is what
``check_same_thread=False`` allows; the action server runs its database work in worker threads.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import URL
from sqlalchemy.pool import QueuePool

from intake_core import config


def pragmas(durable: bool) -> tuple[str, ...]:
    return ("PRAGMA journal_mode=WAL", f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")


def pool_options(url: URL) -> dict[str, Any]:
    """``create_engine`` options that keep connections to a SQLite file open; none for any other
    database (PostgreSQL pools already) or for an in-memory SQLite database (SQLAlchemy keeps
    one per thread, each its own database)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return {}
    return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}


def tune(engine: Engine) -> Engine:
    """Every new connection of a SQLite ``engine`` in WAL mode, synchronous as configured;
    any other database's engine is returned as it is."""
    if engine.dialect.name != "sqlite":
        return engine
    statements = pragmas(config.sqlite_durable())

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for statement in statements:
                cursor.execute(statement)
        finally:
            cursor.close()

    event.listen(engine, "connect", on_connect)
    return engine

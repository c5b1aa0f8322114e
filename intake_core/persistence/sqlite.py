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
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from intake_core import config


def pragmas(durable: bool) -> tuple[str, ...]:
    return ("PRAGMA journal_mode=WAL", f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")


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

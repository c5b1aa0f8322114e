"""Engine and sessions, created on first use (never at import time)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import cast

from sqlalchemy import create_engine
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.engine.url import make_url
from sqlalchemy.orm import Session, sessionmaker

from intake_core import config
from intake_core.persistence import sqlite


@cache
def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the life of the process."""
    url = url or config.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: a database error's message would carry the bound values (a caller's
    # words, a conversation id, a lawyer's reply) into every log it reaches (issue 15, H7/L6).
    # sqlite.tune: WAL, and a commit waits for the disk only with SQLITE_DURABLE; pool_options:
    # a SQLite file's connections kept open (sqlite.py's docstring says why).
    engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True, **sqlite.pool_options(parsed))
    return sqlite.tune(engine)


@cache
def _session_factory(url: str | None) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session for one unit of work: committed on success, rolled back on error."""
    session = _session_factory(url)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def affected_rows(result: Result) -> int:
    """Rows an UPDATE or DELETE run with ``Session.execute`` changed.

    At run time that result is a ``CursorResult`` (which has ``rowcount``); sqlalchemy2-stubs
    type ``Session.execute`` as returning the base ``Result`` whatever the statement, hence the cast.
    """
    return cast(CursorResult, result).rowcount

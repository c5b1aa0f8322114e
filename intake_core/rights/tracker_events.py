"""Rasa's SQL tracker store, read and deleted directly (the app never writes to it).

Rasa has no API that deletes a conversation, and an action cannot delete its own
conversation's events: Rasa saves the tracker after the action ran, and its SQL
tracker store then writes back every event it does not find in the table. So a
deletion is done after the turn, from the tracker store itself: the erasure action's
own ``action`` event marks the conversation, and everything up to the ``restart`` the
action returned is deleted (``erase_marked``). The conversation after that restart is
a new, empty one. No clock is compared: the order of the events' ids decides.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, select
from sqlalchemy.engine import Engine

from intake_core import config
from intake_core.persistence import database

ERASE_ACTION = "action_erase_my_data"

# The columns of Rasa 3.6's SQLTrackerStore.SQLEvent that are used here.
_metadata = MetaData()
events = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("action_name", String(255)),
    Column("data", Text),
)


def engine(url: str | None = None) -> Engine:
    # The project's one engine per URL (parameters hidden from logs: a sender id is personal
    # information; SQLite tuned as everywhere, intake_core/persistence/sqlite.py).
    return database.get_engine(url or config.tracker_store_url())


def _has_table(db: Engine) -> bool:
    from sqlalchemy import inspect

    # No tracker file yet (Rasa has not started): nothing to delete, and connecting would
    # create an empty file, or fail where its directory does not exist.
    if db.url.get_backend_name() == "sqlite" and db.url.database and not Path(db.url.database).exists():
        return False
    return inspect(db).has_table("events")


def erase_marked(url: str | None = None) -> list[int]:
    """Delete every conversation's events up to the restart that followed its erasure
    action. Returns how many events were deleted per erasure (no ids: nothing personal)."""
    db = engine(url)
    if not _has_table(db):
        return []
    done = []
    with db.begin() as connection:
        marks = connection.execute(
            select(events.c.sender_id, events.c.id)
            .where(events.c.type_name == "action", events.c.action_name == ERASE_ACTION)
            .order_by(events.c.id)
        ).all()
        for sender_id, mark_id in marks:
            restart = connection.execute(
                select(func.min(events.c.id)).where(
                    events.c.sender_id == sender_id, events.c.type_name == "restart", events.c.id > mark_id
                )
            ).scalar()
            if restart is None:  # the turn is not saved yet: next run
                continue
            done.append(
                connection.execute(
                    delete(events).where(events.c.sender_id == sender_id, events.c.id <= restart)
                ).rowcount
            )
    return done


def erase_conversation(sender_id: str, url: str | None = None) -> int:
    """Every event of one conversation (the retention purge; not for a live turn)."""
    db = engine(url)
    if not _has_table(db):
        return 0
    with db.begin() as connection:
        return connection.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount


def last_activity(url: str | None = None) -> dict[str, datetime]:
    """Each conversation's latest event time."""
    db = engine(url)
    if not _has_table(db):
        return {}
    with db.connect() as connection:
        rows = connection.execute(
            select(events.c.sender_id, func.max(events.c.timestamp)).group_by(events.c.sender_id)
        ).all()
    return {sender: datetime.fromtimestamp(stamp or 0, timezone.utc) for sender, stamp in rows}


def count_events(sender_id: str, url: str | None = None) -> int:
    if not _has_table(engine(url)):
        return 0
    with engine(url).connect() as connection:
        count: int = connection.execute(
            select(func.count()).select_from(events).where(events.c.sender_id == sender_id)
        ).scalar_one()
        return count

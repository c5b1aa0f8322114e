"""The tracker store's SQL, built once (issue 18): Core statements over Rasa's ``events`` table.

Rasa 3.6's ``SQLTrackerStore`` builds an ORM query for every read and save, and SQLAlchemy then
walks each new query object to make its compiled-cache key (``_gen_cache_key``, ~3 ms of a turn
measured) and loads whole ``SQLEvent`` entities where only ``data`` is used. These statements
are module-level objects with a bound parameter for the conversation (``sender_id``): their
cache key is computed once per statement object and the compiled SQL is reused per dialect.

The meaning is Rasa's ``SQLTrackerStore._event_query``: a conversation's events in ``id`` order
(timestamps are floats and not unique), and "the latest session" is the events whose timestamp
is at or after the latest ``session_started`` event's, or all of them when there is none.
tests/test_tracker_store_queries.py checks these against Rasa's own store.
"""

from __future__ import annotations

import sqlalchemy as sa
from rasa.shared.core.events import SessionStarted, UserUttered
from sqlalchemy.sql import Select

SENDER = "sender_id"  # the one bound parameter: execute with {SENDER: sender_id}


def _latest_session(events: sa.Table) -> sa.sql.ColumnElement[bool]:
    """Rasa's session filter: a max() without GROUP BY is one row, NULL without a session start."""
    start = (
        sa.select(sa.func.max(events.c.timestamp))
        .where(events.c.sender_id == sa.bindparam(SENDER), events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    return sa.or_(events.c.timestamp >= start, start.is_(None))


class EventQueries:
    """The statements for one ``events`` table; ``data`` is read as stored (a Fernet token, or
    legacy plain JSON): the store decrypts with one key lookup per read, not one per row."""

    def __init__(self, events: sa.Table) -> None:
        own = events.c.sender_id == sa.bindparam(SENDER)
        stored_data = sa.type_coerce(events.c.data, sa.Text)
        self.all_sessions: Select = sa.select(stored_data).where(own).order_by(events.c.id)
        self.latest_session: Select = self.all_sessions.where(_latest_session(events))
        # What Rasa's `_additional_events` counts (`_event_query(...).count()`).
        self.count_latest_session: Select = sa.select(sa.func.count()).select_from(events).where(
            own, _latest_session(events)
        )
        self.last_user_message_time: Select = sa.select(sa.func.max(events.c.timestamp)).where(
            own, events.c.type_name == UserUttered.type_name
        )
        self.insert = events.insert()

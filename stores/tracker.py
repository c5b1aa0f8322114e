"""``stores.tracker.EncryptedSQLTrackerStore``: Rasa's SQL tracker store with each event's JSON
encrypted (issue 16, M8).

Rasa's ``SQLTrackerStore`` keeps every event in ``events.data`` as plain JSON: the caller's
words, the bot's answers, every slot. Here ``data`` is an ``EncryptedText`` column (Fernet,
keys from ``APP_ENCRYPTION_KEYS``, intake_core/persistence/encryption.py); the table, the
sessions and what is read and written are Rasa's (PostgreSQL or SQLite). The other columns stay clear
because Rasa queries on them and they hold no caller words: ``sender_id`` (the conversation
id), ``type_name`` (event type), ``timestamp``, ``intent_name`` (a label of the model) and
``action_name`` (an action, slot or form name).

Rasa's read and save, made cheaper (issue 18; the same events in and out, tested against Rasa's
own store): the SQL is built once and reads only ``data`` (stores/event_queries.py), a read
decrypts and deserialises with the per-event lookups done once (stores/event_rows.py), and a
save skips Rasa's count of the stored events when the store knows it (stores/stored_events.py).

endpoints.yml: ``tracker_store: {type: stores.tracker.EncryptedSQLTrackerStore, dialect: ...}``
(the same options as ``type: SQL``).
"""
from __future__ import annotations

import itertools
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, _create_sequence
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import declarative_base, sessionmaker

from intake_core.persistence import sqlite
from intake_core.persistence.encryption import EncryptedText, cipher
from stores import event_rows
from stores.event_queries import SENDER, EventQueries
from stores.event_rows import LEGACY_PLAIN_PREFIX
from stores.stored_events import StoredEvents


class EventData(EncryptedText):
    """``EncryptedText`` that also reads the plain JSON of events stored before encryption."""

    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is not None and value.startswith(LEGACY_PLAIN_PREFIX):
            return value
        return super().process_result_value(value, dialect)


Base = declarative_base()


class EncryptedSQLEvent(Base):
    """Rasa 3.6's ``SQLTrackerStore.SQLEvent`` (same table and columns) with ``data`` encrypted."""

    __tablename__ = "events"

    id = sa.Column(sa.Integer, _create_sequence(__tablename__), primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    type_name = sa.Column(sa.String(255), nullable=False)
    timestamp = sa.Column(sa.Float)
    intent_name = sa.Column(sa.String(255))
    action_name = sa.Column(sa.String(255))
    data = sa.Column(EventData)


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store with ``data`` encrypted, its read and save made cheaper."""

    Base = Base
    SQLEvent = EncryptedSQLEvent
    queries = EventQueries(EncryptedSQLEvent.__table__)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Missing or malformed keys stop `rasa run` here, at start-up, naming the variable.
        cipher()
        super().__init__(*args, **kwargs)
        # A SQLite file: Rasa's engine opens and closes a connection per session, each close a
        # checkpoint of the log; ours keeps them open. Every connection in WAL mode, a commit
        # waiting for the disk only with SQLITE_DURABLE. intake_core/persistence/sqlite.py.
        pooled = sqlite.pool_options(self.engine.url)
        if pooled:
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, **pooled)
            self.sessionmaker = sessionmaker(bind=self.engine)
        sqlite.tune(self.engine)
        self.stored_events = StoredEvents()
        self.check_keys()

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        query = self.queries.all_sessions if fetch_events_from_all_sessions else self.queries.latest_session
        with self.session_scope() as session:
            stored = session.execute(query, {SENDER: sender_id}).scalars().all()
        dicts = event_rows.event_dicts(stored)
        if not (self.domain and dicts):
            return None
        # DialogueStateTracker.from_dict, with events deserialised by event_rows.events.
        tracker = DialogueStateTracker.from_events(sender_id, event_rows.events(dicts), self.domain.slots)
        # Every event of this tracker came from the table.
        self.stored_events.remember(tracker, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save: insert the tracker's events that are not stored yet, found by Rasa's
        count of the latest session's stored events unless ``stored_events`` knows."""
        await self.stream_events(tracker)
        stored = self.stored_events.stored(tracker)
        try:
            with self.session_scope() as session:
                if stored is None:
                    stored = session.execute(
                        self.queries.count_latest_session, {SENDER: tracker.sender_id}
                    ).scalar_one()
                new = itertools.islice(tracker.events, stored, None)
                rows = [event_rows.row(tracker.sender_id, event) for event in new]
                if rows:
                    session.execute(self.queries.insert, rows)
                session.commit()
        except BaseException:
            # Committed or not is unknown (a connection lost at COMMIT): count next time.
            self.stored_events.forget(tracker)
            raise
        if stored <= len(tracker.events):
            self.stored_events.remember(tracker, len(tracker.events))
        else:  # Rasa's count found more than the tracker has: not a tracker the table extends
            self.stored_events.forget(tracker)

    def last_user_message_time(self, sender_id: str) -> float | None:
        """When the caller last wrote (Unix time), or None: the time Rasa's session expiry
        reads, from one indexed query on clear columns, nothing loaded or decrypted. The caller
        gate asks it before every message (channels/caller_gate.py, point 5)."""
        with self.session_scope() as session:
            latest: float | None = session.execute(self.queries.last_user_message_time, {SENDER: sender_id}).scalar()
            return latest

    def check_keys(self) -> None:
        """Decrypt the newest event: keys that do not open what is stored stop start-up
        (EncryptionKeyError) instead of failing mid-conversation. Nothing is written."""
        with self.session_scope() as session:
            session.query(self.SQLEvent.data).order_by(self.SQLEvent.id.desc()).limit(1).all()

"""``stores.tracker.EncryptedSQLTrackerStore``: Rasa's SQL tracker store with each event's JSON
encrypted (issue 16, M8).

Rasa's ``SQLTrackerStore`` keeps every event in ``events.data`` as plain JSON: the caller's
words, the bot's answers, every slot. Here ``data`` is an ``EncryptedText`` column (Fernet,
keys from ``APP_ENCRYPTION_KEYS``, intake_core/persistence/encryption.py); everything else of
Rasa's store (queries, sessions, PostgreSQL/SQLite) is unchanged. The other columns stay clear
because Rasa queries on them and they hold no caller words: ``sender_id`` (the conversation
id), ``type_name`` (event type), ``timestamp``, ``intent_name`` (a label of the model) and
``action_name`` (an action, slot or form name).

endpoints.yml: ``tracker_store: {type: stores.tracker.EncryptedSQLTrackerStore, dialect: ...}``
(the same options as ``type: SQL``).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, _create_sequence
from rasa.shared.core.events import UserUttered
from sqlalchemy.orm import declarative_base

from intake_core.persistence import sqlite
from intake_core.persistence.encryption import EncryptedText, cipher

# A Fernet token is url-safe base64 of a version byte 0x80 and always starts so; Rasa's JSON
# starts with "{". Events written before this store (plain JSON) are still read, never
# returned for a token that fails: `python -m stores.rotate` encrypts them in place.
LEGACY_PLAIN_PREFIX = "{"


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
    """Rasa's SQL tracker store; every read and write of ``data`` goes through ``EventData``."""

    Base = Base
    SQLEvent = EncryptedSQLEvent

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Missing or malformed keys stop `rasa run` here, at start-up, naming the variable.
        cipher()
        super().__init__(*args, **kwargs)
        # SQLite in WAL mode, a commit waiting for the disk only with SQLITE_DURABLE: every later
        # connection (Rasa's SQLite engine opens one per session). intake_core/persistence/sqlite.py.
        sqlite.tune(self.engine)
        self.check_keys()

    def last_user_message_time(self, sender_id: str) -> float | None:
        """When the caller last wrote (Unix time), or None: the time Rasa's session expiry
        reads, from one indexed query on clear columns, nothing loaded or decrypted. The caller
        gate asks it before every message (channels/caller_gate.py, point 5)."""
        with self.session_scope() as session:
            return session.query(sa.func.max(self.SQLEvent.timestamp)).filter(
                self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == UserUttered.type_name,
            ).scalar()

    def check_keys(self) -> None:
        """Decrypt the newest event: keys that do not open what is stored stop start-up
        (EncryptionKeyError) instead of failing mid-conversation. Nothing is written."""
        with self.session_scope() as session:
            session.query(self.SQLEvent.data).order_by(self.SQLEvent.id.desc()).limit(1).all()

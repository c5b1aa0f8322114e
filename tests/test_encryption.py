"""Encryption at rest of the application database (issue 16, M8)."""
import os
import sqlite3
import uuid

import pytest
from cryptography.fernet import Fernet

from intake_core.persistence import keys
from intake_core.persistence.database import session_scope
from intake_core.persistence.encryption import KEYS_VARIABLE, EncryptionKeyError
from intake_core.persistence.models import HandoffTicket, Intake, IntakeAnswer, TicketMessage


def _marker() -> str:
    return f"身份证{uuid.uuid4().int % 10**18:018d}"


def _store_ticket(text: str) -> int:
    with session_scope() as session:
        ticket = HandoffTicket(conversation_id="c1", reason="human", summary=text, transcript=text,
                               trigger_text=text, other_party=text, amount_at_stake="12000")
        session.add(ticket)
        session.flush()
        session.add(TicketMessage(ticket_id=ticket.id, author="caller", text=text))
        intake = Intake(conversation_id="c1", form="labor", case_type="labor")
        session.add(intake)
        session.flush()
        session.add(IntakeAnswer(intake_id=intake.id, slot="employer", raw_text=text, value=f'"{text}"'))
        return ticket.id


def _file_bytes(database_url: str) -> bytes:
    with open(database_url.removeprefix("sqlite:///"), "rb") as file:
        return file.read()


def test_a_callers_words_are_stored_encrypted_and_read_back(database_url):
    marker = _marker()
    ticket_id = _store_ticket(marker)
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as raw:
        stored = raw.execute("SELECT summary, other_party, amount_at_stake FROM handoff_tickets").fetchone()
    assert all(value.startswith("gAAAAA") for value in stored)
    assert marker.encode("utf-8") not in _file_bytes(database_url)
    with session_scope() as session:
        ticket = session.get(HandoffTicket, ticket_id)
        assert (ticket.summary, ticket.other_party, ticket.messages[0].text) == (marker, marker, marker)


def test_text_no_utf_8_writer_accepts_is_stored_not_lost(database_url):
    # A lone surrogate from JSON (Rasa's HTTP API is not behind the caller gate).
    ticket_id = _store_ticket("请帮我\ud800找律师")
    with session_scope() as session:
        assert session.get(HandoffTicket, ticket_id).summary == "请帮我?找律师"


def test_missing_keys_are_named_at_start_up(database_url, monkeypatch):
    monkeypatch.delenv(KEYS_VARIABLE)
    with pytest.raises(EncryptionKeyError, match=KEYS_VARIABLE):
        keys.check_database()


def test_a_malformed_key_is_named_and_never_shown(database_url, monkeypatch):
    monkeypatch.setenv(KEYS_VARIABLE, "not-a-key-secret123")
    with pytest.raises(EncryptionKeyError, match=KEYS_VARIABLE) as raised:
        keys.check_database()
    assert "secret123" not in str(raised.value)


def test_a_wrong_key_stops_start_up_and_changes_nothing(database_url, monkeypatch):
    _store_ticket(_marker())
    before = _file_bytes(database_url)
    monkeypatch.setenv(KEYS_VARIABLE, Fernet.generate_key().decode())
    with pytest.raises(EncryptionKeyError, match=KEYS_VARIABLE):
        keys.check_database()
    assert keys.main(["rotate"]) == 2
    assert _file_bytes(database_url) == before


def test_rotation_re_encrypts_with_the_first_key_so_the_old_one_can_go(database_url, monkeypatch):
    marker = _marker()
    ticket_id = _store_ticket(marker)
    new_key = Fernet.generate_key().decode()
    old_keys = os.environ[KEYS_VARIABLE]
    monkeypatch.setenv(KEYS_VARIABLE, f"{new_key},{old_keys}")
    assert keys.main(["rotate"]) == 0
    monkeypatch.setenv(KEYS_VARIABLE, new_key)
    keys.check_database()
    with session_scope() as session:
        ticket = session.get(HandoffTicket, ticket_id)
        assert ticket.transcript == marker
        assert session.query(IntakeAnswer).one().raw_text == marker


@pytest.mark.parametrize(
    "command", [["-m", "actions.server", "--port", "0"], ["-m", "console", "serve", "--port", "0"]]
)
def test_the_servers_refuse_to_start_with_a_wrong_key_naming_it(database_url, command):
    import subprocess
    import sys

    from conftest import PROJECT_ROOT

    _store_ticket(_marker())
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": database_url,
        "ACTION_SERVER_TOKEN": "t",
        "CONSOLE_SECRET_KEY": "s" * 32,
        "RASA_AUTH_TOKEN": "t",
        KEYS_VARIABLE: Fernet.generate_key().decode(),
    }
    done = subprocess.run(
        [sys.executable, *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert KEYS_VARIABLE in done.stderr
    assert "Traceback" not in done.stderr

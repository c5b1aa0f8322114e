"""Error paths outside the action server log types and ids, never what was written
(issue 15, H7 and L6): the database engine hides bound parameters, the console answers an
unexpected error with a plain 500 and logs its type and route, the scheduler logs the type."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select, text

from console import accounts, scheduler
from console.app import create_app
from console.config import ConsoleConfig
from intake_core.desk.tickets import HandoffRequest, create_ticket
from intake_core.persistence.database import get_engine, session_scope
from intake_core.persistence.models import HandoffTicket
from log_text import leaked
from webhook_receiver import WebhookReceiver

PASSWORD = "correct-horse-battery"
REPLY = "王秀英您好，您的工资仲裁我们明天上午电话联系"


def refuse_writes(table: str) -> None:
    """The database refuses every new row of ``table``, as a full disk or a lock would."""
    with get_engine().begin() as connection:
        connection.execute(text(
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"))


def test_a_database_error_does_not_carry_its_parameters(database_url):
    with get_engine().begin() as connection:
        connection.execute(text("DROP TABLE handoff_tickets"))
    with pytest.raises(Exception) as raised:
        with session_scope() as session:
            session.execute(select(HandoffTicket).where(HandoffTicket.conversation_id == "oWx-victim-openid")).all()
    assert "handoff_tickets" in str(raised.value)  # the statement is still there to debug with
    assert "oWx-victim-openid" not in str(raised.value)


def test_a_console_error_logs_the_type_and_route_only(database_url, caplog):
    accounts.create_user("zhang", "张明", PASSWORD)
    create_ticket(HandoffRequest("conv-c", "rest", "labor", "documents", "normal", "帮我写仲裁申请书"))
    with WebhookReceiver() as rasa:  # stands in for Rasa's HTTP API: the reply is delivered
        app = create_app(ConsoleConfig(rasa_url=rasa.url.split("/cgi-bin")[0], rasa_token="t",
                                       secret_key="test-secret", check_seconds=30, secure_cookies=False))
        client = app.test_client()

        def csrf(path):
            return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)

        client.post("/login", data={"username": "zhang", "password": PASSWORD, "csrf_token": csrf("/login")})
        with session_scope() as session:
            ticket_id = session.scalars(select(HandoffTicket.id)).one()
        client.post(f"/tickets/{ticket_id}/claim", data={"csrf_token": csrf(f"/tickets/{ticket_id}")})
        refuse_writes("ticket_messages")  # recording the reply fails after it was sent
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answer = client.post(f"/tickets/{ticket_id}/reply",
                                 data={"text": REPLY, "csrf_token": csrf(f"/tickets/{ticket_id}")})
    assert answer.status_code == 500 and REPLY not in answer.get_data(as_text=True)
    assert "/tickets/<int:ticket_id>/reply" in caplog.text and "IntegrityError" in caplog.text
    assert leaked([REPLY, "王秀英"], caplog.text) == []
    assert all(record.exc_info is None for record in caplog.records)  # no traceback either


def test_an_unknown_page_is_still_a_plain_404(database_url):
    app = create_app(ConsoleConfig(rasa_url="http://127.0.0.1:9", rasa_token="t", secret_key="s",
                                   check_seconds=30, secure_cookies=False))
    assert app.test_client().get("/no-such-page").status_code == 404


def test_the_scheduler_logs_the_type_only(database_url, caplog, monkeypatch):
    monkeypatch.setenv("STAFF_WEBHOOK_URL", "http://127.0.0.1:9/never-reached")  # delivery runs
    with get_engine().begin() as connection:
        connection.execute(text("DROP TABLE handoff_tickets"))
        connection.execute(text("DROP TABLE staff_notifications"))
    with caplog.at_level(logging.INFO, logger="console.scheduler"):
        scheduler.run_once(None)
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(failures) == 2 and all("OperationalError" in record.getMessage() for record in failures)
    assert all(record.exc_info is None for record in failures)


def test_the_log_search_finds_words_escaped_once_or_twice():
    """Rasa's log holds a caller's words as \\uXXXX (JSON) or \\\\uXXXX (JSON inside a message):
    the log tests search the decoded text, or they would pass while everything leaks."""
    import json

    words = "干了一亿个月"
    once, twice = json.dumps({"text": words}), json.dumps(json.dumps({"text": words}))
    assert words not in once and words not in twice
    assert leaked([words], f"body='{once}'") == [words] and leaked([words], twice) == [words]
    assert leaked([words], "nothing here") == []

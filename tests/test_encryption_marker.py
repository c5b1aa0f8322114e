"""The measure of issue 16 ("Measured"): a caller's ID-card number and company name, sent through
REST into a questionnaire and a handoff, are found nowhere in the assistant's files (tracker
store, application database, their -wal/-journal files) nor in its log, not even \\u-escaped;
and once a lawyer has opened the ticket and its export in the console, not in the console's
log either (the page shows them: that is its purpose; its log must not)."""
from __future__ import annotations

import json
import random
import re

import pytest
import requests
from sqlalchemy import create_engine, text

from assistant_server import new_sender, slot
from console_server import start_console
from intake_core.persistence.encryption import decrypt
from log_text import decoded

pytestmark = pytest.mark.model

MAX_TURNS = 4
PASSWORD = "a-long-test-password"
# The session's assistant (and database) is shared with the console browser tests, which
# create "zhang": the marker test's lawyer has an account of its own.
LAWYER = "marker-lawyer"


def _id_card_number() -> str:
    """An 18-digit 身份证-like number with a valid GB 11643 check digit, new each run."""
    birthday = f"{random.randint(1960, 2000)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    body = f"110101{birthday}{random.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=False)) % 11]
    return body + check


def _company() -> str:
    return "".join(random.choice("瀚澜蔚岚珀琮璟瑜翊晗珩钰") for _ in range(4)) + "五金制品有限公司"


def _hits(workdir, markers):
    """(file, marker) for every marker found in any file under ``workdir``, raw or escaped."""
    found = []
    for path in sorted(p for p in workdir.rglob("*") if p.is_file()):
        content = path.read_bytes()
        readable = decoded(content.decode("utf-8", errors="ignore"))
        for marker in markers:
            if marker.encode("utf-8") in content or marker in readable:
                found.append((path.name, marker))
    return found


@pytest.fixture
def console(assistant, tmp_path):
    """The lawyer console on the assistant's database and keys, its log in ``tmp_path``."""
    server = start_console(assistant, tmp_path)
    server.create_user(LAWYER, "张明", PASSWORD)
    yield server
    server.stop()


def _lawyer_reads(console_url: str, ticket_id: int):
    """What a lawyer sees: the queue, the ticket's page and its export (logged in as one)."""
    session = requests.Session()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{console_url}/login", timeout=10).text)
    logged_in = session.post(
        f"{console_url}/login",
        data={"username": LAWYER, "password": PASSWORD, "csrf_token": csrf.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert logged_in.status_code == 302, logged_in.status_code
    pages = [
        session.get(f"{console_url}{path}", timeout=30)
        for path in ("/", f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/export")
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
    return [page.text for page in pages]


def test_a_callers_id_number_and_company_are_in_no_file_and_no_log(assistant, console):
    id_number, company = _id_card_number(), _company()
    sender = new_sender()
    assert (
        "utter_offer_intake" in assistant.turn(sender, f"{company}拖欠了我三个月工资，我的身份证号是{id_number}").names
    )
    assistant.send(sender, "/affirm")
    for _ in range(MAX_TURNS):  # into the questionnaire: the answers carry the markers too
        requested = slot(assistant, sender, "requested_slot")
        if requested is None or requested.endswith("_confirmed"):
            break
        assistant.send(sender, company if requested == "labor_employer" else f"身份证{id_number}，{company}")
    assert "utter_handoff_next_steps" in assistant.turn(sender, f"你们直接帮我去跟{company}谈吧").names
    assistant.send(sender, f"对了，我身份证号{id_number}，单位是{company}")  # relayed to the lawyer

    # The words were kept (encrypted): the ticket, as the lawyer will read it, has both.
    engine = create_engine(assistant.database_url, future=True)
    with engine.connect() as connection:
        ticket_id, transcript = connection.execute(
            text("SELECT id, transcript FROM handoff_tickets WHERE conversation_id = :c"), {"c": sender}
        ).one()
    engine.dispose()
    assert id_number in json.loads(decrypt(transcript))[0]["text"]

    # The lawyer reads them in the console (so it did decrypt and handle them), then it stops:
    # whatever it logged is in its file.
    _, ticket_page, export = _lawyer_reads(console.url, ticket_id)
    assert id_number in ticket_page and company in ticket_page and id_number in export
    console.stop()

    workdir = assistant.workdir
    files = {"tracker.db", "app.db", assistant.rasa_log_path.name, assistant.actions_log_path.name}
    assert files <= {p.name for p in workdir.iterdir()}
    markers = [id_number, company, company[:4]]
    assert _hits(workdir, markers) == []

    # The console's stdout and its logging (stderr) both reach the file searched here.
    console_log = console.log_path.read_text(encoding="utf-8")
    assert "Lawyer console:" in console_log and "INFO waitress - Serving on" in console_log
    assert _hits(console.log_path.parent, markers) == []

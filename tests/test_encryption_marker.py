"""The measure of issue 16 ("Measured"): a caller's ID-card number and company name, sent through
REST into a questionnaire and a handoff, are found nowhere in the assistant's files (tracker
store, application database, their -wal/-journal files) nor in its log, not even \\u-escaped."""
from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import create_engine, text

from actions.persistence.encryption import decrypt
from assistant_server import new_sender, slot, texts
from log_text import decoded

pytestmark = pytest.mark.model

MAX_TURNS = 4


def _id_card_number() -> str:
    """An 18-digit 身份证-like number with a valid GB 11643 check digit, new each run."""
    body = f"110101{random.randint(1960, 2000)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}{random.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
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


def test_a_callers_id_number_and_company_are_in_no_file_and_no_log(assistant):
    id_number, company = _id_card_number(), _company()
    sender = new_sender()
    replies = assistant.send(sender, f"{company}拖欠了我三个月工资，我的身份证号是{id_number}")
    assert "现在开始吗" in texts(replies)
    assistant.send(sender, "/affirm")
    for _ in range(MAX_TURNS):  # into the questionnaire: the answers carry the markers too
        requested = slot(assistant, sender, "requested_slot")
        if requested is None or requested.endswith("_confirmed"):
            break
        assistant.send(sender, company if requested == "labor_employer" else f"身份证{id_number}，{company}")
    assert "编号" in texts(assistant.send(sender, f"你们直接帮我去跟{company}谈吧"))
    assistant.send(sender, f"对了，我身份证号{id_number}，单位是{company}")  # relayed to the lawyer

    # The words were kept (encrypted): the ticket, as the lawyer will read it, has both.
    engine = create_engine(assistant.database_url, future=True)
    with engine.connect() as connection:
        transcript = connection.execute(
            text("SELECT transcript FROM handoff_tickets WHERE conversation_id = :c"), {"c": sender}).scalar_one()
    engine.dispose()
    assert id_number in json.loads(decrypt(transcript))[0]["text"]

    workdir = assistant.log_path.parent
    assert {"tracker.db", "app.db", assistant.log_path.name} <= {p.name for p in workdir.iterdir()}
    markers = [id_number, company, company[:4]]
    assert _hits(workdir, markers) == []

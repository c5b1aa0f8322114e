"""The lawyer console in a real browser (Playwright driving Debian's chromium)
against the real assistant: log in, see a ticket raised by a REST conversation,
claim it, reply, see the reply arrive in that conversation, hand back. Also the
contact promise: an unclaimed ticket past its time re-notifies staff and updates
the caller, from the console's own scheduler, with a short configured interval."""
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, update

from assistant_server import PROJECT_ROOT, new_sender, slot
from browser import new_page, screenshot
from console_server import start_console
from intake_core.desk.settings import HANDOFF_FILE, OFFICE_HOURS_FILE, SETTINGS_FILES
from intake_core.persistence.models import HandoffTicket
from webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.model

PASSWORD = "a-long-test-password"


def quick_promises(tmp_path: Path) -> Path:
    """content/handoff.yml with promises of 3 seconds, beside an always-open office (the other
    settings files are read from the folder of HANDOFF_SETTINGS_FILE)."""
    content = PROJECT_ROOT / "content"
    for name in SETTINGS_FILES:
        shutil.copy(content / name, tmp_path / name)
    hours = yaml.safe_load((content / OFFICE_HOURS_FILE).read_text(encoding="utf-8"))
    hours.update(weekdays=[1, 2, 3, 4, 5, 6, 7], opens="00:00", closes="23:59", closed_dates=[])
    (tmp_path / OFFICE_HOURS_FILE).write_text(yaml.safe_dump(hours, allow_unicode=True), encoding="utf-8")
    data = yaml.safe_load((content / HANDOFF_FILE).read_text(encoding="utf-8"))
    data["response_minutes"] = {"urgent": 0.05, "high": 0.05, "normal": 0.05}
    data["reminder_after_minutes"] = {"urgent": 0.05, "high": 0.05, "normal": 0.05}
    path = tmp_path / "handoff-quick.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def receiver():
    with WebhookReceiver(fail_first=1) as webhook:
        yield webhook


@pytest.fixture(scope="module")
def console(assistant, receiver, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("console")
    server = start_console(assistant, workdir, {
        "STAFF_WEBHOOK_URL": receiver.url,
        "HANDOFF_CHECK_SECONDS": "1",
        "HANDOFF_SETTINGS_FILE": str(quick_promises(workdir)),
    })
    server.create_user("zhang", "张明", PASSWORD)
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    return new_page(browser, width=1280, height=900)


def wait_for(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.25)
    return check()


def test_a_lawyer_answers_a_rest_caller_from_the_console(assistant, console, receiver, page):
    sender = new_sender()
    assistant.send(sender, "老板拖欠我三个月工资，你们帮我写一份仲裁申请书")
    ticket_no = next(e for e in assistant.tracker(sender)["events"]
                     if e["event"] == "slot" and e["name"] == "handoff_ticket")["value"]

    page.goto(f"{console.url}/")
    assert "/login" in page.url  # nothing without logging in
    page.fill("input[name=username]", "zhang")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    row = page.locator(f"tr[data-ticket='{ticket_no}']")
    row.wait_for()
    assert "劳动争议" in row.inner_text()

    row.locator("a").click()
    page.click("#claim")
    page.fill("#reply-text", "您好，我是张明律师，我看过您的情况了，明天上午给您打电话。")
    page.click("#send")
    page.locator(".from-lawyer").first.wait_for()
    screenshot(page, "lawyer-console-ticket.png", full_page=True)

    bots = [e for e in assistant.tracker(sender)["events"] if e["event"] == "bot"]
    # The console fills in utter_lawyer_joined and names it in the tracker: the name and what it fills in.
    assert bots[-2]["metadata"]["utter_action"] == "utter_lawyer_joined"
    assert "张明" in bots[-2]["text"] and ticket_no in bots[-2]["text"]
    assert bots[-1]["text"] == "您好，我是张明律师，我看过您的情况了，明天上午给您打电话。"
    assert {"author": "lawyer", "author_name": "张明"}.items() <= bots[-1]["metadata"].items()
    # While the lawyer has it, what the caller writes lands in the console's transcript.
    assistant.send(sender, "好的，谢谢律师")
    page.reload()
    assert "好的，谢谢律师" in page.locator(".transcript").inner_text()

    page.click("#hand-back")
    assert wait_for(lambda: slot(assistant, sender, "handoff_active") is False)
    assert "已交回助手" in page.inner_text("h1")


def test_an_unclaimed_ticket_past_its_promise_renotifies_staff_and_updates_the_caller(assistant, console, receiver):
    sender = new_sender()
    assistant.send(sender, "转人工")
    # The action server promised contact within office time (content/office_hours.yml, handoff.yml);
    # let that promise lapse now instead of waiting for it.
    engine = create_engine(assistant.database_url, future=True)
    with engine.begin() as connection:
        connection.execute(update(HandoffTicket).where(HandoffTicket.conversation_id == sender)
                           .values(respond_by=datetime.now(timezone.utc) - timedelta(seconds=1)))
    engine.dispose()
    # The scheduler (every second) reminds staff, then again after the configured
    # 3-second interval; the webhook's first call failed and was retried.
    reminders = wait_for(lambda: [t for t in receiver.texts() if t.startswith("【催办】")][1:], timeout=40)
    assert len(reminders) >= 1, receiver.texts()
    caller_update = wait_for(lambda: "utter_handoff_delay_update" in
                             [said.name for said in assistant.said_since(sender, 0)], timeout=20)
    assert caller_update
    assert receiver.requests > len(receiver.received)  # a failed delivery was retried, not lost

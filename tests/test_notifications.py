"""Staff notifications: queued with the ticket, delivered over real HTTP, retried
with back-off when the webhook fails, never lost, and free of the caller's words."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from intake_core.desk import notifications
from intake_core.desk.notifications import deliver_due
from intake_core.desk.tickets import HandoffRequest, create_ticket
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import StaffNotification
from intake_core.rights.erasure import erase_conversation
from webhook_receiver import WebhookReceiver

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)  # Monday 14:00 in Shanghai


def request(**changes):
    values = dict(conversation_id="conv-n", channel="rest", case_type="labor", reason="documents",
                  urgency="normal", trigger_text="我叫王小明，电话13912345678，帮我写仲裁申请书")
    values.update(changes)
    return HandoffRequest(**values)


def outbox():
    with session_scope() as session:
        return list(session.scalars(select(StaffNotification).order_by(StaffNotification.id)))


def test_a_ticket_queues_one_notification_in_its_own_transaction(database_url):
    create_ticket(request(), now=NOW)
    [notification] = outbox()
    assert (notification.kind, notification.attempts, notification.delivered_at) == ("new", 0, None)


def test_delivery_posts_the_text_without_the_callers_words(database_url):
    raised = create_ticket(request(), now=NOW)
    with WebhookReceiver() as receiver:
        assert deliver_due(now=NOW, url=receiver.url) == 1
    [text] = receiver.texts()
    assert raised.ticket_no in text and "劳动争议" in text and "文书" in text
    assert "王小明" not in text and "13912345678" not in text
    assert outbox()[0].delivered_at is not None


def test_a_crisis_is_announced_as_urgent(database_url):
    create_ticket(request(reason="crisis", urgency="urgent"), now=NOW)
    with WebhookReceiver() as receiver:
        deliver_due(now=NOW, url=receiver.url)
    assert receiver.texts()[0].startswith("【紧急】")


def test_a_failed_delivery_is_retried_with_back_off_and_then_delivered(database_url, caplog):
    create_ticket(request(), now=NOW)
    with WebhookReceiver(fail_first=2) as receiver:
        assert deliver_due(now=NOW, url=receiver.url) == 0
        [pending] = outbox()
        assert pending.attempts == 1 and pending.next_attempt_at.replace(tzinfo=timezone.utc) == NOW + timedelta(
            seconds=5
        )
        # Not due yet: nothing is sent.
        assert deliver_due(now=NOW + timedelta(seconds=1), url=receiver.url) == 0
        assert receiver.requests == 1
        assert deliver_due(now=NOW + timedelta(seconds=5), url=receiver.url) == 0  # second failure
        assert outbox()[0].next_attempt_at.replace(tzinfo=timezone.utc) == NOW + timedelta(seconds=35)
        assert deliver_due(now=NOW + timedelta(seconds=35), url=receiver.url) == 1
    assert len(receiver.received) == 1 and outbox()[0].attempts == 3
    # The robot's key in the URL is a secret: never in the log or the database.
    assert "secret-robot-key" not in caplog.text
    assert all("secret-robot-key" not in (n.last_error or "") for n in outbox())


def test_a_webhook_that_answers_with_an_error_code_is_retried(database_url):
    create_ticket(request(), now=NOW)
    with WebhookReceiver(errcode=93000) as receiver:
        assert deliver_due(now=NOW, url=receiver.url) == 0
    assert "93000" in outbox()[0].last_error


def test_an_unreachable_webhook_loses_nothing(database_url):
    create_ticket(request(), now=NOW)
    assert deliver_due(now=NOW, url="http://127.0.0.1:9/unreachable") == 0
    [pending] = outbox()
    assert pending.delivered_at is None and pending.attempts == 1


def test_without_a_webhook_nothing_is_sent_and_everything_is_kept(database_url, monkeypatch):
    monkeypatch.delenv("STAFF_WEBHOOK_URL", raising=False)
    create_ticket(request(), now=NOW)
    assert deliver_due(now=NOW) == 0
    assert outbox()[0].attempts == 0


def test_a_notification_locked_by_another_process_is_not_sent_twice(database_url):
    create_ticket(request(), now=NOW)
    with session_scope() as session:
        session.execute(StaffNotification.__table__.update().values(locked_until=NOW + timedelta(seconds=30)))
    with WebhookReceiver() as receiver:
        assert deliver_due(now=NOW, url=receiver.url) == 0
        assert receiver.requests == 0
        assert deliver_due(now=NOW + timedelta(seconds=31), url=receiver.url) == 1


def _erase(conversation_id):
    with session_scope() as session:
        erase_conversation(session, conversation_id)


def test_a_notification_erased_while_it_is_sent_counts_as_delivered_and_stops_nothing(database_url):
    # The caller erases their data (which deletes the ticket's pending notifications) while the
    # webhook call is in flight: the attempt cannot be recorded on a row that is gone.
    create_ticket(request(), now=NOW)
    sent = []

    def post(url, payload):
        sent.append(payload)
        _erase("conv-n")

    assert deliver_due(now=NOW, url="http://webhook.invalid/", post=post) == 1
    assert len(sent) == 1 and outbox() == []


def test_a_notification_erased_after_it_was_claimed_is_not_sent(database_url, monkeypatch):
    create_ticket(request(), now=NOW)
    claim = notifications._claim

    def claim_then_erase(notification_id, now):
        claimed = claim(notification_id, now)
        _erase("conv-n")
        return claimed

    monkeypatch.setattr(notifications, "_claim", claim_then_erase)
    sent = []
    assert deliver_due(now=NOW, url="http://webhook.invalid/", post=lambda url, payload: sent.append(payload)) == 0
    assert sent == [] and outbox() == []

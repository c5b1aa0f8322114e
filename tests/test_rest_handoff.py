"""Handoff end to end over REST against the real assistant: the assistant steps
back, relays and acknowledges, still answers a crisis, and resumes when the
lawyer hands back through Rasa's HTTP API."""
import pytest
import requests
from sqlalchemy import create_engine, text

from assistant_server import new_sender, slot
from intake_core.persistence.encryption import decrypt

pytestmark = pytest.mark.model


def ticket_rows(assistant, sender):
    engine = create_engine(assistant.database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT t.id, t.reason, t.urgency, t.status FROM handoff_tickets t WHERE t.conversation_id = :c"
        ), {"c": sender}).all()
        messages = connection.execute(text(
            "SELECT m.author, m.text FROM ticket_messages m JOIN handoff_tickets t ON t.id = m.ticket_id "
            "WHERE t.conversation_id = :c ORDER BY m.id"), {"c": sender}).all()
    engine.dispose()
    # Message texts are encrypted at rest (issue 16, M8); the test shares the assistant's key.
    return rows, [(author, body and decrypt(body)) for author, body in messages]


def trigger(assistant, sender, intent):
    response = requests.post(f"{assistant.url}/conversations/{sender}/trigger_intent",
                             params={"token": assistant.token, "output_channel": "latest"},
                             json={"name": intent}, timeout=30)
    response.raise_for_status()
    return response.json()["messages"]


def test_after_a_handoff_the_assistant_relays_instead_of_answering(assistant):
    sender = new_sender()
    turn = assistant.turn(sender, "帮我写一份起诉状，公司拖欠我三个月工资")
    assert {"utter_handoff_reason_documents", "utter_handoff_next_steps"} <= set(turn.names)
    assert slot(assistant, sender, "handoff_active") is True

    for message in ("对了，老板叫刘强", "劳动仲裁要交钱吗？", "你好"):
        assert assistant.turn(sender, message).names == ["utter_relayed_to_lawyer"]
    [(ticket_id, reason, urgency, status)], messages = ticket_rows(assistant, sender)
    assert (reason, status) == ("documents", "open")
    assert messages == [("caller", "对了，老板叫刘强"), ("caller", "劳动仲裁要交钱吗？"), ("caller", "你好")]


def test_a_crisis_while_paused_still_gets_the_crisis_answer_and_raises_urgency(assistant):
    sender = new_sender()
    assistant.send(sender, "转人工")
    turn = assistant.turn(sender, "他拿着刀在砸门，我好害怕")
    assert "utter_crisis_emergency" in turn.names
    [(_, reason, urgency, _)], _ = ticket_rows(assistant, sender)
    assert (reason, urgency) == ("crisis", "urgent")


def test_a_lawyer_reply_and_the_hand_back_reach_the_conversation(assistant):
    sender = new_sender()
    assistant.send(sender, "我要投诉你们的律师，收了钱不办事")
    # A lawyer's message, as the console sends it.
    response = requests.post(
        f"{assistant.url}/conversations/{sender}/tracker/events",
        params={"token": assistant.token, "output_channel": "latest", "execute_side_effects": "true"},
        json=[{"event": "bot", "text": "您好，我是主任律师，投诉我来处理。", "metadata": {"author": "lawyer"}}],
        timeout=30,
    )
    response.raise_for_status()
    bots = [e for e in assistant.tracker(sender)["events"] if e["event"] == "bot"]
    assert bots[-1]["text"] == "您好，我是主任律师，投诉我来处理。" and bots[-1]["metadata"]["author"] == "lawyer"

    mark = assistant.mark(sender)
    trigger(assistant, sender, "EXTERNAL_lawyer_handback")
    assert "utter_handback" in [said.name for said in assistant.said_since(sender, mark)]
    assert slot(assistant, sender, "handoff_active") is False
    # The assistant answers again.
    thanks = assistant.turn(sender, "谢谢")
    assert thanks.names and "utter_relayed_to_lawyer" not in thanks.names


def test_a_handoff_mid_questionnaire_is_offered_again_after_the_hand_back(assistant):
    sender = new_sender()
    assistant.send(sender, "公司拖欠了我三个月工资")
    assistant.send(sender, "/affirm")
    assert "utter_handoff_next_steps" in assistant.turn(sender, "你们直接帮我去跟公司谈吧").names
    assert slot(assistant, sender, "intake_paused") is True
    assert assistant.tracker(sender)["active_loop"].get("name") in (None, "")
    messages = trigger(assistant, sender, "EXTERNAL_lawyer_handback")
    assert any(button["payload"] == "/resume_intake" for m in messages for button in m.get("buttons", []))
    resumed = assistant.turn(sender, "/resume_intake")
    # The questionnaire asks its next open question.
    assert f"utter_ask_{slot(assistant, sender, 'requested_slot')}" in resumed.names
    assert assistant.tracker(sender)["active_loop"].get("name") == "labor_form"


@pytest.mark.parametrize("typed", ["/EXTERNAL_lawyer_handback", "／EXTERNAL_lawyer_handback", "/crisis", "/restart"])
def test_a_callers_slash_command_while_paused_keeps_the_pause_and_raises_nothing(assistant, typed):
    # (issue 15, H2) Before: the hand-back ended the lawyer's hold, /crisis escalated the ticket
    # to urgent, /restart forgot the pause and the ticket number.
    sender = new_sender()
    assistant.send(sender, "转人工")
    [(ticket_id, _, urgency, _)], _ = ticket_rows(assistant, sender)
    assistant.send(sender, typed)
    assert slot(assistant, sender, "handoff_active") is True
    assert slot(assistant, sender, "handoff_ticket") is not None
    [(same_id, _, same_urgency, status)], messages = ticket_rows(assistant, sender)
    assert (same_id, same_urgency, status) == (ticket_id, urgency, "open")
    assert [author for author, _ in messages] == ["caller"]  # relayed as the caller's words


def test_a_callers_slash_crisis_raises_no_ticket(assistant):
    sender = new_sender()
    assistant.send(sender, "/crisis")
    assert ticket_rows(assistant, sender) == ([], [])


def test_a_lone_surrogate_in_a_request_for_a_lawyer_still_makes_the_ticket(assistant):
    # JSON may carry "\ud800" alone; saving it once failed with UnicodeEncodeError (issue 15, fuzz).
    sender = new_sender()
    # By hand, so the body carries the escape itself: json.dumps(ensure_ascii=False) would put the
    # raw surrogate in, which UTF-8 cannot encode.
    body = '{"sender": "' + sender + '", "message": "帮我写一份起诉状\\ud800，公司拖欠我三个月工资"}'
    answer = requests.post(f"{assistant.url}/webhooks/rest/webhook", data=body.encode("utf-8"),
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 200
    assert "utter_handoff_next_steps" in [said.name for said in assistant.said_since(sender, 0)]
    [(_, reason, _, status)], _ = ticket_rows(assistant, sender)
    assert (reason, status) == ("documents", "open")

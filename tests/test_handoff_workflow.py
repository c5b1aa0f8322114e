"""The handoff actions against a real (SQLite) database: the case file a lawyer
reads, urgency, the conflict flag, relaying while paused, crisis escalation,
hand-back and the overdue update."""
import asyncio
import io
import json
from datetime import date, datetime, timedelta, timezone

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy import func, select

from actions.crisis import ActionCrisisResponse
from actions.handoff import (
    ActionHandbackToAssistant,
    ActionHandoffDelayUpdate,
    ActionHandoffToLawyer,
    ActionNoteAttachment,
    ActionRelayToLawyer,
)
from conftest import responses_of
from intake_core.desk.conflicts import import_parties
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import HandoffTicket, TicketMessage


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def conversation(turns, slots=None, sender_id="conv-h", active_loop=None, metadata=None):
    """A tracker after ``turns`` [(user text, intent, bot reply or None)]; the last user turn is the latest message."""
    events, base = [], datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc).timestamp()
    latest = {}
    for index, (text, intent, reply) in enumerate(turns):
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": [],
                  "metadata": metadata or {}}
        events.append({"event": "user", "text": text, "parse_data": latest, "input_channel": "rest",
                       "timestamp": base + index * 60, "metadata": metadata or {}})
        if reply:
            events.append({"event": "bot", "text": reply, "timestamp": base + index * 60 + 1})
    return Tracker(
        sender_id=sender_id,
        slots={"case_type": None, "handoff_ticket": None, "handoff_active": False, "intake_paused": False,
               **(slots or {})},
        latest_message=latest, events=events, paused=False, followup_action=None,
        active_loop={"name": active_loop} if active_loop else {}, latest_action_name="action_listen",
    )


def tickets():
    with session_scope() as session:
        return list(session.scalars(select(HandoffTicket).order_by(HandoffTicket.id)))


def messages():
    with session_scope() as session:
        return [(m.author, m.kind, m.text) for m in session.scalars(select(TicketMessage).order_by(TicketMessage.id))]


LABOR_SLOTS = {
    "case_type": "labor",
    "labor_employer": "深圳腾飞科技有限公司",
    "labor_start_date": "2022-03-01",
    "labor_written_contract": False,
    "labor_monthly_wage": "8000",
    "labor_issues": ["dismissal"],
    "labor_dismissal_date": "2025-12-10",
}


def test_the_ticket_carries_the_case_file(database_url, dispatcher, domain):
    tracker = conversation(
        [("公司把我开除了，也没签合同", "consult_labor", "明白了，您遇到的是劳动方面的纠纷"),
         ("帮我写一份仲裁申请书", "request_lawyer", None)],
        slots=LABOR_SLOTS, active_loop="labor_form",
    )
    events = run(ActionHandoffToLawyer(), dispatcher, tracker, domain)
    [ticket] = tickets()
    answers = json.loads(ticket.intake_answers)
    assert {"label": "用人单位名称", "answer": "深圳腾飞科技有限公司"} in answers or any(
        a["answer"] == "深圳腾飞科技有限公司" for a in answers)
    transcript = json.loads(ticket.transcript)
    assert [line["author"] for line in transcript] == ["caller", "assistant", "caller"]
    assert transcript[0]["text"] == "公司把我开除了，也没签合同"
    assert ticket.other_party == "深圳腾飞科技有限公司"
    assert "劳动争议" in ticket.summary and "公司把我开除了" in ticket.summary
    assert ticket.reason == "documents" and ticket.respond_by is not None
    # Dismissed 2025-12-10, arbitration limit one year: due 2026-12-10, within 30 days of 2026-11-23.
    assert ticket.nearest_deadline == date(2026, 12, 10)
    assert ticket.urgency == "high"
    # The unfinished questionnaire is kept to resume after the lawyer.
    assert SlotSet("intake_paused", True) in events and SlotSet("handoff_active", True) in events


def test_a_work_injury_ticket_carries_its_area_its_employer_and_its_deadline(database_url, dispatcher, domain):
    slots = {"case_type": "labor", "practice_area": "work_injury", "work_injury_employer": "杭州宏达建筑公司",
             "work_injury_kind": ["accident"], "work_injury_date": "2026-11-10",
             "work_injury_recognised": ["not_applied"]}
    tracker = conversation([("我在工地摔断了腿，公司不给报工伤", "consult_labor", None),
                            ("帮我写一份工伤认定申请", "request_lawyer", None)],
                           slots=slots, active_loop="work_injury_form")
    run(ActionHandoffToLawyer(), dispatcher, tracker, domain)
    [ticket] = tickets()
    assert ticket.case_type == "labor" and "劳动争议（工伤）" in ticket.summary
    assert ticket.other_party == "杭州宏达建筑公司"  # the conflict check names the employer
    # The employer had 30 days from 2026-11-10 to apply (工伤保险条例第17条): 2026-12-10.
    assert ticket.nearest_deadline == date(2026, 12, 10)
    assert "utter_handoff_prepare_work_injury" in responses_of(dispatcher)


def test_a_large_amount_raises_the_urgency(database_url, dispatcher, domain):
    tracker = conversation([("对方欠我货款不还，你们帮我起诉", "request_lawyer", None)],
                           slots={"case_type": "contract", "contract_amount": "350000"})
    run(ActionHandoffToLawyer(), dispatcher, tracker, domain)
    [ticket] = tickets()
    assert (ticket.urgency, ticket.amount_at_stake) == ("high", "350000")


def test_a_lawyer_wanted_in_person_is_high_priority(database_url, dispatcher, domain):
    """content/handoff.yml urgency.high_reasons: a police interview or hearing is days away."""
    tracker = conversation([("明天去派出所做笔录，能派个律师陪我吗", "request_lawyer", None)])
    run(ActionHandoffToLawyer(), dispatcher, tracker, domain)
    [ticket] = tickets()
    assert (ticket.reason, ticket.urgency) == ("in_person", "high")
    assert "utter_handoff_reason_in_person" in [m.get("response") for m in dispatcher.messages]


def test_a_plain_request_stays_normal(database_url, dispatcher, domain):
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    assert tickets()[0].urgency == "normal"


def test_a_known_adverse_party_flags_the_ticket_but_not_the_caller(database_url, dispatcher, domain):
    import_parties(io.StringIO("name,role,matter\n深圳市腾飞科技有限公司,adverse,（2026）劳仲字第88号\n"))
    tracker = conversation([("你们能代理我的案子吗", "request_lawyer", None)], slots=LABOR_SLOTS)
    run(ActionHandoffToLawyer(), dispatcher, tracker, domain)
    [ticket] = tickets()
    assert ticket.conflict_status == "match"
    assert "劳仲字第88号" in ticket.conflict_detail
    said = json.dumps(dispatcher.messages, ensure_ascii=False)
    assert "腾飞" not in said and "冲突" not in said


def test_while_paused_a_message_goes_on_the_ticket_with_a_short_acknowledgment(database_url, dispatcher, domain):
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    dispatcher.messages.clear()
    ticket_no = tickets()[0].ticket_no
    later = conversation([("转人工", "request_lawyer", None), ("我还有工资条的照片", "inform", None)],
                         slots={"handoff_active": True, "handoff_ticket": ticket_no})
    assert run(ActionRelayToLawyer(), dispatcher, later, domain) == []
    assert responses_of(dispatcher) == ["utter_relayed_to_lawyer"]
    assert dispatcher.messages[0]["handoff_ticket"] == ticket_no
    assert messages() == [("caller", "text", "我还有工资条的照片")]


def test_a_photo_while_paused_is_noted_on_the_ticket(database_url, dispatcher, domain):
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    dispatcher.messages.clear()
    photo = conversation([("/share_attachment", "share_attachment", None)], slots={"handoff_active": True},
                         metadata={"attachment": {"kind": "image", "media_id": "MEDIA1", "url": "http://x/1.jpg"}})
    run(ActionRelayToLawyer(), dispatcher, photo, domain)
    assert responses_of(dispatcher) == ["utter_attachment_noted"]
    [(author, kind, text)] = messages()
    assert (author, kind) == ("caller", "attachment") and json.loads(text)["media_id"] == "MEDIA1"


def test_a_photo_without_a_ticket_is_acknowledged_and_the_caller_asked_for_words(database_url, dispatcher, domain):
    photo = conversation([("/share_attachment", "share_attachment", None)],
                         metadata={"attachment": {"kind": "image", "media_id": "M2"}})
    run(ActionNoteAttachment(), dispatcher, photo, domain)
    assert responses_of(dispatcher) == ["utter_attachment_received"]


def test_a_crisis_while_paused_escalates_the_open_ticket(database_url, dispatcher, domain):
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    dispatcher.messages.clear()
    crisis = conversation([("转人工", "request_lawyer", None), ("他又来了，在砸门，我好怕", "crisis", None)],
                          slots={"handoff_active": True})
    run(ActionCrisisResponse(), dispatcher, crisis, domain)
    assert responses_of(dispatcher)[0].startswith("utter_crisis_")
    [ticket] = tickets()  # the same ticket, now at the top of the queue
    assert (ticket.urgency, ticket.reason) == ("urgent", "crisis")
    assert messages() == [("caller", "text", "他又来了，在砸门，我好怕")]


def test_hand_back_resumes_and_offers_the_unfinished_questionnaire(dispatcher, domain):
    tracker = conversation([("EXTERNAL: EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback", None)],
                           slots={"handoff_active": True, "intake_paused": True, "case_type": "labor"})
    events = run(ActionHandbackToAssistant(), dispatcher, tracker, domain)
    assert responses_of(dispatcher) == ["utter_handback", "utter_handback_offer_resume"]
    assert events == [SlotSet("handoff_active", False)]


def test_hand_back_without_a_questionnaire_only_says_so(dispatcher, domain):
    tracker = conversation([("EXTERNAL: EXTERNAL_lawyer_handback", "EXTERNAL_lawyer_handback", None)],
                           slots={"handoff_active": True})
    run(ActionHandbackToAssistant(), dispatcher, tracker, domain)
    assert responses_of(dispatcher) == ["utter_handback"]


def test_the_overdue_update_gives_the_new_time(database_url, dispatcher, domain):
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    dispatcher.messages.clear()
    with session_scope() as session:
        ticket = session.scalars(select(HandoffTicket)).one()
        ticket.respond_by = datetime.now(timezone.utc) + timedelta(minutes=30)
    overdue = conversation([("EXTERNAL: EXTERNAL_handoff_overdue", "EXTERNAL_handoff_overdue", None)],
                           slots={"handoff_active": True, "handoff_ticket": "T1"})
    run(ActionHandoffDelayUpdate(), dispatcher, overdue, domain)
    assert responses_of(dispatcher) == ["utter_handoff_delay_update"]
    assert dispatcher.messages[0]["contact_time"]


def test_no_overdue_update_once_a_lawyer_claimed_the_ticket(database_url, dispatcher, domain):
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    dispatcher.messages.clear()
    with session_scope() as session:
        session.scalars(select(HandoffTicket)).one().status = "closed"
    overdue = conversation([("EXTERNAL: EXTERNAL_handoff_overdue", "EXTERNAL_handoff_overdue", None)],
                           slots={"handoff_active": True})
    run(ActionHandoffDelayUpdate(), dispatcher, overdue, domain)
    assert dispatcher.messages == []


def test_a_second_handoff_in_the_same_conversation_adds_to_the_open_ticket(database_url, dispatcher, domain):
    # (issue 15, M6) Before: a second ticket and a second staff notification.
    from intake_core.persistence.models import StaffNotification as Notification

    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
    first = dispatcher.messages[0]
    dispatcher.messages.clear()
    run(ActionHandoffToLawyer(), dispatcher, conversation([("我要律师帮我写起诉状", "request_lawyer", None)]), domain)
    [ticket] = tickets()
    assert messages() == [("caller", "text", "我要律师帮我写起诉状")]
    assert any(m.get("handoff_ticket") == ticket.ticket_no for m in dispatcher.messages)
    with session_scope() as session:
        assert session.scalar(select(func.count(Notification.id))) == 1
    assert first


def test_one_conversation_raises_at_most_three_new_tickets_an_hour(database_url, dispatcher, domain):
    from intake_core.desk.tickets import MAX_NEW_TICKETS_PER_HOUR

    for _ in range(MAX_NEW_TICKETS_PER_HOUR + 1):
        run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)]), domain)
        with session_scope() as session:  # a lawyer closes it at once, so the next is new
            for ticket in session.scalars(select(HandoffTicket)):
                ticket.status = "closed"
    assert len(tickets()) == MAX_NEW_TICKETS_PER_HOUR
    assert responses_of(dispatcher)[-1] == "utter_handoff_not_recorded"
    run(ActionHandoffToLawyer(), dispatcher, conversation([("转人工", "request_lawyer", None)], sender_id="conv-other"),
        domain)
    assert len(tickets()) == MAX_NEW_TICKETS_PER_HOUR + 1  # another conversation is not limited

"""What a lawyer reads on a ticket, taken from the conversation: the intake
answers so far, the guidance given, the transcript, the other party, the amount
at stake and the nearest deadline, and a short readable summary."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker

from actions.conversation import latest_user_text, user_texts
from actions.questionnaires.validation import message_date
from intake_core.desk.settings import handoff_settings
from intake_core.desk.tickets import HandoffRequest
from intake_core.guidance.by_area import deadlines_for
from intake_core.guidance.facts import answer_amount
from intake_core.guidance.records import latest_record
from intake_core.namespaces import conversation_channel
from intake_core.practice_areas import area_for, areas, staff_names
from intake_core.questionnaires.answers import display
from intake_core.questionnaires.definitions import questionnaire_for

SUMMARY_OPENING_CHARS = 300


def intake_answers(case_type: str | None, slots: Mapping[str, Any]) -> list[dict[str, str]]:
    questionnaire = questionnaire_for(case_type, slots.get("practice_area"))
    if questionnaire is None:
        return []
    return [
        {"label": question.label, "answer": display(question, slots.get(question.slot))}
        for question in questionnaire.applicable(slots)
        if slots.get(question.slot) is not None
    ]


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """Who said what, oldest first (the caller's own words, not the NLU's form)."""
    lines = []
    for event in tracker.events or []:
        kind = event.get("event")
        if kind not in ("user", "bot") or not (event.get("text") or "").strip():
            continue
        author = "caller" if kind == "user" else (event.get("metadata") or {}).get("author", "assistant")
        at = event.get("timestamp")
        lines.append({
            "author": author,
            "text": event["text"],
            "at": datetime.fromtimestamp(at, timezone.utc).isoformat() if at else None,
        })
    return lines


def amount_at_stake(slots: Mapping[str, Any]) -> Decimal | None:
    # Every area's amount answers, not only the current case type's: an amount the caller
    # gave before the case type changed is still at stake for the lawyer.
    amount_slots = dict.fromkeys(slot for area in areas() for slot in area.amount_slots)
    amounts = [answer_amount(slots.get(slot)) for slot in amount_slots]
    amounts = [amount for amount in amounts if amount]
    return max(amounts) if amounts else None


def nearest_deadline(case_type: str | None, slots: Mapping[str, Any], today: date) -> date | None:
    area = area_for(case_type, slots.get("practice_area"))
    if area is None or not area.deadline_urgency:
        return None
    try:
        dues = [deadline.due for deadline in deadlines_for(area.key, slots, today) if deadline is not None]
    except (TypeError, ValueError):  # an answer the calculators cannot use: no deadline, not no ticket
        return None
    return min(dues) if dues else None


def other_party(case_type: str | None, slots: Mapping[str, Any]) -> str | None:
    area = area_for(case_type, slots.get("practice_area"))
    slot = area.other_party_slot if area else None
    value = slots.get(slot) if slot else None
    return str(value).strip() if isinstance(value, str) and value.strip() else None


def summary(case_type: str | None, reason: str, answers: list[dict[str, str]], opening: str,
            amount: Decimal | None, deadline: date | None, guidance_given: bool,
            practice_area: str | None = None) -> str:
    names, case_names = handoff_settings().names, staff_names()
    area = area_for(case_type, practice_area)
    # A finer area is named after its case type's, so the queue's filter and the summary agree.
    within = f"（{area.staff_name}）" if area is not None and area.finer else ""
    lines = [
        f"案件类型：{case_names.get(case_type, case_type or case_names[None])}{within}",
        f"转人工原因：{names['reason'].get(reason, reason)}",
        f"来访者的描述：{opening[:SUMMARY_OPENING_CHARS]}{'…' if len(opening) > SUMMARY_OPENING_CHARS else ''}",
        f"问卷：已回答 {len(answers)} 项" if answers else "问卷：未填写",
    ]
    if amount is not None:
        lines.append(f"涉及金额：{amount} 元")
    if deadline is not None:
        lines.append(f"最近的期限：{deadline.isoformat()}")
    lines.append("已给出初步指引（见咨询备忘录）" if guidance_given else "尚未给出书面指引")
    return "\n".join(lines)


def build_request(tracker: Tracker, reason: str, urgency: str, text: str | None = None) -> HandoffRequest:
    """The ticket for this conversation (reads the database: call off the event loop)."""
    case_type = tracker.get_slot("case_type")
    slots = tracker.slots or {}
    today = message_date(tracker)
    answers = intake_answers(case_type, slots)
    record = latest_record(tracker.sender_id)
    guidance = {"token": record["token"], "content": record["content"]} if record else None
    amount = amount_at_stake(slots)
    deadline = nearest_deadline(case_type, slots, today)
    # What the caller first wrote about the matter (not a greeting or a button).
    opening = "；".join(t for t in user_texts(tracker) if t and not t.startswith("/"))
    text = latest_user_text(tracker) if text is None else text
    return HandoffRequest(
        conversation_id=tracker.sender_id,
        # From the conversation id, which the server gave: the latest input channel is
        # what the last message claimed (REST takes it from the client; issue 15, L4).
        channel=conversation_channel(tracker.sender_id, tracker.get_latest_input_channel()),
        case_type=case_type,
        reason=reason,
        urgency=urgency,
        trigger_text=text,
        summary=summary(case_type, reason, answers, opening, amount, deadline, guidance is not None,
                        slots.get("practice_area")),
        intake_answers=answers,
        guidance=guidance,
        transcript=transcript(tracker),
        other_party=other_party(case_type, slots),
        amount_at_stake=amount,
        nearest_deadline=deadline,
    )

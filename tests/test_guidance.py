"""Guidance after an intake: assembled from the reviewed content and the
calculators, given in three views, stored as a written record."""
from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from actions.guidance import ActionBriefGuidance, ActionGiveGuidance, ActionSendRecord, ActionShowGuidanceView
from conftest import make_tracker, responses_of
from intake_core.guidance.advice import build_advice
from intake_core.guidance.records import latest_record, render_html

TODAY = date(2026, 11, 22)

LABOR_SLOTS = {
    "case_type": "labor",
    "labor_employer": "某某五金厂",
    "labor_start_date": "2022-04",
    "labor_written_contract": False,
    "labor_monthly_wage": "8000",
    "labor_issues": ["dismissal"],
    "labor_dismissal_date": "2025-12-10",
    "labor_still_employed": False,
    "labor_city": "东莞",
}


def section(advice, key):
    return next(s for s in advice.sections if s.key == key).lines


def test_labor_guidance_computes_amounts_from_the_answers():
    advice = build_advice("labor", LABOR_SLOTS, TODAY)
    estimates = "\n".join(section(advice, "estimates"))
    # 2022-04-01 to 2025-12-10: 3 years 8 months -> 4 months' wages.
    assert "经济补偿（N）：约32,000元" in estimates
    assert "赔偿金（2N）：约64,000元" in estimates
    assert "二倍工资" in estimates


def test_a_deadline_within_30_days_makes_the_case_urgent():
    advice = build_advice("labor", LABOR_SLOTS, TODAY)
    deadlines = "\n".join(section(advice, "deadlines"))
    # One year from the dismissal (2025-12-10): 18 days left on 2026-11-22.
    assert "2026年12月10日" in deadlines and "18天" in deadlines
    assert advice.urgent


def test_no_urgency_when_the_deadline_is_far():
    slots = {**LABOR_SLOTS, "labor_dismissal_date": "2026-10-01"}
    assert not build_advice("labor", slots, TODAY).urgent


def test_the_legal_basis_follows_the_answers():
    basis = "\n".join(section(build_advice("labor", LABOR_SLOTS, TODAY), "basis"))
    assert "第47条" in basis and "第82条" in basis
    injured = {**LABOR_SLOTS, "labor_issues": ["injury"], "labor_injury_date": "2026-11-01"}
    assert "工伤保险条例" in "\n".join(section(build_advice("labor", injured, TODAY), "basis"))


@pytest.mark.parametrize(
    "case_type, slots",
    [
        ("divorce", {"divorce_has_children": True, "divorce_has_home": True, "divorce_fault": ["affair"]}),
        ("contract", {"contract_kind": ["loan"], "contract_amount": "50000", "contract_learned_date": "2025-03"}),
    ],
)
def test_every_case_type_gets_all_three_views(case_type, slots):
    advice = build_advice(case_type, slots, TODAY)
    for view in ("plain", "basis", "steps"):
        assert advice.view(view), view


def test_contract_guidance_gives_the_limitation_date_and_court_fee():
    advice = build_advice("contract", {"contract_amount": "50000", "contract_learned_date": "2025-03"}, TODAY)
    assert "2028年3月1日" in "\n".join(section(advice, "deadlines"))
    assert "1,050元" in "\n".join(section(advice, "estimates"))


def _labor_tracker(text="对", slots=None, sender_id="caller-9", channel="rest"):
    """The caller confirms the summary on TODAY (relative deadlines count from it)."""
    tracker = make_tracker(text, intent="affirm", slots=dict(slots or LABOR_SLOTS), sender_id=sender_id,
                           channel=channel)
    tracker.events[-1]["timestamp"] = datetime(2026, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    return tracker


def test_giving_guidance_sends_three_views_and_stores_the_record(database_url, domain, dispatcher):
    events = asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(), domain))
    responses = responses_of(dispatcher)
    assert responses[:2] == ["utter_guidance_intro", "utter_guidance_urgent"]
    assert responses[-2:] == ["utter_record_ready", "utter_guidance_more"]
    titles = [m["title"] for m in dispatcher.messages if m.get("response") == "utter_guidance_section"]
    assert titles.index("【简单说】") < titles.index("【法律依据】") < titles.index("【接下来怎么做】")
    record = latest_record("caller-9")
    assert record["urgent"] is True
    assert "用人单位：某某五金厂" in record["content"]["facts"]
    assert events[0]["name"] == "consultation_record" and events[0]["value"] == record["token"]


def test_the_record_can_be_asked_for_again(database_url, domain, dispatcher):
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(), domain))
    dispatcher.messages.clear()
    tracker = make_tracker("把刚才的内容发给我", intent="request_record", sender_id="caller-9")
    asyncio.run(ActionSendRecord().run(dispatcher, tracker, domain))
    assert responses_of(dispatcher) == ["utter_record_ready"]
    assert dispatcher.messages[0]["url"].endswith(latest_record("caller-9")["token"])


def test_a_view_is_shown_again_from_the_record(database_url, domain, dispatcher):
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(), domain))
    dispatcher.messages.clear()
    tracker = make_tracker("法律依据是什么", intent="ask_legal_basis", sender_id="caller-9")
    asyncio.run(ActionShowGuidanceView().run(dispatcher, tracker, domain))
    assert [m["title"] for m in dispatcher.messages] == ["【法律依据】"]


# -- whose record: only its own conversation, on its own channel (issue 15, H1) --------------

@pytest.mark.parametrize("sender, channel, given", [
    ("wechat:oCaller", "wechat", True),   # the caller, on WeChat
    ("wechat:oCaller", "rest", False),    # someone posting under the caller's id through REST
    ("oCaller", "wechat", False),         # a REST client naming the OpenID and claiming WeChat
    ("wechat:oOther", "wechat", False),   # another caller
])
def test_a_record_and_its_views_are_given_again_only_in_its_conversation_on_its_channel(
        sender, channel, given, database_url, domain, dispatcher):
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(sender_id="wechat:oCaller", channel="wechat"),
                                         domain))
    assert latest_record("wechat:oCaller")["channel"] == "wechat"
    dispatcher.messages.clear()
    asyncio.run(ActionSendRecord().run(
        dispatcher, make_tracker("把刚才的内容发给我", intent="request_record", sender_id=sender, channel=channel),
        domain))
    asyncio.run(ActionShowGuidanceView().run(
        dispatcher, make_tracker("法律依据是什么", intent="ask_legal_basis", sender_id=sender, channel=channel),
        domain))
    if given:
        assert responses_of(dispatcher)[0] == "utter_record_ready"
        assert [m.get("title") for m in dispatcher.messages[1:]] == ["【法律依据】"]
    else:  # as if there were none: nothing tells that a record exists
        assert responses_of(dispatcher) == ["utter_no_record_yet", "utter_general_info"]


def test_a_record_made_before_its_channel_was_kept_is_not_given_again(database_url, domain, dispatcher):
    from intake_core.guidance.records import save_record

    save_record("oLegacy", "labor", False, {"sections": [], "facts": []})  # no channel: an old row
    asyncio.run(ActionSendRecord().run(
        dispatcher, make_tracker("把刚才的内容发给我", intent="request_record", sender_id="oLegacy", channel="rest"),
        domain))
    assert responses_of(dispatcher) == ["utter_no_record_yet"]


def test_the_record_page_runs_nothing_cannot_be_framed_and_leaks_no_referrer(database_url, domain, dispatcher):
    from types import SimpleNamespace

    from channels.records import RecordDownloadChannel

    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(), domain))
    [route] = [r for r in RecordDownloadChannel().blueprint(None)._future_routes if r.uri == "/<token>"]
    page = asyncio.run(route.handler(SimpleNamespace(), latest_record("caller-9")["token"]))
    assert page.status == 200 and "咨询备忘录" in page.body.decode("utf-8")
    assert page.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def _record_page(token):
    from types import SimpleNamespace

    from channels.records import RecordDownloadChannel

    [route] = [r for r in RecordDownloadChannel().blueprint(None)._future_routes if r.uri == "/<token>"]
    return asyncio.run(route.handler(SimpleNamespace(), token))


def _age_records(conversation_id, days):
    from datetime import timedelta, timezone

    from sqlalchemy import update

    from intake_core.persistence.database import session_scope
    from intake_core.persistence.models import ConsultationRecord

    with session_scope() as session:
        session.execute(update(ConsultationRecord)
                        .where(ConsultationRecord.conversation_id == conversation_id)
                        .values(created_at=datetime.now(timezone.utc) - timedelta(days=days)))


def test_a_record_link_past_its_days_says_it_has_expired(database_url, domain, dispatcher, monkeypatch):
    monkeypatch.delenv("RECORD_LINK_DAYS", raising=False)  # the default: 30 days
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(), domain))
    token = latest_record("caller-9")["token"]
    _age_records("caller-9", 29)
    assert _record_page(token).status == 200
    _age_records("caller-9", 31)
    page = _record_page(token)
    assert page.status == 410 and "已过期" in page.body.decode("utf-8")
    assert "咨询备忘录" not in page.body.decode("utf-8")


def test_how_long_a_record_link_works_is_configurable(database_url, domain, dispatcher, monkeypatch):
    monkeypatch.setenv("RECORD_LINK_DAYS", "7")
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(), domain))
    _age_records("caller-9", 8)
    assert _record_page(latest_record("caller-9")["token"]).status == 410


def test_no_record_before_any_guidance(database_url, domain, dispatcher):
    tracker = make_tracker("把刚才的内容发给我", intent="request_record", sender_id="nobody")
    asyncio.run(ActionSendRecord().run(dispatcher, tracker, domain))
    assert responses_of(dispatcher) == ["utter_no_record_yet"]


def test_the_html_record_escapes_the_callers_words(database_url, domain, dispatcher):
    slots = {**LABOR_SLOTS, "labor_employer": "<script>alert(1)</script>"}
    tracker = _labor_tracker(slots=slots, sender_id="caller-x")
    asyncio.run(ActionGiveGuidance().run(dispatcher, tracker, domain))
    html = render_html(latest_record("caller-x"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "咨询备忘录" in html and "不构成法律意见书" in html


def test_unpaid_wages_run_no_deadline_while_the_job_lasts():
    employed = {**LABOR_SLOTS, "labor_issues": ["unpaid_wages"], "labor_still_employed": True,
                "labor_dismissal_date": None}
    assert not any("欠薪" in line for line in section(build_advice("labor", employed, TODAY), "deadlines"))
    dismissed = {**LABOR_SLOTS, "labor_issues": ["unpaid_wages", "dismissal"]}
    wages = [line for line in section(build_advice("labor", dismissed, TODAY), "deadlines") if "欠薪" in line]
    assert wages and "2026年12月10日" in wages[0]


def test_a_view_asked_for_before_any_guidance_gets_the_general_answer(database_url, domain, dispatcher):
    tracker = make_tracker("要准备什么材料", intent="ask_next_steps", sender_id="newcomer")
    asyncio.run(ActionShowGuidanceView().run(dispatcher, tracker, domain))
    assert responses_of(dispatcher) == ["utter_general_info"]


def test_declining_the_questionnaire_still_gives_the_general_picture(domain, dispatcher):
    tracker = make_tracker("先不用", intent="deny", slots={"case_type": "labor"})
    asyncio.run(ActionBriefGuidance().run(dispatcher, tracker, domain))
    assert responses_of(dispatcher) == ["utter_intake_declined", "utter_guidance_section"]
    body = dispatcher.messages[1]["body"]
    assert "劳动仲裁" in body
    assert "二倍工资" not in body  # depends on an answer the caller did not give


def test_declining_without_a_questionnaire_only_acknowledges(domain, dispatcher):
    tracker = make_tracker("不用了", intent="deny", slots={"case_type": "other"})
    asyncio.run(ActionBriefGuidance().run(dispatcher, tracker, domain))
    assert responses_of(dispatcher) == ["utter_intake_declined"]


# --- which sentences and articles a dismissed, resigned or late-signed caller sees -----------

def _texts(slots, key):
    return "\n".join(section(build_advice("labor", slots, TODAY), key))


def test_a_dismissed_caller_is_told_when_nothing_n_plus_one_or_2n_is_owed():
    plain = _texts(LABOR_SLOTS, "plain")
    assert "第39条" in plain and "不用支付经济补偿" in plain  # a lawful dismissal for fault
    assert "N+1" in plain and "代通知金" in plain  # 第40条 without notice
    assert "只能要一个" in plain  # 2N replaces N
    assert "三倍" in plain and "12年" in plain  # 第47条第2款
    assert "应得工资" in plain and "奖金" in plain
    basis = _texts(LABOR_SLOTS, "basis")
    for article in ("第39条", "第40条", "第46条", "第97条", "第25条", "第27条"):
        assert article in basis, article
    assert "高于用人单位所在直辖市" in basis  # 第47条第2款 quoted


def test_the_layoff_rules_only_for_a_layoff():
    layoff = {**LABOR_SLOTS, "labor_dismissal_reason": ["layoff"]}
    assert "第41条" in _texts(layoff, "plain") and "第41条" in _texts(layoff, "basis")
    assert "第41条" not in _texts({**LABOR_SLOTS, "labor_dismissal_reason": ["fault"]}, "basis")


def test_a_caller_who_resigned_is_told_a_plain_resignation_owes_no_compensation():
    resigned = {**LABOR_SLOTS, "labor_issues": ["unpaid_wages"], "labor_dismissal_date": None,
                "labor_end_date": "2026-06"}
    assert "自己提出辞职" in _texts(resigned, "plain")
    assert "第37条" in _texts(resigned, "basis")
    assert "自己提出辞职" not in _texts(LABOR_SLOTS, "plain")  # dismissed: not asked, not told


def test_no_contract_names_the_limitation_and_the_refusal_exception():
    plain, basis = _texts(LABOR_SLOTS, "plain"), _texts(LABOR_SLOTS, "basis")
    assert "仲裁时效" in plain and "二倍工资" in plain
    assert "您自己不肯签" in plain
    assert "《劳动合同法实施条例》第5条" in basis


def test_a_late_signed_contract_gets_the_double_wage_rules():
    late = {**LABOR_SLOTS, "labor_written_contract": True, "labor_contract_date": "2022-10"}
    assert "补签" in _texts(late, "plain") and "截止时间为补订书面劳动合同的前一日" in _texts(late, "basis")
    assert "二倍工资" in _texts(late, "estimates")


def test_the_record_lists_the_questions_the_caller_could_not_answer_for_the_lawyer(database_url, domain, dispatcher):
    slots = {**LABOR_SLOTS, "labor_city": "unknown", "labor_evidence": "unknown"}
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(slots=slots, sender_id="caller-open"), domain))
    record = latest_record("caller-open")
    assert record["content"]["open_questions"] == ["手里的证据", "工作所在城市"]
    html = render_html(record)
    assert record["content"]["open_questions_title"] in html and "工作所在城市</li>" in html
    asyncio.run(ActionGiveGuidance().run(dispatcher, _labor_tracker(sender_id="caller-known"), domain))
    assert latest_record("caller-known")["content"]["open_questions"] == []

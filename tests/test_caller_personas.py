"""The simulated callers' file and runner, without a model: tests/callers/personas.yml is well
formed and covers each questionnaire, and tests/callers/simulate.py judges a conversation by the
shared simulator's rules (checked here against a scripted fake assistant)."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from callers.simulate import converse, load_personas, summarize
from intake_core.practice_areas import areas

PERSONAS = load_personas()
# The practice areas with a questionnaire (content/practice_areas.yml): a persona's area is its
# `practice_area` (a finer area: work_injury, traffic) or else its case type's own.
QUESTIONNAIRES = tuple(area.key for area in areas() if area.questionnaire)
FINER = {area.key: area.case_type for area in areas() if area.finer}


def area_of(persona):
    return persona.get("practice_area") or persona["case_type"]
# The ways of confirming a summary issue 14 names; each questionnaire's callers use them all.
CONFIRMATIONS = {"确认", "确认无误", "提交", "没问题", "对的", "都对"}


def test_enough_callers_for_every_questionnaire():
    counts = Counter(area_of(persona) for persona in PERSONAS)
    assert len(PERSONAS) >= 36
    assert all(counts[area] >= 12 for area in QUESTIONNAIRES), counts
    assert len({persona["name"] for persona in PERSONAS}) == len(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona["name"])
def test_a_persona_is_well_formed(persona):
    assert area_of(persona) in QUESTIONNAIRES and persona["open"].strip()
    if "practice_area" in persona:
        assert FINER.get(persona["practice_area"]) == persona["case_type"], "a finer area of another case type"
    for key in ("answers", "script"):
        for pattern, reply in persona.get(key, []):
            re.compile(pattern)
            assert isinstance(reply, str) and reply.strip()
    for key in ("expect_slots", "expect_text", "reject_text", "prefer"):
        for pattern in persona.get(key, []):
            re.compile(pattern)
    assert all(isinstance(reply, str) for reply in persona.get("then", []))
    assert persona.get("expect_slots") or persona.get("expect_text"), "a persona that expects nothing tests nothing"


@pytest.mark.parametrize("area", QUESTIONNAIRES)
def test_each_questionnaire_is_confirmed_in_every_way_and_stopped_and_resumed(area):
    callers = [persona for persona in PERSONAS if area_of(persona) == area]
    assert CONFIRMATIONS <= {persona.get("confirm") for persona in callers}
    replies = [reply for persona in callers
               for reply in [r for _, r in persona.get("script", [])] + persona.get("then", [])]
    assert "不想填了" in replies and "继续问答" in replies


class FakeAssistant:
    """Answers each message with the next of ``turns`` (a list of bot turns), records what it heard."""

    def __init__(self, turns, slots):
        self.turns, self.slots, self.heard = list(turns), slots, []

    def say(self, sender, text):
        self.heard.append(text)
        return self.turns.pop(0) if len(self.turns) > 1 else self.turns[0]

    def tracker(self, sender):
        return {"slots": self.slots}


OFFER = [{"text": "现在开始吗？", "buttons": [{"title": "好的，开始", "payload": "/affirm"}]}]
WAGE = [{"text": "您每个月工资大概多少？比如“八千”。"}]
CITY = [{"text": "您在哪个城市工作？"}]
SUMMARY = [{"text": "请核对一下我记下的情况：\n· 月工资：8,000元\n都对吗？有不对的直接告诉我。"}]
GUIDANCE = [{"text": "【法律依据】\n· 劳动合同法第47条：……"}]
CALLER = {"name": "fake", "case_type": "labor", "open": "公司辞退了我", "confirm": "确认",
          "answers": [["工资", "八千"], ["城市", "杭州"]], "expect_slots": ['"8000"'], "expect_text": ["第47条"]}


def test_the_runner_answers_confirms_and_passes_a_good_intake():
    fake = FakeAssistant([OFFER, WAGE, CITY, SUMMARY, GUIDANCE], {"case_type": "labor", "labor_monthly_wage": "8000"})
    result = converse(CALLER, fake.say, fake.tracker)
    assert fake.heard == ["公司辞退了我", "/affirm", "八千", "杭州", "确认"]
    assert result["pass"] and result["repeated_questions"] == 0 and not result["dead_end"]


def test_the_runner_sends_then_after_the_script_and_does_not_answer_a_question_asked_again():
    caller = {**CALLER, "script": [["工资", "七千"]], "then": ["说错了，是八千"]}
    fake = FakeAssistant(
        [OFFER, WAGE, CITY, CITY, SUMMARY, GUIDANCE], {"case_type": "labor", "labor_monthly_wage": "8000"}
    )
    result = converse(caller, fake.say, fake.tracker)
    # As in the shared simulator: the same question again right after is counted and not answered again.
    assert fake.heard[2:5] == ["七千", "说错了，是八千", "不清楚"] and result["repeated_questions"] == 1


def test_the_same_question_three_times_is_a_dead_end_and_fails():
    fake = FakeAssistant([OFFER, WAGE], {"case_type": "labor", "labor_monthly_wage": "8000"})
    result = converse(CALLER, fake.say, fake.tracker)
    assert result["dead_end"] and not result["pass"] and not result["guidance_seen"]
    assert result["repeated_questions"] == 2
    # Stuck on a question, the caller does not repeat the same answer but says it does not know.
    assert fake.heard[-1] == "不清楚"


def test_a_wrong_figure_fails_and_the_totals_count_repeats():
    caller = {**CALLER, "reject_text": ["第47条"]}
    fake = FakeAssistant([OFFER, WAGE, CITY, SUMMARY, GUIDANCE], {"case_type": "labor", "labor_monthly_wage": "8000"})
    wrong = converse(caller, fake.say, fake.tracker)
    assert not wrong["pass"] and wrong["text_wrong"] == ["第47条"]
    summary = summarize([wrong, {"name": "x", "pass": True, "turns": 3, "repeated_questions": 3, "dead_end": False}])
    assert summary["personas_passed"] == "1/2" and summary["mean_repeated_questions"] == 1.5

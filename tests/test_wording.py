"""What the assistant promises in its fixed sentences matches what the law and the product do:
confidentiality as the law requires, a protection order decided (not granted) in time, the record
and the estimates called what they are, and the free route offered where there is one."""
from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from intake_core.guidance.advice import build_advice, record_content
from intake_core.guidance.content import load_formats, load_guidance
from test_guidance_content import article_text

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def response_texts(domain, name):
    return [variation["text"] for variation in domain["responses"][name]]


def test_confidentiality_is_promised_as_the_law_requires_with_what_is_stored_and_who_sees_it(domain):
    [text] = response_texts(domain, "utter_consultation_disclaimer")
    assert "依法" in text and "保密" in text
    assert "保存" in text and "律师" in text and "记录" in text


def test_the_crisis_sentence_says_the_court_decides_a_protection_order(domain):
    assert "作出人身安全保护令或者驳回申请" in article_text("反家庭暴力法", 28)
    [text] = response_texts(domain, "utter_crisis_domestic_violence")
    assert "保护令" in text and "决定" in text and "驳回" in text


def test_the_record_calls_itself_legal_information_not_a_legal_opinion():
    disclaimer = load_formats()["record"]["disclaimer"]
    cannot_do = "\n".join(load_guidance("labor").select("cannot_do", {}))
    # cannot_do: the guidance is "初步参考，不是针对您案件的法律意见"; the record must not say otherwise.
    assert "不是针对您案件的法律意见" in cannot_do
    assert "法律咨询意见" not in disclaimer and "法律意见" not in disclaimer.replace(
        "不是针对您案件的法律意见", ""
    ).replace("法律意见书", "")
    assert "参考" in disclaimer


def test_estimates_are_introduced_as_statutory_estimates_not_what_will_be_obtained():
    slots = {
        "labor_start_date": "2022-04",
        "labor_monthly_wage": "8000",
        "labor_issues": ["dismissal"],
        "labor_dismissal_date": "2025-12-10",
        "labor_still_employed": False,
    }
    advice = build_advice("labor", slots, date(2026, 11, 22))
    [estimates] = [s for s in advice.sections if s.key == "estimates"]
    note = load_formats()["lines"]["estimates_note"]
    assert estimates.lines[0] == note and len(estimates.lines) > 1
    assert note in "\n".join(record_content(advice, [])["sections"][1]["lines"])
    # No amount, no note.
    empty = build_advice("contract", {}, date(2026, 11, 22))
    assert not [s for s in empty.sections if s.key == "estimates" and s.lines]


def _urgent_text(case_type):
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(PROJECT_ROOT / "domain"))
    tracker = DialogueStateTracker.from_events("caller", [SlotSet("case_type", case_type)], slots=domain.slots)
    generated = asyncio.run(
        TemplatedNaturalLanguageGenerator(domain.responses).generate("utter_guidance_urgent", tracker, "rest")
    )
    return generated["text"]


def test_an_urgent_labor_case_is_told_of_the_free_route_of_arbitration():
    assert "劳动争议仲裁不收费。" in article_text("劳动争议调解仲裁法", 53)
    labor = _urgent_text("labor")
    assert "仲裁" in labor and "不收费" in labor
    # Other case types have no free arbitration: they are not told of one.
    assert "仲裁" not in _urgent_text("contract")

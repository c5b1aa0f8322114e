"""Assembling the guidance for one caller from the reviewed content, the
caller's answers, and what the calculators compute.

Three views of the same guidance, in this order: plain words (with the
amounts and deadlines), the legal basis, the concrete steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from intake_core.guidance.by_area import deadlines_for, estimates_for
from intake_core.guidance.content import GuidanceError, load_formats, load_guidance
from intake_core.guidance.deadlines import Deadline
from intake_core.guidance.facts import NamedEstimate
from intake_core.guidance.figures import with_figures
from intake_core.practice_areas import load_practice_areas

VIEWS = {
    "plain": ("plain", "estimates", "deadlines"),
    "basis": ("basis",),
    "steps": ("steps", "evidence", "worst_case", "cannot_do", "public_routes"),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[str]


@dataclass(frozen=True)
class Advice:
    area: str  # the practice area's key (content/practice_areas.yml)
    urgent: bool
    sections: list[Section]

    def view(self, name: str) -> list[Section]:
        return [s for s in self.sections if s.key in VIEWS[name] and s.lines]


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def format_estimate(estimate: NamedEstimate, lines: Mapping[str, str]) -> str:
    """One line per amount, with how it was computed."""
    steps = "；".join(estimate.steps)
    if estimate.amount is not None:
        return lines["estimate"].format(
            name=estimate.name, amount=_money(estimate.amount), basis=estimate.basis, steps=steps
        )
    if estimate.low is not None and estimate.high is not None:
        return lines["estimate_range"].format(
            name=estimate.name, low=_money(estimate.low), high=_money(estimate.high), basis=estimate.basis, steps=steps
        )
    return lines["estimate_unknown"].format(name=estimate.name, basis=estimate.basis, steps=steps)


def format_deadline(deadline: Deadline, lines: Mapping[str, str]) -> str:
    key = "deadline_urgent" if deadline.urgent else ("deadline_passed" if deadline.days_left < 0 else "deadline")
    due = f"{deadline.due.year}年{deadline.due.month}月{deadline.due.day}日"
    return lines[key].format(name=deadline.name, due=due, days_left=deadline.days_left, note=deadline.note)


def build_advice(area_key: str, slots: Mapping[str, Any], today: date) -> Advice:
    """The guidance of practice area ``area_key`` (a case type's own area has its name)."""
    content = load_guidance(area_key)
    formats = load_formats()
    titles, lines = formats["titles"], formats["lines"]
    deadlines = deadlines_for(area_key, slots, today)
    estimates = estimates_for(area_key, slots, today)
    basis = [
        lines["basis"].format(law=content.law_name(b.law), article=b.article, quote=b.quote, meaning=b.meaning)
        for b in content.select_basis(slots)
    ]
    estimate_lines = [format_estimate(e, lines) for e in estimates]
    if estimate_lines:
        # An estimate is what the statutory standard gives, not what the caller will obtain.
        estimate_lines.insert(0, lines["estimates_note"])
    raw_sections: dict[str, list[str]] = {
        "plain": content.select("plain_summary", slots),
        "estimates": estimate_lines,
        "deadlines": [format_deadline(d, lines) for d in deadlines],
        "basis": basis,
        "steps": content.select("steps", slots),
        "evidence": content.select("evidence", slots),
        "worst_case": content.select("worst_case", slots),
        "cannot_do": content.select("cannot_do", slots),
        "public_routes": content.select("public_routes", slots),
    }
    sections = [Section(key, titles[key], items) for key, items in raw_sections.items()]
    return Advice(area_key, any(d.urgent for d in deadlines), sections)


def record_label(area_key: str) -> str:
    """The record's 事项: the practice area's record_label (content/practice_areas.yml)."""
    area = load_practice_areas().by_key(area_key)
    if area is None or area.record_label is None:
        raise GuidanceError(f"gives no record_label for {area_key!r}", "content/practice_areas.yml")
    return area.record_label


def record_content(advice: Advice, facts: list[str], open_questions: Sequence[str] = ()) -> dict[str, Any]:
    """What the written record (咨询备忘录) holds: the facts as given, the questions still open
    (the caller did not know: the lawyer asks them), and every section."""
    record = load_formats()["record"]
    return {
        "matter": record_label(advice.area),
        "facts_title": record["facts_title"],
        "facts": facts,
        "open_questions_title": record["open_questions_title"],
        "open_questions": list(open_questions),
        "sections": [{"key": s.key, "title": s.title, "lines": s.lines} for s in advice.sections if s.lines],
        "urgent_notice": with_figures(record["urgent_notice"]),
        "disclaimer": record["disclaimer"],
    }

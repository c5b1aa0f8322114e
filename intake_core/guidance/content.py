"""The guidance a lawyer reviews (content/guidance/*.yml), loaded and checked.

Each entry may carry a condition on the questionnaire's answers:
``{slot: X, is: true|false}``, ``{slot: X, includes: key}`` or
``{slot: X, present: true}`` (answered, not skipped). ``includes`` may name a
list of keys (any of them chosen); ``{slot: X, excludes: key or [keys]}`` holds
when none of them was chosen (also when the question was skipped): a sentence
whose law differs for some answers (e.g. exclusive jurisdiction for leases)
must not reach those callers.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

# One reading of a `when` condition, shared with the questionnaires.
from intake_core.questionnaires.definitions import condition_holds
from intake_core.config import PROJECT_ROOT
from intake_core.practice_areas import load_practice_areas

GUIDANCE_DIR = PROJECT_ROOT / "content" / "guidance"
TEXT_SECTIONS = ("plain_summary", "steps", "worst_case", "cannot_do", "public_routes")
# formats.yml sections the calculators and the deadline counter fill in (str.format templates).
TEMPLATE_SECTIONS = ("units", "period_units", "names", "bases", "calculation_steps", "deadline_names", "deadline_notes")


class GuidanceError(ValueError):
    """A guidance file is malformed."""


@dataclass(frozen=True)
class Basis:
    law: str
    article: int
    quote: str
    meaning: str
    when: Optional[Dict[str, Any]]


@dataclass(frozen=True)
class GuidanceContent:
    case_type: str
    display_names: Dict[str, str]
    texts: Dict[str, Tuple[Tuple[str, Optional[Dict[str, Any]]], ...]]
    evidence: Tuple[Tuple[str, Optional[Dict[str, Any]]], ...]
    basis: Tuple[Basis, ...]

    def select(self, section: str, slots: Mapping[str, Any]) -> List[str]:
        entries = self.evidence if section == "evidence" else self.texts[section]
        return [text for text, when in entries if condition_holds(when, slots)]

    def select_basis(self, slots: Mapping[str, Any]) -> List[Basis]:
        return [entry for entry in self.basis if condition_holds(entry.when, slots)]

    def law_name(self, law: str) -> str:
        return self.display_names.get(law, f"《{law}》")


def parse_guidance(data: Dict[str, Any]) -> GuidanceContent:
    if not isinstance(data, dict) or data.get("version") != 1:
        raise GuidanceError("guidance file needs 'version: 1'")
    texts = {}
    for section in TEXT_SECTIONS:
        entries = data.get(section)
        if not entries:
            raise GuidanceError(f"section '{section}' is missing or empty")
        texts[section] = tuple((entry["text"], entry.get("when")) for entry in entries)
    basis = tuple(
        Basis(str(e["law"]), int(e["article"]), e["quote"], e.get("meaning", ""), e.get("when"))
        for e in data.get("legal_basis") or []
    )
    if not basis:
        raise GuidanceError("section 'legal_basis' is missing or empty")
    return GuidanceContent(
        case_type=data["case_type"],
        display_names=dict(data.get("display_name") or data.get("display_names") or {}),
        texts=texts,
        evidence=tuple((entry["item"], entry.get("when")) for entry in data.get("evidence") or []),
        basis=basis,
    )


@lru_cache(maxsize=None)
def load_guidance(area: str, directory: Path = GUIDANCE_DIR) -> GuidanceContent:
    """The guidance of a practice area (today: of a case type, the area of its name),
    from the file content/practice_areas.yml names for it."""
    registered = load_practice_areas().by_key(area)
    if registered is None or registered.guidance is None:
        raise GuidanceError(f"content/practice_areas.yml gives no guidance file for {area!r}")
    with open(directory / registered.guidance, encoding="utf-8") as handle:
        return parse_guidance(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def load_formats(directory: Path = GUIDANCE_DIR) -> Dict[str, Dict[str, str]]:
    with open(directory / "formats.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    missing = {"titles", "names", "lines", "record", *TEMPLATE_SECTIONS} - set(data)
    if missing:
        raise GuidanceError(f"formats.yml lacks {sorted(missing)}")
    for section in TEMPLATE_SECTIONS:
        _check_templates(section, data[section])
    return data


def _check_templates(section: str, templates: Any) -> None:
    """Each entry is text whose {placeholders} str.format can read."""
    if not isinstance(templates, dict) or not templates:
        raise GuidanceError(f"formats.yml: {section} must map names to text")
    for key, text in templates.items():
        if not isinstance(text, str) or not text.strip():
            raise GuidanceError(f"formats.yml: {section}.{key} must be text")
        try:
            list(Formatter().parse(text))
        except ValueError as error:
            raise GuidanceError(f"formats.yml: {section}.{key}: {error}") from None

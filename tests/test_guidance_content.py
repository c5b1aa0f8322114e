"""The guidance content (content/guidance/*.yml) against the statute texts and the questionnaires.

Every legal_basis entry must cite a law file that exists in content/laws (read by
intake_core.statutes, as the assistant reads it), an article that exists in that file,
and a quote copied verbatim from that article's text. Every `when` must refer to a
slot (and choice key) that the questionnaire of that practice area asks about.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml

from intake_core.statutes.texts import LAWS_DIR, load_statutes
from intake_core.practice_areas import areas

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GUIDANCE_DIR = PROJECT_ROOT / "content" / "guidance"
QUESTIONNAIRES = PROJECT_ROOT / "content" / "questionnaires.yml"

# The practice areas with guidance, by name (content/practice_areas.yml).
AREAS = {area.key: area for area in areas() if area.guidance}
TEXT_SECTIONS = ("plain_summary", "steps", "worst_case", "cannot_do", "public_routes")
REQUIRED_SECTIONS = TEXT_SECTIONS[:2] + ("legal_basis", "evidence") + TEXT_SECTIONS[2:]
ENTRY_KEYS = {
    "plain_summary": ({"text"}, {"when"}),
    "steps": ({"text"}, {"when"}),
    "worst_case": ({"text"}, {"when"}),
    "cannot_do": ({"text"}, {"when"}),
    "public_routes": ({"text"}, {"when"}),
    "evidence": ({"item"}, {"when"}),
    "legal_basis": ({"law", "article", "quote", "meaning"}, {"when"}),
}
# A quote this short could be found in almost any article, so a wrong article number
# would go unnoticed.
MIN_QUOTE_CHARS = 8

# ---------------------------------------------------------------------------------------
# Statute texts: the product's own copy (content/laws), read by the product's loader
# ---------------------------------------------------------------------------------------


def law_files() -> Dict[str, Dict[int, str]]:
    return load_statutes().files


def article_text(law: str, article: int) -> Optional[str]:
    return load_statutes().file_article(law, article)


def citation_problem(law: Any, article: Any, quote: Any) -> Optional[str]:
    """Why a citation cannot be backed by content/laws, or None when it can."""
    if not isinstance(law, str) or law not in law_files():
        return f"no file for law {law!r} in {LAWS_DIR}"
    if not isinstance(article, int) or isinstance(article, bool) or article <= 0:
        return f"article must be a positive arabic number, got {article!r}"
    text = article_text(law, article)
    if text is None:
        return f"{law} has no article {article}"
    if not isinstance(quote, str) or len(quote.strip()) < MIN_QUOTE_CHARS:
        return f"quote must be a string of at least {MIN_QUOTE_CHARS} characters: {quote!r}"
    if quote not in text:
        return f"quote is not verbatim in {law} article {article}: {quote!r}"
    return None


# ---------------------------------------------------------------------------------------
# Guidance files and questionnaires
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def guidance(area: str) -> Dict[str, Any]:
    with (GUIDANCE_DIR / AREAS[area].guidance).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=None)
def questions_by_slot(area: str) -> Dict[str, Dict[str, Any]]:
    with QUESTIONNAIRES.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    form = AREAS[area].questionnaire
    assert isinstance(data.get(form), dict), f"no questionnaire {form} for {area}"
    return {question["slot"]: question for question in data[form]["questions"]}


def _entries(area: str) -> Iterator[Tuple[str, int, Dict[str, Any]]]:
    data = guidance(area)
    for section in REQUIRED_SECTIONS:
        for index, entry in enumerate(data.get(section) or []):
            yield section, index, entry


def _legal_basis_params() -> List[Any]:
    params = []
    for area in AREAS:
        for index, entry in enumerate(guidance(area).get("legal_basis") or []):
            params.append(pytest.param(
                entry,
                id=f"{area}-{index}-{entry.get('law')}-{entry.get('article')}",
            ))
    return params


def _when_params() -> List[Any]:
    params = []
    for area in AREAS:
        for section, index, entry in _entries(area):
            if isinstance(entry, dict) and "when" in entry:
                params.append(pytest.param(
                    area, entry["when"], id=f"{area}-{section}-{index}",
                ))
    return params


def _entry_params() -> List[Any]:
    return [
        pytest.param(section, entry, id=f"{area}-{section}-{index}")
        for area in AREAS
        for section, index, entry in _entries(area)
    ]


def when_problem(area: str, when: Any) -> Optional[str]:
    """Why a `when` condition cannot be evaluated against the questionnaire, or None."""
    if not isinstance(when, dict) or "slot" not in when or len(when) != 2:
        return f"when must be {{slot: X, is|includes|present: ...}}, got {when!r}"
    slot = when["slot"]
    question = questions_by_slot(area).get(slot)
    if question is None:
        return f"{area} questionnaire has no slot {slot!r}"
    kind = question["kind"]
    (operator, value), = [(k, v) for k, v in when.items() if k != "slot"]
    if operator == "is":
        if kind != "yes_no" or not isinstance(value, bool):
            return f"`is` needs a yes_no slot and true/false; {slot} is {kind}, value {value!r}"
    elif operator in ("includes", "excludes"):
        if kind != "choices":
            return f"`{operator}` needs a choices slot; {slot} is {kind}"
        keys = value if isinstance(value, list) else [value]
        if not keys:
            return f"`{operator}` needs at least one choice key"
        for key in keys:
            if key not in (question.get("choices") or {}):
                return f"{slot} has no choice {key!r}"
    elif operator == "present":
        if value is not True:
            return f"`present` must be true, got {value!r}"
    else:
        return f"unknown condition {operator!r} (allowed: is, includes, excludes, present)"
    return None


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


def test_laws_directory_is_found():
    assert LAWS_DIR.is_dir(), LAWS_DIR
    assert LAWS_DIR.is_relative_to(PROJECT_ROOT), "the statute texts must live in the repository"
    assert "劳动合同法" in law_files()
    assert article_text("劳动合同法", 47).startswith("第四十七条")


@pytest.mark.parametrize("area", AREAS)
def test_file_structure(area):
    data = guidance(area)
    assert isinstance(data, dict), f"{AREAS[area].guidance} is not a mapping"
    assert data.get("version") == 1
    assert data.get("case_type") == AREAS[area].case_type
    allowed = {"version", "case_type", "display_name", *REQUIRED_SECTIONS}
    assert set(data) <= allowed, f"unknown top-level keys: {set(data) - allowed}"
    for section in REQUIRED_SECTIONS:
        assert isinstance(data.get(section), list) and data[section], (
            f"{AREAS[area].guidance}: section {section} is missing or empty")
    # Something in each section must be shown whatever the caller answered.
    for section in REQUIRED_SECTIONS:
        assert any("when" not in entry for entry in data[section]), (
            f"{AREAS[area].guidance}: every entry of {section} is conditional")


@pytest.mark.parametrize("area", AREAS)
def test_display_names_refer_to_law_files(area):
    names = guidance(area).get("display_name") or {}
    assert isinstance(names, dict)
    for law, shown in names.items():
        assert law in law_files(), f"display_name for unknown law {law!r}"
        assert isinstance(shown, str) and shown.strip()


@pytest.mark.parametrize("section, entry", _entry_params())
def test_entry_shape(section, entry):
    required, optional = ENTRY_KEYS[section]
    assert isinstance(entry, dict), entry
    assert required <= set(entry), f"missing {required - set(entry)} in {entry}"
    assert set(entry) <= required | optional, f"unknown keys {set(entry) - required - optional}"
    for key in required - {"article"}:
        assert isinstance(entry[key], str) and entry[key].strip(), f"empty {key} in {entry}"


@pytest.mark.parametrize("entry", _legal_basis_params())
def test_legal_basis_quote_is_verbatim(entry):
    problem = citation_problem(entry.get("law"), entry.get("article"), entry.get("quote"))
    assert problem is None, problem


@pytest.mark.parametrize("area, when", _when_params())
def test_when_refers_to_questionnaire(area, when):
    problem = when_problem(area, when)
    assert problem is None, problem


@pytest.mark.parametrize("area", AREAS)
def test_checker_rejects_altered_citations(area):
    """The citation check itself must catch a changed quote or a wrong article number."""
    entry = guidance(area)["legal_basis"][0]
    law, article, quote = entry["law"], entry["article"], entry["quote"]
    assert citation_problem(law, article, quote) is None
    assert citation_problem(law, article, quote[:-1] + "X") is not None
    assert citation_problem(law, article, quote[:3] + "某" + quote[4:]) is not None
    assert citation_problem(law, article + 1, quote) is not None
    assert citation_problem(law, article - 1 or 9999, quote) is not None
    assert citation_problem(law, str(article), quote) is not None
    assert citation_problem(law + "X", article, quote) is not None


def test_when_checker_rejects_unknown_slots_and_keys():
    assert when_problem("labor", {"slot": "labor_issues", "includes": "dismissal"}) is None
    assert when_problem("labor", {"slot": "labor_issues", "includes": "divorce"}) is not None
    assert when_problem("labor", {"slot": "divorce_fault", "present": True}) is not None
    assert when_problem("labor", {"slot": "labor_written_contract", "is": "no"}) is not None
    assert when_problem("labor", {"slot": "labor_written_contract", "equals": True}) is not None
    assert when_problem("contract", {"slot": "contract_kind", "excludes": ["lease", "construction"]}) is None
    assert when_problem("contract", {"slot": "contract_kind", "excludes": ["lease", "house"]}) is not None
    assert when_problem("labor", {"slot": "labor_issues", "includes": ["unpaid_wages", "no_social_insurance"]}) is None
    assert when_problem("labor", {"slot": "labor_issues", "includes": []}) is not None

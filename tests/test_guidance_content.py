"""The guidance content (content/guidance/*.yml) against the statute texts and the questionnaires.

The guidance loader (intake_core/guidance/content.py) checks every file when a process starts:
every legal_basis entry cites a law file of content/laws (read by intake_core.statutes, as the
assistant reads it), an article that exists in that file, and a quote copied verbatim from that
article's text; every `when` refers to a question (and choice key) of the area's questionnaire;
every section has entries of the right shape, one at least shown to every caller. Here: every
registered area's file passes, and the loader refuses each kind of mistake, naming the key.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake_core.content import ContentError
from intake_core.guidance.content import GUIDANCE_DIR, GuidanceError, load_guidance, parse_guidance
from intake_core.practice_areas import areas
from intake_core.statutes.texts import LAWS_DIR, load_statutes

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# The practice areas with guidance, by name (content/practice_areas.yml).
AREAS = {area.key: area for area in areas() if area.guidance}


def article_text(law: str, article: int) -> str | None:
    """The verbatim text of an article as the guidance cites it (law file name, number)."""
    return load_statutes().file_article(law, article)


def raw(area: str) -> dict[str, Any]:
    """A fresh copy of the area's guidance file as parsed YAML."""
    return yaml.safe_load((GUIDANCE_DIR / AREAS[area].guidance).read_text(encoding="utf-8"))


def refused(area: str, change: Callable[[dict[str, Any]], Any]) -> str:
    """The loader's message for the area's file with ``change`` applied (it must refuse it)."""
    data = raw(area)
    change(data)
    with pytest.raises(GuidanceError) as error:
        parse_guidance(data, area)
    return str(error.value)


def test_laws_directory_is_found():
    assert LAWS_DIR.is_dir(), LAWS_DIR
    assert LAWS_DIR.is_relative_to(PROJECT_ROOT), "the statute texts must live in the repository"
    assert "劳动合同法" in load_statutes().files
    assert article_text("劳动合同法", 47).startswith("第四十七条")


@pytest.mark.parametrize("area", AREAS)
def test_every_registered_file_passes_the_loader(area):
    content = load_guidance(area)
    assert content.case_type == AREAS[area].case_type
    assert len(content.basis) == len(raw(area)["legal_basis"])


def test_a_guidance_error_is_a_content_error():
    assert issubclass(GuidanceError, ContentError)


# --- the file's structure ---------------------------------------------------------------------


def _set(data, key, value):
    data[key] = value


def _first(section: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: data[section][0]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: _set(d, "version", 2), "version: must be 1"),
        (lambda d: _set(d, "case_type", "divorce"), "case_type: must be 'labor'"),
        (lambda d: _set(d, "summary", []), "summary: unknown key"),
        (lambda d: d.pop("evidence"), "evidence: missing or empty"),
        (lambda d: _set(d, "worst_case", []), "worst_case: missing or empty"),
        (lambda d: _set(d, "steps", [dict(e, when={"slot": "labor_issues", "includes": "dismissal"})
                                     for e in d["steps"]]), "steps: every entry has a `when`"),
        (lambda d: d["display_name"].update({"劳动合同法X": "《X》"}), "display_name.劳动合同法X: no such law file"),
        (lambda d: d["display_name"].update({"劳动法": " "}), "display_name.劳动法: must be text"),
        (lambda d: _first("plain_summary")(d).pop("text"), r"plain_summary[0].text: missing"),
        (lambda d: _first("evidence")(d).update(text="x"), r"evidence[0].text: unknown key"),
        (lambda d: _first("cannot_do")(d).update(text=""), r"cannot_do[0].text: must be text"),
        (lambda d: _first("legal_basis")(d).pop("meaning"), r"legal_basis[0].meaning: missing"),
        (lambda d: d["public_routes"].__setitem__(0, "12348"), r"public_routes[0]: must be a mapping"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_key(change, message):
    assert message in refused("labor", change)


# --- citations: the article exists and the quote is word for word in it ------------------------


def _basis(**change):
    return lambda data: data["legal_basis"][0].update(change)


@pytest.mark.parametrize("area", AREAS)
def test_an_altered_citation_is_refused(area):
    entry = raw(area)["legal_basis"][0]
    law, article, quote = entry["law"], entry["article"], entry["quote"]
    assert "legal_basis[0].quote: not word for word" in refused(area, _basis(quote=quote[:-1] + "X"))
    assert "legal_basis[0].quote: not word for word" in refused(area, _basis(quote=quote[:3] + "某" + quote[4:]))
    # The same words in the article before or after would be a coincidence: the quotes are long.
    for wrong in (article + 1, article - 1 or 9999):
        assert "legal_basis[0]." in refused(area, _basis(article=wrong))
    assert "legal_basis[0].article: must be a positive arabic number" in refused(area, _basis(article=str(article)))
    assert "legal_basis[0].law: no file for law" in refused(area, _basis(law=law + "X"))
    assert "legal_basis[0].quote: at least 8 characters" in refused(area, _basis(quote=quote[:7]))


def test_an_article_the_law_does_not_have_is_refused():
    assert "legal_basis[0].article: 劳动合同法 has no article 999" in refused(
        "labor", lambda d: d["legal_basis"][0].update(law="劳动合同法", article=999))


# --- `when`: a question of the area's own questionnaire, a value it can have ---------------------


def _when(when):
    return lambda data: data["plain_summary"].append({"text": "条件句。", "when": when})


@pytest.mark.parametrize(
    "area, when, message",
    [
        ("labor", {"slot": "labor_issues", "includes": "divorce"}, "labor_issues has no choice 'divorce'"),
        ("labor", {"slot": "divorce_fault", "present": True}, "'divorce_fault' is not a question of"),
        ("labor", {"slot": "labor_written_contract", "is": "no"}, "needs a yes_no question and true or false"),
        ("labor", {"slot": "labor_monthly_wage", "is": True}, "needs a yes_no question"),
        ("labor", {"slot": "labor_written_contract", "equals": True}, "unknown condition"),
        ("labor", {"slot": "labor_issues", "includes": []}, "needs at least one choice key"),
        ("labor", {"slot": "labor_written_contract", "includes": "x"}, "needs a choices question"),
        ("labor", {"slot": "labor_contract_date", "present": False}, "present: must be true"),
        ("labor", {"slot": "labor_issues"}, "must be {slot: X"),
        ("labor", [{"slot": "labor_issues", "includes": "dismissal"}], "must be {slot: X"),
        ("contract", {"slot": "contract_kind", "excludes": ["lease", "house"]}, "contract_kind has no choice 'house'"),
    ],
)
def test_a_condition_the_questionnaire_cannot_meet_is_refused(area, when, message):
    index = len(raw(area)["plain_summary"])
    text = refused(area, _when(when))
    assert f"plain_summary[{index}].when" in text and message in text, text


@pytest.mark.parametrize(
    "area, when",
    [
        ("labor", {"slot": "labor_issues", "includes": "dismissal"}),
        ("labor", {"slot": "labor_issues", "includes": ["unpaid_wages", "no_social_insurance"]}),
        ("contract", {"slot": "contract_kind", "excludes": ["lease", "construction"]}),
    ],
)
def test_a_condition_on_the_area_s_own_questions_is_accepted(area, when):
    data = raw(area)
    _when(when)(data)
    assert parse_guidance(data, area).texts["plain_summary"][-1] == ("条件句。", when)


# --- the file is named: the loader reads it ----------------------------------------------------


def test_the_loader_names_the_file_and_the_key(tmp_path):
    data = raw("labor")
    data["legal_basis"][2]["quote"] += "（改）"
    (tmp_path / AREAS["labor"].guidance).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GuidanceError) as error:
        load_guidance("labor", tmp_path)
    assert str(error.value).startswith(f"{tmp_path / AREAS['labor'].guidance}: legal_basis[2].quote: "), error.value


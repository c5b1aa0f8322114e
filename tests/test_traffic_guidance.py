"""The traffic-accident guidance (content/guidance/traffic.yml) and its draft questionnaire
(content/questionnaires.traffic.draft.yml), checked before the area is registered.

tests/test_guidance_content.py checks the registered areas only (content/practice_areas.yml);
this module applies the same helpers to the traffic file explicitly: every quote verbatim in the
article it cites, every `when` on a slot and choice key the traffic questionnaire asks. Once the
lead registers the area, those tests cover it too and this module repeats them harmlessly.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

import test_guidance_content as checks
from actions.guidance.content import parse_guidance
from actions.questionnaires.definitions import parse_questionnaires

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GUIDANCE = PROJECT_ROOT / "content" / "guidance" / "traffic.yml"
QUESTIONNAIRE = PROJECT_ROOT / "content" / "questionnaires.traffic.draft.yml"
FORM = "traffic_form"
AREA = "traffic"


def _load(path: Path) -> Dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


GUIDANCE_DATA = _load(GUIDANCE)
QUESTIONNAIRE_DATA = _load(QUESTIONNAIRE)
QUESTIONS = {question["slot"]: question for question in QUESTIONNAIRE_DATA[FORM]["questions"]}


def _entries():
    for section in checks.REQUIRED_SECTIONS:
        for index, entry in enumerate(GUIDANCE_DATA.get(section) or []):
            yield section, index, entry


def _basis_params() -> List[Any]:
    return [pytest.param(entry, id=f"{index}-{entry.get('law')}-{entry.get('article')}")
            for index, entry in enumerate(GUIDANCE_DATA["legal_basis"])]


def _when_params() -> List[Any]:
    return [pytest.param(entry["when"], id=f"{section}-{index}")
            for section, index, entry in _entries() if "when" in entry]


# --- the guidance file ---------------------------------------------------------------------


def test_file_structure():
    assert GUIDANCE_DATA.get("version") == 1
    # An area of case type `other` (content/practice_areas.yml will say so).
    assert GUIDANCE_DATA.get("case_type") == "other"
    allowed = {"version", "case_type", "display_name", *checks.REQUIRED_SECTIONS}
    assert set(GUIDANCE_DATA) <= allowed, set(GUIDANCE_DATA) - allowed
    for section in checks.REQUIRED_SECTIONS:
        assert isinstance(GUIDANCE_DATA.get(section), list) and GUIDANCE_DATA[section], section
        # Something in each section is shown whatever the caller answered.
        assert any("when" not in entry for entry in GUIDANCE_DATA[section]), section


def test_the_product_loader_reads_it():
    content = parse_guidance(GUIDANCE_DATA)
    assert content.case_type == "other"
    assert content.law_name("侵权责任编") == "《民法典》侵权责任编"


def test_display_names_refer_to_law_files():
    for law, shown in GUIDANCE_DATA["display_name"].items():
        assert law in checks.law_files(), law
        assert isinstance(shown, str) and shown.strip()


@pytest.mark.parametrize("section, index, entry", list(_entries()))
def test_entry_shape(section, index, entry):
    checks.test_entry_shape(section, entry)


@pytest.mark.parametrize("entry", _basis_params())
def test_legal_basis_quote_is_verbatim(entry):
    problem = checks.citation_problem(entry.get("law"), entry.get("article"), entry.get("quote"))
    assert problem is None, problem


@pytest.mark.parametrize("when", _when_params())
def test_when_refers_to_the_traffic_questionnaire(when, monkeypatch):
    # when_problem reads the registered questionnaire of an area; here, the draft's questions.
    monkeypatch.setattr(checks, "questions_by_slot", lambda area: QUESTIONS)
    problem = checks.when_problem(AREA, when)
    assert problem is None, problem


def test_the_when_check_catches_a_wrong_key_here_too(monkeypatch):
    monkeypatch.setattr(checks, "questions_by_slot", lambda area: QUESTIONS)
    assert checks.when_problem(AREA, {"slot": "traffic_harm", "includes": "death"}) is None
    assert checks.when_problem(AREA, {"slot": "traffic_harm", "includes": "dead"}) is not None
    assert checks.when_problem(AREA, {"slot": "traffic_injury", "present": True}) is not None


def test_the_core_articles_are_cited():
    cited = {(entry["law"], entry["article"]) for entry in GUIDANCE_DATA["legal_basis"]}
    for law, article in [("道路交通安全法", 73), ("道路交通安全法", 76), ("侵权责任编", 1213),
                         ("侵权责任编", 1179), ("侵权责任编", 1183), ("机动车交通事故责任强制保险条例", 23),
                         ("总则", 188), ("最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释", 12),
                         ("最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释", 15)]:
        assert (law, article) in cited, (law, article)


def test_no_article_is_cited_for_the_review_procedure():
    # 复核 is in a Ministry regulation this project does not hold: said in words, never cited.
    assert not any("复核" in entry["quote"] or "复核" in entry["meaning"] for entry in GUIDANCE_DATA["legal_basis"])
    texts = [entry["text"] for entry in GUIDANCE_DATA["plain_summary"]]
    assert any("复核" in text and "没有这部规定" in text for text in texts)


# --- the draft questionnaire -----------------------------------------------------------------

BRIEF_SLOTS = {
    "traffic_accident_date": ("date", None),
    "traffic_liability_determined": ("choices", {"issued", "not_yet", "disputed"}),
    "traffic_liability_share": ("choices", {"none", "minor", "equal", "main", "full", "unknown"}),
    "traffic_harm": ("choices", {"injury", "death", "property"}),
    "traffic_other_party": ("text", None),
    "traffic_other_insured": ("yes_no", None),
    "traffic_victim_age": ("text", None),
    "traffic_disability_grade": ("choices", {f"grade_{n}" for n in range(1, 11)} | {"not_assessed", "none"}),
    "traffic_medical_costs": ("amount", None),
    "traffic_monthly_income": ("amount", None),
    "traffic_province": ("text", None),
}
ADDED_SLOTS = {"traffic_victim_road_user"}


def test_the_draft_parses_as_the_form_of_an_other_area():
    forms = parse_questionnaires(QUESTIONNAIRE_DATA, {FORM: "other"})
    assert set(forms) == {FORM}
    assert forms[FORM].case_type == "other"
    assert forms[FORM].sensitive_kinds() == ["health"]


def test_the_draft_has_the_brief_s_slots_and_keys():
    assert set(QUESTIONS) == set(BRIEF_SLOTS) | ADDED_SLOTS
    for slot, (kind, keys) in BRIEF_SLOTS.items():
        assert QUESTIONS[slot]["kind"] == kind, slot
        if keys is not None:
            assert set(QUESTIONS[slot]["choices"]) == keys, slot


def test_health_questions_are_marked_sensitive():
    assert QUESTIONS["traffic_disability_grade"].get("sensitive") == "health"
    assert QUESTIONS["traffic_medical_costs"].get("sensitive") == "health"


def test_the_draft_holds_only_the_traffic_form():
    # The lead merges the form block; shared keys stay those of content/questionnaires.yml.
    assert set(QUESTIONNAIRE_DATA) == {"version", FORM}

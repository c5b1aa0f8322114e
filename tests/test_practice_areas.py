"""Every practice area of content/practice_areas.yml has all its parts, and the registry
itself is checked when it is loaded.

A part forgotten here used to fail silently (a raw "traffic" in staff notices, no conflict
check, no urgency) or crash after the questionnaire (issue 17); each test names the area
and the part it lacks. Without a model: the domain, data and content files are read as files.
"""
from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake_core.content import ContentError
from intake_core.guidance.content import GUIDANCE_DIR, load_guidance
from intake_core.practice_areas import (
    GENERAL_CHECKLIST_RESPONSE,
    PRACTICE_AREAS_PATH,
    area_for_case_type,
    area_for_intent,
    areas,
    case_type_by_intent,
    case_type_within_area,
    case_types,
    catch_all_case_type,
    finer_area_shown,
    load_practice_areas,
    staff_names,
)
from intake_core.questionnaires.definitions import load_questionnaires

PROJECT_ROOT = Path(__file__).resolve().parent.parent
AREAS = areas()
AREA_IDS = [area.key for area in AREAS]
OWN_AREAS = [area for area in AREAS if not area.finer]  # a case type's own: it has the intent
OWN_AREA_IDS = [area.key for area in OWN_AREAS]
FINER_AREAS = [area for area in AREAS if area.finer]
# The guidance directory's files that are not an area's guidance.
GUIDANCE_SHARED_FILES = {"formats.yml", "parameters.yml"}


def intents_of(domain: dict[str, Any]) -> set[str]:
    return {next(iter(i)) if isinstance(i, dict) else i for i in domain["intents"]}


def nlu_intents(*paths: Path) -> dict[str, int]:
    """How many examples each intent has in these Rasa NLU files."""
    counts: dict[str, int] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" in block:
                examples = [line for line in str(block.get("examples") or "").splitlines() if line.strip()]
                counts[block["intent"]] = counts.get(block["intent"], 0) + len(examples)
    return counts


def from_intent_mappings(domain: dict[str, Any]) -> dict[str, Any]:
    return {m["intent"]: m.get("value") for m in domain["slots"]["case_type"]["mappings"]
            if m["type"] == "from_intent"}


def slot_kinds(form: str) -> dict[str, str]:
    return {question.slot: question.kind for question in load_questionnaires()[form].questions}


# --- each area has its parts -------------------------------------------------------------


@pytest.mark.parametrize("area", OWN_AREAS, ids=OWN_AREA_IDS)
def test_the_area_s_intent_is_in_the_domain_and_sets_its_case_type(domain, area):
    assert area.intent in intents_of(domain), f"{area.key}: intent {area.intent} is not in domain/domain.yml"
    assert from_intent_mappings(domain).get(area.intent) == area.case_type, (
        f"{area.key}: domain/domain.yml has no from_intent mapping of {area.intent} to case_type {area.case_type}")


@pytest.mark.parametrize("area", OWN_AREAS, ids=OWN_AREA_IDS)
def test_the_area_s_intent_has_training_and_held_out_examples(area):
    training = nlu_intents(*sorted((PROJECT_ROOT / "data" / "nlu").rglob("*.yml")))
    held_out = nlu_intents(PROJECT_ROOT / "tests" / "test_nlu.yml")
    assert training.get(area.intent), f"{area.key}: no training examples of {area.intent} in data/nlu/"
    assert held_out.get(area.intent), f"{area.key}: no held-out examples of {area.intent} in tests/test_nlu.yml"


@pytest.mark.parametrize("area", OWN_AREAS, ids=OWN_AREA_IDS)
def test_the_area_s_intent_is_triaged(area):
    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / "triage.yml").read_text(encoding="utf-8"))["rules"]
    [triage] = [rule for rule in rules if rule["rule"] == "a caller who says what the case is about is triaged"]
    triaged = {step["intent"] for step in triage["steps"][0]["or"]}
    assert area.intent in triaged, f"{area.key}: {area.intent} is missing from the triage rule in data/rules/triage.yml"


@pytest.mark.parametrize("area", AREAS, ids=AREA_IDS)
def test_the_area_has_its_triage_and_checklist_responses(domain, area):
    responses = domain["responses"]
    assert area.triage_response in responses, f"{area.key}: no {area.triage_response} in the domain"
    assert area.checklist_response in responses, f"{area.key}: no {area.checklist_response} in the domain"
    assert GENERAL_CHECKLIST_RESPONSE in responses  # the checklist of a caller without a case type


@pytest.mark.parametrize("area", [a for a in AREAS if a.questionnaire], ids=[a.key for a in AREAS if a.questionnaire])
def test_the_area_s_questionnaire_is_defined_and_in_the_domain(domain, area):
    assert area.questionnaire in load_questionnaires(), (
        f"{area.key}: questionnaire {area.questionnaire} is not in content/questionnaires.yml")
    assert load_questionnaires()[area.questionnaire].case_type == area.case_type
    assert area.questionnaire in domain["forms"], (
        f"{area.key}: form {area.questionnaire} is not in the domain (run `make generate`)")


@pytest.mark.parametrize("area", [a for a in AREAS if a.guidance], ids=[a.key for a in AREAS if a.guidance])
def test_the_area_s_guidance_file_exists_and_loads(area):
    path = GUIDANCE_DIR / area.guidance
    assert path.is_file(), f"{area.key}: no guidance file content/guidance/{area.guidance}"
    content = load_guidance(area.key)
    assert content.case_type == area.case_type, f"{area.key}: {area.guidance} says case_type {content.case_type}"
    assert content.basis and content.select("plain_summary", {}), f"{area.key}: {area.guidance} says nothing by default"


@pytest.mark.parametrize("area", [a for a in FINER_AREAS if a.calculators],
                         ids=[a.key for a in FINER_AREAS if a.calculators])
def test_a_finer_area_s_guidance_has_its_calculators(area):
    from intake_core.guidance.by_area import FINER_AREA_PROVIDERS

    provider = FINER_AREA_PROVIDERS.get(area.key)
    # Its figures are another area's, from its own answers (data), or its own module's; not both.
    assert (provider is None) != (area.computes_as is None), (
        f"{area.key}: needs either computes_as (content/practice_areas.yml) or a module in FINER_AREA_PROVIDERS "
        "(intake_core/guidance/by_area.py), not both")
    if provider is None:
        return
    assert callable(getattr(provider, "estimates", None)) and callable(getattr(provider, "deadlines", None)), (
        f"{area.key}: {provider.__name__} lacks estimates(slots, today) or deadlines(slots, today)")


def test_a_calculator_module_is_that_of_an_area_that_computes():
    # calculators: false says the guidance is words only; a module for such an area (or for no
    # area) would silently never run.
    from intake_core.guidance.by_area import FINER_AREA_PROVIDERS

    computing = {area.key for area in FINER_AREAS if area.calculators}
    assert set(FINER_AREA_PROVIDERS) <= computing, sorted(set(FINER_AREA_PROVIDERS) - computing)


def test_an_area_without_calculators_shows_no_computed_amount_or_date(monkeypatch):
    # contract computes a court fee from the amount; the same area with calculators: false
    # shows nothing computed, and by_area does not fall back to facts for it.
    from datetime import date

    from intake_core.guidance import by_area
    from intake_core.practice_areas import parse_practice_areas

    slots = {"contract_amount": 10000, "contract_learned_date": "2024-03-01"}
    today = date(2025, 1, 1)
    assert by_area.estimates_for("contract", slots, today) and by_area.deadlines_for("contract", slots, today)
    data = yaml.safe_load(PRACTICE_AREAS_PATH.read_text(encoding="utf-8"))
    data["areas"]["contract"].update(calculators=False, deadline_urgency=False)
    words_only = parse_practice_areas(data)
    monkeypatch.setattr(by_area, "load_practice_areas", lambda: words_only)
    assert by_area.estimates_for("contract", slots, today) == []
    assert by_area.deadlines_for("contract", slots, today) == []


@pytest.mark.parametrize("area", AREAS, ids=AREA_IDS)
def test_the_area_has_its_names(area):
    assert area.staff_name.strip(), f"{area.key}: empty staff_name"
    assert staff_names()[area.case_type].strip()
    if area.guidance:
        assert area.record_label and area.record_label.strip(), f"{area.key}: guidance without a record_label"


@pytest.mark.parametrize("area", AREAS, ids=AREA_IDS)
def test_the_other_party_and_the_amounts_are_answers_of_the_area_s_questionnaire(area):
    kinds = slot_kinds(area.questionnaire) if area.questionnaire else {}
    if area.other_party_slot:
        assert kinds.get(area.other_party_slot) == "text", (
            f"{area.key}: other_party_slot {area.other_party_slot} is not a text question of {area.questionnaire}")
    for slot in area.amount_slots:
        assert kinds.get(slot) == "amount", (
            f"{area.key}: amount slot {slot} is not an amount question of {area.questionnaire}"
        )


# --- and nothing of an area lives outside the registry -------------------------------------


@pytest.mark.parametrize("area", FINER_AREAS, ids=[a.key for a in FINER_AREAS])
def test_a_finer_area_is_a_value_of_practice_area_and_its_cues_show_it(domain, area):
    assert area.key in domain["slots"]["practice_area"]["values"], (
        f"{area.key}: not a value of the slot practice_area in domain/domain.yml")
    assert area.cues, f"{area.key}: a finer area needs cues"


def test_the_finer_areas_are_the_values_of_practice_area(domain):
    assert domain["slots"]["practice_area"]["values"] == [area.key for area in FINER_AREAS]


def test_every_case_type_of_the_domain_is_the_registry_s(domain):
    assert list(case_types()) == domain["slots"]["case_type"]["values"]
    assert {area.case_type for area in AREAS} == set(case_types())


def test_every_case_intent_of_the_domain_is_an_area_s(domain):
    unregistered = set(from_intent_mappings(domain)) - set(case_type_by_intent())
    assert not unregistered, f"{sorted(unregistered)} set case_type in the domain but no practice area has them"


def test_every_questionnaire_of_the_domain_is_an_area_s(domain):
    assert set(domain["forms"]) == {area.questionnaire for area in AREAS if area.questionnaire}


def test_every_guidance_file_is_an_area_s():
    files = {path.name for path in GUIDANCE_DIR.glob("*.yml")} - GUIDANCE_SHARED_FILES
    assert files == {area.guidance for area in AREAS if area.guidance}


def test_the_old_homes_of_the_registry_s_data_stay_empty():
    # Loaders ignore a key they do not read: data put back there would silently do nothing.
    handoff = yaml.safe_load((PROJECT_ROOT / "content" / "handoff.yml").read_text(encoding="utf-8"))
    notifications = yaml.safe_load((PROJECT_ROOT / "content" / "staff_notifications.yml").read_text(encoding="utf-8"))
    formats = yaml.safe_load((GUIDANCE_DIR / "formats.yml").read_text(encoding="utf-8"))
    assert "other_party_slot" not in handoff
    assert "case_type" not in notifications["names"]
    assert "matter" not in formats["record"]


# --- the helpers ----------------------------------------------------------------------------


def test_an_intent_and_a_case_type_find_their_area():
    assert area_for_intent("consult_labor").case_type == "labor"
    assert area_for_intent("greet") is None and area_for_intent(None) is None
    assert area_for_case_type("contract").key == "contract"
    assert area_for_case_type(None) is None and area_for_case_type("traffic") is None
    assert staff_names()[None] == load_practice_areas().unclassified_name


def test_the_registry_is_loaded_once():
    assert load_practice_areas() is load_practice_areas()


# --- the loader refuses a broken file, naming the file and the key --------------------------


@pytest.fixture
def raw() -> dict[str, Any]:
    return yaml.safe_load(PRACTICE_AREAS_PATH.read_text(encoding="utf-8"))


def _set(path: str, value: Any):
    def change(data):
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        data[last] = value
    return change


def _drop(path: str):
    def change(data):
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        del data[last]
    return change


# A finer area as a lawyer would add one (no questionnaire or guidance of its own here).
FINER = {"case_type": "labor", "intent": None, "cues": ["工伤", "(受伤|骨折).{0,10}(上班|工地)"], "strong_cues": [],
         "staff_name": "工伤",
         "record_label": None, "questionnaire": None, "guidance": None, "handoff_checklist": False,
         "other_party_slot": None, "amount_slots": [], "deadline_urgency": False, "statute_readings": False,
         "calculators": False}


def test_a_finer_area_is_shown_by_its_cues_within_its_case_type_only(tmp_path, raw):
    from intake_core import practice_areas

    data = copy.deepcopy(raw)
    data["areas"] = {key: area for key, area in data["areas"].items() if key in data["case_types"]}
    data["areas"]["injury"] = FINER
    path = tmp_path / "practice_areas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    registry = load_practice_areas(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(practice_areas, "load_practice_areas", lambda: registry)
        assert practice_areas.finer_area_shown("labor", ["老板拖欠工资"]) is None
        assert practice_areas.finer_area_shown("labor", ["老板拖欠工资", "我骨折了，是上班时候"]).key == "injury"
        assert practice_areas.finer_area_shown("contract", ["工伤"]) is None  # another case type's area
        assert practice_areas.area_for("labor", "injury").key == "injury"
        assert practice_areas.area_for("contract", "injury").key == "contract"  # not within contract
        assert practice_areas.area_for("labor", None).key == "labor"
        assert practice_areas.area_for(None, "injury") is None
        assert practice_areas.area_for_intent(None) is None  # the finer area has no intent
        assert "injury" not in practice_areas.staff_names()  # staff names are by case type
        # Without strong cues, the catch-all hides it: the NLU's "other" stands.
        assert practice_areas.finer_area_shown("other", ["我骨折了，是上班时候"]) is None


def test_a_strong_cue_takes_a_catch_all_message_to_its_area_and_nothing_else_does(tmp_path, raw):
    from intake_core import practice_areas

    data = copy.deepcopy(raw)
    data["areas"] = {key: area for key, area in data["areas"].items() if key in data["case_types"]}
    data["areas"]["injury"] = {**FINER, "strong_cues": ["工地.{0,5}砸"]}
    path = tmp_path / "practice_areas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    registry = load_practice_areas(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(practice_areas, "load_practice_areas", lambda: registry)
        assert practice_areas.finer_area_shown("other", ["在工地被钢管砸了"]).key == "injury"
        assert practice_areas.finer_area_shown("other", ["我骨折了，是上班时候"]) is None  # a cue, not a strong one
        assert practice_areas.finer_area_shown("contract", ["在工地被钢管砸了"]) is None  # not the catch-all
        assert practice_areas.finer_area_shown("labor", ["在工地被钢管砸了"]).key == "injury"  # a cue within labor
        assert practice_areas.finer_area_shown(None, ["在工地被钢管砸了"]) is None  # no case type yet
        assert practice_areas.case_type_within_area("other", "injury") == "labor"
        assert practice_areas.case_type_within_area("divorce", "injury") == "divorce"


# --- the shipped registry: the catch-all hides no work injury, and takes nothing else ------


# Told without 工伤 in words the NLU may call "other": a workplace and a harm, or the area's own word.
@pytest.mark.parametrize("text", [
    "我老公在工地上被掉下来的钢管砸了，送到医院没抢救过来，人没了",
    "我爸在车间干活的时候手被机器夹断了",
    "他在矿井下面出了事，当场身亡",
    "我哥摔伤了，就是在工地上",
    "得了职业病，单位不管",
    "老板说这个不算工伤",
])
def test_a_work_injury_is_not_hidden_by_the_catch_all(text):
    area = finer_area_shown(catch_all_case_type(), [text])
    assert area is not None and area.key == "work_injury"
    assert case_type_within_area(catch_all_case_type(), area.key) == "labor"


@pytest.mark.parametrize("text, expected", [
    ("下班回家路上被车撞了，腿骨折了", "traffic"),            # a commute accident the NLU calls other: traffic
    ("在工地门口被一辆货车撞了", "traffic"),                  # the catch-all's own area comes first
    ("我在工地干了半年，老板一分钱工钱都没给", None),          # a workplace without harm
    ("工地老板欠钱不还，我都急死了", None),
    ("女儿做了伤残鉴定，对方不肯赔", None),                    # a grade other areas share is no strong cue
    ("邻居家的狗把我咬伤了", None),
])
def test_the_catch_all_keeps_what_names_no_work_injury(text, expected):
    area = finer_area_shown(catch_all_case_type(), [text])
    assert (area.key if area else None) == expected


@pytest.mark.parametrize("case_type", ["divorce", "contract"])
def test_only_the_catch_all_gives_way_to_a_strong_cue(case_type):
    assert finer_area_shown(case_type, ["我老公在工地上被钢管砸死了"]) is None


@pytest.mark.parametrize("case_type, practice_area, expected", [
    ("other", "work_injury", "labor"),   # a later "other" reading keeps the work injury
    ("other", "traffic", "other"),       # traffic is the catch-all's own
    ("divorce", "work_injury", "divorce"),  # a real case type stands
    ("labor", None, "labor"),
    ("other", None, "other"),
    (None, "work_injury", None),
])
def test_the_case_type_within_a_finer_area(case_type, practice_area, expected):
    assert case_type_within_area(case_type, practice_area) == expected


def test_the_catch_all_is_a_case_type_and_only_other_areas_have_strong_cues():
    assert catch_all_case_type() in case_types()
    for area in AREAS:
        if area.strong_cues:
            assert area.finer and area.case_type != catch_all_case_type(), area.key


@pytest.mark.parametrize(
    "change, key",
    [
        (_drop("areas.labor.intent"), "areas.labor.intent: missing"),
        (_drop("areas.other.amount_slots"), "areas.other.amount_slots: missing"),
        (_set("areas.labor.intent", ""), "areas.labor.intent: must be text"),
        (_set("areas.labor.handoff_checklist", "yes please"), "areas.labor.handoff_checklist: must be true or false"),
        (_set("areas.labor.amount_slots", "labor_amount_owed"), "areas.labor.amount_slots: must be a list"),
        (_set("areas.contract.case_type", "traffic"), "areas.contract.case_type: unknown case type 'traffic'"),
        (_set("areas.labor.amount_slot", []), "areas.labor.amount_slot: unknown field"),
        (_set("areas.contract.intent", "consult_labor"), "areas.contract.intent: 'consult_labor' is already"),
        (_set("areas.divorce.questionnaire", None), "areas.divorce.guidance: needs a questionnaire"),
        (_set("areas.other.record_label", "其他"), "areas.other.record_label"),
        (_set("areas.other.deadline_urgency", True), "areas.other.deadline_urgency: true needs guidance"),
        (_set("areas.other.calculators", True), "areas.other.calculators: true needs guidance"),
        (_set("areas.work_injury.calculators", False), "areas.work_injury.deadline_urgency: true needs calculators"),
        (_drop("areas.traffic.calculators"), "areas.traffic.calculators: missing"),
        (_set("areas.private_loan.computes_as.area", "private_loan"), "areas.private_loan.computes_as.area: must be"),
        (_set("areas.private_loan.computes_as.answers", {}), "areas.private_loan.computes_as.answers: must map"),
        (_set("areas.private_loan.computes_as.extra", 1), "areas.private_loan.computes_as: must be"),
        (_set("areas.private_loan.calculators", False), "areas.private_loan.deadline_urgency: true needs calculators"),
        (_set("areas.contract.computes_as", {"area": "labor", "answers": {"a": "b"}}),
         "areas.contract.computes_as: is for a finer area"),
        (_set("areas.other.other_party_slot", "x"), "areas.other.other_party_slot"),
        (_set("areas.labor.guidance", "../labor.yml"), "areas.labor.guidance: must be a file name"),
        (_drop("areas.other"), "areas.other: missing"),
        (_set("areas.labor.case_type", "contract"), "areas.labor.case_type"),
        (_set("case_types", []), "case_types: must be a non-empty list"),
        (_set("version", 2), "version: must be 1"),
        (_drop("unclassified_name"), "unclassified_name: must be text"),
        (_set("areas", {}), "areas: must map"),
        (_set("areas.labor", ["labor"]), "areas.labor: must map"),
        (_set("areas.labor.intent", None), "areas.labor.intent: a case type's own area needs its intent"),
        (_set("areas.labor.cues", ["工伤"]), "areas.labor.cues: only a finer area has cues"),
        (_set("areas.injury", {**FINER, "intent": "consult_injury"}), "areas.injury.intent: a finer area"),
        (_set("areas.injury", {**FINER, "cues": []}), "areas.injury.cues: a finer area"),
        (_set("areas.injury", {**FINER, "cues": ["工伤("]}), "areas.injury.cues: '工伤(' is not a regular"),
        (_set("areas.injury", {**FINER, "strong_cues": ["工地("]}), "areas.injury.strong_cues: '工地(' is not a"),
        (_set("areas.labor.strong_cues", ["工伤"]), "areas.labor.strong_cues: only a finer area of a case type"),
        (_set("areas.traffic.strong_cues", ["车祸"]), "areas.traffic.strong_cues: only a finer area of a case type"),
        (_drop("areas.work_injury.strong_cues"), "areas.work_injury.strong_cues: missing"),
        (_set("catch_all_case_type", "traffic"), "catch_all_case_type: must be one of case_types"),
        (_drop("catch_all_case_type"), "catch_all_case_type: must be one of case_types"),
    ],
)
def test_a_broken_registry_is_refused_naming_the_file_and_the_key(tmp_path, raw, change, key):
    data = copy.deepcopy(raw)
    change(data)
    path = tmp_path / "practice_areas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_practice_areas(path)
    assert str(path) in str(refused.value) and key in str(refused.value), str(refused.value)


def test_an_unreadable_registry_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "practice_areas.yml"
    path.write_text("areas: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML") as refused:
        load_practice_areas(path)
    assert str(path) in str(refused.value)
    with pytest.raises(ContentError, match="cannot be read"):
        load_practice_areas(tmp_path / "missing.yml")


def test_the_shipped_registry_is_named_relative_to_the_project():
    assert load_practice_areas().source == "content/practice_areas.yml"


# --- the core stays free of Rasa and of the packages that use it ----------------------------

FORBIDDEN = ("rasa", "rasa_sdk", "actions", "intake_nlu", "intake_dialogue", "channels", "console")


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "intake_core").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PROJECT_ROOT / "intake_core")))
def test_the_core_imports_nothing_of_rasa_or_the_packages_that_use_it(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    bad = sorted(name for name in imported if name.split(".")[0] in FORBIDDEN)
    assert not bad, f"{path.relative_to(PROJECT_ROOT)} imports {bad}"


def test_loading_the_registry_pulls_in_none_of_them():
    # Also what the core's own imports bring in (the AST check sees only direct imports).
    code = ("import sys, intake_core.practice_areas as p; p.areas(); "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({FORBIDDEN!r})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": ""})
    assert result.stdout.strip() == "[]", result.stdout


def test_an_area_that_computes_as_another_reads_its_own_answers_in_the_other_s_names():
    from intake_core.practice_areas import ComputesAs

    rule = ComputesAs("contract", (("contract_loan_rate", "private_loan_rate"),), (("contract_kind", ("loan",)),))
    assert rule.slots_for({"private_loan_rate": "24", "contract_loan_rate": "99"}) == {
        "contract_kind": ("loan",), "contract_loan_rate": "24"}

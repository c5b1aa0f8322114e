"""Every action and response the code relies on exists, and the reverse."""
import inspect

import pytest
from rasa_sdk import Action

import actions.crisis
import actions.guidance
import actions.handoff
import actions.questionnaires.flow
import actions.questionnaires.forms
import actions.rights
import actions.slot_mappings
import actions.statutes
import actions.triage
from intake_core.practice_areas import areas, case_types
from intake_core.safety_lexicon import load_lexicon

ACTION_MODULES = [
    actions.crisis,
    actions.guidance,
    actions.handoff,
    actions.questionnaires.flow,
    actions.questionnaires.forms,
    actions.rights,
    actions.slot_mappings,
    actions.statutes,
    actions.triage,
]


def implemented_actions():
    return {
        cls().name()
        for module in ACTION_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls)
    }


def test_every_custom_action_in_the_domain_is_implemented(domain):
    assert set(domain["actions"]) == implemented_actions()


def test_stable_interface_actions_exist(domain):
    assert {"action_handoff_to_lawyer", "action_crisis_response"} <= set(domain["actions"])


def test_case_type_slot_has_the_four_stable_values(domain):
    # Written out on purpose: outside checks rely on exactly these, so neither the domain
    # nor the practice-area registry may change them in passing.
    assert domain["slots"]["case_type"]["values"] == ["divorce", "labor", "contract", "other"]
    assert list(case_types()) == domain["slots"]["case_type"]["values"]


def test_every_response_an_action_can_choose_exists(domain):
    lexicon = load_lexicon()
    crisis_kinds = set(lexicon.categories("crisis"))
    boundary = set(lexicon.categories("request_lawyer"))
    needed = (
        {f"utter_triage_{area.case_type}" for area in areas()}
        | {area.checklist_response for area in areas()}
        | {f"utter_crisis_{kind}" for kind in crisis_kinds | {"general"}}
        | {f"utter_handoff_reason_{reason}" for reason in boundary | {"human", "complaint", "boundary"}}
        | {"utter_handoff_next_steps", "utter_handoff_not_recorded", "utter_crisis_followup",
           "utter_crisis_not_recorded", "utter_consultation_disclaimer", "utter_ask_what_happened"}
    )
    assert needed - set(domain["responses"]) == set()


@pytest.mark.parametrize("area", [a for a in areas() if not a.finer], ids=lambda area: area.key)
def test_case_type_is_mapped_from_each_case_intent(domain, area):
    mapped = {
        m.get("intent"): m.get("value")
        for m in domain["slots"]["case_type"]["mappings"]
        if m["type"] == "from_intent"
    }
    assert mapped.get(area.intent) == area.case_type


def test_the_form_steps_aside_for_exactly_the_intents_the_slots_ignore(domain):
    from actions.questionnaires.validation import INTERRUPTION_INTENTS
    from intake_core.questionnaires.definitions import load_questionnaires

    for questionnaire in load_questionnaires().values():
        for question in questionnaire.questions:
            [mapping] = domain["slots"][question.slot]["mappings"]
            assert set(mapping["not_intent"]) == INTERRUPTION_INTENTS, question.slot


# --- crisis: the emergency numbers must not depend on the action server ---------

EMERGENCY_NUMBERS = ("110", "120", "12356")


def crisis_rules():
    """Every rule (data/rules/*.yml) whose steps include the crisis intent."""
    import yaml

    from conftest import PROJECT_ROOT

    rules = []
    for path in sorted((PROJECT_ROOT / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []):
            if {"intent": "crisis"} in rule.get("steps", []):
                rules.append(rule)
    return rules


def test_every_crisis_rule_sends_the_emergency_response_before_the_crisis_action():
    rules = crisis_rules()
    assert len(rules) >= 2  # the safety rule and at least one per-questionnaire rule
    for rule in rules:
        steps = rule["steps"]
        at = steps.index({"intent": "crisis"})
        assert steps[at + 1 : at + 3] == [
            {"action": "utter_crisis_emergency"},
            {"action": "action_crisis_response"},
        ], rule["rule"]


def test_the_emergency_response_gives_the_numbers_and_the_action_does_not_repeat_them(domain):
    [emergency] = domain["responses"]["utter_crisis_emergency"]
    assert all(number in emergency["text"] for number in EMERGENCY_NUMBERS)
    kinds = set(load_lexicon().categories("crisis")) | {"general"}
    for name in [f"utter_crisis_{kind}" for kind in kinds] + ["utter_crisis_followup", "utter_crisis_not_recorded"]:
        for variation in domain["responses"][name]:
            repeated = [number for number in EMERGENCY_NUMBERS if number in variation["text"]]
            assert repeated == [], name

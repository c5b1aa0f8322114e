"""intake_dialogue/rule_lookup.py: RulePolicy's search for the rules a conversation matches,
stopped once no earlier state can change it, finds what Rasa's full walk finds (issue 18)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import SHOULD_NOT_BE_SET

from intake_dialogue import rule_lookup


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> RulePolicy:
    storage = LocalModelStorage(tmp_path_factory.mktemp("rules"))
    return RulePolicy.create(
        RulePolicy.get_default_config(), storage, Resource("rules"), ExecutionContext(GraphSchema({}))
    )


# States as Rasa's featurizer writes them: the previous action, the user's intent, slots as
# feature tuples, the active loop; a conversation's first state has no previous action. Rules
# also say that a slot or loop must not be set (SHOULD_NOT_BE_SET). Few values, so that rules
# and conversations match often.
def _state(*, rule: bool) -> st.SearchStrategy[dict]:
    loops = ["labor_form", "divorce_form"] + ([SHOULD_NOT_BE_SET] if rule else [])
    slot_values = [(1.0,), (0.0,)] + ([SHOULD_NOT_BE_SET] if rule else [])
    actions = ["action_listen", "utter_a", "labor_form"]
    parts = {
        "prev_action": st.fixed_dictionaries({"action_name": st.sampled_from(actions)}),
        "user": st.fixed_dictionaries({"intent": st.sampled_from(["consult_labor", "affirm", "deny"])}),
        "slots": st.dictionaries(st.sampled_from(["case_type", "paused"]), st.sampled_from(slot_values), max_size=2),
        "active_loop": st.fixed_dictionaries({"name": st.sampled_from(loops)}),
    }
    return st.sets(st.sampled_from(sorted(parts)), max_size=4).flatmap(
        lambda chosen: st.fixed_dictionaries({name: parts[name] for name in chosen})
    )


def _key(states: list[dict]) -> str:
    """A rule's key as RulePolicy stores it (``_create_feature_key``: JSON, tuples as lists)."""
    return json.dumps(states, sort_keys=True)


rules = st.lists(st.lists(_state(rule=True), min_size=1, max_size=4).map(_key), min_size=1, max_size=30)
conversations = st.lists(_state(rule=False), max_size=14)


@settings(max_examples=150, deadline=None)
@given(rules, conversations)
def test_the_same_rules_as_rasas_walk_over_the_whole_conversation(policy, keys, states):
    lookup = {key: "some_action" for key in keys}
    assert rule_lookup.possible_keys(policy, lookup, states) == rule_lookup._rasa_get_possible_keys(
        policy, lookup, states
    )


@pytest.fixture
def checks(monkeypatch) -> list[tuple[str, int]]:
    """(rule, distance from the newest state) of every check Rasa's ``_is_rule_applicable`` makes."""
    made: list[tuple[str, int]] = []
    check = RulePolicy._is_rule_applicable

    def counted(self, key, turn_index, state):
        made.append((key, turn_index))
        return check(self, key, turn_index, state)

    monkeypatch.setattr(RulePolicy, "_is_rule_applicable", counted)
    return made


def test_a_long_conversation_is_walked_only_as_far_as_the_longest_rule(policy, checks):
    """What the module is for; fails if the walk goes on to the first state."""
    listen = {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "affirm"}}
    lookup = {_key([listen]): "utter_a", _key([listen, listen]): "utter_b"}
    assert rule_lookup.possible_keys(policy, lookup, [listen] * 80) == set(lookup)
    assert max(turn_index for _, turn_index in checks) == 1


def test_the_newest_state_is_checked_only_against_the_rules_of_its_previous_action(policy, checks):
    """The index; fails if every rule is checked against the newest state."""
    def state(action: str) -> dict:
        return {"prev_action": {"action_name": action}, "user": {"intent": "affirm"}}

    unnamed = _key([{"user": {"intent": "affirm"}}])
    lookup = {_key([state(f"utter_{n}")]): f"utter_{n}" for n in range(20)} | {unnamed: "utter_x"}
    assert rule_lookup.possible_keys(policy, lookup, [state("utter_3")]) == {_key([state("utter_3")])}
    assert sorted(key for key, _ in checks) == sorted([_key([state("utter_3")]), unnamed])


def test_rasa_uses_it_once_the_package_is_imported():
    import intake_dialogue  # noqa: F401  (installs it, as loading the model does)

    assert RulePolicy._get_possible_keys is rule_lookup.possible_keys

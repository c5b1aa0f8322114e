"""RulePolicy's search for the rules that match a conversation, stopped where it can decide
nothing more (issue 18).

``RulePolicy._get_possible_keys`` starts from every rule (383 in our model, 84 more for forms'
unhappy paths) and walks the conversation's states from the newest back to the first, keeping
the rules whose state at that distance matches. A rule shorter than the distance is kept
without a look (``_is_rule_applicable``'s first check): it already matched in full. So once the
distance passes the longest rule still kept, no later state can remove any rule, yet Rasa walks
on to the first state of the conversation, calling the check for every kept rule at every
state: a forty-turn intake has about 80 states and our longest rule has 4. That was 2.2 ms of
Rasa's CPU a turn, growing with the conversation (docs/performance.md).

The first step, at the newest state, checks every rule, most of which cannot match: a rule
whose last state names a previous action matches only a state with that previous action
(``_is_rule_applicable`` refuses a state without one, ``_does_rule_match_state`` one with
another). The rules are indexed once by that name, and the first step checks only the rules of
the state's previous action and those whose last state names none.

``possible_keys`` is the same walk, using Rasa's own ``_is_rule_applicable`` for every rule it
checks, starting from the index, stopped when the distance passes every kept rule's length: the
same set of rules in every case (tests/test_rule_lookup.py checks it against Rasa's walk on
generated rules and conversations). Installed when Rasa imports this package.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.generator import State
from rasa.shared.nlu.constants import ACTION_NAME

_rasa_get_possible_keys = RulePolicy._get_possible_keys


@cache  # the keys are the model's rules: a fixed, finite set
def rule_length(rule_key: str) -> int:
    """The number of states in a rule (its key is the JSON of its states)."""
    return len(RulePolicy._rule_key_to_state(rule_key))


def _previous_action_name(state: State) -> Any:
    return (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)


@lru_cache(maxsize=8)  # one set of keys per lookup (rules, forms' unhappy paths) and model
def by_previous_action(keys: frozenset[str]) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The rules by the previous action their last state names, and the rules whose last
    state names none (or says it must not be set): those are checked whatever the state."""
    named: defaultdict[str, set[str]] = defaultdict(set)
    unnamed: set[str] = set()
    for key in keys:
        name = _previous_action_name(RulePolicy._rule_key_to_state(key)[-1])
        if name and name != SHOULD_NOT_BE_SET:
            named[name].add(key)
        else:
            unnamed.add(key)
    return {name: frozenset(rules) for name, rules in named.items()}, frozenset(unnamed)


def candidates(lookup: dict[str, Any], newest: State) -> set[str]:
    """The rules that may match the newest state; the others cannot."""
    named, unnamed = by_previous_action(frozenset(lookup))
    return set(named.get(_previous_action_name(newest), frozenset()) | unnamed)


def possible_keys(policy: RulePolicy, lookup: dict[str, Any], states: list[State]) -> set[str]:
    """The rules of ``lookup`` that ``states`` match: Rasa's ``_get_possible_keys``."""
    possible = candidates(lookup, states[-1]) if states else set(lookup.keys())
    for turn_index, state in enumerate(reversed(states)):
        if all(rule_length(key) <= turn_index for key in possible):
            break  # each kept rule matched in full; so does the empty set
        possible = {
            key
            for key in possible
            if rule_length(key) <= turn_index or policy._is_rule_applicable(key, turn_index, state)
        }
    return possible


def install() -> None:
    RulePolicy._get_possible_keys = possible_keys  # type: ignore[method-assign]

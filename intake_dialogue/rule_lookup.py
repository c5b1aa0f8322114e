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

``possible_keys`` is the same walk, using Rasa's own ``_is_rule_applicable`` for every rule
within its length, stopped when the distance passes every kept rule's length: the same set of
rules in every case (tests/test_rule_lookup.py checks it against Rasa's on the trained model's
rules and generated states). Installed when Rasa imports this package.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.generator import State

_rasa_get_possible_keys = RulePolicy._get_possible_keys


@cache  # the keys are the model's rules: a fixed, finite set
def rule_length(rule_key: str) -> int:
    """The number of states in a rule (its key is the JSON of its states)."""
    return len(RulePolicy._rule_key_to_state(rule_key))


def possible_keys(policy: RulePolicy, lookup: dict[str, Any], states: list[State]) -> set[str]:
    """The rules of ``lookup`` that ``states`` match: Rasa's ``_get_possible_keys``."""
    possible = set(lookup.keys())
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

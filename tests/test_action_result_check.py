"""The action server's answers are checked as Rasa checks them, with the validator built once
(intake_dialogue/action_result_check.py; issue 18: the check was 44% of Rasa's CPU per turn)."""
from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction

import intake_dialogue  # noqa: F401 - installs the check, as loading the model does
from intake_dialogue.action_result_check import validate_action_result

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
EVENT = st.fixed_dictionaries(
    {"event": st.sampled_from(["slot", "followup", "action", "user", "bot", "reset_slots", "no_such_event", 3])},
    optional={"name": st.text(max_size=8) | st.integers(), "value": JSON, "timestamp": st.none() | st.floats(0, 1e9),
              "text": st.text(max_size=8) | st.none()},
)
RESULT = st.fixed_dictionaries({}, optional={
    "events": st.lists(EVENT, max_size=4) | JSON,
    "responses": st.lists(st.dictionaries(st.text(max_size=4), JSON, max_size=2) | JSON, max_size=3) | JSON,
})


def rasa_verdict(result: dict[str, Any]) -> str | None:
    """What Rasa's own check (jsonschema.validate on the same schema) says: None or the error."""
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return None
    except jsonschema.ValidationError as error:
        return error.message


def test_loading_the_dialogue_package_installs_the_check():
    assert RemoteAction._validate_action_result is validate_action_result


def test_a_valid_answer_passes_and_an_invalid_one_is_refused_with_rasas_message():
    remote = RemoteAction("action_triage", None)
    assert remote._validate_action_result({"events": [{"event": "slot", "name": "case_type", "value": "labor"}],
                                           "responses": [{"response": "utter_greet"}]}) is True
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        remote._validate_action_result({"events": [{"event": "no_such_event"}], "responses": []})


@settings(max_examples=150, deadline=None)
@given(RESULT)
def test_the_verdict_is_rasas_own_for_any_answer(result):
    try:
        verdict = None if validate_action_result(RemoteAction("action_triage", None), result) else "False"
    except jsonschema.ValidationError as error:
        verdict = error.message.split(". Failed to validate Action server response")[0]
    assert verdict == rasa_verdict(result)

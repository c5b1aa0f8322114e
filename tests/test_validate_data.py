"""scripts/validate_data.py: which of `rasa data validate`'s warnings are excused, derived from the code."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("validate_data", ROOT / "scripts" / "validate_data.py")
validate_data = importlib.util.module_from_spec(_spec)
sys.modules["validate_data"] = validate_data  # dataclasses look their module up by name
_spec.loader.exec_module(validate_data)


def unused(name):
    return f"The utterance '{name}' is not used in any story or rule."


def without_examples(name):
    return f"The intent '{name}' is listed in the domain file, but is not found in the NLU training data."


@pytest.fixture
def project(tmp_path):
    """A small tree: an action uttering responses by name, a channel sending an intent, a form."""
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "a.py").write_text(
        'def run(d, kind):\n'
        '    """Mentions utter_in_a_docstring, which is no use."""\n'
        '    d.utter_message(response="utter_from_action")\n'
        '    d.utter_message(response=f"utter_family_{kind}")\n'
        '    d.utter_message(response=f"utter_{kind}")\n',
        encoding="utf-8",
    )
    (tmp_path / "channels").mkdir()
    (tmp_path / "channels" / "c.py").write_text('PAYLOAD = "/sent_by_channel"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "x.yml").write_text("checklist: utter_from_content\n", encoding="utf-8")
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "d.yml").write_text("forms:\n  f_form:\n    required_slots: [wage]\n", encoding="utf-8")
    return validate_data.collect_uses(tmp_path, tmp_path / "domain")


def test_a_response_used_nowhere_is_reported(project):
    excused, remaining = validate_data.judge([unused("utter_nobody_says_this")], project)
    assert (excused, remaining) == ([], [unused("utter_nobody_says_this")])


@pytest.mark.parametrize(
    "name",
    ["utter_from_action", "utter_family_labor", "utter_from_content", "utter_ask_wage", "utter_ask_f_form_wage"],
)
def test_a_response_uttered_by_the_code_or_asked_by_a_form_is_excused(project, name):
    assert validate_data.judge([unused(name)], project) == ([unused(name)], [])


@pytest.mark.parametrize("name", ["utter_in_a_docstring", "utter_ask_other_slot", "utter_familyless"])
def test_a_mention_in_prose_a_slot_no_form_asks_or_a_bare_utter_prefix_excuses_nothing(project, name):
    # f"utter_{kind}" would excuse every response; docstrings are not calls.
    assert validate_data.judge([unused(name)], project) == ([], [unused(name)])


def test_an_intent_without_examples_is_excused_only_when_the_code_sends_it(project):
    sent, never = without_examples("sent_by_channel"), without_examples("never_sent")
    assert validate_data.judge([sent, never], project) == ([sent], [never])


def test_any_other_warning_is_reported(project):
    other = "Issue found while processing 'data/nlu/x.yml': The item 'greet' contains an example that ..."
    assert validate_data.judge([other], project) == ([], [other])

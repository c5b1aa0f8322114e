"""The questionnaires' slots, forms, questions and rules are generated from
content/questionnaires.yml, and the generated files are never out of date."""
import pytest
import yaml

from actions.questionnaires import generate
from actions.questionnaires.validation import INTERRUPTION_INTENTS
from intake_core.domain_files import DOMAIN_DIR
from intake_core.questionnaires.definitions import QuestionnaireError, load_questionnaires, parse_questionnaires

# The made-up form of these tests and its case type (a real form's is its practice area's).
TEST_FORMS = {"f_form": "other"}


def test_the_generated_files_match_the_questionnaires():
    stale = [str(path.relative_to(generate.PROJECT_ROOT)) for path in generate.stale_files()]
    assert not stale, f"{stale} out of date with content/questionnaires.yml: run `{generate.COMMAND}`"


def test_the_generated_files_say_where_they_come_from():
    for path in generate.generated_files():
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert "generated from content/questionnaires.yml" in first_line and "do not edit" in first_line
        assert generate.COMMAND in first_line


def test_nothing_generated_is_also_written_by_hand():
    with open(DOMAIN_DIR / "domain.yml", encoding="utf-8") as handle:
        hand_written = yaml.safe_load(handle)
    generated = yaml.safe_load(generate.DOMAIN_FILE.read_text(encoding="utf-8"))
    for section in ("slots", "forms", "responses"):
        assert not set(hand_written.get(section) or {}) & set(generated[section]), section
    assert not set(hand_written["actions"]) & set(generated["actions"])


def _data(**question):
    base = {"slot": "f_a", "kind": "yes_no", "label": "A", "required": False, "ask": "有吗？"}
    return {
        "version": 1,
        "buttons_by_kind": {"yes_no": ["是", "不是"]},
        "f_form": {"questions": [{**base, **question}]},
    }


def test_a_question_is_generated_with_its_wording_slot_form_and_rules():
    questionnaires = parse_questionnaires(_data(ask="你们有孩子吗？"), TEST_FORMS)
    domain = generate.domain_part(questionnaires)
    assert domain["responses"]["utter_ask_f_a"][-1] == {  # the plain variation (the other: asked again)
        "text": "你们有孩子吗？",
        "buttons": [{"title": "是", "payload": "是"}, {"title": "不是", "payload": "不是"}],
    }
    assert domain["forms"]["f_form"]["required_slots"] == ["f_a", "f_confirmed"]
    [mapping] = domain["slots"]["f_a"]["mappings"]
    assert mapping["type"] == "from_text"
    assert set(mapping["not_intent"]) == INTERRUPTION_INTENTS
    assert mapping["conditions"] == [{"active_loop": "f_form", "requested_slot": "f_a"}]
    assert {"validate_f_form", "action_ask_f_confirmed"} <= set(domain["actions"])
    rules = generate.rules_part(questionnaires)["rules"]
    accept = next(rule for rule in rules if "accepts" in rule["rule"])
    assert {"action": "f_form"} in accept["steps"] and accept["condition"] == [
        {"slot_was_set": [{"case_type": "other"}]}
    ]


def test_a_consent_withdrawn_mid_questionnaire_is_done_and_the_questionnaire_goes_on():
    rules = generate.rules_part(parse_questionnaires(_data(sensitive="health"), TEST_FORMS))["rules"]
    [withdrawn] = [rule for rule in rules if {"intent": "withdraw_consent"} in rule["steps"]]
    assert withdrawn["condition"] == [{"active_loop": "f_form"}]
    assert withdrawn["steps"] == [
        {"intent": "withdraw_consent"},
        {"action": "action_withdraw_consent"},
        {"action": "f_form"},
        {"active_loop": "f_form"},
    ]


def test_a_question_s_own_buttons_replace_those_of_its_kind():
    own = [{"title": "我交的，对方违约", "payload": "对方违约"}, "定金是我收的"]
    domain = generate.domain_part(
        parse_questionnaires(_data(kind="choices", choices={"x": ["x"]}, buttons=own), TEST_FORMS)
    )
    assert domain["responses"]["utter_ask_f_a"][0]["buttons"] == [
        {"title": "我交的，对方违约", "payload": "对方违约"},
        {"title": "定金是我收的", "payload": "定金是我收的"},
    ]
    plain = generate.domain_part(parse_questionnaires(_data(kind="text"), TEST_FORMS))
    assert "buttons" not in plain["responses"]["utter_ask_f_a"][0]


def test_a_question_without_its_wording_is_refused():
    with pytest.raises(QuestionnaireError, match="ask"):
        generate.domain_part(parse_questionnaires(_data(ask=""), TEST_FORMS))


def test_a_malformed_button_is_refused():
    with pytest.raises(QuestionnaireError, match="button"):
        parse_questionnaires(_data(buttons=[{"title": "是"}]), TEST_FORMS)


def test_the_check_names_the_command_to_run(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "questionnaires.generated.yml"
    stale.write_text("# edited by hand\n", encoding="utf-8")
    monkeypatch.setattr(generate, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(generate, "generated_files", lambda: {stale: "new\n"})
    assert generate.main(["--check"]) == 1
    assert generate.COMMAND in capsys.readouterr().out
    assert stale.read_text(encoding="utf-8") == "# edited by hand\n"
    assert generate.main([]) == 0
    assert stale.read_text(encoding="utf-8") == "new\n"
    assert generate.main(["--check"]) == 0


def test_the_project_reads_the_hand_written_and_the_generated_domain_together():
    from channels.chat_page import disclaimer_text
    from console.rasa_api import _domain_responses

    responses = _domain_responses()
    assert {"utter_consultation_disclaimer", "utter_ask_labor_employer"} <= set(responses)
    assert disclaimer_text() == responses["utter_consultation_disclaimer"][0]["text"]


def test_a_question_asked_again_after_a_digression_starts_with_the_prefix_and_keeps_its_buttons():
    from actions.questionnaires.generate import domain_part
    from intake_core.questionnaires.definitions import RETURNING_SLOT, ask_again_prefix

    questionnaires = load_questionnaires()
    question = questionnaires["divorce_form"].question("divorce_has_home")
    again, plain = domain_part(questionnaires)["responses"]["utter_ask_divorce_has_home"]
    assert ask_again_prefix() and again["text"] == ask_again_prefix() + question.ask
    assert again["condition"] == [{"type": "slot", "name": RETURNING_SLOT, "value": True}]
    assert plain == {"text": question.ask, "buttons": again["buttons"]} and "condition" not in plain

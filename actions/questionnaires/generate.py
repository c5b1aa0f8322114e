"""Writes the Rasa side of the questionnaires from content/questionnaires.yml.

A question is defined once, in content/questionnaires.yml. Rasa still needs it
as a slot with a ``from_text`` mapping, a place in its form's ``required_slots``,
an ``utter_ask_<slot>`` response and the form's rules; all of that is derived
here, so nobody writes it by hand:

- ``domain/questionnaires.generated.yml``: slots, forms, the forms' actions and
  the ``utter_ask_<slot>`` responses (Rasa merges the files of ``domain/``);
- ``data/rules/questionnaires.generated.yml``: per form, the rules that start,
  interrupt and submit it (Rasa's rules name one form each, so one set per form).

``python -m actions.questionnaires.generate`` writes both (``make generate``);
``--check`` only says which are out of date (tests/test_generated_questionnaires.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from actions.questionnaires.validation import INTERRUPTION_INTENTS
from intake_core.config import PROJECT_ROOT
from intake_core.practice_areas import areas
from intake_core.privacy import privacy_content
from intake_core.questionnaires.definitions import (
    RETURNING_SLOT,
    Question,
    Questionnaire,
    QuestionnaireError,
    ask_again_prefix,
    consent_slot,
    load_questionnaires,
)

COMMAND = "make generate"
DOMAIN_FILE = PROJECT_ROOT / "domain" / "questionnaires.generated.yml"
RULES_FILE = PROJECT_ROOT / "data" / "rules" / "questionnaires.generated.yml"
HEADER = (
    f"# generated from content/questionnaires.yml by `{COMMAND}`"
    " (python -m actions.questionnaires.generate); do not edit\n"
)

# The rules of one form ({form}, its practice area {area} and {case_type}); a finer area's
# form (work injury within labor) is also conditioned on the slot practice_area, and RulePolicy
# prefers the longer, more specific rule over the case type's own; generic rules that name no form
# (decline, confirm stopping, resume, guidance views) stay in data/rules/questionnaires.yml.
FORM_RULES = """
- rule: after triage of a {area} case, offer the questionnaire
  condition:
    - slot_was_set:
        - case_type: {case_type}{finer_condition}
  steps:
    - action: action_triage
    - action: utter_offer_intake

- rule: the {area} caller accepts the questionnaire
  condition:
    - slot_was_set:
        - case_type: {case_type}{finer_condition}
  steps:
    - action: utter_offer_intake
    - intent: affirm
    - action: {form}
    - active_loop: {form}

- rule: the {area} questionnaire is submitted once the caller confirms the summary
  condition:
    - active_loop: {form}
  steps:
    - action: {form}
    - active_loop: null
    - slot_was_set:
        - requested_slot: null
    - action: action_submit_intake
    - action: action_give_guidance

- rule: a request for a lawyer mid-questionnaire hands off and the {area} questionnaire is put aside
  condition:
    - active_loop: {form}
  steps:
    - intent: request_lawyer
    - action: action_handoff_to_lawyer
    - action: action_deactivate_loop
    - active_loop: null

- rule: a complaint mid-questionnaire is escalated and the {area} questionnaire is put aside
  condition:
    - active_loop: {form}
  steps:
    - intent: complaint
    - action: action_handoff_to_lawyer
    - action: action_deactivate_loop
    - active_loop: null

- rule: a photo or file mid-questionnaire is acknowledged, then the same {area} question again
  condition:
    - active_loop: {form}
  steps:
    - intent: share_attachment
    - action: action_note_attachment
    - action: {form}
    - active_loop: {form}

- rule: a crisis mid-questionnaire gets the crisis response and ends the {area} questionnaire
  condition:
    - active_loop: {form}
  steps:
    - intent: crisis
    - action: utter_crisis_emergency
    - action: action_crisis_response
    - action: action_deactivate_loop
    - active_loop: null

- rule: the caller wants to stop the {area} questionnaire and is asked to confirm
  condition:
    - active_loop: {form}
  steps:
    - intent: stop_intake
    - action: action_deactivate_loop
    - active_loop: null
    - action: utter_confirm_stop_intake

- rule: a question mid-questionnaire is answered briefly, then the same {area} question again
  condition:
    - active_loop: {form}
  steps:
    - or:
        - intent: ask_general_info
        - intent: ask_plain_summary
        - intent: ask_legal_basis
        - intent: ask_next_steps
        - intent: request_record
    - action: action_answer_question
    - action: {form}
    - active_loop: {form}

- rule: a deletion asked mid-questionnaire puts the {area} questionnaire aside and asks to confirm
  condition:
    - active_loop: {form}
  steps:
    - intent: delete_my_data
    - action: action_deactivate_loop
    - active_loop: null
    - action: utter_confirm_erasure

- rule: a copy asked mid-questionnaire is given, then the same {area} question again
  condition:
    - active_loop: {form}
  steps:
    - intent: show_my_data
    - action: action_show_my_data
    - action: {form}
    - active_loop: {form}

- rule: a consent withdrawn mid-questionnaire is done, then the {area} questionnaire goes on without that kind
  condition:
    - active_loop: {form}
  steps:
    - intent: withdraw_consent
    - action: action_withdraw_consent
    - action: {form}
    - active_loop: {form}

- rule: a question about an article mid-questionnaire is answered from the statute text, then the same {area} question again
  condition:
    - active_loop: {form}
  steps:
    - intent: ask_article
    - action: action_quote_article
    - action: {form}
    - active_loop: {form}
"""  # noqa: E501 (a rule's name in the generated YAML stays on one line)


def _text_slot(form: str, slot: str) -> dict[str, Any]:
    """Filled from the caller's words only while its form asks for it; the form's
    validator reads the words. Interruptions are never taken as an answer."""
    return {
        "type": "any",
        "influence_conversation": False,
        "mappings": [
            {
                "type": "from_text",
                "not_intent": sorted(INTERRUPTION_INTENTS),
                "conditions": [{"active_loop": form, "requested_slot": slot}],
            }
        ],
    }


def _ask_response(form: str, question: Question) -> list[dict[str, Any]]:
    if not question.ask:
        raise QuestionnaireError(f"{form}.{question.slot}: the question needs 'ask' (its wording)")
    buttons = [{"title": title, "payload": payload} for title, payload in question.buttons]
    variations: list[dict[str, Any]] = []
    prefix = ask_again_prefix()
    if prefix:
        # Asked again after a side question or a correction: introduced, so it reads as a return.
        variations.append(
            {
                "text": prefix + question.ask,
                "condition": [{"type": "slot", "name": RETURNING_SLOT, "value": True}],
            }
        )
    variations.append({"text": question.ask})
    for variation in variations:
        if buttons:
            variation["buttons"] = [dict(button) for button in buttons]  # copies: no YAML aliases
    return variations


def _with_consents(questionnaire: Questionnaire) -> list[str]:
    """The form's slots, each kind's consent question just before its first sensitive question."""
    slots: list[str] = []
    for question in questionnaire.questions:
        if question.sensitive and consent_slot(question.sensitive) not in slots:
            slots.append(consent_slot(question.sensitive))
        slots.append(question.slot)
    return slots + [questionnaire.confirm_slot]


def _consent_response(kind: str) -> list[dict[str, Any]]:
    """The separate-consent question of content/privacy.yml, with 同意 / 不同意."""
    ask = privacy_content()["sensitive"][kind]["ask"]
    return [{"text": ask, "buttons": [{"title": "同意", "payload": "同意"}, {"title": "不同意", "payload": "不同意"}]}]


def domain_part(questionnaires: dict[str, Questionnaire]) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    forms: dict[str, Any] = {}
    actions: list[str] = []
    responses: dict[str, Any] = {}
    for form, questionnaire in questionnaires.items():
        required = _with_consents(questionnaire)
        for slot in required:
            if slot in slots:  # a consent asked by several forms: filled while any of them asks
                slots[slot]["mappings"] += _text_slot(form, slot)["mappings"]
            else:
                slots[slot] = _text_slot(form, slot)
        for kind in questionnaire.sensitive_kinds():
            responses[f"utter_ask_{consent_slot(kind)}"] = _consent_response(kind)
        # Rasa asks for every one; the validator narrows them to those that apply.
        forms[form] = {"required_slots": required}
        # The summary to confirm is built by an action, the other questions are responses.
        actions += [f"validate_{form}", f"action_ask_{questionnaire.confirm_slot}"]
        for question in questionnaire.questions:
            responses[f"utter_ask_{question.slot}"] = _ask_response(form, question)
    return {"version": "3.1", "slots": slots, "forms": forms, "actions": actions, "responses": responses}


def rules_part(questionnaires: dict[str, Questionnaire]) -> dict[str, Any]:
    rules: list[Any] = []
    area_by_form = {area.questionnaire: area for area in areas() if area.questionnaire}
    for form, questionnaire in questionnaires.items():
        area = area_by_form.get(form)
        key = area.key if area else questionnaire.case_type
        finer = f"\n        - practice_area: {key}" if area and area.finer else ""
        rules += yaml.safe_load(
            FORM_RULES.format(form=form, case_type=questionnaire.case_type, area=key, finer_condition=finer)
        )
    return {"version": "3.1", "rules": rules}


def _dump(data: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=200)


def generated_files() -> dict[Path, str]:
    """Each generated file and the text it must have."""
    questionnaires = load_questionnaires()
    return {DOMAIN_FILE: _dump(domain_part(questionnaires)), RULES_FILE: _dump(rules_part(questionnaires))}


def stale_files(files: dict[Path, str] | None = None) -> list[Path]:
    """Generated files missing or different from what content/questionnaires.yml gives."""
    files = generated_files() if files is None else files
    return [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    check = parser.parse_args(argv).check
    files = generated_files()
    stale = stale_files(files)
    for path in stale:
        if check:
            print(f"{path.relative_to(PROJECT_ROOT)} is out of date with content/questionnaires.yml: run `{COMMAND}`")
        else:
            path.write_text(files[path], encoding="utf-8")
            print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

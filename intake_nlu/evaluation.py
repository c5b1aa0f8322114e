"""Measuring the NLU as the assistant uses it (model + safety net).

Shared by ``make eval`` (scripts/evaluate_nlu.py) and the accuracy floor test.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

from sklearn.metrics import f1_score, precision_recall_fscore_support

from intake_core.case_type import case_type_from_parse
from intake_core.case_types import CASE_TYPE_BY_INTENT, CASE_TYPES

SAFETY_INTENTS = ("request_lawyer", "crisis")
# The intents of the foundation issue (triage, safety, small talk); later
# intents (questionnaire answers and control, guidance views) come on top.
FOUNDATION_INTENTS = {
    "consult_divorce", "consult_labor", "consult_contract", "consult_other", "request_lawyer",
    "crisis", "complaint", "express_distress", "ask_general_info", "greet", "goodbye", "affirm",
    "deny", "thanks", "bot_challenge", "out_of_scope",
}
# Held-out intents that are ordinary questions: a handoff or crisis there is a false trigger.
ORDINARY_INTENTS = set(CASE_TYPE_BY_INTENT) | {"ask_general_info"}
# What the dialogue must do first with each safety intent, wherever it comes. A
# crisis starts with Rasa's own emergency response (utter_crisis_emergency: the
# numbers reach the caller even with the action server down); the rule runs
# action_crisis_response right after it.
SAFETY_ACTIONS = {"request_lawyer": "action_handoff_to_lawyer", "crisis": "utter_crisis_emergency",
                  "complaint": "action_handoff_to_lawyer"}


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def load_held_out(path: Path) -> list[Example]:
    """Examples of a Rasa NLU YAML file, with their intents."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [Example(m.get("text"), m.get("intent")) for m in data.intent_examples]


def load_questionnaire_answers(path: Path) -> list[tuple[str, str]]:
    """(question slot, answer) pairs of tests/questionnaire_answers.yml."""
    import yaml

    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return [(slot, str(text)) for slot, texts in data.items() if slot != "version" for text in texts]


def load_real_questions(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Parser:
    """Parses texts with a trained model, exactly as ``rasa run`` would."""

    def __init__(self, model_path: Path) -> None:
        from rasa.core.agent import Agent

        self._agent = Agent.load(str(model_path))
        self._loop = asyncio.new_event_loop()

    def parse(self, text: str) -> dict[str, Any]:
        return self._loop.run_until_complete(self._agent.parse_message(text))

    def parse_all(self, texts: Iterable[str]) -> list[dict[str, Any]]:
        return [self.parse(text) for text in texts]

    def next_action(self, parse: dict[str, Any], context: str, requested: str = "labor_employer") -> Optional[str]:
        """The action the dialogue model (rules, policies) takes after a message
        parsed as ``parse``, said at ``context``: "first_turn" or "mid_questionnaire"
        (the labor questionnaire waiting for the answer to ``requested``, by
        default its first question, a free-text one)."""
        from rasa.shared.core.events import (
            ActionExecuted,
            ActionExecutionRejected,
            ActiveLoop,
            SessionStarted,
            SlotSet,
            UserUttered,
        )
        from rasa.shared.core.trackers import DialogueStateTracker

        from actions.questionnaires.validation import steps_aside
        from intake_core.questionnaires.definitions import load_questionnaires

        processor = self._agent.processor
        # As a live session begins: the SessionStarted event makes the rules
        # see the first message as the start of the conversation.
        events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
        if context == "mid_questionnaire":
            events += [
                UserUttered("公司拖欠了我三个月工资", intent={"name": "consult_labor", "confidence": 1.0}),
                SlotSet("case_type", "labor"), ActionExecuted("action_triage"),
                SlotSet("disclaimer_shown", True), ActionExecuted("utter_offer_intake"),
                ActionExecuted("action_listen"),
                UserUttered("/affirm", intent={"name": "affirm", "confidence": 1.0}),
                ActionExecuted("labor_form"), ActiveLoop("labor_form"), SlotSet("requested_slot", requested),
                ActionExecuted("action_listen"),
            ]
        elif context != "first_turn":
            raise ValueError(f"unknown context {context!r}")
        events.append(UserUttered(parse.get("text"), intent=parse.get("intent"), parse_data=parse))
        tracker = DialogueStateTracker.from_events("evaluation", events, slots=processor.domain.slots)
        action = self._best(processor.predict_next_with_tracker(tracker))
        if action == "labor_form" and steps_aside(
            load_questionnaires()["labor_form"], requested, parse, parse.get("text") or "", date.today()
        ):
            # What happens live: the form's validation steps aside for a message
            # that is not an answer, Rasa records the rejection and predicts again.
            tracker.update(ActionExecutionRejected("labor_form"))
            action = self._best(processor.predict_next_with_tracker(tracker))
        return action

    @staticmethod
    def _best(prediction: dict[str, Any]) -> str:
        return max(prediction["scores"], key=lambda score: score["score"])["action"]


def intent_of(parse: dict[str, Any]) -> Optional[str]:
    return (parse.get("intent") or {}).get("name")


def case_type_after_first_message(parse: dict[str, Any]) -> Optional[str]:
    """The case_type the assistant sets on a first message like this one
    (slot mappings: domain/ and actions/slot_mappings.py)."""
    return case_type_from_parse(parse)


def intent_report(
    gold: Sequence[str], predicted: Sequence[Optional[str]], only: Optional[set] = None
) -> tuple[list[tuple[str, float, float, float, int]], float]:
    """Per-intent (name, precision, recall, F1, support) and the macro-F1 over gold
    intents (or over ``only`` of them; predictions of other intents still count as errors)."""
    labels = sorted(set(gold) & only if only else set(gold))
    predicted = [p or "None" for p in predicted]
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    rows = list(zip(labels, precision, recall, f1, support, strict=False))
    macro = f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
    return rows, float(macro)


def case_type_scores(gold: Sequence[str], predicted: Sequence[Optional[str]]) -> tuple[float, float]:
    """Accuracy and macro-F1 over the four case types; 'not set' counts as wrong."""
    predicted = [p or "unset" for p in predicted]
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=False)) / max(len(gold), 1)
    macro = f1_score(gold, predicted, labels=list(CASE_TYPES), average="macro", zero_division=0)
    return accuracy, float(macro)


def rate(hits: int, total: int) -> float:
    return hits / total if total else float("nan")

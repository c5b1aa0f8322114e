"""Pipeline component: which kind of case a message is about, whatever its intent.

The intent says what the caller wants ("你们能帮我打官司吗" is a request for a
lawyer); the case type says what it is about (here: unpaid wages, ``labor``).
This small linear model (TF-IDF words and character n-grams, intake_nlu/tfidf.py),
trained on the case-type intents' examples against the examples that carry no
case (greetings, small talk, general questions), adds its prediction to the
parse result:

    "case_type": {"name": "labor" | "divorce" | "contract" | "other" | None,
                  "confidence": 0.87}

When the intent is itself a case type (consult_labor ...), the case type is the
one the intent classifier and this model agree on best (the sum of their
probabilities), so a labor-contract question the intent model put under
"contract" can still be a labor case. "The intent classifier" here is the
linear intent model before its blend (LINEAR_RANKING_KEY): when the second
opinion was DIET, its share moved the real-questions case-type figure by about
0.004 from one training of the same data to the next; the linear models do not
move at all, and they alone scored as well (docs/measurements.md). Where the linear model
left no ranking (nothing in the message was seen in training), the message's
intent ranking stands in. Otherwise the model decides alone, in two
steps: is there a case at all (the "none" class, learnt from small talk and
general questions, stays below ``no_case_threshold``), and which one (the likeliest
case type holds at least ``case_share`` of the probability the four case types
share). Asking the "which one" question among the case types alone matters for
long narratives: a story of a fall on a building site, full of dates and times
the case examples rarely have, spreads its probability thinly, and "labor" can
lead clearly among the case types without topping 0.5 overall.

Stores only JSON and arrays (no pickles) in the model.
"""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake_core.case_types import CASE_TYPE_BY_INTENT
from intake_nlu.linear_component import LinearTextComponent
from intake_nlu.linear_intent_classifier import LINEAR_RANKING_KEY, ranking_probabilities

logger = logging.getLogger(__name__)

CASE_TYPE_KEY = "case_type"
NO_CASE = "none"
_INTENT_BY_CASE_TYPE = {case_type: intent for intent, case_type in CASE_TYPE_BY_INTENT.items()}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class CaseTypeClassifier(LinearTextComponent):
    """Logistic regression over TF-IDF features, combined with the intent ranking."""

    model_file = "case_type_model.npz"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Intents whose examples teach "no case type here".
            "no_case_intents": [
                "greet", "goodbye", "affirm", "deny", "thanks", "bot_challenge",
                "out_of_scope", "ask_general_info", "express_distress", "complaint",
            ],
            # Outside a case intent: no case type when "none" is this likely or more,
            "no_case_threshold": 0.7,
            # nor when the likeliest case type has less than this share of the
            # four case types' probability (the model cannot tell which case).
            "case_share": 0.5,
            "regularization": 10.0,
            "char_ngram_range": [1, 4],
            "min_df": 2,
        }

    def train(self, training_data: TrainingData) -> Resource:
        no_case = set(self._config["no_case_intents"])
        examples, labels = [], []
        for message in training_data.intent_examples:
            intent = message.get(INTENT)
            label = CASE_TYPE_BY_INTENT.get(intent) or (NO_CASE if intent in no_case else None)
            if label:
                examples.append(message)
                labels.append(label)
        if not self._fit(examples, labels):
            logger.warning("CaseTypeClassifier: not enough labelled examples; it will predict nothing.")
        return self._resource

    def _predict(self, message: Message, probabilities: np.ndarray) -> dict[str, Any]:
        classes = self._model.classes
        is_case = np.array([c != NO_CASE for c in classes])
        ranking_key = LINEAR_RANKING_KEY if message.get(LINEAR_RANKING_KEY) else INTENT_RANKING_KEY
        ranking = message.get(ranking_key) or []
        intents = {(message.get(INTENT) or {}).get(INTENT_NAME_KEY)}
        if ranking:
            intents.add(ranking[0].get(INTENT_NAME_KEY))
        if intents & CASE_TYPE_BY_INTENT.keys():
            # The message's intent, or the linear model's, names a case: pick
            # the case type this model and the linear intent model favour.
            from_intent = ranking_probabilities(
                message, [_INTENT_BY_CASE_TYPE.get(c, "") for c in classes], key=ranking_key
            )
            combined = probabilities + (from_intent if from_intent is not None else 0.0)
            best = int(np.where(is_case, combined, -np.inf).argmax())
            return {"name": classes[best], "confidence": float(combined[best]) / 2}
        no_case = float(probabilities[~is_case].sum())
        case_probabilities = np.where(is_case, probabilities, 0.0)
        best = int(case_probabilities.argmax())
        share = float(case_probabilities[best] / case_probabilities.sum())
        if no_case >= self._config["no_case_threshold"] or share < self._config["case_share"]:
            return {"name": None, "confidence": no_case}
        return {"name": classes[best], "confidence": float(probabilities[best])}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            message.set(CASE_TYPE_KEY, {"name": None, "confidence": 0.0}, add_to_output=True)
        readable = [m for m in messages if (m.get(TEXT) or "").strip()]
        if self._model is None or not readable:
            return messages
        # One transform for the batch, as the intent classifier does.
        rows = self._model.probabilities(self._features.transform(readable))
        for message, probabilities in zip(readable, rows, strict=False):
            message.set(CASE_TYPE_KEY, self._predict(message, probabilities), add_to_output=True)
        return messages

"""Pipeline component: the intent, from two linear models over the same features.

A logistic regression over TF-IDF words and character n-grams (intake_nlu/tfidf.py) decides,
and a complement naive Bayes model over the same features gives a second opinion (0.2 of the
blend). The two err differently: the blend scored higher than the regression alone in
cross-validation on the training data and on the held-out set. Both are repeatable to the bit
from one training to the next, train in seconds and score a message with one sparse product
each. The figures and the commands are in docs/measurements.md.

The second opinion was DIET until issue 18: DIET (TensorFlow) moved the figures from one
training to the next, took 92 of the 180 s of a training and 5 of the 32 ms of a turn's CPU, and
gave the blend what naive Bayes gives it (docs/performance.md).

The linear model's own ranking stays on the message (``LINEAR_RANKING_KEY``, not in the parse
output) for the case-type classifier, whose answer should not move with the second opinion.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake_nlu.linear_component import LinearTextComponent
from intake_nlu.linear_model import StoredNaiveBayes

logger = logging.getLogger(__name__)

# The linear model's ranking before the blend with naive Bayes (a message property for later
# components, not part of the parse result).
LINEAR_RANKING_KEY = "linear_intent_ranking"
# The naive Bayes model's arrays beside the regression's, in the component's model folder.
NAIVE_BAYES_FILE = "intent_naive_bayes.npz"


def ranking_probabilities(
    message: Message, classes: list[str], key: str = INTENT_RANKING_KEY
) -> Optional[np.ndarray]:
    """An intent ranking left on the message by an earlier classifier (``key``),
    as a vector over ``classes`` (intents outside its top ranks get 0); None if
    there is none."""
    ranking = message.get(key) or []
    if not ranking:
        return None
    index = {name: i for i, name in enumerate(classes)}
    vector = np.zeros(len(classes))
    for entry in ranking:
        position = index.get(entry.get(INTENT_NAME_KEY))
        if position is not None:
            vector[position] = entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0
    return vector


# No intent: what a message with nothing seen in training gets, so that the fallback after this
# component asks the caller to rephrase (its confidence is below any threshold).
NO_INTENT = {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(LinearTextComponent):
    model_file = "intent_model.npz"
    _naive_bayes: Optional[StoredNaiveBayes] = None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Share of the naive Bayes model in the blend (0: the regression alone).
            "naive_bayes_weight": 0.2,
            # Naive Bayes' additive smoothing (sklearn's alpha).
            "naive_bayes_smoothing": 0.01,
            "regularization": 10.0,
            "char_ngram_range": [1, 4],
            # Character n-grams seen in fewer training messages are dropped (typos of one example).
            "min_df": 2,
            "ranking_length": 10,
        }

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT)]
        labels = [m.get(INTENT) for m in examples]
        if not self._fit(examples, labels):
            logger.warning("LinearIntentClassifier: fewer than two intents; no intent model was trained.")
            return self._resource
        assert self._features is not None and self._model is not None
        naive_bayes = StoredNaiveBayes.fit(
            self._features.transform(examples), labels, self._config["naive_bayes_smoothing"]
        )
        assert naive_bayes.classes == self._model.classes  # both sklearn's sorted labels
        with self._model_storage.write_to(self._resource) as directory:
            naive_bayes.save(directory / NAIVE_BAYES_FILE)
        self._naive_bayes = naive_bayes
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        if component._model is not None:
            with model_storage.read_from(resource) as directory:
                component._naive_bayes = StoredNaiveBayes.load(directory / NAIVE_BAYES_FILE)
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None or not messages:
            return messages
        features = self._features.transform(messages)
        probabilities = self._model.probabilities(features)
        second = self._naive_bayes.probabilities(features) if self._naive_bayes is not None else None
        weight = self._config["naive_bayes_weight"] if second is not None else 0.0
        for row, (message, linear) in enumerate(zip(messages, probabilities, strict=False)):
            if features[row].nnz == 0:
                # Not one word or character seen in training (emoji, another script, an empty
                # message): both models would only repeat their class priors. No intent, and the
                # fallback asks the caller to rephrase; the safety net after it still reads the text.
                message.set(INTENT, dict(NO_INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            blended = (1.0 - weight) * linear + (weight * second[row] if second is not None else 0.0)
            ranking = self._ranking(blended)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set(LINEAR_RANKING_KEY, self._ranking(linear))
        return messages

    def _ranking(self, probabilities: np.ndarray) -> list[dict[str, Any]]:
        order = np.argsort(-probabilities)[: self._config["ranking_length"]]
        return [
            {INTENT_NAME_KEY: self._model.classes[i], PREDICTED_CONFIDENCE_KEY: float(probabilities[i])}
            for i in order
        ]

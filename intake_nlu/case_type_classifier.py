"""Pipeline component: which kind of case a message is about, whatever its intent.

The intent says what the caller wants ("你们能帮我打官司吗" is a request for a
lawyer); the case type says what it is about (here: unpaid wages, ``labor``).
DIET's intent ranking cannot tell the second once it is sure of the first, so
this small linear model, trained on the case-type intents' examples against the
examples that carry no case (greetings, small talk, general questions), adds its
own prediction to the parse result:

    "case_type": {"name": "labor" | "divorce" | "contract" | "other" | None,
                  "confidence": 0.87}

It reuses the features of the pipeline's count vectorizers and stores only
arrays (no pickles) in the model.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from intake_nlu.case_types import CASE_TYPE_BY_INTENT

logger = logging.getLogger(__name__)

CASE_TYPE_KEY = "case_type"
NO_CASE = "none"
_ARRAYS_FILE = "case_type_classifier.npz"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class CaseTypeClassifier(GraphComponent):
    """Logistic regression over the sentence-level sparse features."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Intents whose examples teach "no case type here".
            "no_case_intents": [
                "greet", "goodbye", "affirm", "deny", "thanks", "bot_challenge",
                "out_of_scope", "ask_general_info", "express_distress", "complaint",
            ],
            # Below this probability the case type stays unknown.
            "threshold": 0.5,
            "regularization": 4.0,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: Optional[Dict[str, np.ndarray]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CaseTypeClassifier":
        return cls(config, model_storage, resource)

    @staticmethod
    def _features(message: Message) -> Optional[scipy.sparse.csr_matrix]:
        _, sentence = message.get_sparse_features(TEXT)
        if sentence is None:
            return None
        # Presence, not counts, and unit length: long narratives don't dominate.
        features = scipy.sparse.csr_matrix(sentence.features, dtype=np.float64)
        features.data = np.minimum(features.data, 1.0)
        return normalize(features)

    def train(self, training_data: TrainingData) -> Resource:
        no_case = set(self._config["no_case_intents"])
        rows, labels = [], []
        for message in training_data.intent_examples:
            intent = message.get(INTENT)
            label = CASE_TYPE_BY_INTENT.get(intent) or (NO_CASE if intent in no_case else None)
            features = self._features(message) if label else None
            if features is not None:
                rows.append(features)
                labels.append(label)
        if len(set(labels)) < 2:
            logger.warning("CaseTypeClassifier: not enough labelled examples; it will predict nothing.")
            return self._resource
        model = LogisticRegression(
            C=self._config["regularization"], max_iter=2000, class_weight="balanced"
        )
        model.fit(scipy.sparse.vstack(rows), labels)
        self._weights = {
            "coef": model.coef_,
            "intercept": model.intercept_,
            "classes": np.array(model.classes_, dtype=str),
        }
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / _ARRAYS_FILE, **self._weights)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CaseTypeClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / _ARRAYS_FILE, allow_pickle=False) as arrays:
                    weights = {name: arrays[name] for name in arrays.files}
        except (ValueError, FileNotFoundError):
            weights = None
        return cls(config, model_storage, resource, weights)

    def _predict(self, message: Message) -> Dict[str, Any]:
        features = self._features(message) if self._weights else None
        if features is None or features.nnz == 0:
            return {"name": None, "confidence": 0.0}
        scores = features @ self._weights["coef"].T + self._weights["intercept"]
        scores = np.asarray(scores).ravel()
        if scores.size == 1:  # binary problem: sklearn keeps a single column
            scores = np.array([-scores[0], scores[0]])
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        best = int(probabilities.argmax())
        label = str(self._weights["classes"][best])
        confidence = float(probabilities[best])
        if label == NO_CASE or confidence < self._config["threshold"]:
            return {"name": None, "confidence": confidence}
        return {"name": label, "confidence": confidence}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(CASE_TYPE_KEY, self._predict(message), add_to_output=True)
        return messages

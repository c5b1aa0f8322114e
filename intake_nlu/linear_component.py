"""What the pipeline's linear models share: TF-IDF features and a logistic
regression, trained, persisted as JSON and arrays (no pickles), and loaded.

Subclasses (LinearIntentClassifier, CaseTypeClassifier) choose the examples and
labels to learn and what to do with the probabilities.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from intake_nlu.linear_model import StoredLogisticRegression
from intake_nlu.tfidf import TfidfFeatures

ComponentType = TypeVar("ComponentType", bound="LinearTextComponent")


class LinearTextComponent(GraphComponent):
    # File name of the regression's arrays inside the component's model folder.
    model_file = "linear_model.npz"

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        features: Optional[TfidfFeatures] = None,
        model: Optional[StoredLogisticRegression] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._features = features
        self._model = model

    @classmethod
    def create(
        cls: type[ComponentType],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ComponentType:
        return cls(config, model_storage, resource)

    def _fit(self, examples: list[Message], labels: Sequence[str]) -> bool:
        """Fits and persists features and regression; False (nothing learnt)
        when there are fewer than two labels to tell apart."""
        if len(set(labels)) < 2:
            return False
        features = TfidfFeatures(self._config["char_ngram_range"], self._config["min_df"]).fit(examples)
        model = StoredLogisticRegression.fit(features.transform(examples), labels, self._config["regularization"])
        self._features, self._model = features, model
        with self._model_storage.write_to(self._resource) as directory:
            features.save(directory)
            model.save(directory / self.model_file)
        return True

    @classmethod
    def load(
        cls: type[ComponentType],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ComponentType:
        try:
            with model_storage.read_from(resource) as directory:
                features = TfidfFeatures.load(directory)
                model = StoredLogisticRegression.load(directory / cls.model_file)
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, features, model)

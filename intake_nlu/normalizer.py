"""Pipeline component: normalise message text before tokenisation."""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake_core.content import validate_all
from intake_core.text import fold


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class ChineseTextNormalizer(GraphComponent):
    """Rewrites ``text`` to simplified, half-width form (length preserved).

    Registered as a featurizer so Rasa runs it on training data as well as on
    incoming messages; it must come first in the pipeline.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChineseTextNormalizer:
        # The first component of the pipeline, created whenever a model is trained or loaded
        # (rasa run, rasa shell, rasa train): a malformed content file is named then. Rasa logs
        # a model that fails to load and serves none; scripts/serve_rasa.py checks first and
        # does not start.
        validate_all()
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(TEXT, fold(text))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

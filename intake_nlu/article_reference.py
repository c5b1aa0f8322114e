"""Pipeline component: an explicit article question is ``ask_article``, whatever the model thought.

"第1079条说的什么" or "劳动合同法82条原文" names an article unambiguously, so whether it is
answered should not depend on the classifiers' luck. The reading is the action's own
(intake_core/statutes/references.py, words in content/laws/laws.yml, read at load time:
an edit applies on restart, no retraining). A message that mentions an article inside
a story ("根据第47条我能拿多少") is left to the model.

Placed after the FallbackClassifier (a hit also replaces ``nlu_fallback``) and before
the SafetyNetClassifier, and never overriding a crisis or a request for a person:
those still win.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from intake_core.safety_lexicon import COMPLAINT, CRISIS, REQUEST_LAWYER
from intake_core.statutes.references import find_reference
from intake_core.statutes.texts import Statutes, load_statutes
from intake_nlu.ranking import set_intent

logger = logging.getLogger(__name__)

ASK_ARTICLE = "ask_article"
NEVER_OVERRIDDEN = {CRISIS, REQUEST_LAWYER, COMPLAINT}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class ArticleReferenceClassifier(GraphComponent):
    """Sets ``ask_article`` when the message plainly asks what an article says."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ArticleReferenceClassifier:
        return cls(load_statutes())

    def __init__(self, statutes: Statutes) -> None:
        self._statutes = statutes

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages

    def _apply(self, message: Message) -> None:
        predicted = (message.get(INTENT) or {}).get("name")
        if predicted == ASK_ARTICLE or predicted in NEVER_OVERRIDDEN:
            return
        reference = find_reference(message.get(TEXT) or "", self._statutes)
        if reference is None or not reference.plain_question:
            return
        # The intent names only, never the caller's words.
        logger.info("Article reference routes message to '%s' instead of '%s'.", ASK_ARTICLE, predicted)
        set_intent(message, {"name": ASK_ARTICLE, "confidence": 1.0})

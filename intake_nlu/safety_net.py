"""Pipeline component: the lexicon safety net behind the intent classifier.

Recall on crisis and representation requests matters more than precision, so a
lexicon hit overrides the model's intent, including ``nlu_fallback`` (it runs
after the FallbackClassifier). A crisis always wins; a handoff never replaces a
crisis the model found, and between a complaint and a boundary request (both
handed to a lawyer) the model, which reads the whole message, decides.

Every parse also says whether the lexicon matched (``safety_lexicon``), so the
dialogue can tell a backed safety prediction from a model's unsure guess
(intake_core/safety_verdict.py).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from intake_core.content import PROJECT_ROOT
from intake_core.safety_lexicon import (
    COMPLAINT,
    CRISIS,
    REQUEST_LAWYER,
    SafetyLexicon,
)
from intake_core.safety_verdict import LEXICON_KEY, lexicon_verdict
from intake_nlu.ranking import set_intent

logger = logging.getLogger(__name__)

HANDOFF_INTENTS = {REQUEST_LAWYER, COMPLAINT}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafetyNetClassifier(GraphComponent):
    """Overrides the predicted intent when the safety lexicon matches."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Relative to the project root (not the working directory), and relative
        # so that a model trained in one checkout runs in another.
        return {"lexicon_path": "content/safety_lexicon.yml"}

    def __init__(self, lexicon: SafetyLexicon) -> None:
        self._lexicon = lexicon

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyNetClassifier:
        path = Path(config["lexicon_path"])
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        # Read at load time, not persisted in the model: a lawyer's edit applies
        # on the next restart without retraining.
        return cls(SafetyLexicon.load(path))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages

    def _apply(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        predicted = (message.get(INTENT) or {}).get("name")
        match = self._lexicon.classify(text)
        message.set(LEXICON_KEY, lexicon_verdict(match), add_to_output=True)
        if match is None:
            if predicted == COMPLAINT and not self._lexicon.is_about_us(text):
                self._demote_complaint(message)
            return
        if predicted == match.intent:
            return
        if predicted == CRISIS:
            return
        if predicted in HANDOFF_INTENTS and match.intent in HANDOFF_INTENTS:
            return
        # Only the intent and category are logged, never the caller's words.
        logger.info(
            "Safety lexicon routes message to '%s' (%s) instead of '%s'.",
            match.intent,
            match.category,
            predicted,
        )
        set_intent(message, {"name": match.intent, "confidence": 1.0})

    def _demote_complaint(self, message: Message) -> None:
        """A "complaint" that does not name us is someone upset with an employer,
        a spouse or a shop: take the model's next guess instead."""
        for entry in message.get(INTENT_RANKING_KEY) or []:
            if entry.get("name") not in {COMPLAINT, "nlu_fallback"}:
                set_intent(message, dict(entry))
                return

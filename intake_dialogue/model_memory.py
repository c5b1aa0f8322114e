"""The loaded model kept out of Python's cyclic garbage collector (intake_core/long_lived.py).

Every model Rasa loads, at start and through its HTTP API (``PUT /model``), goes through
``Agent.load_model``. Around it: what was frozen is thawed first, so that the model being
replaced can be collected once nothing uses it, and everything alive is frozen again once the
new model is loaded. Installed by ``install()`` for `rasa run` (scripts/serve_rasa.py).
"""
from __future__ import annotations

import functools
import logging
from typing import Any

from rasa.core.agent import Agent

from intake_core import long_lived

logger = logging.getLogger(__name__)


def install() -> None:
    load_model = Agent.load_model
    if getattr(load_model, "freezes_the_model", False):
        return

    @functools.wraps(load_model)
    def load_and_freeze(self: Agent, *args: Any, **kwargs: Any) -> Any:
        long_lived.thaw()
        try:
            return load_model(self, *args, **kwargs)
        finally:
            logger.info("Model loaded: %d objects kept out of garbage collection.", long_lived.freeze())

    load_and_freeze.freezes_the_model = True  # type: ignore[attr-defined]
    Agent.load_model = load_and_freeze  # type: ignore[method-assign]

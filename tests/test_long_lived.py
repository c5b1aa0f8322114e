"""intake_core/long_lived.py and intake_dialogue/model_memory.py: what a server keeps for its
life is out of the garbage collector's full collections; a replaced model is not (issue 18)."""
from __future__ import annotations

import gc
import logging
import weakref

import pytest
from rasa.core.agent import Agent

from intake_core import long_lived


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def thawed():
    """Whatever a test freezes is thawed after it: the rest of the session runs as usual."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def _in_collectors_view(obj) -> bool:
    return any(candidate is obj for candidate in gc.get_objects())


def test_objects_alive_are_frozen_and_garbage_is_collected_first(thawed):
    kept = Node()
    garbage, partner = Node(), Node()
    garbage.other, partner.other = partner, garbage  # a cycle only the collector frees
    collected = weakref.ref(garbage)
    del garbage, partner

    assert long_lived.freeze() == gc.get_freeze_count() > 0
    assert collected() is None
    assert not _in_collectors_view(kept)
    long_lived.thaw()
    assert gc.get_freeze_count() == 0 and _in_collectors_view(kept)


def test_rasa_thaws_before_it_loads_a_model_and_freezes_after(thawed, monkeypatch, caplog):
    from intake_dialogue import model_memory

    frozen_while_loading = []

    def load_model(self, model_path=None, fingerprint=None):
        frozen_while_loading.append(gc.get_freeze_count())
        self.loaded = model_path

    monkeypatch.setattr(Agent, "load_model", load_model)
    model_memory.install()
    model_memory.install()  # a second install does not wrap it twice
    gc.freeze()  # as after the model before this one
    agent = Agent()
    with caplog.at_level(logging.INFO, logger="intake_dialogue.model_memory"):
        agent.load_model("models/another.tar.gz")
    assert agent.loaded == "models/another.tar.gz"
    assert frozen_while_loading == [0]
    assert gc.get_freeze_count() > 0
    assert "objects kept out of garbage collection" in caplog.text

"""A slot copied by its attributes, not through pickle's protocol (issue 18).

Rasa builds a new ``DialogueStateTracker`` many times a turn: reading the conversation, every
``tracker.copy()`` before an action runs, every replay of the history a policy or a form makes
(``generate_all_prior_trackers``, ``_temporary_tracker``). Each one copies every slot of the
domain (106 here) with ``copy.copy``, which for an object without ``__copy__`` goes through
``__reduce_ex__(4)`` and ``copy._reconstruct``: 0.39 ms a tracker on this machine, about 3 ms
of Rasa's CPU a turn (docs/performance.md).

``copy.copy`` of a plain object (it has a ``__dict__``, and no ``__copy__``, ``__reduce__``,
``__getstate__`` or ``__setstate__``, which Rasa's slots do not define on Python 3.10) makes a
new instance of the same class without calling ``__init__`` and updates its ``__dict__`` with
the original's: a shallow copy. ``__copy__`` below does exactly that, directly (0.12 ms a
tracker). Installed when Rasa imports this package (intake_dialogue/__init__.py), for
`rasa run`, `rasa shell` and `rasa test` alike.
"""
from __future__ import annotations

from typing import TypeVar

from rasa.shared.core.slots import Slot

S = TypeVar("S", bound=Slot)


def shallow_copy(slot: S) -> S:
    """What ``copy.copy`` makes of a slot: same class, ``__init__`` not called, the same
    attribute values (the values themselves not copied)."""
    clone = object.__new__(type(slot))
    clone.__dict__.update(slot.__dict__)
    return clone


def install() -> None:
    Slot.__copy__ = shallow_copy  # type: ignore[attr-defined]

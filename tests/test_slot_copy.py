"""intake_dialogue/slot_copy.py: a slot's ``copy.copy`` is what Python's generic copy makes of
it, built directly (issue 18)."""
from __future__ import annotations

import copy

from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot

from intake_dialogue import slot_copy


def _generic_copy(slot: Slot) -> Slot:
    """``copy.copy`` as it is without ``__copy__``: through ``__reduce_ex__(4)``."""
    return copy._reconstruct(slot, None, *slot.__reduce_ex__(4))  # type: ignore[attr-defined]


def test_every_slot_of_the_domain_copies_as_the_generic_copy_would(domain):
    slots = Domain.from_dict(domain).slots
    assert len(slots) > 50
    for slot in slots:
        slot.value = ["a", "list"]  # a mutable value: shared, as a shallow copy shares it
        ours, generic = slot_copy.shallow_copy(slot), _generic_copy(slot)
        assert type(ours) is type(generic) is type(slot), slot.name
        assert ours.__dict__ == generic.__dict__ == slot.__dict__, slot.name
        assert ours is not slot and ours.value is slot.value, slot.name


def test_a_copys_new_value_leaves_the_original_as_it_was(domain):
    slot = Domain.from_dict(domain).slots[0]
    before = dict(slot.__dict__)
    clone = slot_copy.shallow_copy(slot)
    clone.value = "changed"
    assert slot.__dict__ == before and clone.value == "changed"


def test_copy_copy_uses_it_once_the_package_is_imported(domain):
    import intake_dialogue  # noqa: F401  (installs it, as loading the model does)

    slot = Domain.from_dict(domain).slots[0]
    assert Slot.__copy__ is slot_copy.shallow_copy
    assert copy.copy(slot).__dict__ == slot.__dict__

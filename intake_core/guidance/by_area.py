"""Which calculators a practice area's guidance uses: one entry point for the guidance
and the case file, by the area's key (content/practice_areas.yml).

A case type's own area (labor, divorce, contract, other) is computed in ``facts``; a finer
area has a module of its own with ``estimates(slots, today)`` and ``deadlines(slots, today)``,
registered in ``FINER_AREA_PROVIDERS``, or, when its figures are a case type's own, says so as
data: ``computes_as`` in its registry entry (private loans are contract's loan figures from the
loan form's answers) and needs no module. An area whose entry says ``calculators: false``
computes nothing: its guidance is words only. The finer areas' modules build on ``facts`` (work
injury also shows labor's dates), so this module sits above both and none of them imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import ModuleType
from typing import Any

from intake_core.guidance import facts, traffic, work_injury
from intake_core.guidance.deadlines import Deadline
from intake_core.guidance.facts import NamedEstimate
from intake_core.practice_areas import load_practice_areas

FINER_AREA_PROVIDERS: dict[str, ModuleType] = {
    "traffic": traffic,
    "work_injury": work_injury,
}


def _as_computed(area: str, slots: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """An area that computes as another (``computes_as`` in its registry entry, no module):
    that area's key and its slots filled from this area's answers; any other area as it is."""
    entry = load_practice_areas().by_key(area)
    if entry is None or entry.computes_as is None:
        return area, slots
    return entry.computes_as.area, entry.computes_as.slots_for(slots)


def _computes(area: str) -> bool:
    """Whether the area's guidance shows computed amounts and dates (its ``calculators``)."""
    entry = load_practice_areas().by_key(area)
    return entry is None or entry.calculators


def estimates_for(area: str, slots: Mapping[str, Any], today: date) -> list[NamedEstimate]:
    """The amounts the guidance of practice area ``area`` shows this caller."""
    if not _computes(area):
        return []
    provider = FINER_AREA_PROVIDERS.get(area)
    if provider:
        return list(provider.estimates(slots, today))
    area, slots = _as_computed(area, slots)
    return facts.estimates_for(area, slots, today)


def deadlines_for(area: str, slots: Mapping[str, Any], today: date) -> list[Deadline]:
    """The dates the guidance of practice area ``area`` shows this caller."""
    if not _computes(area):
        return []
    provider = FINER_AREA_PROVIDERS.get(area)
    if provider:
        return list(provider.deadlines(slots, today))
    area, slots = _as_computed(area, slots)
    return facts.deadlines_for(area, slots, today)

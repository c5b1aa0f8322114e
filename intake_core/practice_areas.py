"""The practice-area registry: content/practice_areas.yml, loaded and checked once.

One entry per practice area says which parts it has (intent, questionnaire,
guidance, checklist, conflict-check party, amounts, urgency, names). Code that
used to keep its own tuple of case types asks this module instead, so an area
is added in one place and a forgotten part is a start-up error or a failing
test (tests/test_practice_areas.py), not a silent gap.

The slot ``case_type`` keeps its four values (``case_types()``); each has its own
area, keyed by the case type (``area_for_case_type``). A *finer* area (work injury within
labor, traffic accidents within other) has no intent of its own: the caller's words show
it (its ``cues``, regular expressions a lawyer reviews), the slot ``practice_area`` holds
its key, and ``area_for(case_type, practice_area)`` is the area a conversation is in.
The catch-all case type (other) hides no finer area of another case type that the caller's
words show by its ``strong_cues`` (``finer_area_shown``, ``case_type_within_area``): a work
injury the NLU called "other" is labor's work injury.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, read_yaml, shown_path

PRACTICE_AREAS_PATH = CONTENT_DIR / "practice_areas.yml"
# The handoff checklist of an area without its own, and of a caller whose case type is unknown.
GENERAL_CHECKLIST_RESPONSE = "utter_handoff_prepare_other"

# Each field of an area and its kind: text (non-empty), optional text (or null), yes/no, list of text.
TEXT, OPTIONAL_TEXT, FLAG, TEXT_LIST = "text", "text or null", "true or false", "a list of text"
AREA_FIELDS = {
    "case_type": TEXT,
    "intent": OPTIONAL_TEXT,
    "cues": TEXT_LIST,
    "strong_cues": TEXT_LIST,
    "staff_name": TEXT,
    "record_label": OPTIONAL_TEXT,
    "questionnaire": OPTIONAL_TEXT,
    "guidance": OPTIONAL_TEXT,
    "handoff_checklist": FLAG,
    "calculators": FLAG,
    "other_party_slot": OPTIONAL_TEXT,
    "amount_slots": TEXT_LIST,
    "deadline_urgency": FLAG,
    "statute_readings": FLAG,
}
# Optional: an area whose figures are another area's, from its own answers (data, not a module).
COMPUTES_AS = "computes_as"
TOP_LEVEL_KEYS = {"version", "case_types", "catch_all_case_type", "unclassified_name", "areas"}


@dataclass(frozen=True)
class ComputesAs:
    """A finer area computes what case type ``area``'s own calculators compute, given its
    answers in the other area's names (``answers``: their slot -> ours) and fixed facts
    (``given``, e.g. that the contract is a loan). No module of its own: the same functions,
    the same dated figures and wording (docs/practice-areas.md)."""

    area: str
    answers: tuple[tuple[str, str], ...]
    given: tuple[tuple[str, Any], ...] = ()

    def slots_for(self, slots: Mapping[str, Any]) -> dict[str, Any]:
        """The other area's slots, filled from this area's answers."""
        return {**dict(self.given), **{theirs: slots.get(ours) for theirs, ours in self.answers}}


@dataclass(frozen=True)
class PracticeArea:
    """One practice area; the fields are described in content/practice_areas.yml."""

    key: str
    case_type: str
    intent: str | None
    cues: tuple[str, ...]
    strong_cues: tuple[str, ...]
    staff_name: str
    record_label: str | None
    questionnaire: str | None
    guidance: str | None
    handoff_checklist: bool
    calculators: bool
    other_party_slot: str | None
    amount_slots: tuple[str, ...]
    deadline_urgency: bool
    statute_readings: bool
    computes_as: ComputesAs | None = None

    @property
    def finer(self) -> bool:
        """An area within its case type (work injury within labor), not the case type's own."""
        return self.key != self.case_type

    @property
    def triage_response(self) -> str:
        """The first answer naming the matter: the finer area's own, or the case type's."""
        return f"utter_triage_{self.key}"

    def shown_by(self, text: str) -> bool:
        """The caller's words show this (finer) area within its case type: one of its cues
        (a strong cue is one too) matches."""
        return any(re.search(cue, text) for cue in self.cues + self.strong_cues)

    def strongly_shown_by(self, text: str) -> bool:
        """The caller's words name this area whatever the NLU's case type: a strong cue matches."""
        return any(re.search(cue, text) for cue in self.strong_cues)

    @property
    def checklist_response(self) -> str:
        """The domain response listing what to prepare before the lawyer calls."""
        return f"utter_handoff_prepare_{self.key}" if self.handoff_checklist else GENERAL_CHECKLIST_RESPONSE


@dataclass(frozen=True)
class PracticeAreas:
    """The whole registry, in file order."""

    source: str
    case_types: tuple[str, ...]
    catch_all_case_type: str
    unclassified_name: str
    areas: tuple[PracticeArea, ...]

    def by_key(self, key: str | None) -> PracticeArea | None:
        return next((area for area in self.areas if area.key == key), None)

    def for_intent(self, intent: str | None) -> PracticeArea | None:
        if intent is None:
            return None
        return next((area for area in self.areas if area.intent == intent), None)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_field(value: Any, kind: str) -> bool:
    if kind == TEXT:
        return _text(value)
    if kind == OPTIONAL_TEXT:
        return value is None or _text(value)
    if kind == FLAG:
        return isinstance(value, bool)
    return isinstance(value, list) and all(_text(item) for item in value)


def _computes_as(raw: Any, fail: Callable[[str, str], ContentError], case_types: tuple[str, ...]) -> ComputesAs | None:
    if raw is None:
        return None
    shape = "{area: <case type>, answers: {their slot: our slot}, given: {slot: value}}"
    if not isinstance(raw, Mapping) or set(raw) - {"area", "answers", "given"}:
        raise fail(COMPUTES_AS, f"must be {shape}")
    if raw.get("area") not in case_types:
        raise fail(f"{COMPUTES_AS}.area", f"must be a case type whose own area computes ({', '.join(case_types)})")
    answers, given = raw.get("answers"), raw.get("given") or {}
    if (
        not isinstance(answers, Mapping)
        or not answers
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())
    ):
        raise fail(f"{COMPUTES_AS}.answers", "must map the other area's slots to this area's (text to text)")
    if not isinstance(given, Mapping):
        raise fail(f"{COMPUTES_AS}.given", "must map slots to fixed values")
    # A list value (a choices answer, e.g. contract_kind: [loan]) is kept as a tuple: the area is hashable.
    fixed = tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in given.items())
    return ComputesAs(str(raw["area"]), tuple(answers.items()), fixed)


def _area(source: str, key: str, raw: Any, case_types: tuple[str, ...], catch_all: str) -> PracticeArea:
    where = f"areas.{key}"

    def fail(field: str, problem: str) -> ContentError:
        return ContentError(f"{where}.{field}: {problem}", source)

    if not isinstance(raw, Mapping):
        raise ContentError(f"{where}: must map the area's fields to their values", source)
    unknown = sorted(set(raw) - set(AREA_FIELDS) - {COMPUTES_AS}, key=str)
    if unknown:
        raise fail(str(unknown[0]), f"unknown field (the fields are {', '.join(AREA_FIELDS)})")
    for field, kind in AREA_FIELDS.items():
        if field not in raw:
            raise fail(field, "missing")
        if not _check_field(raw[field], kind):
            raise fail(field, f"must be {kind}, got {raw[field]!r}")
    lists = ("amount_slots", "cues", "strong_cues")
    # Checked against AREA_FIELDS above; mypy cannot follow a dict's per-key types.
    fields: dict[str, Any] = {field: raw[field] for field in AREA_FIELDS if field not in lists}
    fields.update({field: tuple(raw[field]) for field in lists})
    area = PracticeArea(key=key, computes_as=_computes_as(raw.get(COMPUTES_AS), fail, case_types), **fields)
    if area.case_type not in case_types:
        raise fail("case_type", f"unknown case type {area.case_type!r} (case_types: {', '.join(case_types)})")
    if key in case_types and area.case_type != key:
        raise fail("case_type", f"the area named after a case type must have it ({key!r})")
    if not area.finer and area.intent is None:
        raise fail("intent", "a case type's own area needs its intent (consult_<case type>)")
    if area.finer and (area.intent is not None or not area.cues):
        field = "intent" if area.intent is not None else "cues"
        raise fail(
            field,
            "a finer area has no intent of its own and is shown by its cues "
            "(intent: null, cues: a list of patterns)",
        )
    if not area.finer and area.cues:
        raise fail("cues", "only a finer area has cues (its case type's intent names this one)")
    if area.strong_cues and (not area.finer or area.case_type == catch_all):
        raise fail(
            "strong_cues",
            f"only a finer area of a case type other than the catch-all ({catch_all}) "
            "has strong cues (they take a message from the catch-all to the area)",
        )
    for field in ("cues", "strong_cues"):
        for cue in getattr(area, field):
            try:
                re.compile(cue)
            except re.error as error:
                raise fail(field, f"{cue!r} is not a regular expression ({error})") from None
    if area.guidance is not None and ("/" in area.guidance or not area.guidance.endswith(".yml")):
        raise fail("guidance", f"must be a file name in content/guidance/ ending in .yml, got {area.guidance!r}")
    # A record is made with the guidance, and guidance follows the questionnaire: a part
    # the rest cannot reach is a mistake, not an option.
    if area.guidance is not None and area.questionnaire is None:
        raise fail("guidance", "needs a questionnaire (guidance is given on the intake's answers)")
    if (area.guidance is None) != (area.record_label is None):
        raise fail("record_label", "is needed with guidance (the record's 事项) and must be null without it")
    for field in ("deadline_urgency", "statute_readings", "calculators"):
        if raw[field] and area.guidance is None:
            raise fail(field, "true needs guidance")
    # The ticket's deadline is one the calculators compute: without them there is none to take.
    if area.deadline_urgency and not area.calculators:
        raise fail("deadline_urgency", "true needs calculators (the deadlines are computed by them)")
    if area.computes_as and not (area.finer and area.calculators):
        raise fail(COMPUTES_AS, "is for a finer area with calculators: true (its figures are another area's)")
    if area.questionnaire is None and (area.other_party_slot or area.amount_slots):
        field = "other_party_slot" if area.other_party_slot else "amount_slots"
        raise fail(field, "names questionnaire answers, but the area has no questionnaire")
    return area


def parse_practice_areas(data: Any, source: str = "content/practice_areas.yml") -> PracticeAreas:
    """The registry from the parsed YAML; ContentError names ``source`` and the key."""
    if not isinstance(data, Mapping):
        raise ContentError("must be a mapping with version, case_types, unclassified_name and areas", source)
    unknown = sorted(set(data) - TOP_LEVEL_KEYS, key=str)
    if unknown:
        raise ContentError(f"{unknown[0]}: unknown key (the keys are {', '.join(sorted(TOP_LEVEL_KEYS))})", source)
    if data.get("version") != 1:
        raise ContentError(f"version: must be 1, got {data.get('version')!r}", source)
    case_types = data.get("case_types")
    if not isinstance(case_types, list) or not case_types or not all(_text(c) for c in case_types):
        raise ContentError(f"case_types: must be a non-empty list of case types, got {case_types!r}", source)
    if len(set(case_types)) != len(case_types):
        raise ContentError("case_types: a case type is listed twice", source)
    catch_all = data.get("catch_all_case_type")
    if not isinstance(catch_all, str) or catch_all not in case_types:  # (case_types are all text)
        raise ContentError(f"catch_all_case_type: must be one of case_types, got {catch_all!r}", source)
    if not _text(data.get("unclassified_name")):
        raise ContentError(f"unclassified_name: must be text, got {data.get('unclassified_name')!r}", source)
    raw_areas = data.get("areas")
    if not isinstance(raw_areas, Mapping) or not raw_areas:
        raise ContentError("areas: must map each area's name to its fields", source)
    areas = []
    for key, raw in raw_areas.items():
        if not _text(key):
            raise ContentError(f"areas: an area's name must be text, got {key!r}", source)
        areas.append(_area(source, key, raw, tuple(case_types), catch_all))
    for field in ("intent", "questionnaire", "guidance"):
        seen: dict[str, str] = {}
        for area in areas:
            value = getattr(area, field)
            if value is None:
                continue
            if value in seen:
                raise ContentError(f"areas.{area.key}.{field}: {value!r} is already area {seen[value]}'s", source)
            seen[value] = area.key
    keys = {area.key for area in areas}
    for case_type in case_types:
        if case_type not in keys:
            raise ContentError(f"areas.{case_type}: missing (every case type has an area of its name)", source)
    return PracticeAreas(source, tuple(case_types), catch_all, data["unclassified_name"], tuple(areas))


@cache
def load_practice_areas(path: Path = PRACTICE_AREAS_PATH) -> PracticeAreas:
    return parse_practice_areas(read_yaml(path), shown_path(path))


# --- the registry of content/practice_areas.yml ------------------------------------------


def areas() -> tuple[PracticeArea, ...]:
    """Every practice area, in file order."""
    return load_practice_areas().areas


def case_types() -> tuple[str, ...]:
    """The values of the slot ``case_type`` (the stable interface), in the domain's order."""
    return load_practice_areas().case_types


def area_for_case_type(case_type: str | None) -> PracticeArea | None:
    """The case type's own area (the one named after it), or None for an unknown or no case type."""
    return load_practice_areas().by_key(case_type) if case_type in case_types() else None


def area_for_intent(intent: str | None) -> PracticeArea | None:
    return load_practice_areas().for_intent(intent)


def case_type_by_intent() -> dict[str, str]:
    """Each area's intent and the case type it sets (finer areas have none)."""
    return {area.intent: area.case_type for area in areas() if area.intent}


def finer_areas() -> tuple[PracticeArea, ...]:
    """The areas within a case type (the values of the slot ``practice_area``)."""
    return tuple(area for area in areas() if area.finer)


def catch_all_case_type() -> str:
    """The case type of a matter none of the others is (other)."""
    return load_practice_areas().catch_all_case_type


def finer_area_shown(case_type: str | None, texts: Iterable[str]) -> PracticeArea | None:
    """The finer area ``texts`` show in a conversation of ``case_type``: the first of the case
    type's own finer areas (file order) whose cues one of them matches; failing that, for the
    catch-all case type only, the first finer area of another case type whose strong cues one
    matches (its case type is then the conversation's: ``case_type_within_area``). The
    catch-all's own areas come first: a traffic accident on the way home stays traffic."""
    texts = [text for text in texts if text]
    own = next(
        (area for area in finer_areas() if area.case_type == case_type and any(area.shown_by(text) for text in texts)),
        None,
    )
    if own is not None or case_type is None or case_type != catch_all_case_type():
        return own
    return next(
        (
            area
            for area in finer_areas()
            if area.case_type != case_type and any(area.strongly_shown_by(text) for text in texts)
        ),
        None,
    )


def case_type_within_area(case_type: str | None, practice_area: str | None) -> str | None:
    """The conversation's case type once the finer area ``practice_area`` is known: the
    catch-all gives way to the area's case type (a work injury stays labor when a later
    message reads as "other"); any other case type stands (a caller who goes on to a divorce
    is in a divorce, and ``area_for`` then gives the divorce's own area)."""
    area = load_practice_areas().by_key(practice_area)
    if case_type == catch_all_case_type() and area is not None and area.finer:
        return area.case_type
    return case_type


def area_for(case_type: str | None, practice_area: str | None = None) -> PracticeArea | None:
    """The area a conversation is in: the finer area named by ``practice_area`` when it is one
    of ``case_type``'s, else the case type's own area (None without a case type)."""
    finer = load_practice_areas().by_key(practice_area)
    if finer is not None and finer.finer and finer.case_type == case_type:
        return finer
    return area_for_case_type(case_type)


def staff_names() -> dict[str | None, str]:
    """How staff see each case type, and ``None`` (not known yet) as unclassified."""
    registry = load_practice_areas()
    names: dict[str | None, str] = {
        case_type: registry.by_key(case_type).staff_name  # type: ignore[union-attr]
        for case_type in registry.case_types
    }
    names[None] = registry.unclassified_name
    return names

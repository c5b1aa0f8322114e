"""content/questionnaires.yml as typed objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml
from intake_core.practice_areas import area_for, areas

QUESTIONNAIRES_PATH = CONTENT_DIR / "questionnaires.yml"
KINDS = {"text", "date", "amount", "yes_no", "choices", "ages", "hours", "rate"}
UNKNOWN = "unknown"  # a skipped question: asked once, never again
OTHER = "other"  # the choice an open question's answer gets for things outside its choices
CONDITIONS = {"is", "includes", "excludes", "present"}
# Top-level keys of the file that are not questionnaires.
SHARED_KEYS = {"version", "buttons_by_kind", "ask_again_prefix"}
# True while the form is about to ask its question again after a side question or a correction:
# the question is then introduced by ``ask_again_prefix`` (a conditional response variation).
RETURNING_SLOT = "intake_returning"
# Sensitive personal information (PIPL art. 28) a question may ask for: before the first
# question of a kind the caller is asked for separate consent (art. 29; a child under 14:
# a guardian's, art. 31), kept in the slot consent_<kind> for the whole conversation. The
# wording of each consent question is in content/privacy.yml (issue 16, H8).
SENSITIVE_KINDS = ("health", "bank_account", "whereabouts", "child")


def consent_slot(kind: str) -> str:
    """The slot holding the caller's yes or no to recording ``kind`` (None: not asked yet)."""
    return f"consent_{kind}"


class QuestionnaireError(ContentError):
    """The questionnaire file is malformed; the message names the key (the loader adds the file)."""


@dataclass(frozen=True)
class Question:
    slot: str
    kind: str
    label: str
    required: bool
    ask: str = ""  # the question's wording (the domain's utter_ask_<slot> is generated from it)
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload) quick replies
    why: str = ""
    when: Any = None  # one condition (a dict) or a tuple of conditions that must all hold
    cues: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # yes_no: phrases that answer the question wherever they stand ("婚后买的" is no to
    # "婚前买的吗", "还在上班" yes to "还在上班吗"); a negation just before one turns it.
    yes_words: tuple[str, ...] = ()
    no_words: tuple[str, ...] = ()
    # choices: things named outside the choices are kept as the choice ``other``
    # (the caller's own words are stored beside the answer), never asked again.
    open_ended: bool = False
    # One of SENSITIVE_KINDS, or "": asked only after the caller consents to that kind.
    sensitive: str = ""
    # choices: words naming a party other than the one asked about ("他开车" is the driver's,
    # not the passenger's answer): a choice's words right after one are not the answer.
    other_subjects: tuple[str, ...] = ()
    # date: the slot of an earlier date question a bare duration counts from ("说好一年就还" to
    # "when was it to be repaid?" is a year after the loan), instead of back from today
    # ("干了四年多" to "since when?"). Without that earlier answer a duration is no date.
    counts_from: str = ""

    def applies(self, slots: Mapping[str, Any]) -> bool:
        """Whether earlier answers make this question relevant (every condition holds)."""
        return condition_holds(self.when, slots)


def conditions(when: Any) -> list[dict[str, Any]]:
    """``when`` as a list: one condition, or several that must all hold (a list in the file)."""
    if not when:
        return []
    return list(when) if isinstance(when, list | tuple) else [when]


def condition_holds(when: Any, slots: Mapping[str, Any]) -> bool:
    """Whether the answers in ``slots`` meet ``when`` (none, one condition or a list of them).

    The one reading of a condition, for the questionnaires and the guidance content alike.
    """
    return all(_holds(condition, slots) for condition in conditions(when))


def _keys(keys: Any) -> list[Any]:
    return list(keys) if isinstance(keys, list | tuple) else [keys]


def _holds(when: Mapping[str, Any], slots: Mapping[str, Any]) -> bool:
    answer = slots.get(when["slot"])
    if "is" in when:
        return answer is when["is"]
    if "includes" in when:  # one key, or a list of keys of which any was chosen
        return isinstance(answer, list) and any(key in answer for key in _keys(when["includes"]))
    if "excludes" in when:
        # None chosen, or not known to be chosen (skipped): "left, and not dismissed" asks
        # the leaving date of a caller who skipped what happened.
        return not (isinstance(answer, list) and any(key in answer for key in _keys(when["excludes"])))
    if "present" in when:
        return (answer not in (None, UNKNOWN, [])) is bool(when["present"])
    raise QuestionnaireError(f"unknown condition {dict(when)}")


@dataclass(frozen=True)
class Questionnaire:
    form: str
    case_type: str
    questions: tuple[Question, ...]
    # Words of another intake's subject (房租 in a labor intake): a date or amount said
    # beside one is that subject's, not an answer (content: other_topics).
    other_topics: tuple[str, ...] = ()

    @property
    def confirm_slot(self) -> str:
        """The last slot of the form: the caller confirms the summary."""
        return self.form.replace("_form", "_confirmed")

    def question(self, slot: str) -> Question | None:
        return next((q for q in self.questions if q.slot == slot), None)

    def applicable(self, slots: Mapping[str, Any]) -> list[Question]:
        return [q for q in self.questions if q.applies(slots)]

    def sensitive_kinds(self) -> list[str]:
        """The kinds of sensitive information its questions ask for, in the order first asked."""
        return list(dict.fromkeys(q.sensitive for q in self.questions if q.sensitive))


def _buttons(where: str, raw: Any) -> tuple[tuple[str, str], ...]:
    """A word is its own payload; {title, payload} shows one thing and sends another."""
    buttons = []
    for item in raw or ():
        if isinstance(item, str):
            buttons.append((item, item))
        elif isinstance(item, dict) and set(item) == {"title", "payload"}:
            buttons.append((str(item["title"]), str(item["payload"])))
        else:
            raise QuestionnaireError(f"{where}: a button is a word or {{title, payload}}, not {item!r}")
    return tuple(buttons)


def _question(form: str, raw: Any, buttons_by_kind: Mapping[str, Any]) -> Question:
    if not isinstance(raw, dict) or not isinstance(raw.get("slot"), str) or not raw["slot"]:
        raise QuestionnaireError(f"{form}.questions: each question is a mapping with its slot, got {raw!r}")
    where = f"{form}.{raw.get('slot')}"
    if raw.get("kind") not in KINDS:
        raise QuestionnaireError(f"{where}: kind must be one of {sorted(KINDS)}")
    if not raw.get("label"):
        raise QuestionnaireError(f"{where}: a label is needed for the summary")
    if raw.get("required") and not raw.get("why"):
        raise QuestionnaireError(f"{where}: a required question needs 'why'")
    if raw["kind"] == "choices" and not raw.get("choices"):
        raise QuestionnaireError(f"{where}: kind choices needs 'choices'")
    if raw.get("open_ended") and OTHER not in (raw.get("choices") or {}):
        raise QuestionnaireError(f"{where}: an open_ended question needs the choice '{OTHER}' (its summary name)")
    if raw.get("other_subjects") and raw["kind"] != "choices":
        raise QuestionnaireError(f"{where}: other_subjects is for kind choices (whose words are said of whom)")
    if raw.get("counts_from") and raw["kind"] != "date":
        raise QuestionnaireError(f"{where}: counts_from is for kind date (the date a duration counts from)")
    if raw.get("sensitive") and raw["sensitive"] not in SENSITIVE_KINDS:
        raise QuestionnaireError(f"{where}: sensitive must be one of {list(SENSITIVE_KINDS)}")
    when = raw.get("when")
    checks = conditions(when)  # an empty `when` (given but no condition) is refused too
    if when is not None and not (
        checks and all(isinstance(c, dict) and "slot" in c and CONDITIONS & set(c) for c in checks)
    ):
        raise QuestionnaireError(f"{where}: 'when' needs slot and {'/'.join(sorted(CONDITIONS))} (or a list of them)")
    return Question(
        slot=raw["slot"],
        kind=raw["kind"],
        label=raw["label"],
        required=bool(raw.get("required")),
        ask=raw.get("ask", ""),
        buttons=_buttons(where, raw["buttons"] if "buttons" in raw else buttons_by_kind.get(raw["kind"])),
        why=raw.get("why", ""),
        when=tuple(when) if isinstance(when, list) else when,
        cues=tuple(raw.get("cues") or ()),
        choices={key: tuple(words) for key, words in (raw.get("choices") or {}).items()},
        yes_words=tuple(raw.get("yes_words") or ()),
        no_words=tuple(raw.get("no_words") or ()),
        open_ended=bool(raw.get("open_ended")),
        sensitive=str(raw.get("sensitive") or ""),
        other_subjects=tuple(str(word) for word in raw.get("other_subjects") or ()),
        counts_from=str(raw.get("counts_from") or ""),
    )


def registered_forms() -> dict[str, str]:
    """Each questionnaire a practice area names (content/practice_areas.yml), with its case type."""
    return {area.questionnaire: area.case_type for area in areas() if area.questionnaire}


def parse_questionnaires(
    data: dict[str, Any], case_type_by_form: Mapping[str, str] | None = None
) -> dict[str, Questionnaire]:
    """The questionnaires of ``data``; a form's case type is that of the practice area naming it
    (``case_type_by_form``, by default the registry's), so a form no area names is refused, and
    so is an area's form the file lacks."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise QuestionnaireError("version: must be 1 (and the file a mapping of questionnaires)")
    case_type_by_form = registered_forms() if case_type_by_form is None else case_type_by_form
    missing = sorted(set(case_type_by_form) - set(data))
    if missing:
        raise QuestionnaireError(
            f"{missing[0]}: named by a practice area (content/practice_areas.yml), " "but not defined here"
        )
    questionnaires = {}
    buttons_by_kind = data.get("buttons_by_kind") or {}
    for form, body in data.items():
        if form in SHARED_KEYS:
            continue
        if form not in case_type_by_form:
            raise QuestionnaireError(
                f"{form}: no practice area names this questionnaire " "(questionnaire in content/practice_areas.yml)"
            )
        if not isinstance(body, dict):
            raise QuestionnaireError(f"{form}: must be a mapping with its questions")
        if "case_type" in body:
            raise QuestionnaireError(
                f"{form}.case_type: the case type is the practice area's "
                "(content/practice_areas.yml), not given here"
            )
        questions = tuple(_question(form, raw, buttons_by_kind) for raw in body.get("questions") or [])
        slots = [q.slot for q in questions]
        if len(set(slots)) != len(slots):
            raise QuestionnaireError(f"{form}: a slot is asked twice")
        for q in questions:
            if any(c["slot"] not in slots[: slots.index(q.slot)] for c in conditions(q.when)):
                raise QuestionnaireError(f"{form}.{q.slot}: 'when' must refer to an earlier question")
            earlier = {e.slot: e for e in questions[: slots.index(q.slot)]}
            if q.counts_from and (q.counts_from not in earlier or earlier[q.counts_from].kind != "date"):
                raise QuestionnaireError(f"{form}.{q.slot}: counts_from must name an earlier date question")
        other_topics = tuple(str(word) for word in body.get("other_topics") or ())
        questionnaires[form] = Questionnaire(form, case_type_by_form[form], questions, other_topics)
    return questionnaires


@lru_cache(maxsize=1)
def load_questionnaires(path: Path = QUESTIONNAIRES_PATH) -> dict[str, Questionnaire]:
    data = read_yaml(path)
    with naming(path):
        return parse_questionnaires(data)


def questionnaire_for(case_type: str | None, practice_area: str | None = None) -> Questionnaire | None:
    """The intake of the conversation's practice area (the finer area the slot practice_area
    names, else the case type's own), or None (no intake, or no case type)."""
    area = area_for(case_type, practice_area)
    return load_questionnaires()[area.questionnaire] if area and area.questionnaire else None


@lru_cache(maxsize=1)
def ask_again_prefix(path: Path = QUESTIONNAIRES_PATH) -> str:
    """What introduces a question asked again after a digression (content, may be empty)."""
    data = read_yaml(path)
    with naming(path):
        if not isinstance(data, dict):
            raise QuestionnaireError("must be a mapping of questionnaires")
        prefix = data.get("ask_again_prefix")
        if prefix is not None and not isinstance(prefix, str):
            raise QuestionnaireError(f"ask_again_prefix: must be text, got {prefix!r}")
        return prefix or ""

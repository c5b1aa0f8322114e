"""The guidance a lawyer reviews (content/guidance/*.yml), loaded and checked.

Each entry may carry a condition on the questionnaire's answers:
``{slot: X, is: true|false}``, ``{slot: X, includes: key}`` or
``{slot: X, present: true}`` (answered, not skipped). ``includes`` may name a
list of keys (any of them chosen); ``{slot: X, excludes: key or [keys]}`` holds
when none of them was chosen (also when the question was skipped): a sentence
whose law differs for some answers (e.g. exclusive jurisdiction for leases)
must not reach those callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml
from intake_core.practice_areas import load_practice_areas

# One reading of a `when` condition, shared with the questionnaires.
from intake_core.questionnaires.definitions import Questionnaire, condition_holds, load_questionnaires
from intake_core.statutes.texts import Statutes, load_statutes

GUIDANCE_DIR = CONTENT_DIR / "guidance"
TEXT_SECTIONS = ("plain_summary", "steps", "worst_case", "cannot_do", "public_routes")
# Every section of a guidance file, in the order of the files; each is a non-empty list.
SECTIONS = TEXT_SECTIONS[:2] + ("legal_basis", "evidence") + TEXT_SECTIONS[2:]
TOP_LEVEL_KEYS = ("version", "case_type", "display_name", *SECTIONS)
# Each section's entry: the keys it must have (non-empty text, but a basis's article) and may have.
ENTRY_KEYS = {
    **{section: ({"text"}, {"when"}) for section in TEXT_SECTIONS},
    "evidence": ({"item"}, {"when"}),
    "legal_basis": ({"law", "article", "quote", "meaning"}, {"when"}),
}
CONDITIONS = ("is", "includes", "excludes", "present")
# A quote this short could be found in almost any article, so a wrong article number
# would go unnoticed.
MIN_QUOTE_CHARS = 8
# formats.yml sections the calculators and the deadline counter fill in (str.format templates).
TEMPLATE_SECTIONS = ("units", "period_units", "names", "bases", "calculation_steps", "deadline_names", "deadline_notes")


class GuidanceError(ContentError):
    """A guidance file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Basis:
    law: str
    article: int
    quote: str
    meaning: str
    when: dict[str, Any] | None


@dataclass(frozen=True)
class GuidanceContent:
    case_type: str
    display_names: dict[str, str]
    texts: dict[str, tuple[tuple[str, dict[str, Any] | None], ...]]
    evidence: tuple[tuple[str, dict[str, Any] | None], ...]
    basis: tuple[Basis, ...]

    def select(self, section: str, slots: Mapping[str, Any]) -> list[str]:
        entries = self.evidence if section == "evidence" else self.texts[section]
        return [text for text, when in entries if condition_holds(when, slots)]

    def select_basis(self, slots: Mapping[str, Any]) -> list[Basis]:
        return [entry for entry in self.basis if condition_holds(entry.when, slots)]

    def law_name(self, law: str) -> str:
        return self.display_names.get(law, f"《{law}》")


def parse_guidance(
    data: Any, area: str, statutes: Statutes | None = None, questionnaire: Questionnaire | None = None
) -> GuidanceContent:
    """The guidance of practice area ``area`` from its parsed YAML, checked: the sections and
    their entries, every citation quoted word for word from its article in content/laws
    (``statutes``), every `when` about a question of the area's questionnaire (by default
    content/questionnaires.yml's). An error names the key, e.g. ``legal_basis[3].quote``."""
    registered = load_practice_areas().by_key(area)
    if registered is None:
        raise GuidanceError(f"no practice area {area!r} in content/practice_areas.yml")
    statutes = statutes or load_statutes()
    if questionnaire is None and registered.questionnaire:
        questionnaire = load_questionnaires()[registered.questionnaire]
    if not isinstance(data, dict):
        raise GuidanceError("must be a mapping of the sections")
    unknown = [key for key in data if key not in TOP_LEVEL_KEYS]
    if unknown:
        raise GuidanceError(f"{unknown[0]}: unknown key (the keys are {', '.join(TOP_LEVEL_KEYS)})")
    if data.get("version") != 1:
        raise GuidanceError(f"version: must be 1, got {data.get('version')!r}")
    if data.get("case_type") != registered.case_type:
        raise GuidanceError(
            f"case_type: must be {registered.case_type!r}, the case type of area {area!r} "
            f"(content/practice_areas.yml), got {data.get('case_type')!r}"
        )
    display_names = _display_names(data.get("display_name"), statutes)
    entries = {section: _entries(data, section, statutes, questionnaire) for section in SECTIONS}
    return GuidanceContent(
        case_type=data["case_type"],
        display_names=display_names,
        texts={section: tuple((e["text"], e.get("when")) for e in entries[section]) for section in TEXT_SECTIONS},
        evidence=tuple((entry["item"], entry.get("when")) for entry in entries["evidence"]),
        basis=tuple(
            Basis(entry["law"], entry["article"], entry["quote"], entry["meaning"], entry.get("when"))
            for entry in entries["legal_basis"]
        ),
    )


def _display_names(names: Any, statutes: Statutes) -> dict[str, str]:
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise GuidanceError("display_name: must map a law file's name to how a caller sees it")
    for law, shown in names.items():
        if law not in statutes.files:
            raise GuidanceError(f"display_name.{law}: no such law file in content/laws")
        if not isinstance(shown, str) or not shown.strip():
            raise GuidanceError(f"display_name.{law}: must be text")
    return dict(names)


def _entries(
    data: Mapping[str, Any], section: str, statutes: Statutes, questionnaire: Questionnaire | None
) -> list[Mapping[str, Any]]:
    entries = data.get(section)
    if not isinstance(entries, list) or not entries:
        raise GuidanceError(f"{section}: missing or empty (a list of entries)")
    required, optional = ENTRY_KEYS[section]
    for index, entry in enumerate(entries):
        where = f"{section}[{index}]"
        if not isinstance(entry, dict):
            raise GuidanceError(f"{where}: must be a mapping with {', '.join(sorted(required))}")
        for key in sorted(required - set(entry)):
            raise GuidanceError(f"{where}.{key}: missing")
        for key in sorted(set(entry) - required - optional):
            raise GuidanceError(f"{where}.{key}: unknown key (an entry has {', '.join(sorted(required | optional))})")
        for key in sorted(required - {"article"}):
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise GuidanceError(f"{where}.{key}: must be text")
        if section == "legal_basis":
            _check_citation(where, entry, statutes)
        if "when" in entry:
            _check_when(f"{where}.when", entry["when"], questionnaire)
    # Something in each section is shown whatever the caller answered.
    if all("when" in entry for entry in entries):
        raise GuidanceError(f"{section}: every entry has a `when`; one at least must be shown to every caller")
    return entries


def _check_citation(where: str, entry: Mapping[str, Any], statutes: Statutes) -> None:
    """The article exists in content/laws and the quote is word for word in it."""
    law, article, quote = entry["law"], entry["article"], entry["quote"]
    if law not in statutes.files:
        raise GuidanceError(f"{where}.law: no file for law {law!r} in content/laws")
    if not isinstance(article, int) or isinstance(article, bool) or article <= 0:
        raise GuidanceError(f"{where}.article: must be a positive arabic number, got {article!r}")
    text = statutes.file_article(law, article)
    if text is None:
        raise GuidanceError(f"{where}.article: {law} has no article {article}")
    if len(quote.strip()) < MIN_QUOTE_CHARS:
        raise GuidanceError(
            f"{where}.quote: at least {MIN_QUOTE_CHARS} characters, so that a wrong "
            f"article number shows, got {quote!r}"
        )
    if quote not in text:
        raise GuidanceError(f"{where}.quote: not word for word in {law} article {article}: {quote!r}")


def _check_when(where: str, when: Any, questionnaire: Questionnaire | None) -> None:
    """One condition on a question the area's questionnaire asks, with a value it can have."""
    if not isinstance(when, dict) or "slot" not in when or len(when) != 2:
        raise GuidanceError(f"{where}: must be {{slot: X, {'|'.join(CONDITIONS)}: ...}}, got {when!r}")
    slot = when["slot"]
    question = questionnaire.question(slot) if questionnaire else None
    if question is None:
        form = questionnaire.form if questionnaire else "no questionnaire"
        raise GuidanceError(f"{where}.slot: {slot!r} is not a question of the area's questionnaire ({form})")
    ((operator, value),) = ((key, value) for key, value in when.items() if key != "slot")
    if operator == "is":
        if question.kind != "yes_no" or not isinstance(value, bool):
            raise GuidanceError(
                f"{where}.is: needs a yes_no question and true or false; "
                f"{slot} is {question.kind}, the value {value!r}"
            )
    elif operator in ("includes", "excludes"):
        if question.kind != "choices":
            raise GuidanceError(f"{where}.{operator}: needs a choices question; {slot} is {question.kind}")
        keys = value if isinstance(value, list) else [value]
        if not keys:
            raise GuidanceError(f"{where}.{operator}: needs at least one choice key")
        for key in keys:
            if key not in question.choices:
                raise GuidanceError(f"{where}.{operator}: {slot} has no choice {key!r}")
    elif operator == "present":
        if value is not True:
            raise GuidanceError(f"{where}.present: must be true, got {value!r}")
    else:
        raise GuidanceError(f"{where}.{operator}: unknown condition (the conditions are {', '.join(CONDITIONS)})")


@cache
def load_guidance(area: str, directory: Path = GUIDANCE_DIR) -> GuidanceContent:
    """The guidance of a practice area, from the file content/practice_areas.yml names for it."""
    registered = load_practice_areas().by_key(area)
    if registered is None or registered.guidance is None:
        raise GuidanceError(f"gives no guidance file for {area!r}", "content/practice_areas.yml")
    path = directory / registered.guidance
    data = read_yaml(path)
    with naming(path):
        return parse_guidance(data, area)


@cache
def load_formats(directory: Path = GUIDANCE_DIR) -> dict[str, dict[str, str]]:
    path = directory / "formats.yml"
    data = read_yaml(path)
    with naming(path):
        if not isinstance(data, dict):
            raise GuidanceError("must be a mapping of the sections")
        missing = sorted({"titles", "names", "lines", "record", *TEMPLATE_SECTIONS} - set(data))
        if missing:
            raise GuidanceError(f"{missing[0]}: missing")
        for section in TEMPLATE_SECTIONS:
            _check_templates(section, data[section])
    return data


def _check_templates(section: str, templates: Any) -> None:
    """Each entry is text whose {placeholders} str.format can read."""
    if not isinstance(templates, dict) or not templates:
        raise GuidanceError(f"{section}: must map names to text")
    for key, text in templates.items():
        if not isinstance(text, str) or not text.strip():
            raise GuidanceError(f"{section}.{key}: must be text")
        try:
            list(Formatter().parse(text))
        except ValueError as error:
            raise GuidanceError(f"{section}.{key}: {error}") from None

"""content/questionnaires.yml as typed objects."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from actions.settings import PROJECT_ROOT

QUESTIONNAIRES_PATH = PROJECT_ROOT / "content" / "questionnaires.yml"
KINDS = {"text", "date", "amount", "yes_no", "choices", "ages", "hours", "rate"}
UNKNOWN = "unknown"  # a skipped question: asked once, never again


class QuestionnaireError(ValueError):
    """The questionnaire file is malformed."""


@dataclass(frozen=True)
class Question:
    slot: str
    kind: str
    label: str
    required: bool
    why: str = ""
    when: Optional[Dict[str, Any]] = None
    cues: Tuple[str, ...] = ()
    choices: Dict[str, Tuple[str, ...]] = field(default_factory=dict)

    def applies(self, slots: Mapping[str, Any]) -> bool:
        """Whether earlier answers make this question relevant."""
        if not self.when:
            return True
        answer = slots.get(self.when["slot"])
        if "is" in self.when:
            return answer is self.when["is"]
        if "includes" in self.when:
            return isinstance(answer, list) and self.when["includes"] in answer
        if "present" in self.when:
            return (answer not in (None, UNKNOWN, [])) is bool(self.when["present"])
        return True


@dataclass(frozen=True)
class Questionnaire:
    form: str
    case_type: str
    questions: Tuple[Question, ...]

    @property
    def confirm_slot(self) -> str:
        """The last slot of the form: the caller confirms the summary."""
        return self.form.replace("_form", "_confirmed")

    def question(self, slot: str) -> Optional[Question]:
        return next((q for q in self.questions if q.slot == slot), None)

    def applicable(self, slots: Mapping[str, Any]) -> List[Question]:
        return [q for q in self.questions if q.applies(slots)]


def _question(form: str, raw: Dict[str, Any]) -> Question:
    where = f"{form}.{raw.get('slot')}"
    if raw.get("kind") not in KINDS:
        raise QuestionnaireError(f"{where}: kind must be one of {sorted(KINDS)}")
    if not raw.get("label"):
        raise QuestionnaireError(f"{where}: a label is needed for the summary")
    if raw.get("required") and not raw.get("why"):
        raise QuestionnaireError(f"{where}: a required question needs 'why'")
    if raw["kind"] == "choices" and not raw.get("choices"):
        raise QuestionnaireError(f"{where}: kind choices needs 'choices'")
    when = raw.get("when")
    if when is not None and ("slot" not in when or not ({"is", "includes", "present"} & set(when))):
        raise QuestionnaireError(f"{where}: 'when' needs slot and is/includes/present")
    return Question(
        slot=raw["slot"],
        kind=raw["kind"],
        label=raw["label"],
        required=bool(raw.get("required")),
        why=raw.get("why", ""),
        when=when,
        cues=tuple(raw.get("cues") or ()),
        choices={key: tuple(words) for key, words in (raw.get("choices") or {}).items()},
    )


def parse_questionnaires(data: Dict[str, Any]) -> Dict[str, Questionnaire]:
    if not isinstance(data, dict) or data.get("version") != 1:
        raise QuestionnaireError("questionnaires file needs 'version: 1'")
    questionnaires = {}
    for form, body in data.items():
        if form == "version":
            continue
        questions = tuple(_question(form, raw) for raw in body.get("questions") or [])
        slots = [q.slot for q in questions]
        if len(set(slots)) != len(slots):
            raise QuestionnaireError(f"{form}: a slot is asked twice")
        for q in questions:
            if q.when and q.when["slot"] not in slots[: slots.index(q.slot)]:
                raise QuestionnaireError(f"{form}.{q.slot}: 'when' must refer to an earlier question")
        questionnaires[form] = Questionnaire(form, body["case_type"], questions)
    return questionnaires


@lru_cache(maxsize=1)
def load_questionnaires(path: Path = QUESTIONNAIRES_PATH) -> Dict[str, Questionnaire]:
    with open(path, encoding="utf-8") as handle:
        return parse_questionnaires(yaml.safe_load(handle))


def questionnaire_for_case_type(case_type: Optional[str]) -> Optional[Questionnaire]:
    return next((q for q in load_questionnaires().values() if q.case_type == case_type), None)

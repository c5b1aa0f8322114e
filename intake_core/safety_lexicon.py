"""The lawyer-reviewed safety lexicon (content/safety_lexicon.yml).

Loaded and validated once; ``classify`` tells whether a message is a crisis, a
request that crosses into representation, or a complaint about the firm, and
which kind. Used by the NLU safety net and by the crisis and handoff actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import Pattern
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml
from intake_core.text import normalize

DEFAULT_LEXICON_PATH = CONTENT_DIR / "safety_lexicon.yml"

CRISIS = "crisis"
REQUEST_LAWYER = "request_lawyer"
COMPLAINT = "complaint"


class LexiconError(ContentError):
    """The lexicon file is malformed or one of its examples contradicts it (the loader adds the file)."""


@dataclass(frozen=True)
class LexiconMatch:
    """A lexicon hit: the intent it implies and the finer category."""

    intent: str
    category: str


def _compile(patterns: list[object] | None, where: str) -> list[Pattern[str]]:
    compiled = []
    for pattern in patterns or []:
        try:
            compiled.append(re.compile(str(pattern), re.IGNORECASE))
        except re.error as error:
            raise LexiconError(f"{where}: invalid pattern {pattern!r}: {error}") from error
    return compiled


def _any_match(patterns: list[Pattern[str]], text: str) -> bool:
    return any(pattern.search(text) for pattern in patterns)


@dataclass(frozen=True)
class _Section:
    intent: str
    category: str
    triggers: tuple[Pattern[str], ...]
    cues: tuple[str, ...]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


class SafetyLexicon:
    """Ordered sections: crisis kinds first, then complaints, then boundary requests."""

    def __init__(
        self,
        sections: list[_Section],
        boundary_exclusions: list[Pattern[str]],
        complaint_about_us: list[Pattern[str]],
    ):
        self._sections = sections
        self._boundary_exclusions = boundary_exclusions
        self._complaint_about_us = complaint_about_us

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SafetyLexicon:
        if not isinstance(data, dict) or data.get("version") != 1:
            raise LexiconError("version: must be 1 (and the lexicon a mapping)")
        sections: list[_Section] = []
        crisis_kinds = (data.get(CRISIS) or {}).get("kinds") or {}
        boundary = data.get(REQUEST_LAWYER) or {}
        boundary_categories = boundary.get("categories") or {}
        if not crisis_kinds or not boundary_categories:
            raise LexiconError("crisis.kinds, request_lawyer.categories: the lexicon needs both")

        def section(intent: str, category: str, body: dict[str, Any]) -> _Section:
            where = f"{intent}.{category}"
            if not isinstance(body, dict):
                raise LexiconError(f"{where}: must be a mapping with triggers (and cues, examples, not_examples)")
            return _Section(
                intent=intent,
                category=category,
                triggers=tuple(_compile(body.get("triggers"), where)),
                cues=tuple(str(cue) for cue in body.get("cues") or []),
                examples=tuple(body.get("examples") or []),
                not_examples=tuple(body.get("not_examples") or []),
            )

        for kind, body in crisis_kinds.items():
            sections.append(section(CRISIS, kind, body))
        if data.get(COMPLAINT):
            sections.append(section(COMPLAINT, COMPLAINT, data[COMPLAINT]))
        for category, body in boundary_categories.items():
            sections.append(section(REQUEST_LAWYER, category, body))
        exclusions = _compile(boundary.get("exclude"), "request_lawyer.exclude")
        about_us = _compile((data.get(COMPLAINT) or {}).get("about_us"), "complaint.about_us")
        lexicon = cls(sections, exclusions, about_us)
        lexicon._check_examples()
        return lexicon

    @classmethod
    def load(cls, path: Path = DEFAULT_LEXICON_PATH) -> SafetyLexicon:
        data = read_yaml(path)
        with naming(path):
            return cls.from_dict(data)

    def classify(self, text: str) -> LexiconMatch | None:
        """The first section whose trigger matches, crisis before anything else."""
        normalized = normalize(text)
        if not normalized:
            return None
        for section in self._sections:
            if section.intent == REQUEST_LAWYER and _any_match(self._boundary_exclusions, normalized):
                continue
            if _any_match(list(section.triggers), normalized):
                return LexiconMatch(section.intent, section.category)
        return None

    def is_about_us(self, text: str) -> bool:
        """Whether a message names the firm or this service (a complaint must)."""
        if not self._complaint_about_us:
            return True
        return _any_match(self._complaint_about_us, normalize(text))

    def categories(self, intent: str) -> list[str]:
        """The categories (crisis kinds, boundary reasons) the lexicon knows for an intent."""
        return [section.category for section in self._sections if section.intent == intent]

    def crisis_kind(self, text: str) -> str:
        """Which crisis response fits: by trigger, else by cue words, else 'general'."""
        match = self.classify(text)
        if match and match.intent == CRISIS:
            return match.category
        normalized = normalize(text)
        for section in self._sections:
            if section.intent == CRISIS and any(cue in normalized for cue in section.cues):
                return section.category
        return "general"

    def _check_examples(self) -> None:
        """Each section's examples must classify to it, its not_examples must not."""
        problems = []
        for section in self._sections:
            for example in section.examples:
                match = self.classify(example)
                if match != LexiconMatch(section.intent, section.category):
                    problems.append(f"{section.intent}.{section.category}: {example!r} -> {match}")
            for example in section.not_examples:
                match = self.classify(example)
                if match is not None and match.intent == section.intent:
                    problems.append(f"{section.intent}.{section.category}: not {example!r} -> {match}")
        if problems:
            raise LexiconError("safety lexicon examples disagree:\n" + "\n".join(problems))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> SafetyLexicon:
    """The lexicon at ``path``, loaded once per process."""
    return SafetyLexicon.load(path)

"""Which article a reference means, and what the guidance says it means in plain words.

Never a guess: an article the law does not have is said not to exist; one the law has
but this copy does not hold is said not to be here; a bare "第82条" that several laws
have is answered only when the conversation's case type picks one of them (laws.yml
``case_types``), otherwise the caller chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake_core.guidance.content import load_guidance
from intake_core.practice_areas import areas
from intake_core.statutes.references import Reference
from intake_core.statutes.texts import Article, Law, Statutes

FOUND = "found"
ABSENT = "absent"  # the law has no such article
NOT_HELD = "not_held"  # the law has it, this copy does not (a 民法典 book not here)
UNKNOWN_LAW = "unknown_law"  # a law this copy does not hold at all
CHOOSE = "choose"  # a bare number several laws have: the caller names the law
UNMATCHED = "unmatched"  # a bare number none of the usual laws has


@dataclass(frozen=True)
class Lookup:
    outcome: str
    number: int
    law: Law | None = None
    article: Article | None = None
    candidates: tuple[Law, ...] = ()


def resolve(reference: Reference, statutes: Statutes, case_type: str | None = None) -> Lookup:
    number = reference.number
    if reference.unknown_law:
        return Lookup(UNKNOWN_LAW, number)
    if reference.law is not None:
        law = statutes.laws[reference.law]
        article = statutes.article(law.key, number)
        if article is not None:
            return Lookup(FOUND, number, law, article)
        return Lookup(NOT_HELD if statutes.exists(law.key, number) else ABSENT, number, law)
    usual = [law for law in statutes.laws.values() if law.case_types]
    fits = [law for law in usual if statutes.article(law.key, number) is not None]
    preferred = [law for law in fits if case_type in law.case_types]
    if len(preferred) == 1:
        fits = preferred
    if len(fits) == 1:
        return Lookup(FOUND, number, fits[0], statutes.article(fits[0].key, number))
    if fits:
        return Lookup(CHOOSE, number, candidates=tuple(fits))
    return Lookup(UNMATCHED, number, candidates=tuple(usual))


def plain_reading(article: Article) -> str | None:
    """The `meaning` of a guidance legal_basis entry citing this article: one that is
    shown whatever the caller answered if there is one (it reads the article as a
    whole), else the first, in the order of content/practice_areas.yml (areas with
    statute_readings)."""
    citing = [
        basis
        for area in areas()
        if area.statute_readings
        for basis in load_guidance(area.key).basis
        if basis.law == article.file and basis.article == article.number and basis.meaning
    ]
    unconditional = [basis for basis in citing if not basis.when]
    chosen = (unconditional or citing)[:1]
    return chosen[0].meaning if chosen else None

"""Conflict-of-interest check: is the other side of the caller's matter already
a client or an adverse party of the firm?

Names are normalised before comparing (places, company-form suffixes, branch
offices, brackets, spacing, full-width and traditional characters), then compared
with RapidFuzz. A hit is for the lawyer only: the caller is never told another
client's name, nor that a conflict was found.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from rapidfuzz import fuzz, process
from sqlalchemy import select

from intake_core.desk.settings import HandoffSettings, handoff_settings
from intake_core.persistence.database import session_scope
from intake_core.persistence.models import FirmParty
from intake_core.text import fold

NONE, POSSIBLE, MATCH = "none", "possible", "match"
ROLES = ("client", "adverse")
ROLE_ALIASES = {
    "client": "client",
    "客户": "client",
    "委托人": "client",
    "adverse": "adverse",
    "对方": "adverse",
    "对方当事人": "adverse",
    "相对方": "adverse",
}

_BRACKETED = re.compile(r"[（(\[【〔]([^）)\]】〕]*)[）)\]】〕]")
_NOT_A_NAME_CHAR = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
_PLACE_ENDING = re.compile(r"^[\u4e00-\u9fff]{1,6}(省|市|区|县|自治区|特别行政区)$")


def _is_place(text: str, settings: HandoffSettings) -> bool:
    return text in settings.place_prefixes or bool(_PLACE_ENDING.match(text))


def normalise_party_name(name: str, settings: HandoffSettings | None = None) -> str:
    """The comparable core of a party's name: "深圳市某某科技有限公司" and
    "某某科技(深圳)有限公司" both become "某某科技"."""
    settings = settings or handoff_settings()
    text = fold(unicodedata.normalize("NFKC", name or "")).lower()
    text = re.sub(r"\s+", "", text)
    # A bracketed place is dropped; other bracketed words are kept, brackets removed.
    text = _BRACKETED.sub(lambda m: "" if _is_place(m.group(1), settings) else m.group(1), text)
    whole = _NOT_A_NAME_CHAR.sub("", text)
    changed = True
    while changed and text:
        changed = False
        for prefix in settings.place_prefixes:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in settings.company_suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
        for place in settings.place_prefixes:  # "…有限公司深圳分公司" -> "…有限公司深圳" -> "…"
            if text.endswith(place) and len(text) > len(place):
                text, changed = text[: -len(place)], True
    core = _NOT_A_NAME_CHAR.sub("", text)
    # "丙公司" has a one-character core: compare the whole name rather than "丙".
    return core if len(core) >= 2 else whole


@dataclass(frozen=True)
class ConflictHit:
    party: str
    role: str
    matter: str | None
    score: float


@dataclass(frozen=True)
class ConflictResult:
    status: str  # none | possible | match
    checked_name: str | None
    hits: tuple[ConflictHit, ...] = ()

    def detail(self) -> list[dict[str, Any]]:
        return [asdict(hit) for hit in self.hits]


def similarity(a: str, b: str, **_: object) -> float:
    """0-100 for two normalised names; a name wholly inside a longer one
    ("某某科技" in "某某科技发展") counts as at least a possible match."""
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and shorter in longer:
        score = max(score, 80.0)
    return float(score)


def check_name(
    name: str | None, parties: Iterable[FirmParty], settings: HandoffSettings | None = None
) -> ConflictResult:
    settings = settings or handoff_settings()
    if not name or not str(name).strip():
        return ConflictResult(NONE, None)
    wanted = normalise_party_name(str(name), settings)
    if len(wanted) < 2:
        return ConflictResult(NONE, str(name))
    parties = list(parties)
    choices = {index: party.normalized_name for index, party in enumerate(parties)}
    found = process.extract(wanted, choices, scorer=similarity, score_cutoff=settings.possible_score, limit=10)
    hits = tuple(
        ConflictHit(parties[index].name, parties[index].role, parties[index].matter, round(score, 1))
        for _, score, index in found
    )
    if any(hit.score >= settings.match_score for hit in hits):
        status = MATCH
    elif hits:
        status = POSSIBLE
    else:
        status = NONE
    return ConflictResult(status, str(name), hits)


def check_against_firm(name: str | None) -> ConflictResult:
    """``check_name`` against the firm_parties table."""
    if not name:
        return ConflictResult(NONE, None)
    with session_scope() as session:
        parties = session.execute(select(FirmParty)).scalars().all()
        return check_name(name, parties)


def import_parties(rows: TextIO, replace: bool = False) -> int:
    """Import a CSV with columns name, role (client/adverse or 客户/对方), matter.

    ``replace`` empties the table first (the firm's system is the master copy).
    Returns the number of parties imported; a bad row raises ValueError naming its line.
    """
    settings = handoff_settings()
    reader = csv.DictReader(rows)
    missing = {"name", "role"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(
            f"CSV needs the columns name, role (and optionally matter); missing: {', '.join(sorted(missing))}"
        )
    parties = []
    for line, row in enumerate(reader, start=2):
        name = (row.get("name") or "").strip()
        role = ROLE_ALIASES.get((row.get("role") or "").strip().lower())
        if not name or role is None:
            raise ValueError(f"line {line}: needs a name and a role (client or adverse)")
        parties.append(
            FirmParty(
                name=name,
                normalized_name=normalise_party_name(name, settings),
                role=role,
                matter=(row.get("matter") or "").strip() or None,
            )
        )
    with session_scope() as session:
        if replace:
            session.query(FirmParty).delete()
        session.add_all(parties)
    return len(parties)

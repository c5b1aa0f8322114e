"""The statute texts of content/laws/, loaded once: law -> {article number -> verbatim text}.

Two kinds of name:
- a *file* name is a file's name before its date (``劳动合同法``, ``婚姻家庭编``); the
  guidance cites articles by file name (content/guidance/*.yml ``legal_basis.law``);
- a *law* is an entry of content/laws/laws.yml: its title for callers, the files that
  hold it (the 民法典 is split over 总则/合同编/婚姻家庭编/侵权责任编, numbered as
  one), what callers call it (aliases), and, for a law whose copy is incomplete, how
  many articles it has (so a missing article is told apart from one that does not exist).

An article's text runs from its heading line (``第四十七条 …``) up to the next article
or chapter/section heading, and is never changed: answers and the tests quote it as is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_text, read_yaml, shown_path
from intake_core.extraction.numerals import chinese_numerals_to_arabic
from intake_core.practice_areas import case_types

LAWS_DIR = CONTENT_DIR / "laws"
CATALOGUE = "laws.yml"

READING_KEYS = ("asks_what_it_says", "fillers", "documents", "law_name_endings")
_ARTICLE_HEADING = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条")
_DATED_NAME = re.compile(r"\(\d{4}-\d{2}-\d{2}\)")


class StatuteError(ContentError):
    """content/laws is inconsistent (a duplicate article, a catalogue naming no file ...); the
    message names the file (a statute text or laws.yml) and what is wrong in it."""


def file_name(path: Path) -> str:
    """The law a file holds: its name before the date in brackets, or before the extension."""
    return _DATED_NAME.split(path.stem)[0]


def heading_number(numeral: str) -> int:
    """四十七 -> 47, 一千零七十九 -> 1079 (the numeral of an article heading)."""
    converted = chinese_numerals_to_arabic(numeral)
    if not converted.isdigit():
        raise StatuteError(f"unreadable article numeral 第{numeral}条")
    return int(converted)


def parse_articles(text: str, where: str = "") -> dict[int, str]:
    """Article number -> the article's text, heading line included."""
    result: dict[int, str] = {}
    current: int | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            if current in result:
                raise StatuteError(f"article {current} appears twice", where or None)
            result[current] = "\n".join(lines).strip()

    for line in text.splitlines():
        heading = _ARTICLE_HEADING.match(line)
        if heading:
            close()
            current, lines = heading_number(heading.group(1)), [line]
        elif line.startswith("#"):
            close()
            current, lines = None, []
        elif current is not None:
            lines.append(line)
    close()
    return result


@dataclass(frozen=True)
class Article:
    law: str  # the catalogue's law (民法典)
    file: str  # the file holding it (婚姻家庭编): what the guidance cites
    number: int
    text: str


@dataclass(frozen=True)
class Law:
    key: str
    title: str
    files: tuple[str, ...]
    aliases: tuple[str, ...]
    case_types: tuple[str, ...]
    # The law's number of articles when the copy does not hold all of them.
    total_articles: int | None = None


@dataclass(frozen=True)
class Statutes:
    files: Mapping[str, Mapping[int, str]]
    laws: Mapping[str, Law] = field(default_factory=dict)
    # laws.yml `reading`: the words that tell an article question (intake_core/statutes/references.py)
    reading: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def file_article(self, file: str, number: int) -> str | None:
        """The text of an article as the guidance cites it (file name, number)."""
        return self.files.get(file, {}).get(number)

    def article(self, law: str, number: int) -> Article | None:
        for file in self.laws[law].files:
            text = self.files[file].get(number)
            if text is not None:
                return Article(law, file, number, text)
        return None

    def exists(self, law: str, number: int) -> bool:
        """Whether the law has that article at all, held here or not."""
        if self.article(law, number) is not None:
            return True
        total = self.laws[law].total_articles
        return total is not None and 0 < number <= total

    def article_count(self, law: str) -> int:
        """How many articles the law has (its last article's number)."""
        held = max(number for file in self.laws[law].files for number in self.files[file])
        return self.laws[law].total_articles or held

    def law_by_alias(self) -> dict[str, str]:
        return {alias: law.key for law in self.laws.values() for alias in law.aliases}


def _catalogue(data: object, files: Mapping[str, Mapping[int, str]]) -> dict[str, Law]:
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("laws"), dict):
        raise StatuteError("version, laws: the catalogue needs 'version: 1' and a 'laws' mapping")
    laws: dict[str, Law] = {}
    seen_aliases: dict[str, str] = {}
    for key, entry in data["laws"].items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise StatuteError(f"laws.{key}: must be a mapping (title, files, aliases, ...)")
        law = Law(
            key=str(key),
            title=str(entry.get("title") or ""),
            files=tuple(entry.get("files") or [key]),
            aliases=tuple(dict.fromkeys([str(key), *(entry.get("aliases") or [])])),
            case_types=tuple(entry.get("case_types") or ()),
            total_articles=entry.get("total_articles"),
        )
        if not law.title:
            raise StatuteError(f"laws.{key}.title: missing (how callers see the law)")
        for file in law.files:
            if file not in files:
                raise StatuteError(f"laws.{key}.files: names no file {file!r} in the laws folder")
        for case_type in law.case_types:
            if case_type not in case_types():
                raise StatuteError(f"laws.{key}.case_types: unknown case type {case_type!r}")
        for alias in law.aliases:
            if alias in seen_aliases:
                raise StatuteError(f"laws.{key}.aliases: alias {alias!r} of both {seen_aliases[alias]} and {key}")
            seen_aliases[alias] = law.key
        laws[law.key] = law
    unlisted = set(files) - {file for law in laws.values() for file in law.files}
    if unlisted:
        raise StatuteError(f"laws: does not list {sorted(unlisted)}: give each text a law entry")
    return laws


def read_statutes(directory: Path) -> Statutes:
    files: dict[str, dict[int, str]] = {}
    for path in sorted(directory.glob("*.md")):
        if path.name == "SOURCE.md":
            continue
        name = file_name(path)
        if name in files:
            raise StatuteError(f"a second file of {name} (one file per law)", shown_path(path))
        with naming(path):  # an unreadable article numeral, too
            files[name] = parse_articles(read_text(path), shown_path(path))
            if not files[name]:
                raise StatuteError("holds no article: no line starts with 第…条")
    catalogue = directory / CATALOGUE
    data = read_yaml(catalogue)
    with naming(catalogue):
        return Statutes(files=files, laws=_catalogue(data, files), reading=_reading(data))


def _reading(data: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    reading = data.get("reading") or {}
    if not isinstance(reading, Mapping):
        raise StatuteError(f"reading: must map {', '.join(READING_KEYS)} to their words")
    result = {}
    for key in READING_KEYS:
        words = reading.get(key)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise StatuteError(f"reading.{key}: must be a list of words")
        result[key] = tuple(words)
    return result


@cache
def load_statutes(directory: Path = LAWS_DIR) -> Statutes:
    """Read once per process: a replaced text applies on the next restart."""
    return read_statutes(directory)

"""content/glossary.yml, loaded and checked once: short answers to the terms a caller asks
about in the middle of a questionnaire ("冷静期是什么意思？")."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from intake_core.content import CONTENT_DIR, ContentError, naming, read_yaml

GLOSSARY_PATH = CONTENT_DIR / "glossary.yml"


def parse_glossary(data: Any) -> list[dict[str, Any]]:
    """The entries, in file order (the first whose term a question holds answers it)."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ContentError("version: must be 1 (and the glossary a mapping with its entries)")
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        raise ContentError("entries: must be a list of {terms, answer}")
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"terms", "answer"}:
            raise ContentError(f"{where}: must have terms and answer, and nothing else")
        terms = entry["terms"]
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise ContentError(f"{where}.terms: must be a list of words")
        if not isinstance(entry["answer"], str) or not entry["answer"].strip():
            raise ContentError(f"{where}.answer: must be text")
    return entries


@cache
def glossary(path: Path = GLOSSARY_PATH) -> list[dict[str, Any]]:
    data = read_yaml(path)
    with naming(path):
        return parse_glossary(data)

"""Normalisation of what callers type, before any matching or classification."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _to_simplified() -> OpenCC:
    return OpenCC("t2s")


def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def fold(text: str) -> str:
    """Full-width to half-width, traditional to simplified, any space to ' '.

    Callers with a traditional-character keyboard write 離婚 or 勞動; the
    training data is simplified. The result has exactly the length of the
    input, so character offsets (entity annotations) stay valid.
    """
    if not text:
        return ""
    folded = "".join(_fold_char(char) for char in text)
    simplified: str = _to_simplified().convert(folded)  # opencc has no type information
    if len(simplified) == len(folded):
        return simplified
    # A phrase conversion changed the length: convert char by char instead.
    converter = _to_simplified()
    return "".join(converted if len(converted := converter.convert(char)) == 1 else char for char in folded)


def normalize(text: str) -> str:
    """``fold`` plus collapsed, trimmed whitespace: the form used for matching."""
    return _WHITESPACE.sub(" ", fold(text)).strip()

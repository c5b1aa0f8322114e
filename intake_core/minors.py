"""A caller who says they are under 14: PIPL art. 31 needs a guardian's consent to process a
child's information, so the child is directed to a parent or guardian, or to the 12355 youth
hotline (issue 16, H8). Only the caller's own age ("我今年13岁", "我是小学生") counts, not a
child's they talk about ("孩子三岁")."""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_OWN_AGE = re.compile(
    r"我(?:今年|现在|才|只有|还|已经)*(?:才|只有)?([0-9]{1,2}|[一二两三四五六七八九十]{1,3})(?:周)?岁"
)
_PUPIL = re.compile(r"我(?:还)?是(?:个)?小学生")


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    word = word.replace("两", "二")
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + _DIGITS.index(word[1]) if len(word) == 2 else None
    if len(word) == 1:
        return _DIGITS.index(word)
    if len(word) >= 2 and word[1] == "十":
        tens = _DIGITS.index(word[0]) * 10
        return tens + (_DIGITS.index(word[2]) if len(word) == 3 else 0)
    return None


def says_under_14(text: str) -> bool:
    if _PUPIL.search(text or ""):
        return True
    match = _OWN_AGE.search(text or "")
    if not match:
        return False
    age = _number(match.group(1))
    return age is not None and age < 14

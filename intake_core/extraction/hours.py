"""Hours a month from a caller's answer ("每个月大概四十个小时", "30左右", "没加过").

The question asks for a month; an answer per day or per week ("每天两小时")
is not converted, because how many days a month the caller works that way
is not known: it is asked again. A range keeps its lower figure, as amounts
do ("二三十个小时", "20到30小时" -> 20): the figure the caller is sure of.
"""

from __future__ import annotations

import re
from decimal import Decimal

from intake_core.extraction.numerals import chinese_numerals_to_arabic, without_trailing_zeros

MAX_HOURS_PER_MONTH = Decimal(400)

_PER_DAY_OR_WEEK = re.compile(r"每天|一天|每日|天天|每晚|每周|一周|每个?星期|一个?星期|每个?礼拜|一个?礼拜|每个周末")
_PER_MONTH = re.compile(r"(?:每|一|平均每?)个?月(?:平均|大概|大约|差不多|有)?|月均|平均")
_NONE = re.compile(r"没有?|不加|从来?不|基本不|无|零")
_SPOKEN_RANGE = re.compile(r"(一二|二三|一两|两三|三四|四五|五六|六七|七八|八九)(?=十)")
_NUMBER = r"(?P<number>\d+(?:\.\d+)?)"
_RANGE_TAIL = r"(?:\s*(?:到|至|-|~|—|～)\s*\d+(?:\.\d+)?)?"
_HOURS = re.compile(
    r"(?<![\d.])" + _NUMBER + _RANGE_TAIL + r"\s*(?:多|来)?\s*个?\s*(?:小时|钟头|h(?![a-z]))", re.IGNORECASE
)
_BARE = re.compile(
    r"(?:大概|大约|差不多|约|将近|有)?\s*"
    + _NUMBER
    + _RANGE_TAIL
    + r"\s*(?:多|来|左右|上下)?\s*(?:吧|啊|的样子)?[。.！!]?"
)


def parse_hours(text: str) -> Decimal | None:
    """Hours in a month, 0 for none, or None when the answer gives no monthly figure."""
    text = (text or "").strip()
    if not text or _PER_DAY_OR_WEEK.search(text):
        return None
    text = _SPOKEN_RANGE.sub(lambda match: match.group(1)[0], _PER_MONTH.sub("", text))
    normalised = chinese_numerals_to_arabic(text).strip()
    match = _HOURS.search(normalised) or _BARE.fullmatch(normalised)
    if match is None:
        return Decimal(0) if _NONE.search(normalised) and not re.search(r"\d", normalised) else None
    hours = Decimal(match.group("number"))
    return without_trailing_zeros(hours) if hours <= MAX_HOURS_PER_MONTH else None

"""How long something lasted, in months ("干了四年多", "两年零三个月").

Months, because labour-law compensation counts months of service and a
half year is a unit callers use ("一年半").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from intake_core.extraction.numerals import chinese_numerals_to_arabic, without_trailing_zeros


@dataclass(frozen=True)
class ParsedDuration:
    """``approximate`` marks a figure the caller hedged ("多", "不到", "左右"):
    worth confirming before it goes into a calculation."""

    months: Decimal
    approximate: bool


# "三四年", "一两个月": we keep the lower bound, the part the caller is sure of.
_SPOKEN_RANGE = re.compile(r"(一两|两三|三四|四五|五六|六七|七八|八九|三五)(?=个|年)")

# Years then months, either optional: "4年多", "半年", "1年半", "2年零3个月",
# "3个半月", "0.5个月" (cn2an's reading of 半个月). Months need 个: "5月"
# is May, not five months.
_DURATION = re.compile(
    r"(?:(?P<years>\d+(?:\.\d+)?|半)\s*年(?P<half_year>半)?(?P<more_years>多)?)?"
    r"\s*[零又]?\s*"
    r"(?:(?P<months>\d+(?:\.\d+)?|半)\s*个(?P<half_month>半)?(?P<more_months>多)?\s*月)?"
)

_HEDGES = re.compile(r"多|不到|不足|将近|快|差不多|大概|大约|约|左右|上下|以上|估计|可能|好像|几")
_HALF = Decimal("0.5")


def parse_duration(text: str) -> Optional[ParsedDuration]:
    """The first span of years and/or months in ``text``, or None.

    "几个月" and "十几年" give None: there is no figure to record ("一年零几个
    月" keeps its year, approximate). A figure
    of 100 years or more is a calendar year ("2019年到现在"), not a span.
    """
    original = text or ""
    normalised = _to_arabic(original)
    for match in _DURATION.finditer(normalised):
        if match.group("years") is None and match.group("months") is None:
            continue
        years = _count(match.group("years"), match.group("half_year"))
        if years >= 100:
            return None
        months = years * 12 + _count(match.group("months"), match.group("half_month"))
        approximate = bool(_HEDGES.search(original) or _SPOKEN_RANGE.search(original))
        return ParsedDuration(without_trailing_zeros(months), approximate)
    return None


def _count(number: Optional[str], half: Optional[str]) -> Decimal:
    value = Decimal(0) if number is None else _HALF if number == "半" else Decimal(number)
    return value + _HALF if half else value



def _to_arabic(text: str) -> str:
    text = _SPOKEN_RANGE.sub(lambda match: match.group(1)[0], text)
    return chinese_numerals_to_arabic(text)

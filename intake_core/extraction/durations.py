"""How long something lasted, in months ("干了四年多", "两年零三个月").

Months, because labour-law compensation counts months of service and a
half year is a unit callers use ("一年半").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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

# "一个月七千", "一年12万", "一个月工资7000块": one month or year followed by a figure is a
# rate (so much a month), not a span; a figure with a unit of time ("1个月3天") is not money,
# nor is the 0 cn2an makes of 零 ("一年零几个月": 1年0几个月).
_RATE_FIGURE_AFTER = re.compile(
    r"\s*(?:的)?(?:工资|收入|薪水|能拿|拿|挣|赚|给|有|大概|差不多)?\s*[1-9]\d*(?:\.\d+)?"
    r"(?!\.?\d|\s*(?:个|天|日|号|年|月|周|星期|礼拜|岁|小时|点|次|级))"
)
_HEDGES = re.compile(r"多|不到|不足|将近|快|差不多|大概|大约|约|左右|上下|以上|估计|可能|好像|几")
_HALF = Decimal("0.5")


def parse_duration(text: str) -> ParsedDuration | None:
    """The first span of years and/or months in ``text``, or None.

    "几个月" and "十几年" give None: there is no figure to record ("一年零几个
    月" keeps its year, approximate). A figure
    of 100 years or more is a calendar year ("2019年到现在"), not a span, and
    one month or year followed by a figure is a rate ("工资一个月七千"), not a span.
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
        if _one_unit(match) and _RATE_FIGURE_AFTER.match(normalised, match.end()):
            continue
        approximate = bool(_HEDGES.search(original) or _SPOKEN_RANGE.search(original))
        return ParsedDuration(without_trailing_zeros(months), approximate)
    return None


def _one_unit(match: re.Match[str]) -> bool:
    """The span is exactly one year or one month ("一年", "1个月"), the period of a rate."""
    years, months = match.group("years"), match.group("months")
    halves = match.group("half_year") or match.group("half_month")
    return not halves and ((years == "1" and months is None) or (months == "1" and years is None))


def _count(number: str | None, half: str | None) -> Decimal:
    value = Decimal(0) if number is None else _HALF if number == "半" else Decimal(number)
    return value + _HALF if half else value


def _to_arabic(text: str) -> str:
    text = _SPOKEN_RANGE.sub(lambda match: match.group(1)[0], text)
    return chinese_numerals_to_arabic(text)

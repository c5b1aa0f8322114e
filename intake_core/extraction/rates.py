"""An agreed interest rate from a caller's words, as percent per year.

Private lenders and borrowers rarely say "年利率": they say 月息2分, 两分利,
一分五的利息, 年息10%, 月利率1.5%. The conventions read here:

- ``X分`` is X% a month (月息2分 = 2% a month = 24% a year); a digit after it
  counts tenths (一分五 = 1分5 = 1.5% a month; 两分五厘 = 2.5%), as does ``X厘``
  alone (8厘 = 0.8% a month). Without 年 or 月 a rate in 分 or 厘 is taken as
  monthly: that is how 几分利 is said.
- ``X%`` or 百分之X needs 年 or 月 (年利率24%, 月息2%): a bare 24% could be
  either, so it is not guessed.
- A yearly rate in 分/厘 (年息1分) and any daily rate (日息) are not read:
  their conventions vary, and a wrong guess would misstate the cap. The
  caller is asked again (the questionnaire keeps their own words anyway).
- 没有利息, 无息, 不要利息: 0.
"""

from __future__ import annotations

import re
from decimal import Decimal

from intake_core.extraction.numerals import chinese_numerals_to_arabic, without_trailing_zeros

MONTHS_PER_YEAR = Decimal(12)
MAX_ANNUAL_PERCENT = Decimal(1000)

_NO_INTEREST = re.compile(
    r"无息|免息|零利息|不(?:要|收|算|给|用给|用付)利息|没(?:有)?(?:约定|说|讲)?(?:过)?利息|利息(?:没有|没说|没约定)"
)
_NUMBER = r"(?P<number>\d+(?:\.\d+)?)"
_UNIT = r"\s*(?P<unit>%|分|厘)(?P<tail>\d|半)?(?:厘)?"
# 年利率24%, 月息2分, 每月两分, 一个月2分利, 年化24%: the period right before the figure.
_PERIOD_BEFORE = re.compile(
    r"(?P<period>年|月|日|天)(?:利率|利息|息|化|利)?\s*(?:是|为|按|约|大概|大约|:|：)?\s*" + _NUMBER + _UNIT
)
# 2分的月息, 24%的年利率: the period right after it.
_PERIOD_AFTER = re.compile(
    _NUMBER + _UNIT + r"\s*(?:的|每)?\s*(?:一)?(?:个)?(?P<period>年|月|日|天)(?:利率|利息|息|利)?"
)
_BARE = re.compile(r"(?<![\d.])" + _NUMBER + _UNIT)
_DIGIT_BEFORE_PERIOD = re.compile(r"(?:每|1|一)个?(?=[年月日天])")


def parse_interest_rate(text: str) -> Decimal | None:
    """The agreed rate in percent per year (月息2分 -> 24), or None when not said clearly."""
    text = (text or "").strip()
    if not text:
        return None
    if _NO_INTEREST.search(text):
        return Decimal(0)
    normalised = chinese_numerals_to_arabic(text.replace("百分之", "%")).replace("％", "%")
    normalised = _percent_after_number(normalised)
    normalised = _DIGIT_BEFORE_PERIOD.sub("", normalised)
    for pattern in (_PERIOD_BEFORE, _PERIOD_AFTER):
        match = pattern.search(normalised)
        if match:
            return _annual(match, match.group("period"))
    match = _BARE.search(normalised)
    if match and match.group("unit") != "%":
        return _annual(match, "月")
    return None


def _percent_after_number(text: str) -> str:
    """cn2an turns 百分之二十四 (here "%二十四") into "24%" already; a leftover "%24" is put right."""
    return re.sub(r"%\s*(\d+(?:\.\d+)?)", r"\1%", text)


def _annual(match: re.Match[str], period: str) -> Decimal | None:
    if period in ("日", "天"):
        return None
    number = Decimal(match.group("number"))
    unit, tail = match.group("unit"), match.group("tail")
    if unit == "%":
        if tail:
            return None  # "2%5" is no rate
        percent = number
    elif unit == "分":
        if period == "年":
            return None  # 年息1分: conventions differ, not guessed
        percent = number + (Decimal("0.5") if tail == "半" else Decimal(tail or 0) / 10)
    else:  # 厘 alone: tenths of a 分
        if period == "年" or tail:
            return None
        percent = number / 10
    annual = percent if period == "年" else percent * MONTHS_PER_YEAR
    if not Decimal(0) < annual <= MAX_ANNUAL_PERCENT:
        return None
    return without_trailing_zeros(annual)

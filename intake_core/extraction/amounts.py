"""Money in yuan from a caller's answer ("三万五", "1.2w", "月薪一万二左右")."""

from __future__ import annotations

import re
from decimal import Decimal

from intake_core.extraction.numerals import (
    chinese_numerals_to_arabic,
    spoken_decimal_to_number,
    without_trailing_zeros,
)

# "两三千", "七八万": callers give a range; we keep its lower bound, the figure
# the caller is sure of. Pairs with 二 are left alone (一二, 二三 are digits).
_SPOKEN_RANGE = re.compile(r"(一两|两三|三四|四五|五六|六七|七八|八九|三五)(?=[十百千万])")

# cn2an reads "八千一个月" as 8100 and "一共两万" as 1 and 20000. A 一 that
# counts a period or starts a word is swapped for a numeral-free stand-in;
# after 十 it is a units digit (十一个月) and stays.
_ONE_OUTSIDE_NUMBERS = re.compile(r"(?<!十)一(?=个|月|年|天|周|星期|共|直|起|下|般|样|定|些|旦|次|分钱|点儿)")

# Decimals spoken in Chinese ("一点五万"), which cn2an.transform leaves as they are.
_SPOKEN_DECIMAL = re.compile(r"[零〇一二两三四五六七八九十]+点[零〇一二三四五六七八九]+")

# 12,000 typed with a thousands separator.
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

# A number, an optional unit, and digits after the unit ("1万2" = 12000).
_AMOUNT = re.compile(r"(?<![\d.])(?P<number>\d+(?:\.\d+)?)(?:\s*(?P<unit>[万千百wWkK])(?P<tail>\d*))?")

_UNIT_VALUES = {"": 1, "百": 100, "千": 1000, "k": 1000, "K": 1000, "万": 10000, "w": 10000, "W": 10000}

# What follows a number that counts something other than money: "3个月工资", "2019年", "15号",
# "二手房", and weights, lengths, areas and counted things ("八千吨", "三套房"): an amount with an
# absurd unit is no amount, so the question is asked again.
_NOT_MONEY_AFTER = re.compile(
    r"个|年|月|日|号|岁|天|周|星期|次|人|点|小时|分|楼|层|%|倍|手"
    r"|吨|公斤|千克|斤|克|公里|千米|米|平方|平米|亩|升|度|台|辆|套|间|张|件|条|只|头|本|箱|瓶"
)

# 块 counts things as well as yuan: "一块手表", "两块地" name an object, not 1 or 2 yuan. Only for
# one or two (nobody's dispute is about 1 yuan), and only before a word that is not 钱 or a particle
# ("一块钱", "两块五", "两块的" stay money).
_COUNTED_THING = re.compile(r"块(?=[\u4e00-\u9fff])(?![钱的了吧呢啊呀嘛哈左多来上下余])")


def parse_amount(text: str) -> Decimal | None:
    """The first amount of money in ``text``, in yuan, or None.

    The first one, because callers put the figure asked for first and add
    detail after ("税前12000，到手一万"). Hedges ("左右", "多", "不到") keep
    the number said: the questionnaire records what the caller knows.
    """
    normalised = _to_arabic(text or "")
    for match in _AMOUNT.finditer(normalised):
        following = normalised[match.end() :].lstrip()
        if following.startswith("几"):
            return None  # "十几万": too vague to record a figure
        if _NOT_MONEY_AFTER.match(following):
            continue
        if not match.group("unit") and match.group("number") in ("1", "2") and _COUNTED_THING.match(following):
            continue
        return _yuan(match.group("number"), match.group("unit") or "", match.group("tail") or "")
    return None


# "三万多", "两千来块", "八千左右": a figure the caller could give exactly if asked.
_HEDGED = re.compile(
    r"[\d一二两三四五六七八九十百千万](?:多|余)|[\d十百千万]来[万千百块元]|左右|大概|大约|差不多|将近|上下"
)


def is_hedged_amount(text: str) -> bool:
    """Whether the amount in ``text`` is only approximate ("三万多", "八千左右")."""
    return bool(_HEDGED.search(text or ""))


def _yuan(number: str, unit: str, tail: str) -> Decimal:
    multiplier = Decimal(_UNIT_VALUES[unit])
    value = Decimal(number) * multiplier
    if unit and tail:
        extra = Decimal(tail)
        # "1万2" is 1万2千: one digit after a unit counts the next unit down.
        value += extra * multiplier / 10 if len(tail) == 1 else (extra if extra < multiplier else 0)
    return without_trailing_zeros(value)


def _to_arabic(text: str) -> str:
    text = _THOUSANDS_COMMA.sub("", text)
    text = _SPOKEN_RANGE.sub(lambda match: match.group(1)[0], text)
    text = _ONE_OUTSIDE_NUMBERS.sub("每", text)
    text = _SPOKEN_DECIMAL.sub(lambda match: spoken_decimal_to_number(match.group(0)), text)
    return chinese_numerals_to_arabic(text)

"""When something happened, from a caller's answer ("19年3月", "去年五一前后").

Callers answer "when did you start / marry / get dismissed?" in every form:
absolute ("2021年5月1日"), relative ("上个月15号", "三年前") and by holiday
("前年春节后"). Each answer becomes a date plus how precise the caller was,
so later steps never treat "2019年" as if it meant 1 January 2019.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from intake_core.extraction.numerals import chinese_numerals_to_arabic


@dataclass(frozen=True)
class ParsedDate:
    """A date and how much of it the caller actually said.

    Calendar answers ("2019年3月", "去年") give the first day of the month or
    year. Counted-back answers ("半年前", "三年前") give today minus that span,
    with the precision of the unit the caller counted in.
    """

    value: date
    precision: str  # "day" | "month" | "year"

    @property
    def iso(self) -> str:
        return self.value.isoformat()


# Holidays and parts of a year stand for the month they fall in. These are
# approximations: 春节 moves between late January and mid February (we say
# February), 中秋 between September and early October (we say September).
_SEASON_MONTHS = [
    (re.compile(r"年?年(?:底|末|尾)"), "年12月"),
    (re.compile(r"年?年(?:初|头)"), "年1月"),
    (re.compile(r"年?年中"), "年6月"),
    (re.compile(r"春节|过年|大年初?[一二三四五六七八九十]?"), "2月"),
    (re.compile(r"元旦"), "1月"),
    (re.compile(r"(?<![零〇一二两三四五六七八九十\d])五一(?![零〇一二两三四五六七八九十\d个年月日号])|劳动节"), "5月"),
    (re.compile(r"国庆节?"), "10月"),
    (re.compile(r"中秋节?"), "9月"),
]

# Years read digit by digit ("二零一九年", "七八年"): cn2an drops the leading
# zero of "零九年", so these are spelled out here. Not before 前/多: "五六年前"
# is a span of years, not 1956.
_DIGIT_BY_DIGIT_YEAR = re.compile(
    r"(?<![零〇一二两三四五六七八九十])[零〇一二三四五六七八九]{2}(?:[零〇一二三四五六七八九]{2})?(?=年(?!前|多))"
)
_CHINESE_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")

# "三四年前", "一两个月前": we keep the lower bound, the part the caller is sure of.
_SPOKEN_RANGE = re.compile(r"(一两|两三|三四|四五|五六|六七|七八|八九|三五)(?=个|年|天|周|星期|礼拜)")

# English and numeric month-year answers ("August 2018", "Aug. 12, 2018", "12 Aug 2018",
# "08/2018") are rewritten as 2018年8月(12日) so one set of rules reads every date.
# Day-month-year all in digits ("12/08/2018") is left alone: its order is ambiguous.
_ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = r"(?P<name>" + "|".join(sorted(_ENGLISH_MONTHS, key=len, reverse=True)) + r")(?![A-Za-z])\.?"
_ENGLISH_DATES = [
    # "12 August 2018", "12th of Aug 2018" (first: its month and year alone would match below)
    re.compile(
        rf"(?<![\d.])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}\s*,?\s*(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    # "August 12, 2018", "Aug 2018", "August of 2018"
    re.compile(
        rf"(?<![A-Za-z]){_MONTH_NAME}\s*(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*|of\s+|,\s*)?(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    # "08/2018", "8-2018"
    re.compile(r"(?<![\d/.-])(?P<month>\d{1,2})\s*[/-]\s*(?P<year>(?:19|20)\d{2})(?![\d/.-])"),
]


def _english_date(match: re.Match[str]) -> str:
    groups = match.groupdict()
    month = _ENGLISH_MONTHS[groups["name"].lower()] if groups.get("name") else int(groups["month"])
    day = f"{int(groups['day'])}日" if groups.get("day") else ""
    return f"{match.group('year')}年{month}月{day}"


_YEARS_BACK = {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}
_MONTHS_BACK = {"这个月": 0, "本月": 0, "上个月": 1, "上月": 1, "上上个月": 2}
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}

# "9月底" / "9月末" is the month's last day (the caller's best day for it).
_DAY = r"(?:(?P<day>\d{1,2})[日号]|(?P<end>底|末))?"
_Resolver = Callable[[re.Match[str], date], ParsedDate | None]


def parse_date(text: str, today: date) -> ParsedDate | None:
    """The date ``text`` names, resolved against ``today``, or None.

    When several dates appear, the first one said wins. A date that does not
    exist (2021年2月30日) or lies after ``today`` gives None: the questions
    are about past events, so such an answer is a slip to ask about again.
    """
    normalised = _normalise(text or "")
    candidates: list[tuple[int, int, re.Match[str], _Resolver]] = []
    for priority, (pattern, resolve) in enumerate(_RULES):
        for match in pattern.finditer(normalised):
            candidates.append((match.start(), priority, match, resolve))
    if not candidates:
        return None
    _, _, match, resolve = min(candidates, key=lambda candidate: candidate[:2])
    try:
        parsed = resolve(match, today)
    except ValueError:  # month 13, 30 February, ...
        return None
    return parsed if parsed is not None and parsed.value <= today else None


def _normalise(text: str) -> str:
    for pattern in _ENGLISH_DATES:
        text = pattern.sub(_english_date, text)
    for pattern, month in _SEASON_MONTHS:
        text = pattern.sub(month, text)
    text = _DIGIT_BY_DIGIT_YEAR.sub(lambda match: match.group(0).translate(_CHINESE_DIGITS), text)
    text = _SPOKEN_RANGE.sub(lambda match: match.group(1)[0], text)
    text = re.sub(r"两(?=周|星期|礼拜)", "二", text)  # cn2an reads 两年 but not 两周
    return chinese_numerals_to_arabic(text)


def _full_year(digits: str, today: date) -> int:
    """Two-digit years up to this year's are this century's ("19年"), the rest last century's ("98年")."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year <= today.year % 100 else 1900 + year


def _day_or_month(year: int, month: int, day: str | None, end: str | None = None) -> ParsedDate:
    if day:
        return ParsedDate(date(year, month, int(day)), "day")
    if end:
        return ParsedDate(date(year, month, 1) + relativedelta(months=1, days=-1), "day")
    return ParsedDate(date(year, month, 1), "month")


def _end(match: re.Match[str]) -> str | None:
    return match.groupdict().get("end")


def _absolute(match: re.Match[str], today: date) -> ParsedDate | None:
    year_digits, separator = match.group("year"), match.group("sep")
    if len(year_digits) == 2 and separator != "年":
        return None  # "19.3" is a decimal, not March 2019
    year = _full_year(year_digits, today)
    month = match.groupdict().get("month")
    if month is None:
        return ParsedDate(date(year, 1, 1), "year")
    return _day_or_month(year, int(month), match.group("day"), _end(match))


def _relative_year(match: re.Match[str], today: date) -> ParsedDate:
    year = today.year - _YEARS_BACK[match.group("word")]
    if match.group("month") is None:
        return ParsedDate(date(year, 1, 1), "year")
    return _day_or_month(year, int(match.group("month")), match.group("day"), _end(match))


def _relative_month(match: re.Match[str], today: date) -> ParsedDate:
    first = today.replace(day=1) - relativedelta(months=_MONTHS_BACK[match.group("word")])
    return _day_or_month(first.year, first.month, match.group("day"), _end(match))


def _month_without_year(match: re.Match[str], today: date) -> ParsedDate:
    """ "3月8号" said in November means this March; said in January, last March."""
    parsed = _day_or_month(today.year, int(match.group("month")), match.group("day"), _end(match))
    if parsed.value > today:
        parsed = _day_or_month(today.year - 1, int(match.group("month")), match.group("day"), _end(match))
    return parsed


def _ago(match: re.Match[str], today: date) -> ParsedDate:
    amount = Decimal("0.5") if match.group("count") == "半" else Decimal(match.group("count"))
    if match.group("half_before") or match.group("half_after"):
        amount += Decimal("0.5")
    unit = match.group("unit")
    if unit in ("天", "周", "星期", "礼拜"):
        days = amount * (1 if unit == "天" else 7)
        return ParsedDate(today - timedelta(days=int(days)), "day")
    if unit == "年" and amount == amount.to_integral_value():
        return ParsedDate(today - relativedelta(years=int(amount)), "year")
    # Half years and months: "半年前" was said in months, so it is as precise as a month.
    months = amount * 12 if unit == "年" else amount
    half_month = timedelta(days=15) if months != months.to_integral_value() else timedelta(0)
    return ParsedDate(today - relativedelta(months=int(months)) - half_month, "month")


def _days_back(match: re.Match[str], today: date) -> ParsedDate:
    return ParsedDate(today - timedelta(days=_DAYS_BACK[match.group("word")]), "day")


def _last_week(match: re.Match[str], today: date) -> ParsedDate:
    """ "上周" gives no weekday: a week before today is the best single guess."""
    return ParsedDate(today - timedelta(days=7), "day")


def _bare_year(match: re.Match[str], today: date) -> ParsedDate:
    return ParsedDate(date(int(match.group("year")), 1, 1), "year")


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: 大前年 before 前年


# At the same position the earlier rule wins: a full date before its year.
_RULES: list[tuple[re.Pattern[str], _Resolver]] = [
    (
        re.compile(
            r"(?<![\d.])(?P<year>\d{4}|\d{2})\s*(?P<sep>[年./-])\s*(?P<month>\d{1,2})"
            r"(?:\s*(?:月份?|[./-])\s*(?:(?P<day>\d{1,2})[日号]?|(?P<end>底|末))?)?(?!\d)"
        ),
        _absolute,
    ),
    (re.compile(r"(?<![\d.])(?P<year>\d{4}|\d{2})\s*(?P<sep>年)(?!前|多|半|了|来|以)"), _absolute),
    (re.compile(rf"(?P<word>{_alternatives(_YEARS_BACK)})(?:(?P<month>\d{{1,2}})月份?{_DAY})?"), _relative_year),
    (re.compile(rf"(?P<word>{_alternatives(_MONTHS_BACK)})份?{_DAY}"), _relative_month),
    (
        re.compile(
            r"(?P<count>\d+(?:\.\d+)?|半)\s*个?(?P<half_before>半)?多?"
            r"(?P<unit>年|月|天|周|星期|礼拜)(?P<half_after>半)?多?以?前"
        ),
        _ago,
    ),
    (re.compile(rf"(?P<word>{_alternatives(_DAYS_BACK)})"), _days_back),
    (re.compile(r"上个?(?:周|星期|礼拜)"), _last_week),
    (re.compile(rf"(?<![\d年./-])(?P<month>\d{{1,2}})月份?{_DAY}"), _month_without_year),
    (re.compile(r"(?<![\d.])(?P<year>19\d{2}|20\d{2})(?![\d年./-])"), _bare_year),
]

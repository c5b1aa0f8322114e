"""Understanding an answer of each kind of question, and showing it back."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from intake_core.extraction import (
    ParsedDuration,
    choices,
    is_none,
    is_nothing_much,
    match_choices,
    parse_amount,
    parse_date,
    parse_duration,
    parse_hours,
    parse_interest_rate,
    parse_yes_no,
)
from intake_core.extraction.numerals import chinese_numerals_to_arabic
from intake_core.questionnaires.definitions import OTHER, UNKNOWN, Question, load_questionnaires

MAX_TEXT_ANSWER = 200
# Longer answers are read from their start only: nobody answers one question
# in a page, and the parsers (regexes, jieba, spaCy) then stay fast.
MAX_READ = 500
# A span longer than a working life is no answer to "since when?" ("干了一亿个月").
MAX_MONTHS_BACK = 100 * 12
# Amounts beyond this are slips or jokes ("一亿亿"), asked again.
MAX_AMOUNT = Decimal(10) ** 10
_WORD = re.compile(r"[^\W_]")  # a letter, digit or Chinese character: emoji alone are no answer
_NOTHING = re.compile(r"^(都)?(没有|没|无|木有|没得|一个都没有)[啊呢的了。.!！]*$")
_AGE = re.compile(r"(\d{1,2})\s*(?:岁|周岁)")
_BARE_NUMBER = re.compile(r"\d{1,2}")
_NEGATION = re.compile(r"没|无|不|未")
# A negation before who it was done with: "没跟我签合同", "没有和公司签合同" (never "没多久就签了").
_NEGATION_WITH_PARTY = re.compile(r"(?:没|未|不)有?(?:跟|和|与|给|同)[^，,。.;；！!？?没不未无]{1,5}$")
_CLAUSE_START = re.compile(r"[^，,。.;；！!？?]*$")
_NEGATION_OR_END_AFTER = re.compile(r"[^，,。.;；！!？?]*(?:没|不|无|未|完|清|结束|停)")
# "房子是租的" to "名下有房子吗": a rented home is none of theirs ("出租的" is rented out: theirs).
_RENTED_AFTER = re.compile(r"[^，,。.;；！!？?]*(?:(?<!出)租(?:的|来|住)|在租)")
_CLAUSES = re.compile(r"[，,。.;；！!？?\n]")
_FIRST_CLAUSE = re.compile(r"[^，,。.;；！!？?\n]*")
# "没有，就是过不下去了": a none first, then the caller's own words.
_NOTHING_FIRST = re.compile(r"^(?:都|也)?(?:没有|没|无|木有|没得)(?:[，,。.;；！!\s]|$)")
# Characters that name nothing in an open answer ("有", "和", "还有", "没签" keeps only 签).
_FILLER = set(
    "的了吧啊呀呢嘛哈哦嗯我你他她它们个是否有没不和跟与及或者还也都就在这那些把给要想什么啥可以能会来去回到过用"
)
# Content characters in a row an open answer must name beyond its choices to be
# "something else" ("检测报告"); a leftover character or two ("微信" of 微信聊天记录) is not.
_MIN_OTHER = 3
# A date "the same day as" an earlier answer ("入职当天就签了", "跟入职同一天", "入职的时候").
_SAME_TIME = re.compile(r"当天|那天|同一天|同天|同一时间|的时候|时候|时|就|同时|一起")
# "入职三个月后": that long after the earlier day; "入职前" is no day at all.
_AFTER = re.compile(r"[以之]?后")
_BEFORE = re.compile(r"[以之]?前")


def prepare() -> int:
    """Readies what reading a multiple-choice answer needs (spaCy, jieba, one matcher per
    question), so that no caller waits for it; the number of questions' vocabularies ready."""
    return choices.prepare(
        question.choices
        for questionnaire in load_questionnaires().values()
        for question in questionnaire.questions
        if question.kind == "choices"
    )


def interpret(question: Question, text: str, today: date) -> Any | None:
    """The normalised value of ``text`` as an answer to ``question``, or None.

    Values are JSON-friendly: dates as ISO strings whose length gives the
    precision (2019, 2019-03, 2019-03-05), amounts as decimal strings.
    """
    text = (text or "").strip()[:MAX_READ]
    if not _WORD.search(text):
        return None
    if question.kind == "text":
        # "没有" to "欠别人的钱吗" is none (like a choice of none): the guidance
        # for debts or property is then not given as if there were some.
        return [] if _NOTHING.match(text) or is_nothing_much(text) else text[:MAX_TEXT_ANSWER]
    if question.kind == "date":
        parsed = parse_date(text, today)
        if parsed is None and question.counts_from:
            return None  # a duration counts from an earlier answer: relative_to_earlier
        if parsed is None:
            # "干了四年多" answers "since when?" too: that long before the message.
            duration = parse_duration(text)
            if duration is None or not 0 < duration.months <= MAX_MONTHS_BACK:
                return None
            start = today - relativedelta(months=int(duration.months))
            return start.strftime("%Y-%m")
        return {"day": parsed.value.isoformat(), "month": parsed.value.strftime("%Y-%m")}.get(
            parsed.precision, str(parsed.value.year)
        )
    if question.kind == "amount":
        amount = parse_amount(text)
        if amount is None:
            # "工资都结清了" to "how much is owed?": nothing, recorded as 0 with the words.
            return "0" if is_none(text) else None
        return str(amount) if 0 <= amount < MAX_AMOUNT else None
    if question.kind == "yes_no":
        # The question's own yes/no phrases in the first clause ("婚后买的", "还在上班，准备辞职"),
        # then a yes/no word at a clause's start ("有一套，现在住的是租的" is yes), then anywhere.
        first_clause = _FIRST_CLAUSE.match(text)
        assert first_clause is not None  # a starred character class matches every text (maybe "")
        worded = _worded_yes_no(question, first_clause.group(0))
        if worded is not None:
            return worded
        # The question's own words tell an answer about it from one about something else.
        said = parse_yes_no(text, topic=question.label + "".join(question.cues))
        if said is not None:
            return said
        worded = _worded_yes_no(question, text)
        return worded if worded is not None else echoed(question, text)
    if question.kind == "choices":
        text = _without_others_doings(question, text)
        chosen = match_choices(text, question.choices)
        nothing = bool(_NOTHING.match(text) or _NOTHING_FIRST.match(text))
        if question.open_ended and not nothing and OTHER not in chosen and _names_something_else(question, text):
            chosen = chosen + [OTHER]
        if chosen:
            return chosen
        # "没有" alone or first, or every choice named is negated ("没有被骗", "合同没签"): none.
        return [] if nothing or _names_a_choice(question, text) else None
    if question.kind == "ages":
        return _ages(text)
    if question.kind == "hours":
        hours = parse_hours(text)
        return str(hours) if hours is not None else None
    if question.kind == "rate":
        rate = parse_interest_rate(text)
        return str(rate) if rate is not None else None
    raise ValueError(f"unknown kind {question.kind}")


def echoed(question: Question, text: str) -> bool | None:
    """An answer that repeats the question's own words: "还有贷款" to "还有贷款吗"
    and "孩子三岁" to "有孩子吗" say yes, "没有孩子" and "房子是租的" say no (a
    negation right before the words, renting after them); None when none of its
    cues is said, or when a negation or an end follows them in the clause."""
    found = [(text.find(cue), cue) for cue in question.cues if cue and cue in text]
    if not found:
        return None
    position, cue = min(found)
    if _RENTED_AFTER.match(text, position + len(cue)):
        return False
    if _NEGATION_OR_END_AFTER.match(text, position + len(cue)):
        return None  # "贷款早就还完了", "房贷没还完": too easily misread, asked again
    # A negation just before the words, or opening them (the cue 没签合同), or before
    # the party (没跟我签合同).
    clause_start = _CLAUSE_START.search(text[:position])
    assert clause_start is not None  # a starred class before $ matches every text (maybe "")
    before = clause_start.group(0)
    return not (
        _NEGATION.search(text[max(0, position - 2) : position] + cue[:1]) or _NEGATION_WITH_PARTY.search(before)
    )


def _worded_yes_no(question: Question, text: str) -> bool | None:
    """The question's own yes/no phrases (content): the one said first decides,
    turned by a negation just before it ("不是婚前买的" is no)."""
    found = [
        (text.find(word), -len(word), word, value)
        for words, value in ((question.yes_words, True), (question.no_words, False))
        for word in words
        if word and word in text
    ]
    if not found:
        return None
    position, _, _, value = min(found)
    negated = bool(_NEGATION.search(text[max(0, position - 2) : position]))
    return value is not negated


# Between another party and what they did: "他一直开车", "对方正在开车", "对方骑摩托车".
_ADVERB = r"(?:们)?(?:正在|还在|一直|在|又|也|就)?(?:骑着|骑)?"


def _without_others_doings(question: Question, text: str) -> str:
    """``text`` with the choices' words said of another party blanked ("他开车打瞌睡": the
    driver's, not the answer about the one harmed); unchanged without ``other_subjects``."""
    if not question.other_subjects:
        return text
    phrases = sorted({p for words in question.choices.values() for p in words if p}, key=len, reverse=True)
    subjects = sorted(question.other_subjects, key=len, reverse=True)
    said_of_others = re.compile(
        "(?:" + "|".join(map(re.escape, subjects)) + ")" + _ADVERB + "(" + "|".join(map(re.escape, phrases)) + ")"
    )
    return said_of_others.sub(
        lambda match: match.group(0)[: match.start(1) - match.start(0)] + " " * len(match.group(1)), text
    )


def _names_a_choice(question: Question, text: str) -> bool:
    return any(phrase in text for phrases in question.choices.values() for phrase in phrases)


def _names_something_else(question: Question, text: str) -> bool:
    """Whether an answer names things beyond its choices ("检测报告"), fillers and negations aside.
    A clause that names a choice only to deny it ("亲戚之间也没写借条") says what is missing, so
    its other words name nothing more."""
    clauses = [
        c for c in _CLAUSES.split(text) if not (_names_a_choice(question, c) and not match_choices(c, question.choices))
    ]
    rest = " ".join(clauses)
    for phrase in sorted((p for phrases in question.choices.values() for p in phrases), key=len, reverse=True):
        rest = rest.replace(phrase, " ")
    runs = "".join(char if "\u4e00" <= char <= "\u9fff" and char not in _FILLER else " " for char in rest).split()
    return any(len(run) >= _MIN_OTHER for run in runs)


def relative_to_earlier(question: Question, text: str, today: date, earlier: list[tuple[Question, Any]]) -> Any | None:
    """A date told by another answer's moment, for an answer without a date of its own:
    "入职当天就签了", "跟入职同一天" to "合同是什么时候签的" is the start date (the
    earlier date question whose cue is named); "入职三个月后" is three months after
    it. None when no earlier date is named, or "入职前" (not a day we can tell)."""
    if question.kind != "date" or parse_date(text, today) is not None:
        return None
    if question.counts_from:
        # "说好一年就还" to the repayment date: a year after the loan's date (never before today).
        counted_from = {other.slot: value for other, value in earlier}.get(question.counts_from)
        return _after(counted_from, parse_duration(text))
    for other, value in earlier:
        if other.kind != "date" or other.slot == question.slot or value in (None, UNKNOWN):
            continue
        if not any(cue and cue in text for cue in other.cues):
            continue
        if _AFTER.search(text):
            return _after(value, parse_duration(text))
        if _SAME_TIME.search(text) and not _BEFORE.search(text):
            return value
    return None


def _after(value: Any, duration: ParsedDuration | None) -> str | None:
    """The month ``duration`` after the date answer ``value`` (a year alone is too vague), or None."""
    if value in (None, UNKNOWN) or duration is None or not 0 < duration.months <= MAX_MONTHS_BACK:
        return None
    if not isinstance(value, str) or len(value) < 7:
        return None
    later: date = date.fromisoformat(value[:7] + "-01") + relativedelta(months=int(duration.months))
    return later.strftime("%Y-%m")


def _ages(text: str) -> list[int] | None:
    arabic = chinese_numerals_to_arabic(text)
    ages = [int(age) for age in _AGE.findall(arabic)]
    if not ages:
        ages = [int(n) for n in _BARE_NUMBER.findall(arabic)]
    ages = [age for age in ages if 0 <= age <= 30]
    return ages or None


def display(question: Question, value: Any) -> str:
    """The value as the caller reads it in the summary and the written record."""
    if value == UNKNOWN or value is None:
        return "不清楚"
    if question.kind == "date":
        parts = str(value).split("-")
        return "".join(f"{int(p)}{unit}" for p, unit in zip(parts, ("年", "月", "日"), strict=False))
    if question.kind == "amount":
        amount = Decimal(str(value))
        return f"{amount:,.2f}".rstrip("0").rstrip(".") + "元"
    if question.kind == "yes_no":
        return "是" if value else "否"
    if question.kind == "choices":
        names = [question.choices[key][0] for key in value if key in question.choices]
        return "、".join(names) if names else "没有"
    if question.kind == "ages":
        return "、".join(f"{age}岁" for age in value)
    if question.kind == "hours":
        return f"{value}小时"
    if question.kind == "rate":
        return f"年利率{value}%"
    return "没有" if value == [] else str(value)

"""Normalise callers' free-text questionnaire answers into values a form can store.

Pure Python, no Rasa imports, so form validators can call it and tests can
check it without a tracker. Callers' text is expected already folded
(simplified characters, half-width digits) by ``intake_core.text``.

Public names:

- ``parse_amount(text) -> Decimal | None``: money in yuan ("三万五", "1.2w");
  ``is_hedged_amount``: only approximately ("三万多").
- ``ParsedDate``, ``parse_date(text, today) -> ParsedDate | None``: a past
  date with its precision ("19年3月", "前年春节后", "上个月15号").
- ``ParsedDuration``, ``parse_duration(text) -> ParsedDuration | None``: a
  span in months, flagged when approximate ("干了四年多").
- ``parse_consent(text) -> bool | None``: an explicit yes to recording sensitive
  information (a yes about the facts is not consent).
- ``parse_yes_no(text, topic) -> bool | None``, ``is_skip``, ``is_stop``,
  ``is_correction``, ``CORRECTION_MARKERS``, ``correction_target``,
  ``is_question``, ``is_confirmation``, ``is_none``, ``is_not_applicable``: what kind of answer
  the caller gave.
- ``match_choices(text, vocabulary) -> list[str]``: multi-select answers
  ("有工资条和微信聊天记录，合同没签").
- ``parse_hours(text) -> Decimal | None``: hours a month ("每月四十个小时").
- ``parse_interest_rate(text) -> Decimal | None``: an agreed interest rate
  in percent per year ("月息2分" -> 24, "一分五的利息" -> 18, "年息10%").
"""

from intake_core.extraction.amounts import is_hedged_amount, parse_amount
from intake_core.extraction.answers import (
    CORRECTION_MARKERS,
    correction_target,
    is_confirmation,
    is_correction,
    is_none,
    is_not_applicable,
    is_nothing_much,
    is_question,
    is_skip,
    is_stop,
    parse_consent,
    parse_yes_no,
)
from intake_core.extraction.choices import match_choices
from intake_core.extraction.dates import ParsedDate, parse_date
from intake_core.extraction.durations import ParsedDuration, parse_duration
from intake_core.extraction.hours import parse_hours
from intake_core.extraction.rates import parse_interest_rate

__all__ = [
    "CORRECTION_MARKERS",
    "ParsedDate",
    "ParsedDuration",
    "correction_target",
    "is_confirmation",
    "is_hedged_amount",
    "is_correction",
    "is_none",
    "is_nothing_much",
    "is_not_applicable",
    "is_question",
    "is_skip",
    "is_stop",
    "match_choices",
    "parse_amount",
    "parse_date",
    "parse_duration",
    "parse_hours",
    "parse_consent",
    "parse_interest_rate",
    "parse_yes_no",
]

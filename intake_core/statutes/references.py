"""An article reference in what a caller typed: "第1079条说的什么", "劳动合同法82条是什么".

Deterministic on purpose: the NLU uses it to route an explicit article question
(intake_nlu/article_reference.py) and the action uses it to find the article, so both
read a message the same way. The words it relies on (law names and aliases, question
words, fillers, document names) are content: content/laws/laws.yml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intake_core.statutes.texts import Statutes, heading_number
from intake_core.text import fold

# "第1079条", "第一千零七十九条", "1079条" (the law named before it), with 弟 for 第 (a common slip).
_NUMBER = re.compile(r"(?P<di>[第弟])?\s*(?P<number>[0-9]{1,4}|[零〇一二两三四五六七八九十百千]{1,8})\s*条")
# What may stand between a law's name and its number: "民法典里的第1079条".
_JOINERS = re.compile(r"(?:的|里面|里边|里|中|之|上)+$")
# A paragraph or item after the number belongs to the same reference: "第47条第二款".
_SUBDIVISION = re.compile(r"^(?:第?[0-9零〇一二两三四五六七八九十]+[款项])+")
# Between the number and the question word: "第82条里到底说的什么".
_LEAD_INS = re.compile(r"^(?:的|里|都|到底|具体|究竟|又|上|中)+")
_PUNCTUATION = re.compile(r"[\s\W_]+")
_BOOK_TITLE_MARKS = str.maketrans("", "", '《》〈〉<>“”"')


@dataclass(frozen=True)
class Reference:
    number: int
    law: str | None  # laws.yml key; None when the caller named no law
    unknown_law: bool = False  # a law's name stands before the number, one not held here
    plain_question: bool = False  # the message asks what the article says, and little else


def _longest_suffix(text: str, words: Iterable[str]) -> str:
    return max((word for word in words if text.endswith(word)), key=len, default="")


def _longest_anywhere(text: str, words: Iterable[str]) -> str:
    return max((word for word in words if word in text), key=len, default="")


def _strip_words(text: str, words: Iterable[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def find_reference(text: str, statutes: Statutes) -> Reference | None:
    """The first article reference in ``text``, or None (a contract's clause is none)."""
    text = fold(text or "").translate(_BOOK_TITLE_MARKS)
    aliases = statutes.law_by_alias()
    reading = statutes.reading
    for match in _NUMBER.finditer(text):
        before = _JOINERS.sub("", text[: match.start()].rstrip())
        after = text[match.end() :]
        alias = _longest_suffix(before, aliases)
        if not alias and _longest_suffix(before, reading["documents"]):
            continue  # "合同第5条": the caller's own contract
        if not (alias or match.group("di") or (match.group("number").isdigit() and _asks_what_it_says(after, reading))):
            continue  # "三条建议": a number of things, not an article ("1079条说的什么" is one)
        unknown_law = not alias and bool(_longest_suffix(before, reading["law_name_endings"]))
        if not alias and not unknown_law:
            # the law named earlier in the sentence: "民法典里面说的第1079条"
            alias = _longest_anywhere(before, aliases)
        try:
            number = (
                int(match.group("number")) if match.group("number").isdigit() else heading_number(match.group("number"))
            )
        except ValueError:
            continue
        start = text.rfind(alias, 0, match.start()) if alias and before.endswith(alias) else match.start()
        plain = _asks_what_it_says(after, reading) or (
            not unknown_law and _says_little_else(text[:start] + after, reading, aliases)
        )
        return Reference(number=number, law=aliases.get(alias), unknown_law=unknown_law, plain_question=plain)
    return None


def _asks_what_it_says(after: str, reading: Mapping[str, tuple[str, ...]]) -> bool:
    """ "…第82条说的什么", "…第47条第二款的原文", "…第82条里到底讲的啥"."""
    after = _SUBDIVISION.sub("", after.lstrip())
    return _LEAD_INS.sub("", after).startswith(tuple(reading["asks_what_it_says"]))


def _says_little_else(rest: str, reading: Mapping[str, tuple[str, ...]], aliases: Iterable[str]) -> bool:
    """Nothing but fillers around the reference: "第1079条", "请问民法典1079条呢"."""
    rest = _strip_words(rest, (*aliases, *reading["asks_what_it_says"], *reading["fillers"]))
    return len(_PUNCTUATION.sub("", rest)) <= 2

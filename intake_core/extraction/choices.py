"""Multi-select answers from free text: "有工资条和微信聊天记录，合同没签".

A question such as "which evidence do you have?" offers a vocabulary, key ->
phrases callers use for it. Phrases are found with a spaCy ``PhraseMatcher``
over a blank Chinese pipeline segmented by jieba, then the negated ones
(没有合同, 合同没签, 工资条和合同都没有) are dropped.

Why a character check as well as the matcher: the matcher compares jieba
words, and jieba segments a phrase differently inside a sentence than alone.
We add every phrase to jieba's dictionary first, which fixes most cases, but
jieba still keeps a dictionary word such as 签合同 whole, so 合同 inside it is
never a token. Every phrase the matcher misses is therefore also looked up as
a plain substring. Note that ``jieba.add_word`` changes jieba's process-wide
dictionary, which is what we want: the phrases should be words everywhere.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

_Vocabulary = tuple[tuple[str, tuple[str, ...]], ...]
_Span = tuple[int, int, str]  # start, end, key

_NEGATION = r"(?:没有|没|无|不|未)"
_NO_BREAK = r"[^\s，,。.;；！!？?、]"  # a negation does not reach over punctuation
_NEGATION_BEFORE = re.compile(_NEGATION + _NO_BREAK + r"{0,2}$")
_NEGATION_AFTER = re.compile(_NO_BREAK + r"{0,2}?(?P<negation>" + _NEGATION + ")")
# "都没有" / "我也没签" after a list negates the whole list, not just its last item.
_NEGATION_FOR_ALL_AFTER = re.compile(_NO_BREAK + r"{0,2}?[都也]" + _NEGATION)
_CONJUNCTION = re.compile(r"\s*(?:和|跟|与|及|以及|还有|、|或者|或)\s*")
# spaCy's pipeline, the matchers and jieba's process-wide dictionary are built by whichever
# thread needs them first: the action server prepares them in a worker thread while it already
# answers on its event loop (``prepare``). One lock, so that a caller's answer arriving
# meanwhile waits for them instead of building them a second time or reading jieba's
# dictionary while words are being added to it.
_SPACY = threading.Lock()


def match_choices(text: str, vocabulary: Mapping[str, Sequence[str]]) -> list[str]:
    """Keys whose phrases the caller names without negating them, in vocabulary order."""
    text = text or ""
    spans = _outermost(_occurrences(text, _frozen(vocabulary)))
    chosen = {span[2] for span, negated in zip(spans, _negations(text, spans), strict=False) if not negated}
    return [key for key in vocabulary if key in chosen]


def prepare(vocabularies: Iterable[Mapping[str, Sequence[str]]]) -> int:
    """Loads spaCy and jieba and builds each vocabulary's matcher now, not on a caller's first
    multiple-choice answer: that caller would wait seconds (3.6 s measured in the benchmark).
    Returns how many distinct vocabularies are ready."""
    frozen = {_frozen(vocabulary) for vocabulary in vocabularies}
    for vocabulary in frozen:
        with _SPACY:
            _matcher(vocabulary)
    return len(frozen)


def _frozen(vocabulary: Mapping[str, Sequence[str]]) -> _Vocabulary:
    return tuple((key, tuple(phrases)) for key, phrases in vocabulary.items())


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    """One blank pipeline for the process; spaCy is imported here because it
    takes seconds, and the action server should start without it."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@lru_cache(maxsize=128)  # the content has 23 vocabularies; tests add their own
def _matcher(vocabulary: _Vocabulary) -> PhraseMatcher:
    import jieba
    from spacy.matcher import PhraseMatcher

    nlp = _pipeline()
    for _, phrases in vocabulary:
        for phrase in phrases:
            jieba.add_word(phrase)  # before make_doc, so each phrase is segmented as one word
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")  # the default, said because spaCy's stub omits it
    for key, phrases in vocabulary:
        matcher.add(key, [nlp.make_doc(phrase) for phrase in phrases])
    return matcher


def _occurrences(text: str, vocabulary: _Vocabulary) -> set[_Span]:
    with _SPACY:
        nlp = _pipeline()
        matcher = _matcher(vocabulary)
        doc = nlp.make_doc(text)
        found = {
            (doc[start:end].start_char, doc[start:end].end_char, nlp.vocab.strings[match_id])
            for match_id, start, end in matcher(doc)
        }
    # The character-level pass adds what jieba's segmentation hid from the
    # matcher; spans both found are the same tuple, so the set keeps one.
    for key, phrases in vocabulary:
        for phrase in filter(None, phrases):
            found.update((m.start(), m.end(), key) for m in re.finditer(re.escape(phrase), text))
    return found


def _outermost(spans: set[_Span]) -> list[_Span]:
    """Drops 合同 inside 劳动合同: the inner phrase would miss a negation in
    front of the outer one ("没签劳动合同")."""
    ordered = sorted(spans, key=lambda span: (span[0], -span[1]))
    kept: list[_Span] = []
    for span in ordered:
        if not any(other[0] <= span[0] and span[1] <= other[1] and other != span for other in kept):
            kept.append(span)
    return kept


def _negations(text: str, spans: list[_Span]) -> list[bool]:
    """For each span (sorted by position), whether the caller negated it.

    A negation within 2 characters before a phrase negates it (没有合同,
    没签劳动合同); one within 2 characters after negates it too (合同没签)
    unless it stands in front of the next phrase (工资条没有合同). A list
    joined by 和/、 shares a negation in front of it (没有工资条和合同) and a
    都/也 negation after it (工资条和合同都没有).
    """
    before = [_negation_before(text, start) for start, _, _ in spans]
    claimed = {position for position in before if position is not None}
    negated = [position is not None for position in before]
    for index, (_, end, _) in enumerate(spans):
        after = _NEGATION_AFTER.match(text, end)
        if after and after.start("negation") not in claimed:
            negated[index] = True
    for group in _lists(text, spans):
        if before[group[0]] is not None or _NEGATION_FOR_ALL_AFTER.match(text, spans[group[-1]][1]):
            for index in group:
                negated[index] = True
    return negated


def _negation_before(text: str, start: int) -> int | None:
    """Where a negation ending at most 2 characters before ``start`` begins."""
    match = _NEGATION_BEFORE.search(text, 0, start)
    return match.start() if match else None


def _lists(text: str, spans: list[_Span]) -> list[list[int]]:
    """Indexes of spans joined by conjunctions only: 工资条和银行流水."""
    groups: list[list[int]] = []
    for index in range(len(spans)):
        between = text[spans[index - 1][1] : spans[index][0]] if index else None
        if groups and between is not None and _CONJUNCTION.fullmatch(between):
            groups[-1].append(index)
        else:
            groups.append([index])
    return [group for group in groups if len(group) > 1]

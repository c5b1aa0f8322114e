"""TF-IDF features of a message: jieba words plus character 1-4-grams.

The linear classifiers of this pipeline (intent and case type) use these
(Rasa's count vectorizers fed only DIET, now gone): character n-grams
across word boundaries carry what jieba splits badly (typos, homophones,
unsegmented names), and sublinear, idf-weighted terms keep long narratives from
drowning the few words that name the matter. The vocabulary and idf weights are
stored as JSON and arrays, never as pickles, so a model file cannot run code.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import numpy as np
import scipy.sparse
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

_VOCABULARY_FILE = "tfidf_vocabulary.json"
_IDF_FILE = "tfidf_idf.npz"


def message_words(message: Message) -> list[str]:
    """The message's jieba tokens (set by the pipeline's tokenizer)."""
    return [token.text.lower() for token in message.get(TOKENS_NAMES[TEXT]) or [] if token.text.strip()]


def message_text(message: Message) -> str:
    return (message.get(TEXT) or "").lower()


def _identity(words: Sequence[str]) -> Sequence[str]:
    return words


class TfidfFeatures:
    """Fits on training messages, then turns any message into one unit-length row."""

    def __init__(
        self,
        char_ngram_range: Sequence[int] = (1, 4),
        min_df: int = 2,
        vocabularies: Optional[dict[str, list[str]]] = None,
        idf: Optional[dict[str, np.ndarray]] = None,
    ) -> None:
        self._char_ngram_range = tuple(char_ngram_range)
        self._min_df = min_df
        self._vocabularies = vocabularies
        self._idf = idf
        # Built once per vocabulary: a CountVectorizer validates its whole
        # vocabulary (tens of thousands of terms) the first time it is used.
        self._counters: Optional[dict[str, CountVectorizer]] = None

    @property
    def fitted(self) -> bool:
        return self._vocabularies is not None

    def _vectorizers(self) -> dict[str, CountVectorizer]:
        """Count vectorizers over the fixed vocabulary (no fitting needed)."""
        if self._counters is None:
            self._counters = {
                "words": CountVectorizer(analyzer=_identity, vocabulary=self._vocabularies["words"]),
                "chars": CountVectorizer(
                    analyzer="char", ngram_range=self._char_ngram_range, lowercase=False,
                    vocabulary=self._vocabularies["chars"],
                ),
            }
        return self._counters

    def fit(self, messages: Sequence[Message]) -> TfidfFeatures:
        fitted = {
            "words": TfidfVectorizer(analyzer=_identity, sublinear_tf=True),
            "chars": TfidfVectorizer(
                analyzer="char", ngram_range=self._char_ngram_range, lowercase=False,
                sublinear_tf=True, min_df=self._min_df,
            ),
        }
        fitted["words"].fit([message_words(m) for m in messages])
        fitted["chars"].fit([message_text(m) for m in messages])
        self._vocabularies = {
            name: [term for term, _ in sorted(v.vocabulary_.items(), key=lambda item: item[1])]
            for name, v in fitted.items()
        }
        self._idf = {name: v.idf_ for name, v in fitted.items()}
        self._counters = None
        return self

    def transform(self, messages: Sequence[Message]) -> scipy.sparse.csr_matrix:
        vectorizers = self._vectorizers()
        blocks = []
        for name, documents in (
            ("words", [message_words(m) for m in messages]),
            ("chars", [message_text(m) for m in messages]),
        ):
            counts = vectorizers[name].transform(documents).astype(np.float64)
            counts.data = 1.0 + np.log(counts.data)  # sublinear term frequency
            # Each count times its term's idf: the products `counts @ diags(idf)` computes, without
            # building a 55,000-square diagonal matrix per message (0.65 ms each); the columns stay
            # in order (tests/test_linear_classifiers.py).
            counts.data *= self._idf[name][counts.indices]
            blocks.append(normalize(counts))
        return normalize(scipy.sparse.hstack(blocks).tocsr())

    def save(self, directory: Path) -> None:
        (directory / _VOCABULARY_FILE).write_text(
            json.dumps(
                {"char_ngram_range": list(self._char_ngram_range), "vocabularies": self._vocabularies},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        np.savez(directory / _IDF_FILE, **self._idf)

    @classmethod
    def load(cls, directory: Path) -> TfidfFeatures:
        stored: dict[str, Any] = json.loads((directory / _VOCABULARY_FILE).read_text(encoding="utf-8"))
        with np.load(directory / _IDF_FILE, allow_pickle=False) as arrays:
            idf = {name: arrays[name] for name in arrays.files}
        return cls(stored["char_ngram_range"], vocabularies=stored["vocabularies"], idf=idf)

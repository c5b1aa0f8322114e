"""Linear text models kept as plain arrays (no pickles in the model file).

Both models of the pipeline score a message as ``softmax(features @ weights + intercept)``:
a logistic regression by construction, and a complement naive Bayes model too (sklearn's
``ComplementNB.predict_proba`` is the softmax of ``features @ feature_log_prob_.T``, its
weights learnt from every class but the one scored). So one class stores and applies both;
only the fit differs.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB

Model = TypeVar("Model", bound="StoredLinearModel")


class StoredLinearModel:
    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray) -> None:
        self.coef = coef
        # The weights laid out for `features @ weights`: scipy's sparse-times-dense product copies
        # a transposed (Fortran-ordered) view to C order on every call, 14 MB for the intent model,
        # 1.9 ms of a 2 ms parse step. Laid out once, the product is 5 us and gives the same bits
        # (the same sums in the same order; tests/test_linear_classifiers.py).
        self.weights = np.ascontiguousarray(coef.T)
        self.intercept = intercept
        self.classes: list[str] = [str(c) for c in classes]

    def probabilities(self, features: scipy.sparse.spmatrix) -> np.ndarray:
        """One row per message, one column per class (same as sklearn's predict_proba)."""
        scores = np.asarray(features @ self.weights) + self.intercept
        if scores.shape[1] == 1:  # binary problem: sklearn keeps one column, the second class
            scores = np.hstack([np.zeros_like(scores), scores])
        scores = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        np.savez(path, coef=self.coef, intercept=self.intercept, classes=np.array(self.classes, dtype=str))

    @classmethod
    def load(cls: type[Model], path: Path) -> Model:
        with np.load(path, allow_pickle=False) as arrays:
            return cls(arrays["coef"], arrays["intercept"], arrays["classes"])


class StoredLogisticRegression(StoredLinearModel):
    @classmethod
    def fit(
        cls, features: scipy.sparse.spmatrix, labels: Sequence[str], regularization: float
    ) -> StoredLogisticRegression:
        # Newton-CG, not sklearn's default L-BFGS: the same minimum of the same loss (largest
        # difference of a training example's probability 3e-4, every top intent the same), in 19
        # iterations instead of 152, each of which cost L-BFGS a pass over all 1.75 million
        # weights: 84 -> 44 CPU s for the intent model (docs/performance.md, training).
        model = LogisticRegression(C=regularization, max_iter=3000, class_weight="balanced", solver="newton-cg")
        model.fit(features, list(labels))
        return cls(model.coef_, model.intercept_, np.array(model.classes_, dtype=str))


class StoredNaiveBayes(StoredLinearModel):
    @classmethod
    def fit(cls, features: scipy.sparse.spmatrix, labels: Sequence[str], smoothing: float) -> StoredNaiveBayes:
        model = ComplementNB(alpha=smoothing)
        model.fit(features, list(labels))
        # No intercept: sklearn adds the class prior only for a single class, never trained here.
        return cls(model.feature_log_prob_, np.zeros(len(model.classes_)), np.array(model.classes_, dtype=str))

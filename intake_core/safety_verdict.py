"""How sure a crisis or handoff prediction is: what the dialogue may doubt.

The SafetyNetClassifier writes into every parse whether the lawyer-reviewed
safety lexicon matched the message (``LEXICON_KEY``: ``{"matched": false}`` or
the match's intent and category; not None, which Rasa leaves out of a parse). A
crisis, handoff or complaint the lexicon does not back and the model is unsure
of (below ``CONFIDENT``) is an *unbacked guess*. Outside a questionnaire such a
guess is still acted on (recall first); inside one, an answer to the question
wins over it (actions/questionnaires/validation.py): a plain name given to
"对方叫什么" was a crisis at 0.25 and ended the intake with 110 (issue 14).

Kept free of Rasa imports: the action server uses it too.
"""

from __future__ import annotations

from typing import Any

from intake_core.safety_lexicon import COMPLAINT, CRISIS, REQUEST_LAWYER, LexiconMatch

LEXICON_KEY = "safety_lexicon"
HANDOFF_OR_CRISIS_INTENTS = frozenset({CRISIS, REQUEST_LAWYER, COMPLAINT})
# Below this confidence the model's safety prediction alone does not interrupt
# an answer. Chosen by measurement (docs/measurements.md, "Inside a
# questionnaire"): every held-out crisis, handoff and complaint message the
# lexicon does not match is predicted at 0.33 or more, so none is lost; a name
# or a word the model has never seen lands near the prior, 0.2 to 0.3 (the
# reported false alarm: 0.25). Names the model reads as a crisis at 0.36 to
# 0.46 still get the crisis response: recall first.
CONFIDENT = 0.3


def lexicon_verdict(match: LexiconMatch | None) -> dict[str, Any]:
    """The parse-data value of ``LEXICON_KEY`` for a lexicon result."""
    if match is None:
        return {"matched": False}
    return {"matched": True, "intent": match.intent, "category": match.category}


def is_unbacked_safety_prediction(parse_data: dict[str, Any]) -> bool:
    """A crisis/handoff/complaint prediction the safety lexicon did not match.

    A parse without ``LEXICON_KEY`` (a button payload such as "/crisis", which
    Rasa reads without the NLU pipeline) is not one: without the lexicon's
    verdict the prediction stands.
    """
    intent = (parse_data.get("intent") or {}).get("name")
    verdict = parse_data.get(LEXICON_KEY)
    return intent in HANDOFF_OR_CRISIS_INTENTS and isinstance(verdict, dict) and verdict.get("matched") is False


def is_unbacked_safety_guess(parse_data: dict[str, Any]) -> bool:
    """An unbacked safety prediction the model is unsure of (below ``CONFIDENT``)."""
    confidence = float((parse_data.get("intent") or {}).get("confidence") or 0.0)
    return is_unbacked_safety_prediction(parse_data) and confidence < CONFIDENT

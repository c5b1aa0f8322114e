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

from typing import Any, Dict, Optional

from intake_nlu.safety_lexicon import COMPLAINT, CRISIS, REQUEST_LAWYER, LexiconMatch

LEXICON_KEY = "safety_lexicon"
HANDOFF_OR_CRISIS_INTENTS = frozenset({CRISIS, REQUEST_LAWYER, COMPLAINT})
# Below this confidence the model's safety prediction alone does not interrupt
# an answer. Measured on the held-out crisis and handoff messages against
# ordinary questionnaire answers (docs/measurements.md, "False alarms inside a
# questionnaire"): no ordinary answer reaches it; the real safety messages it
# lets through as answers are reported there.
CONFIDENT = 0.3


def lexicon_verdict(match: Optional[LexiconMatch]) -> Dict[str, Any]:
    """The parse-data value of ``LEXICON_KEY`` for a lexicon result."""
    if match is None:
        return {"matched": False}
    return {"matched": True, "intent": match.intent, "category": match.category}


def is_unbacked_safety_guess(parse_data: Dict[str, Any]) -> bool:
    """A crisis/handoff/complaint prediction without a lexicon match and below
    ``CONFIDENT``.

    A parse without ``LEXICON_KEY`` (a button payload such as "/crisis", which
    Rasa reads without the NLU pipeline) is never doubted: without the
    lexicon's verdict the prediction stands.
    """
    intent = parse_data.get("intent") or {}
    verdict = parse_data.get(LEXICON_KEY)
    if intent.get("name") not in HANDOFF_OR_CRISIS_INTENTS or not isinstance(verdict, dict):
        return False
    if verdict.get("matched") is not False:
        return False
    return float(intent.get("confidence") or 0.0) < CONFIDENT

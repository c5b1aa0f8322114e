"""Which kind of case a message is about, from the NLU result."""
from __future__ import annotations

from typing import Any, Dict, Optional

CASE_TYPE_BY_INTENT = {
    "consult_divorce": "divorce",
    "consult_labor": "labor",
    "consult_contract": "contract",
    "consult_other": "other",
}

# A boundary or crisis message ("老板欠薪三个月，你们能帮我打官司吗") is classified by
# what the caller wants, but usually still says what the case is about: the best
# case-type intent in the ranking then tells it, if the model is not guessing.
MIN_RANKING_CONFIDENCE = 0.2


def case_type_from_parse(parse_data: Dict[str, Any]) -> Optional[str]:
    """``divorce`` | ``labor`` | ``contract`` | ``other``, or None when unknown."""
    intent = (parse_data.get("intent") or {}).get("name")
    if intent in CASE_TYPE_BY_INTENT:
        return CASE_TYPE_BY_INTENT[intent]
    ranking = sorted(
        parse_data.get("intent_ranking") or [],
        key=lambda entry: entry.get("confidence") or 0.0,
        reverse=True,
    )
    for entry in ranking:
        if entry.get("name") in CASE_TYPE_BY_INTENT:
            if (entry.get("confidence") or 0.0) >= MIN_RANKING_CONFIDENCE:
                return CASE_TYPE_BY_INTENT[entry["name"]]
            return None
    return None

"""Which kind of case a message is about, from the NLU result."""
from __future__ import annotations

from typing import Any, Dict, Optional

from intake_nlu.case_types import CASE_TYPE_BY_INTENT


def case_type_from_parse(parse_data: Dict[str, Any]) -> Optional[str]:
    """``divorce`` | ``labor`` | ``contract`` | ``other``, or None when unknown.

    A case-type intent decides. Otherwise (a request for a lawyer, a crisis, a
    general question) the pipeline's CaseTypeClassifier tells what the message
    is about, or None when it is not sure.
    """
    intent = (parse_data.get("intent") or {}).get("name")
    if intent in CASE_TYPE_BY_INTENT:
        return CASE_TYPE_BY_INTENT[intent]
    prediction = parse_data.get("case_type") or {}
    name = prediction.get("name")
    return name if name in CASE_TYPE_BY_INTENT.values() else None

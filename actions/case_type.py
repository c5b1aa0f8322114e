"""Which kind of case a message is about, from the NLU result."""
from __future__ import annotations

from typing import Any, Dict, Optional

from intake_nlu.case_types import CASE_TYPE_BY_INTENT, CASE_TYPES


def case_type_from_parse(parse_data: Dict[str, Any]) -> Optional[str]:
    """``divorce`` | ``labor`` | ``contract`` | ``other``, or None when unknown.

    The pipeline's CaseTypeClassifier tells what the message is about: for a
    case-type intent, the case type the intent and its own model agree on; for
    any other intent (a request for a lawyer, a crisis, a question) its own
    prediction, or None when it is not sure. Without that prediction (a button's
    ``/consult_labor`` payload skips the pipeline) the intent decides.
    """
    name = (parse_data.get("case_type") or {}).get("name")
    if name in CASE_TYPES:
        return name
    intent = (parse_data.get("intent") or {}).get("name")
    return CASE_TYPE_BY_INTENT.get(intent)

"""Which kind of case a message is about, from the NLU result."""

from __future__ import annotations

from typing import Any

from intake_core.practice_areas import area_for_intent, case_types


def case_type_from_parse(parse_data: dict[str, Any]) -> str | None:
    """One of the case types of content/practice_areas.yml (divorce, labor, contract,
    other), or None when unknown.

    The pipeline's CaseTypeClassifier tells what the message is about: for a
    case-type intent, the case type the intent and its own model agree on; for
    any other intent (a request for a lawyer, a crisis, a question) its own
    prediction, or None when it is not sure. Without that prediction (a button's
    ``/consult_labor`` payload skips the pipeline) the intent decides.
    """
    name: str | None = (parse_data.get("case_type") or {}).get("name")
    if name in case_types():
        return name
    area = area_for_intent((parse_data.get("intent") or {}).get("name"))
    return area.case_type if area else None

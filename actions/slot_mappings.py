"""Slots filled from every user message (outside forms) by custom mappings."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation import user_texts
from intake_core.case_type import case_type_from_parse
from intake_core.practice_areas import case_type_within_area, finer_area_shown


class ValidateSlotMappings(ValidationAction):
    """Run by Rasa's ``action_extract_slots`` after each message."""

    async def extract_case_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sets ``case_type`` as soon as a message shows it, if not known yet.

        Case-type intents set it through their ``from_intent`` mappings; this
        covers the rest, e.g. a first message that asks a lawyer to act on a
        wage claim. Inside a questionnaire the case type is not re-guessed.
        """
        if tracker.get_slot("case_type") is not None or tracker.active_loop_name:
            return {}
        case_type = case_type_from_parse(tracker.latest_message or {})
        return {"case_type": case_type} if case_type else {}

    async def validate_case_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A case-type intent fills the slot through its ``from_intent`` mapping;
        the pipeline's case type, which weighs the intent against a second model,
        wins when it differs (a question about renewing a labor contract may be
        parsed as consult_contract and still be a labor case). The catch-all (other) does not
        hide the finer area the caller's words showed (``practice_area``, set before this or
        by ``extract_practice_area`` just now): a work injury stays labor."""
        if value is None or tracker.active_loop_name:
            return {"case_type": value}
        case_type = case_type_from_parse(tracker.latest_message or {}) or value
        return {"case_type": case_type_within_area(case_type, tracker.get_slot("practice_area"))}

    async def extract_practice_area(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sets ``practice_area`` to a finer area of the case type (work injury within labor)
        once the caller's words show it (the area's cues in content/practice_areas.yml), in
        this message or an earlier one of the conversation. Left alone inside a questionnaire
        (its answers are not a new matter) and once set; null means the case type's own area.

        A conversation the NLU put under the catch-all (other) may show a finer area of another
        case type by its strong cues (a death on a building site told without 工伤): the case
        type is then set to that area's too (labor)."""
        if tracker.get_slot("practice_area") is not None or tracker.active_loop_name:
            return {}
        latest = tracker.latest_message or {}
        case_type = tracker.get_slot("case_type")
        if case_type is None or "case_type" in tracker.slots_to_validate():
            # Set by an intent's mapping this turn: validate_case_type will prefer the pipeline's
            # case type, so the area is looked for there ("下班路上被车撞了，公司说不算工伤" parsed as
            # consult_other but about labor is a work injury, not traffic within labor).
            case_type = case_type_from_parse(latest) or case_type
        # The NLU's normalised text of this message (traditional characters folded), and the
        # caller's own words of the earlier ones (the cues are written for both).
        area = finer_area_shown(case_type, [latest.get("text") or "", *user_texts(tracker)])
        if area is None:
            return {}
        if area.case_type != case_type:
            return {"practice_area": area.key, "case_type": area.case_type}
        return {"practice_area": area.key}

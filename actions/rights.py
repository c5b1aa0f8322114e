"""The caller's rights in the conversation: "我的信息" (a copy), "删除我的信息" (after a yes)
and "我撤回同意" (a separate consent withdrawn: withdrawal.py).

After a deletion the conversation restarts (``Restarted``): the next message starts a
fresh, empty conversation that knows nothing of the old one, and the old one's tracker
events are deleted after this turn by the console's scheduler
(``tracker_events.erase_marked``; the restart's id marks where the deleted part ends).
Failures are logged by type only: nothing the caller said reaches a log.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guidance import record_url
from actions.privacy import consent_withdrawn_text, kinds_named, nothing_to_withdraw_text
from intake_core.persistence.database import session_scope
from intake_core.questionnaires.definitions import SENSITIVE_KINDS, consent_slot
from intake_core.rights import copy, erasure, withdrawal
from intake_core.rights.tracker_events import ERASE_ACTION

logger = logging.getLogger(__name__)


def erasure_summary(erased: erasure.Erased) -> str:
    parts = ["本次对话记录"]
    if erased.intakes:
        parts.append(f"{erased.intakes} 份问卷及其 {erased.answers} 条回答")
    if erased.records:
        parts.append(f"{erased.records} 份咨询备忘录（链接已失效）")
    if erased.tickets_deleted:
        parts.append(f"{erased.tickets_deleted} 张已结束的转人工工单")
    if erased.tickets_emptied:
        parts.append(f"{erased.tickets_emptied} 张处理中工单的全部内容（律师只会看到“来访者已删除信息”）")
    return "、".join(parts)


class ActionEraseMyData(Action):
    def name(self) -> str:
        return ERASE_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        try:
            with session_scope() as session:
                erased = erasure.erase_conversation(session, tracker.sender_id)
        except Exception as error:
            logger.error("Erasure failed: %s.", type(error).__name__)
            dispatcher.utter_message(response="utter_rights_failed")
            return []  # no restart: the tracker is kept as well, the caller may ask again
        logger.info("Conversation erased: %s intakes, %s records, %s tickets deleted, %s emptied.",
                    erased.intakes, erased.records, erased.tickets_deleted, erased.tickets_emptied)
        dispatcher.utter_message(response="utter_data_erased", erased=erasure_summary(erased))
        return [Restarted()]


class ActionShowMyData(Action):
    def name(self) -> str:
        return "action_show_my_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        try:
            with session_scope() as session:
                held = copy.describe(session, tracker.sender_id, record_url)
        except Exception as error:
            logger.error("Copy of the caller's data failed: %s.", type(error).__name__)
            dispatcher.utter_message(response="utter_rights_failed")
            return []
        if held is None:
            dispatcher.utter_message(response="utter_my_data_none")
        else:
            dispatcher.utter_message(response="utter_my_data", held=held)
        return []


class ActionWithdrawConsent(Action):
    """Withdraws every separate consent given, or only the kinds the caller's words name
    ("孩子的情况不要记录了"), deletes what was kept under it and says which kinds."""

    def name(self) -> str:
        return "action_withdraw_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        # The NLU's normalised text: 銀行 in traditional characters names the kind as 银行 does.
        named = kinds_named((tracker.latest_message or {}).get("text") or "")
        kinds = [kind for kind in named or SENSITIVE_KINDS if tracker.get_slot(consent_slot(kind)) is True]
        if not kinds:
            dispatcher.utter_message(text=nothing_to_withdraw_text())
            return []
        slots = withdrawal.slots_of(kinds)
        try:
            with session_scope() as session:
                deleted = withdrawal.delete_answers(session, tracker.sender_id, slots)
        except Exception as error:
            logger.error("Consent withdrawal failed: %s.", type(error).__name__)
            dispatcher.utter_message(response="utter_rights_failed")
            return []  # nothing withdrawn: the caller may ask again
        logger.info("Consent withdrawn for %s: %s stored answers deleted.", ", ".join(kinds), deleted)
        raw_answers = {slot: words for slot, words in (tracker.get_slot("intake_raw_answers") or {}).items()
                       if slot not in slots}
        dispatcher.utter_message(text="\n".join(consent_withdrawn_text(kind) for kind in kinds))
        return ([SlotSet(consent_slot(kind), False) for kind in kinds] + [SlotSet(slot, None) for slot in slots]
                + [SlotSet("intake_raw_answers", raw_answers)])

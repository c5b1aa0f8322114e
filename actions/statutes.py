"""``action_quote_article``: "第1079条说的什么" answered with the article's own words.

Every sentence is a response in domain/domain.yml; this action only picks which one and
passes the law's title, the number and the verbatim text as variables. The article
text is one message of its own, never cut: a channel with a size limit (WeChat)
splits a long one at its line breaks.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_user_text
from intake_core.questionnaires.definitions import RETURNING_SLOT
from intake_core.statutes import lookup as outcomes
from intake_core.statutes.lookup import plain_reading, resolve
from intake_core.statutes.references import find_reference
from intake_core.statutes.texts import load_statutes


class ActionQuoteArticle(Action):
    def name(self) -> str:
        return "action_quote_article"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        self._answer(dispatcher, tracker)
        return [SlotSet(RETURNING_SLOT, True)]  # a questionnaire, if one is active, asks again

    @staticmethod
    def _answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        statutes = load_statutes()
        reference = find_reference(latest_user_text(tracker), statutes)
        if reference is None:
            dispatcher.utter_message(response="utter_ask_which_article")
            return
        found = resolve(reference, statutes, tracker.get_slot("case_type"))
        if found.outcome == outcomes.FOUND:
            dispatcher.utter_message(response="utter_article_quote", law_title=found.law.title, number=found.number)
            dispatcher.utter_message(response="utter_article_text", article_text=found.article.text)
            meaning = plain_reading(found.article)
            if meaning:
                dispatcher.utter_message(response="utter_article_meaning", meaning=meaning)
        elif found.outcome == outcomes.CHOOSE:
            dispatcher.utter_message(
                response="utter_article_choose_law",
                number=found.number,
                # The payload is the question itself, naming the law: read like a typed one.
                buttons=[
                    {"title": law.title, "payload": f"{law.key}第{found.number}条"}
                    for law in found.candidates
                ],
            )
        elif found.outcome == outcomes.ABSENT:
            dispatcher.utter_message(
                response="utter_article_absent", law_title=found.law.title, number=found.number,
                article_count=statutes.article_count(found.law.key),
            )
        elif found.outcome == outcomes.NOT_HELD:
            dispatcher.utter_message(response="utter_article_not_held", law_title=found.law.title, number=found.number)
        elif found.outcome == outcomes.UNKNOWN_LAW:
            dispatcher.utter_message(response="utter_article_law_not_held", number=found.number)
        else:  # UNMATCHED
            dispatcher.utter_message(
                response="utter_article_unmatched", number=found.number,
                usual_laws="、".join(law.title for law in found.candidates),
            )

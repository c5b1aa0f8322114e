"""Questions about an article ("第1079条说的什么"): reading the reference, finding the
article, the action's answer, and the NLU component that routes such a message."""
import asyncio

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.events import SlotSet

from actions.statutes import ActionQuoteArticle
from channels.wechat.render import MAX_REPLY_BYTES, render_messages
from conftest import responses_of
from intake_core.statutes import lookup as outcomes
from intake_core.statutes.lookup import plain_reading, resolve
from intake_core.statutes.references import find_reference
from intake_core.statutes.texts import load_statutes
from intake_nlu.article_reference import ArticleReferenceClassifier


@pytest.fixture(scope="module")
def statutes():
    return load_statutes()


def lookup(text, statutes, case_type=None):
    reference = find_reference(text, statutes)
    assert reference is not None, text
    return resolve(reference, statutes, case_type)


# --- reading the reference ----------------------------------------------------

@pytest.mark.parametrize(
    "text, law, number",
    [
        ("第1079条说的什么", None, 1079),
        ("劳动合同法第82条是什么", "劳动合同法", 82),
        ("民法典一千零七十九条讲的啥", "民法典", 1079),
        ("调解仲裁法第47条什么意思", "劳动争议调解仲裁法", 47),
        ("劳动仲裁法第二十七条", "劳动争议调解仲裁法", 27),
        ("《劳动合同法》第八十二条原文", "劳动合同法", 82),
        ("婚姻家庭编第1087条", "民法典", 1087),
        ("反家暴法第23条说的是啥", "反家庭暴力法", 23),
        ("工伤条例第十七条", "工伤保险条例", 17),
        ("民诉法第122条", "民事诉讼法", 122),
        ("民诉法解释第28条", "最高人民法院关于适用《民事诉讼法》的解释", 28),
        ("民法典里面说的第1079条", "民法典", 1079),
        ("第１０７９條說的什麼", None, 1079),  # full-width digits, traditional characters
        ("弟1079条说啥", None, 1079),  # a common slip for 第
        ("1079条说的什么", None, 1079),
        ("第四十七条第二款是什么意思", None, 47),
    ],
)
def test_the_law_and_number_are_read(statutes, text, law, number):
    reference = find_reference(text, statutes)
    assert (reference.law, reference.number, reference.unknown_law) == (law, number, False)
    assert reference.plain_question


@pytest.mark.parametrize(
    "text",
    ["我签的合同第5条说违约金30%合理吗", "劳动合同第5条写的什么", "员工手册第3条说迟到三次开除",
     "我有三条建议", "有三条说的是这个", "公司拖欠我三个月工资", "第几条来着"],
)
def test_what_is_not_an_article_of_a_law(statutes, text):
    assert find_reference(text, statutes) is None


@pytest.mark.parametrize("text", ["刑法第232条是什么", "婚姻法第32条说的啥", "仲裁法第47条"])
def test_a_law_not_held_is_never_read_as_another(statutes, text):
    # 婚姻法 was replaced by the 民法典 with other numbers; 仲裁法 is not the 劳动争议调解仲裁法.
    reference = find_reference(text, statutes)
    assert reference.unknown_law and reference.law is None
    assert lookup(text, statutes).outcome == outcomes.UNKNOWN_LAW


@pytest.mark.parametrize(
    "text, plain",
    [
        ("第82条", True),
        ("请问民法典1079条呢", True),
        ("老板不给双倍工资，劳动合同法第82条说的什么", True),
        ("根据劳动合同法第47条我能拿多少补偿", False),
        ("我老公按民法典第1079条起诉离婚了，我不想离怎么办", False),
    ],
)
def test_a_plain_question_is_told_from_a_story_that_mentions_an_article(statutes, text, plain):
    assert find_reference(text, statutes).plain_question is plain


# --- finding the article --------------------------------------------------------

def test_a_named_law_gives_its_article_verbatim(statutes):
    found = lookup("劳动合同法第82条是什么", statutes)
    assert found.outcome == outcomes.FOUND
    assert found.article.text == statutes.file_article("劳动合同法", 82)
    assert found.law.title == "《中华人民共和国劳动合同法》"


@pytest.mark.parametrize("text", ["劳动合同法第200条", "民法典第1300条", "劳动合同法第0条"])
def test_an_article_that_does_not_exist_is_absent(statutes, text):
    assert lookup(text, statutes).outcome == outcomes.ABSENT


def test_an_article_of_a_book_not_held_is_not_guessed(statutes):
    # 民法典第300条 (物权编) exists, but its text is not in content/laws.
    assert lookup("民法典第300条说的什么", statutes).outcome == outcomes.NOT_HELD


def test_a_bare_number_only_one_usual_law_has_needs_no_law(statutes):
    found = lookup("第1079条说的什么", statutes)
    assert (found.outcome, found.law.key, found.article.file) == (outcomes.FOUND, "民法典", "婚姻家庭编")


def test_a_bare_number_several_laws_have_asks_which_law(statutes):
    found = lookup("第82条是什么", statutes)
    assert found.outcome == outcomes.CHOOSE
    assert {law.key for law in found.candidates} == {"民法典", "劳动合同法"}


@pytest.mark.parametrize("case_type, law", [("labor", "劳动合同法"), ("divorce", "民法典"), ("contract", "民法典")])
def test_a_bare_number_follows_the_conversations_case_type(statutes, case_type, law):
    found = lookup("第82条是什么", statutes, case_type)
    assert (found.outcome, found.law.key) == (outcomes.FOUND, law)


def test_the_case_type_does_not_pick_a_law_without_the_article(statutes):
    # 劳动合同法 has 98 articles: in a labor case 第1079条 is still the 民法典's.
    found = lookup("第1079条", statutes, "labor")
    assert (found.outcome, found.law.key) == (outcomes.FOUND, "民法典")


def test_a_bare_number_no_usual_law_has_asks_for_the_law(statutes):
    assert lookup("第1261条", statutes).outcome == outcomes.UNMATCHED


def test_the_plain_reading_is_the_guidances_meaning_of_that_article(statutes):
    found = lookup("调解仲裁法第27条", statutes)
    assert plain_reading(found.article) == "一般要在知道权利被侵害之日起一年内申请仲裁。"
    # 第1079条 is cited only under conditions: the first of its readings
    assert plain_reading(lookup("第1079条", statutes).article) == "法院先调解，感情确已破裂、调解不成的，判决离婚。"
    assert plain_reading(lookup("劳动合同法第1条", statutes).article) is None


# --- the action -----------------------------------------------------------------

def run(dispatcher, tracker, domain):
    return asyncio.run(ActionQuoteArticle().run(dispatcher, tracker, domain))


def test_the_answer_is_the_law_the_number_the_verbatim_text_and_the_reading(
    statutes, dispatcher, tracker_factory, domain
):
    tracker = tracker_factory("民法典一千零七十九条讲的啥", intent="ask_article")
    assert run(dispatcher, tracker, domain) == [SlotSet("intake_returning", True)]  # a form asks again
    assert responses_of(dispatcher) == ["utter_article_quote", "utter_article_text", "utter_article_meaning"]
    heading, text, reading = dispatcher.messages
    assert (heading["law_title"], heading["number"]) == ("《中华人民共和国民法典》", 1079)
    assert text["article_text"] == statutes.file_article("婚姻家庭编", 1079)
    assert reading["meaning"] == plain_reading(statutes.article("民法典", 1079))


def test_an_article_without_a_reading_gets_none(statutes, dispatcher, tracker_factory, domain):
    run(dispatcher, tracker_factory("劳动合同法第1条说的什么", intent="ask_article"), domain)
    assert responses_of(dispatcher) == ["utter_article_quote", "utter_article_text"]


@pytest.mark.parametrize(
    "text, response",
    [
        ("劳动合同法第200条是什么", "utter_article_absent"),
        ("民法典第1300条", "utter_article_absent"),
        ("民法典第300条", "utter_article_not_held"),
        ("刑法第232条是什么", "utter_article_law_not_held"),
        ("第1261条", "utter_article_unmatched"),
        ("那一条说的什么", "utter_ask_which_article"),
    ],
)
def test_no_text_is_quoted_when_there_is_none_to_quote(dispatcher, tracker_factory, domain, text, response):
    run(dispatcher, tracker_factory(text, intent="ask_article"), domain)
    assert responses_of(dispatcher) == [response]
    assert "article_text" not in dispatcher.messages[0]


def test_a_nonexistent_article_is_told_with_the_laws_length(dispatcher, tracker_factory, domain):
    run(dispatcher, tracker_factory("劳动合同法第200条", intent="ask_article"), domain)
    assert (dispatcher.messages[0]["number"], dispatcher.messages[0]["article_count"]) == (200, 98)


def test_an_ambiguous_number_offers_the_laws_and_a_button_answers_it(statutes, dispatcher, tracker_factory, domain):
    run(dispatcher, tracker_factory("第82条是什么", intent="ask_article"), domain)
    assert responses_of(dispatcher) == ["utter_article_choose_law"]
    buttons = dispatcher.messages[0]["buttons"]
    assert {button["title"] for button in buttons} == {statutes.laws["民法典"].title, statutes.laws["劳动合同法"].title}
    # the button's payload, sent back as the caller's message, names the law
    for button in buttons:
        found = lookup(button["payload"], statutes)
        assert found.outcome == outcomes.FOUND and found.law.title == button["title"]


def test_in_a_labor_case_a_bare_number_is_the_labor_contract_law(statutes, dispatcher, tracker_factory, domain):
    run(dispatcher, tracker_factory("第82条是什么", intent="ask_article", slots={"case_type": "labor"}), domain)
    assert dispatcher.messages[1]["article_text"] == statutes.file_article("劳动合同法", 82)


def test_every_response_the_action_can_choose_exists(domain):
    responses = {
        "utter_article_quote",
        "utter_article_text",
        "utter_article_meaning",
        "utter_article_absent",
        "utter_article_not_held",
        "utter_article_law_not_held",
        "utter_article_unmatched",
        "utter_article_choose_law",
        "utter_ask_which_article",
    }
    assert responses <= set(domain["responses"])


def test_the_longest_article_reaches_wechat_whole(statutes, dispatcher, tracker_factory, domain):
    """The article is its own message: WeChat's 2048-byte split falls before it, not inside it."""
    file, number = max(
        ((file, number) for file, articles in statutes.files.items() for number in articles),
        key=lambda key: len(statutes.files[key[0]][key[1]].encode("utf-8")),
    )
    text = statutes.files[file][number]
    assert len(text.encode("utf-8")) <= MAX_REPLY_BYTES
    messages = [{"text": "{law_title}第{number}条的原文是："}, {"text": text}, {"text": "简单地说：……"}]
    assert text in render_messages(messages).texts


# --- the NLU component ----------------------------------------------------------


def parsed(text, intent, confidence=0.6):
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(
        INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}, {"name": "ask_article", "confidence": 0.1}]
    )
    return message


@pytest.fixture(scope="module")
def component(statutes):
    return ArticleReferenceClassifier(statutes)


@pytest.mark.parametrize("predicted", ["consult_labor", "ask_legal_basis", "nlu_fallback", "inform"])
def test_a_plain_article_question_is_ask_article_whatever_the_model_said(component, predicted):
    [message] = component.process([parsed("劳动合同法第82条是什么", predicted)])
    assert message.get(INTENT) == {"name": "ask_article", "confidence": 1.0}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == ["ask_article", predicted]


@pytest.mark.parametrize("predicted", ["crisis", "request_lawyer", "complaint"])
def test_crisis_and_handoff_still_win(component, predicted):
    [message] = component.process([parsed("他又在打我，反家暴法第23条说的什么", predicted)])
    assert message.get(INTENT)["name"] == predicted


def test_a_story_that_mentions_an_article_is_left_to_the_model(component):
    [message] = component.process([parsed("根据劳动合同法第47条我能拿多少补偿", "consult_labor")])
    assert message.get(INTENT)["name"] == "consult_labor"

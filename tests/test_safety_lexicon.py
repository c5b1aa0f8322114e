"""The lawyer-reviewed safety lexicon: its own examples, and how it behaves."""
import pytest

from intake_core.safety_lexicon import (
    LexiconError,
    LexiconMatch,
    SafetyLexicon,
    load_lexicon,
)


@pytest.fixture(scope="module")
def lexicon() -> SafetyLexicon:
    return load_lexicon()


@pytest.mark.parametrize(
    "text, intent, category",
    [
        ("我真的不想活了", "crisis", "self_harm"),
        ("討薪討不到，我準備跳樓", "crisis", "self_harm"),  # traditional characters
        ("老公又在打我，孩子在哭", "crisis", "domestic_violence"),
        ("包工头说要弄死我", "crisis", "violence"),
        ("再不给钱我就去砍了老板", "crisis", "harm_to_others"),
        # issue 15's missed classes: a threat to property, violence told by its marks
        # with the danger still there, a lawyer wanted in person
        ("工资再不结我就把他厂里的机器全砸了", "crisis", "harm_to_others"),
        ("脸上全是他打的巴掌印，他还在隔壁屋里", "crisis", "violence"),
        ("警察让我明天去录口供，律师能陪我去吗", "request_lawyer", "in_person"),
        ("你们能帮我打官司吗", "request_lawyer", "representation"),
        ("帮我写一份起诉状", "request_lawyer", "documents"),
        ("替我去跟公司谈谈", "request_lawyer", "act_on_behalf"),
        ("我能赢吗给个准话", "request_lawyer", "outcome_guarantee"),
        ("我想跟你们签委托合同", "request_lawyer", "retainer"),
        ("转人工", "request_lawyer", "human"),
        ("我要投诉你们的律师", "complaint", "complaint"),
    ],
)
def test_classifies_safety_messages(lexicon, text, intent, category):
    assert lexicon.classify(text) == LexiconMatch(intent, category)


@pytest.mark.parametrize(
    "text",
    [
        "起诉需要什么材料",
        "律师费一般怎么算",
        "起诉状怎么写",
        "工亡的死亡赔偿金怎么算",
        "他以前家暴过我，离婚能多分财产吗",
        "你是真人吗",
        "我被人打伤了，对方应该赔多少钱",
        "工伤骨折了，老板不让我回去上班",
        "开庭的时候需要带什么材料",
        "公司拖欠我三个月工资怎么办",
        "",
        "😭😭😭",
    ],
)
def test_ordinary_questions_do_not_match(lexicon, text):
    assert lexicon.classify(text) is None


def test_crisis_outranks_a_handoff_in_the_same_message(lexicon):
    assert lexicon.classify("转人工，他拿着刀在门口").intent == "crisis"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("我想死", "self_harm"),
        ("老公喝醉了摔东西我好害怕", "domestic_violence"),
        ("有人威胁我", "violence"),
        ("我很害怕", "general"),
    ],
)
def test_crisis_kind_falls_back_to_cue_words(lexicon, text, kind):
    assert lexicon.crisis_kind(text) == kind


def _minimal(**overrides):
    data = {
        "version": 1,
        "crisis": {"kinds": {"self_harm": {"triggers": ["不想活"], "examples": ["我不想活了"]}}},
        "request_lawyer": {"categories": {"human": {"triggers": ["转人工"]}}},
    }
    data.update(overrides)
    return data


def test_a_minimal_lexicon_loads():
    assert SafetyLexicon.from_dict(_minimal()).classify("转人工") == LexiconMatch("request_lawyer", "human")


def test_an_example_the_patterns_miss_is_rejected():
    data = _minimal()
    data["crisis"]["kinds"]["self_harm"]["examples"].append("活腻了")
    with pytest.raises(LexiconError, match="活腻了"):
        SafetyLexicon.from_dict(data)


def test_an_invalid_pattern_is_rejected():
    data = _minimal()
    data["request_lawyer"]["categories"]["human"]["triggers"] = ["(转人工"]
    with pytest.raises(LexiconError, match="invalid pattern"):
        SafetyLexicon.from_dict(data)


def test_a_wrong_version_is_rejected():
    with pytest.raises(LexiconError):
        SafetyLexicon.from_dict(_minimal(version=2))


# --- the lexicon's verdict in every parse, and what the dialogue may doubt ------

def _parsed(lexicon, text, intent, confidence):
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from intake_nlu.safety_net import SafetyNetClassifier

    entry = {"name": intent, "confidence": confidence}
    message = Message({TEXT: text})
    message.set(INTENT, entry, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [entry], add_to_output=True)
    SafetyNetClassifier(lexicon).process([message])
    return message.as_dict(only_output_properties=True)


def test_the_parse_says_whether_the_lexicon_matched(lexicon):
    from intake_core.safety_verdict import LEXICON_KEY

    hit = _parsed(lexicon, "他拿着刀在门口", "inform", 0.4)
    assert hit[LEXICON_KEY] == {"matched": True, "intent": "crisis", "category": "violence"}
    assert hit["intent"]["name"] == "crisis"
    miss = _parsed(lexicon, "张伟", "crisis", 0.25)
    assert miss[LEXICON_KEY] == {"matched": False}


@pytest.mark.parametrize(
    "text, intent, confidence, doubted",
    [
        ("张伟", "crisis", 0.25, True),
        ("张伟", "request_lawyer", 0.25, True),
        ("张伟", "crisis", 0.95, False),  # the model is sure
        ("他拿着刀在门口", "crisis", 0.25, False),  # the lexicon backs it
        ("张伟", "inform", 0.25, False),  # not a safety prediction
    ],
)
def test_only_an_unsure_safety_prediction_without_a_lexicon_match_is_doubted(
    lexicon, text, intent, confidence, doubted
):
    from intake_core.safety_verdict import is_unbacked_safety_guess

    assert is_unbacked_safety_guess(_parsed(lexicon, text, intent, confidence)) is doubted


def test_a_parse_without_the_lexicons_verdict_is_never_doubted():
    from intake_core.safety_verdict import is_unbacked_safety_guess

    assert not is_unbacked_safety_guess({"intent": {"name": "crisis", "confidence": 0.25}})

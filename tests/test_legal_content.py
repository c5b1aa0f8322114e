"""The legal content says what its statutes say, under the statutes' own conditions.

Each test is built on the wording of the article a sentence rests on, or on the condition under
which the content shows the sentence: the caller who gets a sentence also gets its basis, a caller
for whom the law differs does not get it, and an article cited for a rule holds that rule.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import cn2an
import pytest

from intake_core.guidance.content import condition_holds, load_guidance
from intake_core.practice_areas import areas
from test_guidance_content import article_text

TODAY = date(2026, 11, 22)


def cited(case_type: str, slots: Mapping[str, Any]) -> set[tuple[str, int]]:
    return {(b.law, b.article) for b in load_guidance(case_type).select_basis(slots)}


def quotes(case_type: str, slots: Mapping[str, Any]) -> str:
    return "\n".join(b.quote for b in load_guidance(case_type).select_basis(slots))


def plain(case_type: str, slots: Mapping[str, Any]) -> str:
    return "\n".join(load_guidance(case_type).select("plain_summary", slots))


MINSU = "民事诉讼法"
MINSU_JIESHI = "最高人民法院关于适用《民事诉讼法》的解释"


# --- conditions -------------------------------------------------------------------------


def test_includes_may_name_several_keys_and_excludes_none_of_them():
    any_of = {"slot": "k", "includes": ["lease", "construction"]}
    none_of = {"slot": "k", "excludes": ["lease", "construction"]}
    assert condition_holds(any_of, {"k": ["construction"]})
    assert not condition_holds(any_of, {"k": ["sale"]})
    assert not condition_holds(none_of, {"k": ["sale", "lease"]})
    assert condition_holds(none_of, {"k": ["sale"]})
    # Not answered: nothing was chosen, so none of the keys was.
    assert condition_holds(none_of, {})
    assert condition_holds({"slot": "k", "excludes": "lease"}, {"k": ["loan"]})


# --- contract: jurisdiction ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["lease", "construction"])
def test_leases_and_construction_get_exclusive_jurisdiction_not_the_general_rule(kind):
    slots = {"contract_kind": [kind]}
    basis = cited("contract", slots)
    assert (MINSU, 34) in basis and (MINSU_JIESHI, 28) in basis
    # 第24条 (defendant's domicile or place of performance) does not govern these disputes.
    assert (MINSU, 24) not in basis
    assert "专属管辖" in plain("contract", slots)
    assert "被告住所地或者合同履行地的法院起诉；合同里书面约定" not in plain("contract", slots)
    # The statute the exclusive-jurisdiction sentence rests on says what the sentence says.
    assert "房屋租赁合同纠纷、建设工程施工合同纠纷" in article_text(MINSU_JIESHI, 28)


@pytest.mark.parametrize("kind", ["sale", "loan", "services"])
def test_other_contracts_keep_the_general_rule(kind):
    basis = cited("contract", {"contract_kind": [kind]})
    assert (MINSU, 24) in basis and (MINSU, 34) not in basis


def test_an_agreed_court_is_subject_to_exclusive_jurisdiction_and_arbitration_excludes_courts():
    shown = quotes("contract", {"contract_kind": ["lease"]})
    assert "但不得违反本法对级别管辖和专属管辖的规定" in shown
    assert (MINSU_JIESHI, 215) in cited("contract", {"contract_kind": ["sale"]})
    assert "仲裁" in plain("contract", {"contract_kind": ["sale"]})


# --- contract: termination and revocation -------------------------------------------------


def test_a_caller_who_wants_to_terminate_gets_termination_for_breach():
    slots = {"contract_kind": ["sale"], "contract_wants": ["termination"]}
    basis = cited("contract", slots)
    assert {("合同编", 563), ("合同编", 564), ("合同编", 565), ("合同编", 566)} <= basis
    shown = quotes("contract", slots)
    assert "合同自通知到达对方时解除" in shown and "自起诉状副本或者仲裁申请书副本送达对方时解除" in shown
    assert "一年内不行使" in shown
    # Revocation (撤销) is another remedy, for a defect when the contract was made.
    assert "撤销" not in plain("contract", slots)
    assert not {("总则", 147), ("总则", 148), ("总则", 150), ("总则", 152)} & basis


@pytest.mark.parametrize("defect", ["fraud", "duress", "misunderstanding"])
def test_revocation_goes_to_a_defect_and_unfairness_is_cited_where_mentioned(defect):
    slots = {"contract_kind": ["sale"], "contract_defect": [defect]}
    text = plain("contract", slots)
    assert "撤销" in text
    if "显失公平" in text:
        assert ("总则", 151) in cited("contract", slots)
    # "最晚不超过五年" rests on 第152条第2款.
    if "五年" in text:
        assert "五年内没有行使撤销权" in quotes("contract", slots)


# --- every case type: a period in a meaning is in the article cited -----------------------


def _basis_params():
    return [
        pytest.param(entry, id=f"{area.key}-{entry.law}-{entry.article}-{index}")
        for area in areas() if area.guidance
        for index, entry in enumerate(load_guidance(area.key).basis)
    ]


@pytest.mark.parametrize("entry", _basis_params())
def test_a_number_of_days_in_a_meaning_is_in_the_article_cited(entry):
    """A meaning that names a period of days states the cited article, not its neighbour's
    (the 15- and 30-day rules of final labor awards are 第48、49条, not 第47条)."""
    text = article_text(entry.law, entry.article)
    for days in re.findall(r"(?<![月\d])(\d+)\s*[天日]", entry.meaning):  # a period, not a date (1月1日)
        numeral = cn2an.an2cn(int(days))  # 15 -> 十五, as statutes write it
        assert f"{numeral}日" in text or f"{days}日" in text or f"{numeral}天" in text, (
            f"{entry.law}第{entry.article}条 says nothing of {days} days: {entry.meaning}")


# --- labor --------------------------------------------------------------------------------

LAODONG = "劳动争议调解仲裁法"


def test_final_awards_cite_the_articles_that_give_the_15_and_30_day_rules():
    basis = cited("labor", {"labor_issues": ["unpaid_wages"]})
    assert {(LAODONG, 47), (LAODONG, 48), (LAODONG, 49)} <= basis
    assert ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", 19) in basis
    shown = quotes("labor", {"labor_issues": ["unpaid_wages"]})
    assert "工作时间、休息休假、社会保险" in shown  # 第47条(二)


def test_compensation_after_resigning_over_social_insurance_cites_article_46():
    slots = {"labor_issues": ["no_social_insurance"]}
    assert "经济补偿" in plain("labor", slots)
    assert ("劳动合同法", 46) in cited("labor", slots)
    assert "（一）劳动者依照本法第三十八条规定解除劳动合同的；" in article_text("劳动合同法", 46)


@pytest.mark.parametrize("issue", ["unpaid_wages", "no_social_insurance"])
def test_resigning_for_cause_is_said_to_usually_hold_not_always(issue):
    slots = {"labor_issues": [issue]}
    only_this = set(load_guidance("labor").select("plain_summary", slots)) - set(
        load_guidance("labor").select("plain_summary", {"labor_issues": []}))
    resign = [text for text in only_this if "解除劳动合同" in text]
    assert resign
    for text in resign:
        assert "一般" in text and "律师" in text, text


# --- glossary -----------------------------------------------------------------------------

GLOSSARY_LAWS = {
    "劳动合同法实施条例": "劳动合同法实施条例",
    "实施条例": "劳动合同法实施条例",
    "劳动合同法": "劳动合同法",
    "劳动争议调解仲裁法": "劳动争议调解仲裁法",
    "反家庭暴力法": "反家庭暴力法",
    "工伤保险条例": "工伤保险条例",
    "合同编通则解释": "最高人民法院关于适用《民法典》合同编通则若干问题的解释",
    "婚姻家庭编解释（一）": "最高人民法院关于适用《民法典》婚姻家庭编的解释（一）",
    "民法典": None,  # one file per book: by article number
}
_CIVIL_CODE_BOOKS = ((1, 204, "总则"), (463, 988, "合同编"), (1040, 1118, "婚姻家庭编"))
_GLOSSARY_CITATION = re.compile(
    "(?P<law>" + "|".join(sorted(map(re.escape, GLOSSARY_LAWS), key=len, reverse=True))
    + r")?第(?P<numbers>\d+(?:、\d+)*)条"
)


def _law_file(alias: str, article: int) -> str:
    if GLOSSARY_LAWS[alias]:
        return GLOSSARY_LAWS[alias]
    return next(book for low, high, book in _CIVIL_CODE_BOOKS if low <= article <= high)


def glossary_citations(answer: str):
    """(law file, article) for each "X法第N条" / "第N、M条" / "、第N条" in a glossary answer."""
    found, law = [], None
    for match in _GLOSSARY_CITATION.finditer(answer):
        if match.group("law"):
            law = match.group("law")
        else:
            assert law and answer[match.start() - 1] == "、", f"article without its law: {answer}"
        found += [(_law_file(law, int(n)), int(n)) for n in match.group("numbers").split("、")]
    return found


def glossary_entries():
    from intake_core.glossary import glossary

    return glossary()


def test_every_article_a_glossary_answer_cites_exists():
    for entry in glossary_entries():
        for law, article in glossary_citations(entry["answer"]):
            assert article_text(law, article), f"{law}第{article}条 does not exist: {entry['terms']}"


@pytest.mark.parametrize(
    "question, statute_words",
    [
        ("违约金多少算过高", "百分之三十"),  # 合同编通则解释第65条, not 民法典第585条
        ("抚养费一般给多少", "百分之二十至三十"),  # 婚姻家庭编解释（一）第49条, not 第1085条
        ("二倍工资最多几个月", "至满一年的前一日"),  # 实施条例第7条, not 第6条
        ("N+1是什么意思", "额外支付劳动者一个月工资"),  # 劳动合同法第40条
        ("定金能退吗", "致使不能实现合同目的"),  # 合同编第587条
        ("保护令多久能下来", "作出人身安全保护令或者驳回申请"),  # 反家庭暴力法第28条
    ],
)
def test_a_glossary_answer_cites_the_article_that_holds_its_rule(question, statute_words):
    from actions.questionnaires.flow import glossary_answer

    answer = glossary_answer(question)
    texts = [article_text(law, article) for law, article in glossary_citations(answer)]
    assert any(statute_words in text for text in texts), answer


def test_the_deposit_penalty_keeps_its_statutory_condition():
    from actions.questionnaires.flow import glossary_answer

    assert "不能实现合同目的" in glossary_answer("定金是什么")


def test_a_protection_order_is_decided_not_promised():
    from actions.questionnaires.flow import glossary_answer

    assert "驳回" in glossary_answer("人身安全保护令是什么")


# --- divorce ------------------------------------------------------------------------------

FAULTS = ["affair", "domestic_violence", "gambling_or_drugs", "desertion"]


def test_separation_is_not_a_fault_for_damages():
    slots = {"divorce_both_agree": False, "divorce_fault": ["separation"]}
    assert ("婚姻家庭编", 1091) not in cited("divorce", slots)
    assert "损害赔偿" not in plain("divorce", slots)
    assert not [item for item in load_guidance("divorce").select("evidence", slots) if "过错" in item]


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_of_article_1091_gets_its_basis(fault):
    slots = {"divorce_fault": [fault]}
    assert ("婚姻家庭编", 1091) in cited("divorce", slots)
    assert "损害赔偿" in plain("divorce", slots)


def test_separation_never_ends_a_marriage_by_itself():
    slots = {"divorce_both_agree": True, "divorce_fault": ["separation"]}
    assert ("婚姻家庭编", 1080) in cited("divorce", slots)
    assert "即解除婚姻关系" in quotes("divorce", slots)
    assert "起诉" in plain("divorce", slots)


@pytest.mark.parametrize("answer", ["他经常不回家", "他不管家，天天在外面", "他不回家也不管家"])
def test_staying_away_is_not_read_as_desertion(answer):
    from intake_core.extraction.choices import match_choices
    from intake_core.questionnaires.definitions import load_questionnaires

    [question] = [q for q in load_questionnaires()["divorce_form"].questions if q.slot == "divorce_fault"]
    assert "desertion" not in match_choices(answer, question.choices)


@pytest.mark.parametrize("answer", ["他遗弃了我和孩子", "他拒绝扶养孩子"])
def test_real_desertion_is_still_recognised(answer):
    from intake_core.extraction.choices import match_choices
    from intake_core.questionnaires.definitions import load_questionnaires

    [question] = [q for q in load_questionnaires()["divorce_form"].questions if q.slot == "divorce_fault"]
    assert "desertion" in match_choices(answer, question.choices)


def test_premarital_property_is_cited_wherever_its_sentence_is_shown():
    # The sentence on 婚前财产 is shown to every divorce caller, with or without a home.
    slots = {"divorce_has_home": False}
    assert "婚前的财产是个人财产" in plain("divorce", slots)
    assert ("婚姻家庭编", 1063) in cited("divorce", slots)


def test_the_protection_order_is_decided_within_the_period_not_granted():
    slots = {"divorce_fault": ["domestic_violence"]}
    assert "作出人身安全保护令或者驳回申请" in article_text("反家庭暴力法", 28)
    text = plain("divorce", slots)
    assert "保护令" in text and "驳回" in text


# --- the same classes of error elsewhere ----------------------------------------------------


def test_the_non_compete_30_percent_needs_the_workers_compliance():
    [entry] = [b for b in load_guidance("labor").basis
               if b.law == "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）" and b.article == 36]
    assert "劳动者履行了竞业限制义务" in entry.quote
    assert "遵守了竞业限制" in entry.meaning


def test_a_coerced_caller_gets_the_duress_period_not_the_one_from_knowing():
    shown = quotes("contract", {"contract_defect": ["duress"]})
    assert "自胁迫行为终止之日起一年内" in shown
    assert "自知道或者应当知道撤销事由之日起一年内" not in shown
    assert "胁迫结束" in plain("contract", {"contract_defect": ["duress"]})
    assert "自知道或者应当知道撤销事由之日起一年内" in quotes("contract", {"contract_defect": ["fraud"]})


def test_the_general_answer_does_not_send_every_divorce_and_contract_to_court(domain):
    [variation] = domain["responses"]["utter_general_info"]
    text = variation["text"]
    assert "婚姻登记机关" in text and "仲裁" in text.split("合同")[-1]


def test_harming_someone_is_said_to_risk_criminal_liability_not_always_bring_it(domain):
    [variation] = domain["responses"]["utter_crisis_harm_to_others"]
    assert "可能" in variation["text"] and "刑事责任" in variation["text"]


def test_the_contract_city_question_names_exclusive_jurisdiction():
    from intake_core.questionnaires.definitions import load_questionnaires

    [question] = [q for q in load_questionnaires()["contract_form"].questions if q.slot == "contract_city"]
    assert "所在地" in question.why and "租赁" in question.why

"""What the traffic-accident area (content/guidance/traffic.yml, traffic_form) must hold beyond
what the guidance loader checks of every registered area (quotes verbatim, `when` on the area's
own questions; tests/test_guidance_content.py): the core articles, no article invented for the review procedure, and
the questionnaire's answers the guidance and calculators read."""
from __future__ import annotations

from pathlib import Path

import yaml

from intake_core.questionnaires.definitions import load_questionnaires

PROJECT_ROOT = Path(__file__).resolve().parents[1]
with (PROJECT_ROOT / "content" / "guidance" / "traffic.yml").open(encoding="utf-8") as handle:
    GUIDANCE_DATA = yaml.safe_load(handle)


def test_the_core_articles_are_cited():
    cited = {(entry["law"], entry["article"]) for entry in GUIDANCE_DATA["legal_basis"]}
    for law, article in [("道路交通安全法", 73), ("道路交通安全法", 76), ("侵权责任编", 1213),
                         ("侵权责任编", 1179), ("侵权责任编", 1183), ("机动车交通事故责任强制保险条例", 23),
                         ("总则", 188), ("最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释", 12),
                         ("最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释", 15)]:
        assert (law, article) in cited, (law, article)


def test_no_article_is_cited_for_the_review_procedure():
    # 复核 is in a Ministry regulation this project does not hold: said in words, never cited.
    assert not any("复核" in entry["quote"] or "复核" in entry["meaning"] for entry in GUIDANCE_DATA["legal_basis"])
    texts = [entry["text"] for entry in GUIDANCE_DATA["plain_summary"]]
    assert any("复核" in text and "没有这部规定" in text for text in texts)


def test_the_questionnaire_asks_what_the_calculators_read():
    questions = {question.slot: question for question in load_questionnaires()["traffic_form"].questions}
    kinds = {slot: question.kind for slot, question in questions.items()}
    assert kinds == {
        "traffic_accident_date": "date", "traffic_harm": "choices", "traffic_victim_road_user": "choices",
        "traffic_liability_determined": "choices", "traffic_liability_share": "choices",
        "traffic_other_party": "text", "traffic_other_insured": "yes_no", "traffic_victim_age": "text",
        "traffic_disability_grade": "choices", "traffic_medical_costs": "amount",
        "traffic_monthly_income": "amount", "traffic_province": "text",
    }
    assert {q.slot for q in questions.values() if q.sensitive == "health"} == {
        "traffic_disability_grade", "traffic_medical_costs"}

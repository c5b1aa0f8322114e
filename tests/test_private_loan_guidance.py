"""A loan caller routed to private loans (民间借贷) gets the figures the contract form gave
for the same loan: the protected interest (民间借贷规定第25条/第31条, dated LPR) and the
limitation date, computed by the same functions (`computes_as` in content/practice_areas.yml maps
the loan form's answers onto contract's). Each test compares the two paths, from the
answers as the questionnaires read a caller's words."""
from datetime import date
from decimal import Decimal

import pytest

from intake_core.guidance import by_area
from intake_core.guidance.advice import build_advice
from intake_core.questionnaires.answers import interpret
from intake_core.questionnaires.definitions import UNKNOWN, load_questionnaires

TODAY = date(2026, 11, 22)


def answer(form, slot, text):
    return interpret(load_questionnaires()[form].question(slot), text, TODAY)


def contract_loan(principal, rate, lent, learned=None):
    slots = {"contract_kind": ["loan"], "contract_loan_principal": principal, "contract_loan_rate": rate,
             "contract_loan_date": lent}
    return {**slots, "contract_learned_date": learned} if learned else slots


def private_loan(principal, rate, lent, due=None):
    slots = {"private_loan_principal": principal, "private_loan_rate": rate, "private_loan_date": lent}
    return {**slots, "private_loan_due_date": due} if due else slots


def interest(estimates):
    return [e for e in estimates if "利息" in e.name]


def test_the_same_words_give_the_same_protected_interest_on_both_forms():
    words = {"principal": "借给他10万", "rate": "月息2分", "lent": "2023年7月5日"}
    loan_form = private_loan(*(answer("private_loan_form", f"private_loan_{k}", v) for k, v in
                               (("principal", words["principal"]), ("rate", words["rate"]),
                                ("date", words["lent"]))))
    contract_form = contract_loan(*(answer("contract_form", f"contract_loan_{k}", v) for k, v in
                                    (("principal", words["principal"]), ("rate", words["rate"]),
                                     ("date", words["lent"]))))
    [mine] = by_area.estimates_for("private_loan", loan_form, TODAY)
    [contract] = interest(by_area.estimates_for("contract", contract_form, TODAY))
    assert mine == contract
    assert mine.amount == Decimal("14200.00")
    assert "借款合同成立时（2023-07-05）执行的是2023年6月20日起的一年期LPR 3.55%" in mine.steps
    assert mine.basis == "民间借贷规定第25条"


@pytest.mark.parametrize("lent", ["2019-03-01", "2020-07", "2023-06", "2024-11", "2026-03-01", UNKNOWN, None])
def test_every_dated_lpr_rule_is_contract_s(lent):
    # Before the 2020 rules (第31条), a month spanning an LPR change, the newest LPR known, no date.
    [mine] = by_area.estimates_for("private_loan", private_loan("50000", "36", lent), TODAY)
    assert [mine] == interest(by_area.estimates_for("contract", contract_loan("50000", "36", lent), TODAY))


def test_an_old_loan_says_article_31_as_on_the_contract_form():
    [mine] = by_area.estimates_for("private_loan", private_loan("50000", "24", "2019-03-01"), TODAY)
    assert mine.basis == "民间借贷规定第25条、第31条"
    assert mine.steps[0].startswith("借款合同成立于2020年8月20日之前")


@pytest.mark.parametrize("rate", ["0", UNKNOWN, None])
def test_no_agreed_interest_no_interest_figure(rate):
    assert by_area.estimates_for("private_loan", private_loan("100000", rate, "2023-07-05"), TODAY) == []


def test_the_limitation_date_counts_from_the_agreed_repayment_date_as_contract_s_from_the_breach():
    due = answer("private_loan_form", "private_loan_due_date", "说好2024年3月1日还")
    assert due == "2024-03-01"
    [mine] = by_area.deadlines_for("private_loan", {"private_loan_due_date": due}, TODAY)
    [contract] = by_area.deadlines_for("contract", {"contract_learned_date": due}, TODAY)
    assert mine == contract
    assert mine.due == date(2027, 3, 1) and mine.basis == "民法典第188条"


def test_no_agreed_repayment_date_no_limitation_date():
    due = answer("private_loan_form", "private_loan_due_date", "没约定")
    assert by_area.deadlines_for("private_loan", {"private_loan_due_date": due}, TODAY) == []


def test_the_loan_guidance_shows_the_figures_and_no_longer_says_it_computes_none():
    slots = {**private_loan("100000", "24", "2023-07-05", due="2024-03-01"), "private_loan_evidence": ["iou"]}
    advice = build_advice("private_loan", slots, TODAY)
    sections = {s.key: "\n".join(s.lines) for s in advice.sections}
    assert "民间借贷每年受法律保护的利息（按您说的借款本金计算）：约14,200元" in sections["estimates"]
    assert "起诉的诉讼时效" in sections["deadlines"] and "2027年3月1日" in sections["deadlines"]
    assert "第31条" in sections["basis"]
    assert "不替您计算" not in sections["cannot_do"]


def test_a_near_limitation_date_reaches_the_ticket():
    from actions.case_file import nearest_deadline

    slots = {"practice_area": "private_loan", "private_loan_due_date": "2024-03-01"}
    assert nearest_deadline("contract", slots, TODAY) == date(2027, 3, 1)

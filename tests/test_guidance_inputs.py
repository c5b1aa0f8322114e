"""The questions that feed the overtime, 定金, private-loan, revocation and
cooling-off calculations, and the estimates and deadlines they give, with
worked examples (LPR from content/guidance/parameters.yml)."""
from datetime import date
from decimal import Decimal

import pytest

from actions.guidance.advice import build_advice
from actions.guidance.facts import deadlines_for, estimates_for
from actions.guidance.parameters import load_parameters
from actions.questionnaires.answers import interpret
from actions.questionnaires.definitions import UNKNOWN, load_questionnaires

TODAY = date(2026, 11, 22)
D = Decimal


def question(form, slot):
    return load_questionnaires()[form].question(slot)


def answer(form, slot, text):
    return interpret(question(form, slot), text, TODAY)


def named(found, name_part):
    [match] = [item for item in found if name_part in item.name]
    return match


# --- overtime -------------------------------------------------------------------------

OVERTIME = ("labor_overtime_workday_hours", "labor_overtime_rest_day_hours", "labor_overtime_holiday_hours")


def test_overtime_questions_only_when_overtime_is_the_issue():
    for slot in OVERTIME:
        q = question("labor_form", slot)
        assert q.kind == "hours" and not q.required
        assert q.applies({"labor_issues": ["overtime", "unpaid_wages"]})
        assert not q.applies({"labor_issues": ["unpaid_wages"]})
    assert answer("labor_form", "labor_issues", "主要是加班费不给") == ["overtime"]


def test_overtime_worked_example_twenty_workday_hours_on_3000():
    slots = {"labor_issues": ["overtime"], "labor_monthly_wage": answer("labor_form", "labor_monthly_wage", "三千"),
             "labor_overtime_workday_hours": answer("labor_form", OVERTIME[0], "一个月大概20个小时"),
             "labor_overtime_rest_day_hours": UNKNOWN, "labor_overtime_holiday_hours": "0"}
    estimate = named(estimates_for("labor", slots, TODAY), "加班费")
    # 3000 / (21.75 x 8) = 17.2413... -> 17.24 per hour; 20 x 17.24 x 150% = 517.20.
    assert estimate.amount == D("517.20")
    assert estimate.steps[0] == "小时工资：月工资3000元 ÷ (21.75天 × 8小时) = 17.24元（月计薪天数21.75天，每天8小时）"
    assert "工作日延长工作时间：20小时 × 17.24元 × 150% = 517.2元" in estimate.steps
    assert "这是一个月的加班费" in estimate.steps[-1]
    assert "劳动法第44条" in estimate.basis


def test_overtime_on_workdays_rest_days_and_holidays():
    slots = {"labor_issues": ["overtime"], "labor_monthly_wage": "3000", "labor_overtime_workday_hours": "20",
             "labor_overtime_rest_day_hours": "16", "labor_overtime_holiday_hours": "8"}
    estimate = named(estimates_for("labor", slots, TODAY), "加班费")
    # 517.20 + 16 x 17.24 x 200% (551.68) + 8 x 17.24 x 300% (413.76)
    assert estimate.amount == D("1482.64")
    line = "\n".join(next(s for s in build_advice("labor", slots, TODAY).sections if s.key == "estimates").lines)
    assert "加班费（按您说的每月加班小时数，一个月的估算）：约1,482.64元" in line


@pytest.mark.parametrize(
    "slots",
    [
        {"labor_issues": ["overtime"], "labor_monthly_wage": "3000", "labor_overtime_workday_hours": UNKNOWN},
        {"labor_issues": ["overtime"], "labor_monthly_wage": "3000", "labor_overtime_workday_hours": "0"},
        {"labor_issues": ["overtime"], "labor_monthly_wage": UNKNOWN, "labor_overtime_workday_hours": "20"},
        {"labor_issues": ["unpaid_wages"], "labor_monthly_wage": "3000", "labor_overtime_workday_hours": "20"},
    ],
)
def test_no_overtime_estimate_without_hours_or_wage(slots):
    assert not [e for e in estimates_for("labor", slots, TODAY) if "加班费" in e.name]


# --- 定金 --------------------------------------------------------------------------------

DEPOSIT = {"contract_deposit_or_penalty": ["deposit_dingjin"], "contract_amount": "100000"}


def test_deposit_questions_only_for_a_dingjin():
    for slot in ("contract_deposit_amount", "contract_deposit_breach"):
        assert question("contract_form", slot).applies(DEPOSIT)
        assert not question("contract_form", slot).applies({"contract_deposit_or_penalty": ["prepayment_dingjin"]})
    assert answer("contract_form", "contract_deposit_breach", "是我交的，后来对方反悔了") == ["other_side"]
    assert answer("contract_form", "contract_deposit_breach", "我方违约") == ["caller"]
    assert answer("contract_form", "contract_deposit_breach", "不是我违约，是对方违约") == ["other_side"]
    assert answer("contract_form", "contract_deposit_breach", "定金是我收的") == ["caller_received"]


@pytest.mark.parametrize(
    "paid, breach, name, back",
    [
        # 30,000 on 100,000: only 20,000 (20%) is 定金; 2 x 20,000 + the excess 10,000.
        ("3万", "对方违约", "对方违约", "50000.00"),
        ("两万", "对方违约", "对方违约", "40000.00"),  # at the cap: doubled
        ("3万", "我方违约", "您这边违约", "10000.00"),  # the payer loses the 定金, gets the excess back
        ("两万", "我方违约", "您这边违约", "0.00"),
    ],
)
def test_deposit_worked_examples(paid, breach, name, back):
    slots = {**DEPOSIT, "contract_deposit_amount": answer("contract_form", "contract_deposit_amount", paid),
             "contract_deposit_breach": answer("contract_form", "contract_deposit_breach", breach)}
    estimate = named(estimates_for("contract", slots, TODAY), name)
    assert estimate.amount == D(back)
    assert estimate.steps[0] == "定金不得超过合同价款的20%：100000元 × 20% = 20000元"


@pytest.mark.parametrize("breach", [["caller_received"], ["other_side", "caller"], UNKNOWN, []])
def test_no_deposit_estimate_when_it_is_unclear_who_paid_or_breached(breach):
    slots = {**DEPOSIT, "contract_deposit_amount": "30000", "contract_deposit_breach": breach}
    assert not [e for e in estimates_for("contract", slots, TODAY) if e.name.startswith("定金")]


# --- private loans ------------------------------------------------------------------------


def test_the_loan_rate_is_asked_only_for_a_loan():
    rate = question("contract_form", "contract_loan_rate")
    assert rate.kind == "rate" and not rate.required
    assert rate.applies({"contract_kind": ["loan"]}) and not rate.applies({"contract_kind": ["sale"]})


def test_private_loan_worked_example_two_fen_a_month_on_100000():
    lpr = load_parameters().lpr_one_year
    assert (lpr.rate, lpr.as_of) == (D("3.0"), date(2025, 5, 20))  # this example assumes the file's LPR
    slots = {"contract_kind": ["loan"], "contract_amount": answer("contract_form", "contract_amount", "10万"),
             "contract_loan_rate": answer("contract_form", "contract_loan_rate", "月息2分")}
    assert slots["contract_loan_rate"] == "24"
    estimate = named(estimates_for("contract", slots, TODAY), "利息")
    # Cap 4 x 3% = 12% a year: 12,000 protected, the other 12,000 of the agreed 24,000 not.
    assert estimate.amount == D("12000.00")
    assert "合同成立时一年期LPR 3% × 4 = 12%" in estimate.steps
    assert "这里用的是2025年5月20日公布的一年期LPR 3%；借款合同成立时的LPR不同的，以合同成立时的为准" in estimate.steps
    assert "每年不受保护的利息：100000元 × (24% - 12%) = 12000元" in estimate.steps


def test_a_rate_within_the_cap_is_protected_in_full():
    slots = {"contract_kind": ["loan"], "contract_amount": "100000",
             "contract_loan_rate": answer("contract_form", "contract_loan_rate", "一分的利息")}
    assert named(estimates_for("contract", slots, TODAY), "利息").amount == D("12000.00")
    slots["contract_loan_rate"] = answer("contract_form", "contract_loan_rate", "年息10%")
    assert named(estimates_for("contract", slots, TODAY), "利息").amount == D("10000.00")


@pytest.mark.parametrize("rate", ["0", UNKNOWN, None])
def test_no_interest_estimate_without_an_agreed_rate(rate):
    slots = {"contract_kind": ["loan"], "contract_amount": "100000", "contract_loan_rate": rate}
    assert not [e for e in estimates_for("contract", slots, TODAY) if "利息" in e.name]


# --- revocation ---------------------------------------------------------------------------


def test_the_revocation_date_is_asked_only_after_a_ground():
    when = question("contract_form", "contract_defect_learned_date")
    assert when.applies({"contract_defect": ["fraud"]})
    assert not when.applies({"contract_defect": []})
    assert not when.applies({"contract_defect": UNKNOWN})
    assert answer("contract_form", "contract_defect", "签的时候被骗了") == ["fraud"]
    assert answer("contract_form", "contract_defect", "是被逼着签的") == ["duress"]
    assert answer("contract_form", "contract_defect", "没有被骗") == []


@pytest.mark.parametrize(
    "defect, name, due",
    [
        (["fraud"], "以被骗或被逼为由撤销合同的期限（一年）", date(2027, 10, 1)),
        (["duress"], "以被骗或被逼为由撤销合同的期限（一年）", date(2027, 10, 1)),
        (["misunderstanding"], "以重大误解为由撤销合同的期限（九十日）", date(2026, 12, 30)),
    ],
)
def test_revocation_worked_examples(defect, name, due):
    slots = {"contract_learned_date": "2026-11", "contract_defect": defect, "contract_defect_learned_date": "2026-10-01"}
    deadline = named(deadlines_for("contract", slots, TODAY), "撤销")
    assert (deadline.name, deadline.due) == (name, due)
    assert deadline.basis == "民法典第152条"


def test_no_revocation_deadline_without_a_ground_or_its_date():
    base = {"contract_learned_date": "2026-10-01"}
    for extra in ({}, {"contract_defect": [], "contract_defect_learned_date": "2026-10-01"},
                  {"contract_defect": ["fraud"], "contract_defect_learned_date": UNKNOWN}):
        assert not [d for d in deadlines_for("contract", {**base, **extra}, TODAY) if "撤销" in d.name]


# --- divorce cooling-off ------------------------------------------------------------------


def test_registration_questions_only_when_both_agree_and_applied():
    applied = question("divorce_form", "divorce_registration_applied")
    assert applied.applies({"divorce_both_agree": True}) and not applied.applies({"divorce_both_agree": False})
    registered = question("divorce_form", "divorce_registration_date")
    assert registered.applies({"divorce_registration_applied": True})
    assert not registered.applies({"divorce_registration_applied": False})


def test_cooling_off_worked_example():
    slots = {"divorce_both_agree": True, "divorce_registration_applied": True,
             "divorce_registration_date": answer("divorce_form", "divorce_registration_date", "2026年11月10日")}
    withdraw, collect = [d for d in deadlines_for("divorce", slots, TODAY) if d.basis == "民法典第1077条"]
    # 30 days after 10 November: 10 December (18 days left, urgent); 30 more: 9 January.
    assert (withdraw.due, withdraw.days_left, withdraw.urgent) == (date(2026, 12, 10), 18, True)
    assert collect.due == date(2027, 1, 9)
    assert build_advice("divorce", slots, TODAY).urgent


@pytest.mark.parametrize(
    "slots",
    [
        {"divorce_both_agree": True, "divorce_registration_applied": False, "divorce_registration_date": "2026-11-10"},
        {"divorce_both_agree": False, "divorce_registration_applied": True, "divorce_registration_date": "2026-11-10"},
        {"divorce_both_agree": True, "divorce_registration_applied": True, "divorce_registration_date": UNKNOWN},
    ],
)
def test_no_cooling_off_without_an_application(slots):
    assert not [d for d in deadlines_for("divorce", slots, TODAY) if d.basis == "民法典第1077条"]


def test_the_legal_basis_of_revocation_follows_the_ground():
    slots = {"contract_defect": ["fraud"], "contract_defect_learned_date": "2026-10-01"}
    basis = "\n".join(next(s for s in build_advice("contract", slots, TODAY).sections if s.key == "basis").lines)
    assert "总则编第148条" in basis and "总则编第152条" in basis and "总则编第150条" not in basis
    none = "\n".join(next(s for s in build_advice("contract", {"contract_defect": []}, TODAY).sections
                          if s.key == "basis").lines)
    assert "总则编第148条" not in none and "总则编第152条" not in none


# --- facts already given are not asked again ------------------------------------------------


@pytest.mark.parametrize(
    "form, slot, earlier, value",
    [
        ("contract_form", "contract_loan_rate", ["借给他十万，说好月息2分"], "24"),
        ("contract_form", "contract_deposit_amount", ["交了定金5000"], "5000"),
        ("labor_form", "labor_overtime_rest_day_hours", ["周末加班每个月16个小时"], "16"),
        ("divorce_form", "divorce_registration_applied", ["我们已经去民政局申请了离婚"], True),
        ("divorce_form", "divorce_registration_date", ["上个月15号申请了离婚登记"], "2026-10-15"),
    ],
)
def test_facts_in_earlier_messages_fill_the_new_questions(form, slot, earlier, value):
    from actions.questionnaires.validation import prefill_answer

    found = prefill_answer(question(form, slot), earlier, TODAY)
    assert found is not None and found[0] == value


def test_a_registration_date_is_not_taken_for_the_wedding():
    from actions.questionnaires.validation import prefill_answer

    wedding = question("divorce_form", "divorce_marriage_date")
    rivals = tuple(c for c in question("divorce_form", "divorce_registration_date").cues if c not in wedding.cues)
    assert prefill_answer(wedding, ["上个月15号申请了离婚登记"], TODAY, rivals) is None


# --- the six-month bar after a divorce refused (民事诉讼法第127条第(七)项) -----------------


def section(advice, key):
    return "\n".join(next(s for s in advice.sections if s.key == key).lines)


def test_the_bar_question_asks_when_the_judgment_took_effect(domain):
    assert "生效" in question("divorce_form", "divorce_previous_suit_date").label
    assert "生效" in domain["responses"]["utter_ask_divorce_previous_suit_date"][0]["text"]
    steps = section(build_advice("divorce", {"divorce_previous_suit_refused": True}, TODAY), "steps")
    assert "查一下上次判决的生效日期" in steps and "判决书的日期" not in steps


@pytest.mark.parametrize(
    "said, may_sue_from, assumed",
    [
        ("2025年1月15日", date(2025, 7, 16), False),
        # Only the month: the judgment may have taken effect as late as 31 January, so the
        # plaintiff may sue again from 1 August, not 2 July (the first day of January + 6 months).
        ("2025年1月", date(2025, 8, 1), True),
        ("2024年8月", date(2025, 3, 1), True),  # 31 August + 6 months ends 28 February
        ("2024年", date(2025, 7, 1), True),  # only the year: its last day
    ],
)
def test_the_bar_runs_from_the_effective_date_and_a_month_means_its_last_day(said, may_sue_from, assumed):
    slots = {"divorce_previous_suit_refused": True,
             "divorce_previous_suit_date": answer("divorce_form", "divorce_previous_suit_date", said)}
    [bar] = [d for d in deadlines_for("divorce", slots, TODAY) if d.basis == "民事诉讼法第127条第(七)项"]
    assert bar.due == may_sue_from
    assert "生效之日起算" in bar.note
    assert ("最后一天" in bar.note) is assumed


def test_the_same_bar_after_a_withdrawn_divorce_suit_is_said_and_quoted():
    advice = build_advice("divorce", {"divorce_both_agree": False}, TODAY)
    assert "撤诉" in section(advice, "plain")
    assert "第214条：“原告撤诉或者按撤诉处理的离婚案件，没有新情况、新理由，六个月内又起诉的" in section(advice, "basis")
    agreed = build_advice("divorce", {"divorce_both_agree": True}, TODAY)
    assert "第214条" not in section(agreed, "basis")

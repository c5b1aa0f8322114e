"""The questions that feed the overtime, 定金, private-loan, revocation and
cooling-off calculations, and the estimates and deadlines they give, with
worked examples (LPR from content/guidance/parameters.yml)."""
from datetime import date
from decimal import Decimal

import pytest

from intake_core.guidance.advice import build_advice
from intake_core.guidance.facts import deadlines_for, estimates_for
from intake_core.guidance.parameters import load_parameters
from intake_core.questionnaires.answers import interpret
from intake_core.questionnaires.definitions import UNKNOWN, load_questionnaires

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

DEPOSIT = {"contract_deposit_or_penalty": ["deposit_dingjin"], "contract_main_price": "100000"}


def test_deposit_questions_only_for_a_dingjin():
    for slot in ("contract_deposit_amount", "contract_main_price", "contract_deposit_breach"):
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
    assert estimate.steps[0] == "定金不得超过主合同总价款的20%：100000元 × 20% = 20000元"


def test_a_house_deposit_is_capped_by_the_house_price_not_by_the_amount_in_dispute():
    # A 20,000 定金 on a 1,000,000 house; the seller backed out; the caller claims the 20,000.
    slots = {"contract_deposit_or_penalty": ["deposit_dingjin"],
             "contract_amount": answer("contract_form", "contract_amount", "两万"),
             "contract_deposit_amount": answer("contract_form", "contract_deposit_amount", "2万"),
             "contract_main_price": answer("contract_form", "contract_main_price", "房子总价一百万"),
             "contract_deposit_breach": answer("contract_form", "contract_deposit_breach", "对方违约")}
    found = estimates_for("contract", slots, TODAY)
    deposit = named(found, "对方违约")
    assert deposit.amount == D("40000.00")  # 20,000 is within 20% of 1,000,000: returned twice
    assert any("1000000" in step for step in deposit.steps)  # the step names the price it capped by
    # The court fee is on the claim, 20,000 (50 + 10,000 x 2.5%), not on the house price.
    assert named(found, "诉讼费").amount == D("300.00")


def test_no_deposit_estimate_without_the_main_contracts_price():
    slots = {"contract_deposit_or_penalty": ["deposit_dingjin"], "contract_amount": "20000",
             "contract_deposit_amount": "20000", "contract_deposit_breach": ["other_side"],
             "contract_main_price": UNKNOWN}
    assert not [e for e in estimates_for("contract", slots, TODAY) if e.name.startswith("定金")]


@pytest.mark.parametrize("breach", [["caller_received"], ["other_side", "caller"], UNKNOWN, []])
def test_no_deposit_estimate_when_it_is_unclear_who_paid_or_breached(breach):
    slots = {**DEPOSIT, "contract_deposit_amount": "30000", "contract_deposit_breach": breach}
    assert not [e for e in estimates_for("contract", slots, TODAY) if e.name.startswith("定金")]


# --- private loans ------------------------------------------------------------------------


def test_the_loan_questions_are_asked_only_for_a_loan():
    for slot, kind in (("contract_loan_rate", "rate"), ("contract_loan_principal", "amount"),
                       ("contract_loan_date", "date")):
        q = question("contract_form", slot)
        assert q.kind == kind and not q.required
        assert q.applies({"contract_kind": ["loan"]}) and not q.applies({"contract_kind": ["sale"]})


LOAN = {"contract_kind": ["loan"], "contract_amount": "130000", "contract_loan_principal": "100000"}


def loan_estimate(**slots):
    return named(estimates_for("contract", {**LOAN, **slots}, TODAY), "利息")


def test_private_loan_worked_example_two_fen_a_month_on_100000_lent_in_july_2023():
    slots = {"contract_loan_principal": answer("contract_form", "contract_loan_principal", "借给他10万"),
             "contract_loan_rate": answer("contract_form", "contract_loan_rate", "月息2分"),
             "contract_loan_date": answer("contract_form", "contract_loan_date", "2023年7月5日")}
    assert (slots["contract_loan_rate"], slots["contract_loan_date"]) == ("24", "2023-07-05")
    estimate = loan_estimate(**slots)
    # The LPR in force on 5 July 2023 is the one of 20 June 2023, 3.55%: cap 14.2%, so 14,200 of
    # the agreed 24,000 a year is protected (on the principal, not the 130,000 claimed).
    assert estimate.amount == D("14200.00")
    assert "借款合同成立时（2023-07-05）执行的是2023年6月20日起的一年期LPR 3.55%" in estimate.steps
    assert "一年期LPR 3.55% × 4 = 14.2%" in estimate.steps
    assert "每年不受保护的利息：100000元 × (24% - 14.2%) = 9800元" in estimate.steps
    assert not [step for step in estimate.steps if "数据截至" in step]  # July 2023 is covered by the table
    assert estimate.basis == "民间借贷规定第25条"


@pytest.mark.parametrize(
    "lent, lpr, cap",
    [("2020-08-20", "3.85", "15.4"), ("2021-12-20", "3.8", "15.2"), ("2022-08-21", "3.7", "14.8"),
     ("2022-08-22", "3.65", "14.6"), ("2023-09", "3.45", "13.8"), ("2024-07-21", "3.45", "13.8"),
     ("2024-11", "3.1", "12.4")],
)
def test_the_lpr_is_the_one_in_force_when_the_loan_was_made(lent, lpr, cap):
    estimate = loan_estimate(contract_loan_rate="24", contract_loan_date=lent)
    assert f"一年期LPR {lpr}% × 4 = {cap}%" in estimate.steps
    assert estimate.amount == D(cap) * 1000


def test_a_loan_after_the_newest_lpr_we_know_says_a_newer_one_may_apply():
    lpr = load_parameters().lpr_one_year
    estimate = loan_estimate(contract_loan_rate="24", contract_loan_date="2026-03-01")
    assert estimate.amount == D("12000.00")  # 4 x 3.00%, the newest value in the table
    as_of = lpr.as_of
    assert (
        f"本助手的LPR数据截至{as_of.year}年{as_of.month}月{as_of.day}日，此后如有调整，以全国银行间同业拆借中心公布的为准"
        in estimate.steps
    )


@pytest.mark.parametrize("lent", [UNKNOWN, None, "2023-06"])  # June 2023: the LPR changed on the 20th
def test_a_loan_without_a_usable_date_uses_the_newest_lpr_and_says_so(lent):
    slots = {"contract_loan_rate": "24"} if lent is None else {"contract_loan_rate": "24", "contract_loan_date": lent}
    estimate = loan_estimate(**slots)
    assert estimate.amount == D("12000.00")
    assert estimate.steps[0].startswith("借款时间不明确") and "2025年5月20日起执行的一年期LPR 3%" in estimate.steps[0]


@pytest.mark.parametrize("lent", ["2019-03-01", "2020-08-19", "2018", "2020-07"])
def test_a_loan_made_before_20_august_2020_follows_article_31(lent):
    estimate = loan_estimate(contract_loan_rate="24", contract_loan_date=lent)
    # Only what 第31条 supports: from 2020-08-20, 4x the LPR at filing (the newest we know, said so);
    # the interest up to 2020-08-19 follows the interpretation then in force and is not computed.
    assert estimate.basis == "民间借贷规定第25条、第31条"
    assert estimate.steps[0].startswith("借款合同成立于2020年8月20日之前")
    assert "合同成立至2020年8月19日的利息，按当时的司法解释计算，这里不计算" in estimate.steps[0]
    assert "按起诉时的一年期LPR的4倍为限" in estimate.steps[0]
    assert any("数据截至" in step for step in estimate.steps)
    assert estimate.amount == D("12000.00")


def test_article_31_is_quoted_for_a_loan():
    basis = "\n".join(next(s for s in build_advice("contract", LOAN, TODAY).sections if s.key == "basis").lines)
    assert (
        "第31条" in basis and "对于自2020年8月20日到借款返还之日的利息部分，适用起诉时本规定的利率保护标准计算" in basis
    )


def test_a_rate_within_the_cap_is_protected_in_full():
    slots = {
        "contract_loan_date": "2025-06-01",
        "contract_loan_rate": answer("contract_form", "contract_loan_rate", "一分的利息"),
    }
    assert loan_estimate(**slots).amount == D("12000.00")
    slots["contract_loan_rate"] = answer("contract_form", "contract_loan_rate", "年息10%")
    assert loan_estimate(**slots).amount == D("10000.00")


@pytest.mark.parametrize("rate", ["0", UNKNOWN, None])
def test_no_interest_estimate_without_an_agreed_rate(rate):
    slots = {**LOAN, "contract_loan_rate": rate}
    assert not [e for e in estimates_for("contract", slots, TODAY) if "利息" in e.name]


@pytest.mark.parametrize("principal", [UNKNOWN, None])
def test_no_interest_estimate_without_the_principal_even_with_an_amount_in_dispute(principal):
    slots = {
        "contract_kind": ["loan"],
        "contract_amount": "100000",
        "contract_loan_rate": "24",
        "contract_loan_principal": principal,
    }
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
    slots = {
        "contract_learned_date": "2026-11",
        "contract_defect": defect,
        "contract_defect_learned_date": "2026-10-01",
    }
    deadline = named(deadlines_for("contract", slots, TODAY), "撤销")
    assert (deadline.name, deadline.due) == (name, due)
    assert deadline.basis == "民法典第152条"


def test_no_revocation_deadline_without_a_ground_or_its_date():
    base = {"contract_learned_date": "2026-10-01"}
    for extra in (
        {},
        {"contract_defect": [], "contract_defect_learned_date": "2026-10-01"},
        {"contract_defect": ["fraud"], "contract_defect_learned_date": UNKNOWN},
    ):
        assert not [d for d in deadlines_for("contract", {**base, **extra}, TODAY) if "撤销" in d.name]


# --- divorce cooling-off ------------------------------------------------------------------


def test_registration_questions_only_when_both_agree_and_applied():
    applied = question("divorce_form", "divorce_registration_applied")
    assert applied.applies({"divorce_both_agree": True}) and not applied.applies({"divorce_both_agree": False})
    registered = question("divorce_form", "divorce_registration_date")
    assert registered.applies({"divorce_registration_applied": True})
    assert not registered.applies({"divorce_registration_applied": False})


def test_cooling_off_worked_example():
    slots = {
        "divorce_both_agree": True,
        "divorce_registration_applied": True,
        "divorce_registration_date": answer("divorce_form", "divorce_registration_date", "2026年11月10日"),
    }
    withdraw, collect = (d for d in deadlines_for("divorce", slots, TODAY) if d.basis == "民法典第1077条")
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
    none = "\n".join(
        next(s for s in build_advice("contract", {"contract_defect": []}, TODAY).sections if s.key == "basis").lines
    )
    assert "总则编第148条" not in none and "总则编第152条" not in none


# --- facts already given are not asked again ------------------------------------------------


@pytest.mark.parametrize(
    "form, slot, earlier, value",
    [
        ("contract_form", "contract_loan_rate", ["借给他十万，说好月息2分"], "24"),
        ("contract_form", "contract_deposit_amount", ["交了定金5000"], "5000"),
        ("contract_form", "contract_loan_principal", ["去年借给他十万块钱"], "100000"),
        ("contract_form", "contract_main_price", ["买房交了2万定金，房子总价100万"], "1000000"),
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


# --- double wages end when the employment ends, or at a late signing ----------------------

NO_CONTRACT = {
    "labor_start_date": "2024-01-01",
    "labor_written_contract": False,
    "labor_monthly_wage": "6000",
    "labor_issues": ["unpaid_wages"],
}


def test_double_wages_of_a_caller_who_left_run_to_the_leaving_date_not_to_today():
    # The review's example: started 2024-01-01 without a contract, left in March 2024. The
    # period is 2024-02-01 to the end (the 1st of the month given): one month, not 11.
    slots = {
        **NO_CONTRACT,
        "labor_still_employed": False,
        "labor_end_date": answer("labor_form", "labor_end_date", "2024年3月"),
    }
    estimate = named(estimates_for("labor", slots, TODAY), "二倍工资")
    assert estimate.amount == D("6000.00")
    assert estimate.steps[0] == "二倍工资期间：2024-02-01至2024-02-29，共1个月"


def test_double_wages_of_a_dismissed_caller_run_to_the_dismissal_date():
    slots = {
        **NO_CONTRACT,
        "labor_issues": ["dismissal"],
        "labor_dismissal_date": "2024-04-01",
        "labor_still_employed": False,
    }
    assert named(estimates_for("labor", slots, TODAY), "二倍工资").amount == D("12000.00")


def test_double_wages_run_to_today_only_while_the_caller_still_works_there():
    employed = {**NO_CONTRACT, "labor_start_date": "2026-08-01", "labor_still_employed": True}
    # 2026-09-01 to 2026-11-21 (TODAY is 11-22): 2 months 21 days = 12,000 + 21/30 x 6,000.
    assert named(estimates_for("labor", employed, TODAY), "二倍工资").amount == D("16200.00")
    left_without_a_date = {**NO_CONTRACT, "labor_still_employed": False, "labor_end_date": UNKNOWN}
    assert not [e for e in estimates_for("labor", left_without_a_date, TODAY) if "二倍工资" in e.name]


def test_double_wages_before_a_late_signed_contract():
    # Started 2024-01-01, signed 2024-07-01: owed from 2024-02-01 to 2024-06-30, five months.
    slots = {
        "labor_start_date": "2024-01-01",
        "labor_written_contract": True,
        "labor_monthly_wage": "6000",
        "labor_contract_date": answer("labor_form", "labor_contract_date", "2024年7月1日"),
        "labor_issues": ["unpaid_wages"],
        "labor_still_employed": True,
    }
    estimate = named(estimates_for("labor", slots, TODAY), "二倍工资")
    assert estimate.amount == D("30000.00")
    assert "补签" in estimate.name
    assert "实施条例第6条" in estimate.basis


def test_no_double_wages_for_a_contract_signed_within_the_first_month():
    slots = {
        "labor_start_date": "2024-01-01",
        "labor_written_contract": True,
        "labor_monthly_wage": "6000",
        "labor_contract_date": "2024-01-20",
        "labor_still_employed": True,
    }
    assert not [e for e in estimates_for("labor", slots, TODAY) if "二倍工资" in e.name]


def test_the_double_wage_estimate_warns_of_the_one_year_limitation():
    slots = {**NO_CONTRACT, "labor_still_employed": False, "labor_end_date": "2024-03"}
    steps = named(estimates_for("labor", slots, TODAY), "二倍工资").steps
    assert any("仲裁时效" in step and "一年" in step for step in steps)


def test_the_wage_deadline_of_a_caller_who_resigned_runs_from_the_leaving_date():
    slots = {
        **NO_CONTRACT,
        "labor_still_employed": False,
        "labor_end_date": answer("labor_form", "labor_end_date", "2026年5月10日"),
    }
    deadline = named(deadlines_for("labor", slots, TODAY), "欠薪")
    assert deadline.due == date(2027, 5, 10)
    employed = {**slots, "labor_still_employed": True}
    assert not [d for d in deadlines_for("labor", employed, TODAY) if "欠薪" in d.name]


# --- dismissals: nothing, N, N+1 or 2N by the employer's stated reason -----------------------

DISMISSED = {
    "labor_start_date": "2020-03-01",
    "labor_written_contract": True,
    "labor_monthly_wage": "8000",
    "labor_issues": ["dismissal"],
    "labor_dismissal_date": "2024-10-15",
    "labor_still_employed": False,
}
N, N_PLUS_1, TWO_N = D("40000.00"), D("48000.00"), D("80000.00")  # 4 years 7 months: 5 months' wages


def dismissal_amounts(reason):
    slots = {**DISMISSED, "labor_dismissal_reason": reason}
    return sorted(e.amount for e in estimates_for("labor", slots, TODAY) if "诉讼费" not in e.name)


@pytest.mark.parametrize(
    "said, amounts",
    [
        ("说我严重违反规章制度", [TWO_N]),  # lawful: nothing; only if the fault does not hold, 2N
        ("说我不能胜任", [N_PLUS_1, TWO_N]),
        ("公司效益不好裁员", [N, TWO_N]),
        ("什么理由都没说", [TWO_N]),
        ("不清楚", [N, TWO_N]),
    ],
)
def test_the_amounts_follow_the_reason_the_employer_gave(said, amounts):
    reason = answer("labor_form", "labor_dismissal_reason", said)
    assert dismissal_amounts(UNKNOWN if reason is None else reason) == amounts


def test_each_dismissal_amount_names_its_condition_and_2n_replaces_the_other():
    for reason in (["fault"], ["incapacity_or_change"], ["layoff"], ["no_reason"], UNKNOWN):
        found = [
            e
            for e in estimates_for("labor", {**DISMISSED, "labor_dismissal_reason": reason}, TODAY)
            if "诉讼费" not in e.name
        ]
        names = [e.name for e in found]
        assert len(set(names)) == len(names)
        for estimate in found:
            assert estimate.name.startswith(("如", "单位")), estimate.name  # "if ...": a condition first
        [damages] = [e for e in found if "2N" in e.name]
        assert any("实施条例第25条" in step for step in damages.steps)
        assert "实施条例第25条" in damages.basis


def test_n_plus_one_adds_a_month_in_lieu_of_notice():
    [estimate] = [
        e
        for e in estimates_for("labor", {**DISMISSED, "labor_dismissal_reason": ["incapacity_or_change"]}, TODAY)
        if e.name.endswith("（N+1）")
    ]
    assert estimate.amount == N + D("8000")
    assert "劳动合同法第40条" in estimate.basis
    assert estimate.steps[-1] == "合计48000元"


def test_service_before_2008_is_said_to_follow_the_old_rules_for_n_but_not_for_2n():
    slots = {**DISMISSED, "labor_start_date": "2005-03", "labor_dismissal_reason": UNKNOWN}
    found = {("2N" in e.name): e for e in estimates_for("labor", slots, TODAY) if "诉讼费" not in e.name}
    assert any("第97条第3款" in step for step in found[False].steps)
    assert not any("第97条第3款" in step for step in found[True].steps)
    assert any("自用工之日起" in step for step in found[True].steps)
    later = {("2N" in e.name): e for e in estimates_for("labor", DISMISSED, TODAY) if "诉讼费" not in e.name}
    assert not any("第97条" in step or "自用工之日起" in step for e in later.values() for step in e.steps)


def test_the_compensation_wage_is_the_gross_wage_due():
    estimate = next(e for e in estimates_for("labor", DISMISSED, TODAY) if "（N）" in e.name)
    assert any("应得工资" in step and "奖金" in step for step in estimate.steps)


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
    slots = {
        "divorce_previous_suit_refused": True,
        "divorce_previous_suit_date": answer("divorce_form", "divorce_previous_suit_date", said),
    }
    [bar] = [d for d in deadlines_for("divorce", slots, TODAY) if d.basis == "民事诉讼法第127条第(七)项"]
    assert bar.due == may_sue_from
    assert "生效之日起算" in bar.note
    assert ("最后一天" in bar.note) is assumed


def test_the_same_bar_after_a_withdrawn_divorce_suit_is_said_and_quoted():
    advice = build_advice("divorce", {"divorce_both_agree": False}, TODAY)
    assert "撤诉" in section(advice, "plain")
    assert "第214条：“原告撤诉或者按撤诉处理的离婚案件，没有新情况、新理由，六个月内又起诉的" in section(
        advice, "basis"
    )
    agreed = build_advice("divorce", {"divorce_both_agree": True}, TODAY)
    assert "第214条" not in section(agreed, "basis")

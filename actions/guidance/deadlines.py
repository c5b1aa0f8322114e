"""Deadlines a caller must not miss, counted from a date the caller gives.

Counting follows 民法典第201-202条: the starting day is not counted, so a
period of n days ends n days after the start date; a period in months or years
ends on the corresponding day of the last month, and when that month has no
such day, on its last day. relativedelta clamps the same way: one year from
2024-02-29 ends 2025-02-28, one month from 2024-01-31 ends 2024-02-29.

Not applied: 民法典第203条 moves a last day that is a public holiday to the day
after the holiday. We keep no holiday calendar, so a date shown here can be a
few days earlier than the legal one, never later: the safe side for a caller.

Time limits can be interrupted or suspended, and facts we do not ask about
change them; every note says what a lawyer must still check.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional, Tuple

from dateutil.relativedelta import relativedelta

from actions.guidance.parameters import load_parameters

MAY_HAVE_PASSED = "该期限可能已经届满；是否存在中断、中止或其他例外情形，须由律师核实。"


@dataclass(frozen=True)
class Deadline:
    """A last day to act; ``days_left`` is negative once it has passed.

    ``urgent`` means due today or within ``urgent_within_days`` (parameters.yml);
    a passed deadline is not urgent but its note says it may have passed.
    """

    name: str
    due: date
    days_left: int
    urgent: bool
    basis: str
    note: str


def _deadline(
    name: str, due: date, today: date, basis: str, note: str, passed_note: str = MAY_HAVE_PASSED
) -> Deadline:
    """Days left and urgency as of ``today``; a passed deadline gets ``passed_note`` first."""
    days_left = (due - today).days
    window = load_parameters().urgent_within_days
    if days_left < 0:
        note = passed_note + note
    return Deadline(name, due, days_left, 0 <= days_left <= window, basis, note)


def labor_arbitration_deadline(
    event_date: date, today: date, still_employed: bool, unpaid_wages: bool
) -> Optional[Deadline]:
    """Last day to apply for labor arbitration: 1 year (劳动争议调解仲裁法第27条).

    ``event_date`` is the day the worker knew or should have known of the
    infringement; for unpaid wages after the job ended, the day it ended.
    Unpaid wages while still employed: no time limit runs during the
    employment (第27条第4款), so there is no deadline and we return None.
    """
    basis = "劳动争议调解仲裁法第27条"
    interruption = (
        "向单位主张权利、向有关部门请求权利救济或单位同意履行的，时效中断，从中断时起重新计算一年；"
        "因不可抗力或其他正当理由不能申请的，时效中止。"
    )
    if unpaid_wages and still_employed:
        return None
    if unpaid_wages:
        name = "劳动仲裁时效（拖欠劳动报酬，自劳动关系终止之日起一年）"
        note = "劳动关系存续期间拖欠劳动报酬不受一年时效限制，但劳动关系终止后应自终止之日起一年内申请仲裁。"
    else:
        name = "劳动仲裁时效（一年）"
        note = "自知道或者应当知道权利被侵害之日起一年。"
    return _deadline(name, event_date + relativedelta(years=1), today, basis, note + interruption)


def contract_limitation_deadline(learned_date: date, today: date) -> Deadline:
    """Last day of the 3-year limitation period (民法典第188条).

    ``learned_date``: when the caller knew or should have known of the harm and who caused it.
    """
    note = (
        "自知道或者应当知道权利受到损害以及义务人之日起三年；自权利受到损害之日起超过二十年的，法院不予保护。"
        "向对方提出履行请求等情形会使时效中断并重新计算（民法典第195条）。"
    )
    return _deadline("诉讼时效（三年）", learned_date + relativedelta(years=3), today, "民法典第188条", note)


def revocation_deadline(learned_date: date, today: date, major_misunderstanding: bool = False) -> Deadline:
    """Last day to revoke a contract: 1 year, 90 days for major misunderstanding (民法典第152条).

    For duress the year runs from the day the duress ended: pass that day as
    ``learned_date``. The outer limit of 5 years from the act itself needs the
    act's date, which we do not ask for; the note mentions it.
    """
    if major_misunderstanding:
        name, due = "撤销权期间（重大误解，九十日）", learned_date + timedelta(days=90)
    else:
        name, due = "撤销权期间（一年）", learned_date + relativedelta(years=1)
    note = (
        "自知道或者应当知道撤销事由之日起计算（受胁迫的，自胁迫行为终止之日起一年）；"
        "自民事法律行为发生之日起五年内没有行使的，撤销权消灭。"
    )
    # Unlike a limitation period, this one cannot be interrupted or suspended (民法典第199条).
    passed = "该期限可能已经届满；撤销权期间不适用中断、中止（民法典第199条），是否有例外须由律师核实。"
    return _deadline(name, due, today, "民法典第152条", note, passed)


def divorce_cooling_off(application_date: date, today: date) -> Tuple[Deadline, Deadline]:
    """The two windows of an agreement divorce (民法典第1077条).

    First: 30 days after the registry receives the application, either spouse
    may withdraw. Second: in the 30 days after that, both must come in person
    for the certificate, or the application counts as withdrawn.
    """
    basis = "民法典第1077条"
    receipt = "具体日期以婚姻登记机关出具的回执为准。"
    passed = "该期限可能已经过去；是否有例外情形，须由律师核实。"
    withdrawal_ends = application_date + timedelta(days=30)
    withdraw = _deadline(
        "离婚冷静期届满（可撤回申请的最后一天）",
        withdrawal_ends,
        today,
        basis,
        "冷静期内任何一方不愿意离婚的，可以向婚姻登记机关撤回申请；冷静期满后才能申请发给离婚证。" + receipt,
        passed,
    )
    collect = _deadline(
        "申请发给离婚证的最后一天",
        withdrawal_ends + timedelta(days=30),
        today,
        basis,
        "冷静期满后三十日内，双方应当亲自到婚姻登记机关申请发给离婚证；未申请的，视为撤回离婚登记申请。" + receipt,
        passed,
    )
    return withdraw, collect


def divorce_resuit_bar(judgment_date: date, today: date) -> Deadline:
    """The first day the original plaintiff may sue for divorce again (民事诉讼法第127条第(七)项).

    After a judgment refusing divorce, or reconciliation through mediation, the
    plaintiff may not sue again within 6 months without new facts or reasons.
    ``judgment_date`` is taken as the day the judgment or mediation took effect
    (an assumption a lawyer confirms). The 6 months end on the corresponding day
    (民法典第202条), so ``due`` is the day after: a waiting period, not a last day.
    """
    may_sue_from = judgment_date + relativedelta(months=6) + timedelta(days=1)
    note = "这是等待期而不是最后期限：有新情况、新理由的，或者由另一方（原审被告）起诉的，不受六个月限制。"
    passed = "六个月已满，原告可以再次起诉；是否另有限制，须由律师核实。"
    return _deadline("原告可再次起诉离婚的日期", may_sue_from, today, "民事诉讼法第127条第(七)项", note, passed)


def work_injury_application(injury_date: date, today: date) -> Tuple[Deadline, Deadline]:
    """Applying for work-injury recognition (工伤保险条例第17条): employer 30 days, worker 1 year.

    For an occupational disease, pass the date of diagnosis as ``injury_date``.
    """
    basis = "工伤保险条例第17条"
    employer = _deadline(
        "用人单位申请工伤认定的期限（30日）",
        injury_date + timedelta(days=30),
        today,
        basis,
        "单位应自事故伤害发生之日（职业病为诊断、鉴定之日）起30日内申请；特殊情况经批准可适当延长。"
        "单位逾期未申请的，此期间发生的工伤待遇等有关费用由单位负担。",
    )
    worker = _deadline(
        "职工本人申请工伤认定的期限（1年）",
        injury_date + relativedelta(years=1),
        today,
        basis,
        "单位未申请的，工伤职工或者其近亲属、工会组织可以在一年内直接申请工伤认定。",
    )
    return employer, worker

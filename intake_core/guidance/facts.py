"""From the questionnaire's answers to the calculators' inputs: which amounts
and deadlines apply to this caller, computed with intake_core.guidance.calculators
and intake_core.guidance.deadlines. Names shown to the caller come from
content/guidance/formats.yml (``names``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.relativedelta import relativedelta

from intake_core.guidance import calculators, deadlines
from intake_core.guidance.content import load_formats
from intake_core.guidance.figures import with_figures
from intake_core.guidance.parameters import load_parameters
from intake_core.questionnaires.definitions import UNKNOWN


@dataclass(frozen=True)
class NamedEstimate:
    name: str
    amount: Decimal | None
    low: Decimal | None
    high: Decimal | None
    basis: str
    steps: tuple[str, ...]


def answer_date(value: Any) -> date | None:
    """An answer's ISO date (2019, 2019-03, 2019-03-05) as the first day it can mean."""
    if not value or value == UNKNOWN:
        return None
    parts = [int(part) for part in str(value).split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def answer_last_date(value: Any) -> date | None:
    """An answer's ISO date as the last day it can mean: 2019-03 -> 2019-03-31, 2019 -> 2019-12-31.

    For a date a waiting period runs from, the last day is the safe side: a
    "may act from" date is then never too early.
    """
    first = answer_date(value)
    if first is None:
        return None
    precision = len(str(value).split("-"))
    if precision == 1:
        return date(first.year, 12, 31)
    if precision == 2:
        last: date = first + relativedelta(months=1) - timedelta(days=1)  # dateutil has no type information
        return last
    return first


def answer_amount(value: Any) -> Decimal | None:
    if not value or value == UNKNOWN:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _named(key: str, estimate: calculators.Estimate) -> NamedEstimate:
    name = with_figures(load_formats()["names"][key])
    return NamedEstimate(name, estimate.amount, estimate.low, estimate.high, estimate.basis, tuple(estimate.steps))


OVERTIME_SLOTS = ("labor_overtime_workday_hours", "labor_overtime_rest_day_hours", "labor_overtime_holiday_hours")
# contract_deposit_breach: which side broke the contract, when the caller paid the 定金.
DEPOSIT_BREACH = {"other_side": True, "caller": False}


def _renamed(key: str, deadline: deadlines.Deadline) -> deadlines.Deadline:
    return replace(deadline, name=with_figures(load_formats()["names"][key]))


# What the employer said it dismissed for (labor_dismissal_reason) -> the amounts shown, each
# under a name (formats.yml ``names``) that states its condition. 2N replaces N or N+1 (实施条例
# 第25条); a lawful dismissal for the worker's fault (第39条) owes nothing, so only the 2N of
# an unfounded one is shown. A reason not given, or several, shows N and 2N side by side.
DISMISSAL_ESTIMATES = {
    "fault": ("unlawful_termination_fault",),
    "incapacity_or_change": ("notice_pay", "unlawful_termination_article40"),
    "layoff": ("layoff_compensation", "unlawful_termination"),
    "no_reason": ("unlawful_termination_no_reason",),
}
UNKNOWN_REASON_ESTIMATES = ("economic_compensation", "unlawful_termination")


def _dismissal_calculator(key: str) -> Callable[[date, date, Decimal], calculators.Estimate]:
    if key.startswith("unlawful_termination"):
        return calculators.unlawful_termination_compensation
    if key == "notice_pay":
        return calculators.compensation_with_notice_pay
    return calculators.economic_compensation


def dismissal_estimates(reasons: Any) -> tuple[str, ...]:
    """The estimate names for the reasons the caller gave (a list of choice keys, or not answered)."""
    if isinstance(reasons, list) and len(reasons) == 1 and reasons[0] in DISMISSAL_ESTIMATES:
        return DISMISSAL_ESTIMATES[reasons[0]]
    return UNKNOWN_REASON_ESTIMATES


def employment_end(slots: Mapping[str, Any]) -> date | None:
    """The day the employment ended, if it did: the dismissal date for a dismissed caller
    (asked once, not again as a leaving date), else the leaving date of a caller who left."""
    if "dismissal" in (slots.get("labor_issues") or []):
        return answer_date(slots.get("labor_dismissal_date"))
    if slots.get("labor_still_employed") is False:
        return answer_date(slots.get("labor_end_date"))
    return None


def _double_wage(slots: Mapping[str, Any], start: date, wage: Decimal, today: date) -> NamedEstimate | None:
    """Double wages from the day after the first month until the day before a late-signed
    contract or the end of the employment, whichever comes first (实施条例第6、7条).

    Counted to today only while the caller still works there: a caller who left
    without saying when gets no figure rather than one that runs on to today.
    """
    end = employment_end(slots)
    if end is None and slots.get("labor_still_employed") is True:
        end = today
    written = slots.get("labor_written_contract")
    if written is False:
        if end is None or end <= start:
            return None
        return _named("double_wage", calculators.double_wage_for_no_contract(start, end, wage))
    signed = answer_date(slots.get("labor_contract_date"))
    if written is True and signed and signed > start:
        stop = min(signed, end) if end else signed
        estimate = calculators.double_wage_for_no_contract(start, stop, wage)
        if estimate.amount:  # signed within the first month: nothing owed, nothing to show
            return _named("double_wage_late_signing", estimate)
    return None


def estimates_for(area: str, slots: Mapping[str, Any], today: date) -> list[NamedEstimate]:
    """The estimates of a case type's own practice area (``area`` is its key: labor, divorce,
    contract, other); a finer area's are in its own module (``by_area``)."""
    found: list[NamedEstimate] = []
    if area == "labor":
        start = answer_date(slots.get("labor_start_date"))
        wage = answer_amount(slots.get("labor_monthly_wage"))
        issues = slots.get("labor_issues") or []
        end = employment_end(slots)
        if "dismissal" in issues and start and wage and end and end >= start:
            for key in dismissal_estimates(slots.get("labor_dismissal_reason")):
                found.append(_named(key, _dismissal_calculator(key)(start, end, wage)))
        double_wage = _double_wage(slots, start, wage, today) if start and wage else None
        if double_wage:
            found.append(double_wage)
        hours = [answer_amount(slots.get(slot)) or Decimal(0) for slot in OVERTIME_SLOTS]
        if "overtime" in issues and wage and any(hours):
            found.append(_named("overtime", calculators.overtime_pay_from_monthly_wage(wage, *hours)))
        found.append(_named("court_fee_labor", calculators.court_fee_labor()))
    elif area == "divorce":
        found.append(_named("court_fee_divorce", calculators.court_fee_divorce(None)))
    elif area == "contract":
        # One answer, one use: the amount in dispute is the claim (court fee); the 定金 cap
        # needs the main contract's price and the loan cap the principal, each asked for.
        claim = answer_amount(slots.get("contract_amount"))
        if claim:
            found.append(_named("court_fee_property", calculators.court_fee_property_case(claim)))
        price = answer_amount(slots.get("contract_main_price"))
        deposit = answer_amount(slots.get("contract_deposit_amount"))
        breach = slots.get("contract_deposit_breach") or []
        receiver_breached = DEPOSIT_BREACH.get(breach[0]) if len(breach) == 1 else None
        if (
            "deposit_dingjin" in (slots.get("contract_deposit_or_penalty") or [])
            and price
            and deposit
            and receiver_breached is not None
        ):
            key = "deposit_receiver_breached" if receiver_breached else "deposit_payer_breached"
            found.append(_named(key, calculators.deposit_penalty(price, deposit, receiver_breached)))
        if "loan" in (slots.get("contract_kind") or []):
            interest = loan_interest_cap(
                slots.get("contract_loan_principal"), slots.get("contract_loan_rate"), slots.get("contract_loan_date")
            )
            if interest:
                found.append(interest)
    return found


def loan_interest_cap(principal_answer: Any, rate_answer: Any, lent_answer: Any) -> NamedEstimate | None:
    """The protected yearly interest of a loan (民间借贷规定第25条, 第31条 for a loan made before
    2020-08-20), from the answers: the principal, the agreed rate, the loan's date. None
    without a principal or an agreed rate. Contract's loan answers and the private-loan
    area's (its `computes_as` in content/practice_areas.yml) come here, so both show the same figure."""
    principal, rate = answer_amount(principal_answer), answer_amount(rate_answer)
    if not (principal and rate):
        return None
    used = calculators.loan_lpr(
        load_parameters().lpr_one_year,
        answer_date(lent_answer),
        answer_last_date(lent_answer),
        None if lent_answer == UNKNOWN else lent_answer,
    )
    return _named("private_loan", calculators.private_loan_interest_cap(principal, rate, used.rate, used))


def contract_limitation(learned_answer: Any, today: date) -> deadlines.Deadline | None:
    """The three-year limitation date (民法典第188条) from the day the caller learned of the
    breach (a month-only answer counts from its first day: never later than the real one);
    None without that day. The private-loan area passes its due date."""
    learned = answer_date(learned_answer)
    if learned is None:
        return None
    return _renamed("contract_limitation", deadlines.contract_limitation_deadline(learned, today))


def deadlines_for(area: str, slots: Mapping[str, Any], today: date) -> list[deadlines.Deadline]:
    """The deadlines of a case type's own practice area (``area`` is its key); a finer
    area's are in its own module (``by_area``)."""
    found: list[deadlines.Deadline] = []
    if area == "labor":
        issues = slots.get("labor_issues") or []
        dismissed = answer_date(slots.get("labor_dismissal_date"))
        if "dismissal" in issues and dismissed:
            # None only for unpaid wages while still employed, which this is not.
            deadline = deadlines.labor_arbitration_deadline(dismissed, today, still_employed=False, unpaid_wages=False)
            if deadline is not None:
                found.append(_renamed("arbitration_dismissal", deadline))
        # Unpaid wages: no limit runs while the job lasts; afterwards one year
        # from the end of the employment (调解仲裁法 27): the dismissal date, or
        # the leaving date of a caller who resigned or left otherwise.
        ended = employment_end(slots)
        employed = slots.get("labor_still_employed") is True
        if "unpaid_wages" in issues and ended and not employed:
            deadline = deadlines.labor_arbitration_deadline(ended, today, still_employed=False, unpaid_wages=True)
            if deadline is not None:
                found.append(_renamed("arbitration_wages", deadline))
        injured = answer_date(slots.get("labor_injury_date"))
        if "injury" in issues and injured:
            employer, worker = deadlines.work_injury_application(injured, today)
            found += [_renamed("injury_employer", employer), _renamed("injury_worker", worker)]
    elif area == "divorce":
        applied = answer_date(slots.get("divorce_registration_date"))
        if slots.get("divorce_both_agree") is True and slots.get("divorce_registration_applied") is True and applied:
            found += list(deadlines.divorce_cooling_off(applied, today))
        # The six months run from the day the judgment took effect; for "2025年1月" that
        # day is taken as the month's last, so the "may sue again from" date is never early.
        effective = slots.get("divorce_previous_suit_date")
        took_effect = answer_last_date(effective)
        if slots.get("divorce_previous_suit_refused") is True and took_effect:
            found.append(
                _renamed(
                    "divorce_resuit",
                    deadlines.divorce_resuit_bar(took_effect, today, day_assumed=took_effect != answer_date(effective)),
                )
            )
    elif area == "contract":
        limitation = contract_limitation(slots.get("contract_learned_date"), today)
        if limitation:
            found.append(limitation)
        # Revocation runs from knowing the ground (or the end of duress), asked for
        # on its own: the day the breach was learned may be later, and a later
        # start would show a deadline after the real one.
        defects = slots.get("contract_defect") or []
        known = answer_date(slots.get("contract_defect_learned_date"))
        if known and defects != UNKNOWN:
            if "fraud" in defects or "duress" in defects:
                found.append(_renamed("revocation", deadlines.revocation_deadline(known, today)))
            if "misunderstanding" in defects:
                found.append(
                    _renamed(
                        "revocation_misunderstanding",
                        deadlines.revocation_deadline(known, today, major_misunderstanding=True),
                    )
                )
    return found

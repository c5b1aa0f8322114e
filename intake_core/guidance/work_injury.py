"""Work injury (工伤, a labor practice area): the amounts and dates of 工伤保险条例.

Calculators (pure: Decimal money, dates in, an ``Estimate`` or ``Deadline`` out):

- ``own_wage``: the worker's own wage (本人工资, 第64条第2款), the base of the benefits, kept
  between 60% and 300% of the regional average wage when that figure is given;
- ``disability_subsidy``: the one-off disability subsidy, 27 ... 7 months of the own wage by
  grade (第35条、第36条、第37条, each 第(一)项);
- ``disability_allowance``: the monthly disability allowance of grades 1-6 (第35条、第36条第(二)项);
- ``funeral_grant`` and ``death_grant``: work death (第39条第1款第(一)项、第(三)项);
- ``application_deadlines``: who applies for recognition by when (第17条), from the accident
  or the diagnosis of the occupational disease;
- ``paid_leave_ends``: the latest ends of the paid leave for treatment (停工留薪期, 第33条第2款).

The figures come from content/guidance/parameters.yml (``work_injury``,
``national_urban_disposable_income``), every sentence from formats.yml. The regional average
wage (统筹地区职工平均工资) differs by region and year and is never stored: it is an input, and
without it the steps say what is not adjusted. The national income of the year before a death
is read from its dated table when a lawyer has entered it, else taken as an input, else said
to be missing; the steps always name the year used.

``estimates(slots, today)`` and ``deadlines(slots, today)`` read the work-injury questionnaire's
answers (content/questionnaires.work_injury.draft.yml) and return what facts.estimates_for and
facts.deadlines_for return for labor, so that the area's key can be registered with them
(``by_area.FINER_AREA_PROVIDERS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from intake_core.guidance import facts
from intake_core.guidance.calculators import (
    Estimate,
    _basis,
    _joined,
    _money,
    _money_input,
    _percent,
    _plain,
    _step,
)
from intake_core.guidance.content import load_formats
from intake_core.guidance.deadlines import Deadline, work_injury_application
from intake_core.guidance.figures import chinese_count, with_figures
from intake_core.guidance.parameters import load_parameters, load_work_injury_figures

# Questionnaire slots (content/questionnaires.work_injury.draft.yml).
DATE_SLOT = "work_injury_date"
KIND_SLOT = "work_injury_kind"
RECOGNISED_SLOT = "work_injury_recognised"
INSURED_SLOT = "work_injury_employer_insured"
GRADE_SLOT = "work_injury_disability_grade"
WAGE_SLOT = "work_injury_monthly_wage"

# Answers to work_injury_recognised after which no application is still due.
APPLIED = ("recognised", "applied", "refused")
# Answers to work_injury_disability_grade under which the paid leave may still be running:
# it ends when a grade is assessed (第33条第2款: 评定伤残等级后，停发原待遇).
NOT_ASSESSED = "not_assessed"


# --- the own wage -------------------------------------------------------------------------


def own_wage(monthly_wage: Decimal, regional_average: Decimal | None = None) -> tuple[Decimal, list[str]]:
    """The own wage (本人工资) the benefits are counted on, and the steps that say how.

    ``monthly_wage``: the average monthly wage of the 12 months before the injury, as the
    caller gave it (the article says the contribution wage: a step says so). ``regional_average``:
    the regional average wage (统筹地区职工平均工资); with it, a wage below 60% of it is raised
    to 60%, one above 300% lowered to 300% (第64条第2款).
    Example: wage 3000, average 8000: 60% is 4800, so the own wage is 4800.
    """
    rules = load_work_injury_figures().rules
    wage = _money_input("monthly_wage", monthly_wage)
    steps = [_step("work_injury_own_wage_given", wage=_plain(wage))]
    percents = {
        "floor_percent": _percent(rules.own_wage_floor_rate),
        "cap_percent": _percent(rules.own_wage_cap_multiple),
    }
    if regional_average is None:
        steps.append(_step("work_injury_own_wage_bounds_unknown", **percents))
        return wage, steps
    average = _money_input("regional_average", regional_average)
    low = _money(average * rules.own_wage_floor_rate)
    high = _money(average * rules.own_wage_cap_multiple)
    shown = {"wage": _plain(wage), "average": _plain(average), **percents}
    if wage < low:
        steps.append(_step("work_injury_own_wage_raised", bound=_plain(low), **shown))
        return low, steps
    if wage > high:
        steps.append(_step("work_injury_own_wage_capped", bound=_plain(high), **shown))
        return high, steps
    steps.append(_step("work_injury_own_wage_within", low=_plain(low), high=_plain(high), **shown))
    return wage, steps


# --- disability ---------------------------------------------------------------------------


def disability_subsidy(
    grade: int, monthly_wage: Decimal, regional_average: Decimal | None = None, insured: bool | None = None
) -> Estimate:
    """The one-off disability subsidy (一次性伤残补助金): months of the own wage by grade.

    Grades 1-4: 27/25/23/21 months (第35条); 5-6: 18/16 (第36条); 7-10: 13/11/9/7 (第37条).
    ``insured``: whether the employer took out work-injury insurance (None: not known), which
    decides who pays (第62条第2款). Example: grade 7, wage 6000: 13 x 6000 = 78000.
    """
    key = _grade_key(grade)
    rules = load_work_injury_figures().rules
    base, steps = own_wage(monthly_wage, regional_average)
    months = rules.disability_subsidy_months[key]
    amount = _money(months * base)
    steps += [
        _step("work_injury_subsidy_months", grade=chinese_count(grade), months=_plain(months)),
        _step("work_injury_product", months=_plain(months), base=_plain(base), amount=_plain(amount)),
    ]
    if grade >= 5:  # 第36条第2款、第37条第(二)项: the provinces set these, not computed
        steps.append(_step("work_injury_subsidy_extra_on_leaving"))
    steps.append(_payer_step(insured))
    basis = _joined(_basis(f"work_injury_subsidy_{_band(grade)}"), _basis("work_injury_own_wage"))
    return Estimate.exact(amount, _with_uninsured(basis, insured), steps)


def disability_allowance(
    grade: int, monthly_wage: Decimal, regional_average: Decimal | None = None, insured: bool | None = None
) -> Estimate:
    """The monthly disability allowance (伤残津贴) of grades 1-6, a share of the own wage.

    Grades 1-4 from the fund, 90/85/80/75% (第35条第1款第(二)项); grades 5-6 from the employer
    when it cannot arrange suitable work, 70/60% (第36条第1款第(二)项). Example: grade 5, wage
    6000: 6000 x 70% = 4200 a month.
    """
    key = _grade_key(grade)
    rates = load_work_injury_figures().rules.disability_allowance_rates
    if key not in rates:
        raise ValueError(f"grade: a disability allowance is paid for grades 1 to 6, not {grade}")
    base, steps = own_wage(monthly_wage, regional_average)
    amount = _money(base * rates[key])
    steps.append(
        _step(
            "work_injury_allowance",
            grade=chinese_count(grade),
            percent=_percent(rates[key]),
            base=_plain(base),
            amount=_plain(amount),
        )
    )
    band = _band(grade)
    steps.append(_step(f"work_injury_allowance_{band}"))
    if grade <= 4:  # grades 5-6: the employer pays in any case
        steps.append(_payer_step(insured))
    basis = _joined(_basis(f"work_injury_allowance_{band}"), _basis("work_injury_own_wage"))
    return Estimate.exact(amount, _with_uninsured(basis, insured) if grade <= 4 else basis, steps)


# --- work death ---------------------------------------------------------------------------


def funeral_grant(regional_average_monthly_wage: Decimal | None = None, insured: bool | None = None) -> Estimate:
    """The funeral grant (丧葬补助金): 6 months of the regional average monthly wage of the
    previous year (第39条第1款第(一)项). That figure is local and not stored: without it the
    amount is unknown and a step says a lawyer fills it in. Example: average 7000: 6 x 7000 = 42000.
    """
    months = load_work_injury_figures().rules.funeral_grant_months
    steps = [_step("work_injury_funeral_rule", months=_plain(months))]
    basis = _with_uninsured(_basis("work_injury_funeral_grant"), insured)
    if regional_average_monthly_wage is None:
        steps += [_step("work_injury_regional_average_missing"), _payer_step(insured)]
        return _unknown(basis, steps)
    average = _money_input("regional_average_monthly_wage", regional_average_monthly_wage)
    amount = _money(months * average)
    steps += [
        _step("work_injury_funeral_product", months=_plain(months), average=_plain(average), amount=_plain(amount)),
        _payer_step(insured),
    ]
    return Estimate.exact(amount, basis, steps)


def death_grant(death_date: date, national_income: Decimal | None = None, insured: bool | None = None) -> Estimate:
    """The one-off work-death grant (一次性工亡补助金): 20 times the national urban per-capita
    disposable income of the year before the death (第39条第1款第(三)项).

    The figure is the one parameters.yml holds for that year (entered with effective 1 January
    of the death's year); ``national_income`` stands in when the table lacks it (a lawyer's
    figure); without either the amount is unknown. Only that year's figure is used, never an
    older one. Example: a death in 2025 and an income of 50000 for 2024: 20 x 50000 = 1000000.
    """
    figures = load_work_injury_figures()
    multiple = figures.rules.death_grant_multiple
    year = death_date.year - 1
    steps = [_step("work_injury_death_grant_rule", multiple=_plain(multiple))]
    basis = _with_uninsured(_basis("work_injury_death_grant"), insured)
    entered = figures.national_urban_disposable_income.in_force_on(death_date)
    if entered is not None and entered.effective.year == death_date.year:
        income = entered.value
    elif national_income is not None:
        income = _money_input("national_income", national_income)
    else:
        steps += [
            _step("work_injury_national_income_missing", death_year=death_date.year, year=year),
            _step("work_injury_survivors_pension"),
            _payer_step(insured),
        ]
        return _unknown(basis, steps)
    amount = _money(multiple * income)
    steps += [
        _step("work_injury_death_grant_figure", death_year=death_date.year, year=year, income=_plain(income)),
        _step(
            "work_injury_death_grant_product", multiple=_plain(multiple), income=_plain(income), amount=_plain(amount)
        ),
        _step("work_injury_survivors_pension"),
        _payer_step(insured),
    ]
    return Estimate.exact(amount, basis, steps)


# --- dates --------------------------------------------------------------------------------


def application_deadlines(event_date: date, today: date) -> tuple[Deadline, Deadline]:
    """The last days to apply for recognition (第17条): the employer's (30 days) and, when it
    does not apply, the worker's, close relatives' or union's (1 year). ``event_date``: the day
    of the accident, or of the diagnosis of the occupational disease. The worker's note adds
    that time lost for reasons not the worker's does not count (工伤行政案件规定第7条).
    Example: accident 2025-03-10: employer by 2025-04-09, worker by 2026-03-10.
    """
    employer, worker = work_injury_application(event_date, today)
    extra = with_figures(load_formats()["deadline_notes"]["work_injury_delay_not_counted"])
    return employer, replace(worker, note=worker.note + extra)


def paid_leave_ends(start: date, today: date) -> tuple[Deadline, Deadline]:
    """The latest ends of the paid leave for treatment (停工留薪期, 第33条第2款): generally at
    most 12 months, and at most 12 more when the city's appraisal committee confirms it.

    ``start``: the day the leave began; the caller gives the injury date, and a note says the
    leave really runs from the stop for treatment. Counted like every period here (民法典第201、
    202条): 12 months from 2024-03-15 end on 2025-03-15, and 12 more on 2026-03-15.
    """
    rules = load_work_injury_figures().rules
    usual = rules.paid_leave.after(start)
    extended = rules.paid_leave_extension.after(usual)
    values = {"months": rules.paid_leave.count, "extension_months": rules.paid_leave_extension.count}
    return (
        _period_end("work_injury_paid_leave", usual, today, values),
        _period_end("work_injury_paid_leave_extended", extended, today, values),
    )


# --- providers: the questionnaire's answers in, the area's amounts and dates out ----------------


def estimates(slots: Mapping[str, Any], today: date) -> list[Any]:
    """The amounts for this caller (facts.NamedEstimate), as facts.estimates_for gives them."""
    found = []
    insured = _insured(slots)
    grade = _grade(slots)
    wage = facts.answer_amount(slots.get(WAGE_SLOT))
    if grade is not None and wage:
        found.append(_named("work_injury_disability_subsidy", disability_subsidy(grade, wage, None, insured)))
        if grade <= 6:
            found.append(_named("work_injury_disability_allowance", disability_allowance(grade, wage, None, insured)))
    died = facts.answer_date(slots.get(DATE_SLOT))
    if "death" in _chosen(slots, KIND_SLOT):
        found.append(_named("work_injury_funeral_grant", funeral_grant(None, insured)))
        if died is not None:
            found.append(_named("work_injury_death_grant", death_grant(died, None, insured)))
    return found


def deadlines(slots: Mapping[str, Any], today: date) -> list[Deadline]:
    """The dates for this caller (deadlines.Deadline), as facts.deadlines_for gives them.

    The application deadlines while no application is known to have been made (not applied,
    or not answered); the paid-leave ends for a living worker whose grade is not yet assessed.
    A month-only date counts from the month's first day: both dates then come early, not late.
    """
    injured = facts.answer_date(slots.get(DATE_SLOT))
    if injured is None:
        return []
    found = []
    if not any(status in _chosen(slots, RECOGNISED_SLOT) for status in APPLIED):
        employer, worker = application_deadlines(injured, today)
        found += [_renamed("injury_employer", employer), _renamed("injury_worker", worker)]
    grade_answer = _chosen(slots, GRADE_SLOT)
    if "death" not in _chosen(slots, KIND_SLOT) and (not grade_answer or grade_answer == [NOT_ASSESSED]):
        found += [
            _renamed(deadline_key, deadline)
            for deadline_key, deadline in zip(
                ("work_injury_paid_leave", "work_injury_paid_leave_extended"),
                paid_leave_ends(injured, today),
                strict=False,
            )
        ]
    return found


# --- helpers --------------------------------------------------------------------------------


def _grade_key(grade: int) -> str:
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 10:
        raise ValueError(f"grade: a disability grade is 1 (heaviest) to 10, not {grade!r}")
    return f"grade_{grade}"


def _band(grade: int) -> str:
    """The article's group of grades (formats.yml bases): grades_1_4, grades_5_6, grades_7_10."""
    return "grades_1_4" if grade <= 4 else "grades_5_6" if grade <= 6 else "grades_7_10"


def _payer_step(insured: bool | None) -> str:
    if insured is True:
        return _step("work_injury_paid_by_fund")
    if insured is False:
        return _step("work_injury_paid_by_employer")
    return _step("work_injury_payer_unknown")


def _with_uninsured(basis: str, insured: bool | None) -> str:
    return basis if insured is True else _joined(basis, _basis("work_injury_uninsured"))


def _unknown(basis: str, steps: list[str]) -> Estimate:
    """An amount the law fixes by a figure we do not have: shown as needing more information."""
    return Estimate(amount=None, low=None, high=None, basis=basis, steps=tuple(steps))


def _period_end(key: str, due: date, today: date, values: Mapping[str, int]) -> Deadline:
    """A last day as deadlines._deadline makes one, with this area's own figures in its sentences."""
    formats = load_formats()
    days_left = (due - today).days
    keys = (["work_injury_paid_leave_passed"] if days_left < 0 else []) + [key]
    note = "".join(with_figures(formats["deadline_notes"][k], **values) for k in keys)
    urgent = 0 <= days_left <= load_parameters().urgent_within_days
    return Deadline(
        with_figures(formats["deadline_names"][key], **values),
        due,
        days_left,
        urgent,
        formats["bases"]["work_injury_paid_leave"],
        note,
    )


def _chosen(slots: Mapping[str, Any], slot: str) -> list[str]:
    """A choices answer as a list of keys (skipped or not asked: none)."""
    answer = slots.get(slot)
    return list(answer) if isinstance(answer, list) else []


def _grade(slots: Mapping[str, Any]) -> int | None:
    """The assessed grade as a number, or None (not assessed, no disability, not answered, or
    several grades named: the caller is unsure, so no figure)."""
    chosen = [key for key in _chosen(slots, GRADE_SLOT) if key.startswith("grade_")]
    return int(chosen[0].split("_")[1]) if len(chosen) == 1 else None


def _insured(slots: Mapping[str, Any]) -> bool | None:
    answer = slots.get(INSURED_SLOT)
    return answer if isinstance(answer, bool) else None


def _named(key: str, estimate: Estimate) -> facts.NamedEstimate:
    return facts._named(key, estimate)


def _renamed(key: str, deadline: Deadline) -> Deadline:
    return facts._renamed(key, deadline)

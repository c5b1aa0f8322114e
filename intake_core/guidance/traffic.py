"""Traffic accidents (交通事故): 残疾赔偿金, 死亡赔偿金 and the limitation date.

- Years of income: 20, but from 60 one year less for each year of age, and 5
  from 75 (人身损害赔偿解释第12条 for disability, 第15条 for death). "六十周岁以上"
  includes 60 (以上 counts the number itself), and "每增加一岁减少一年" counts the
  years past 60: at 60 it is 20 years, at 61 19, at 74 6, from 75 on 5.
- 残疾赔偿金 = income x years x the grade's share. The interpretation names no
  share per grade; the shares in parameters.yml are practice (grade 1 = 100%,
  each grade 10% less), marked there for a lawyer's review, and every estimate
  says so in its steps.
- The income is the urban per-capita disposable income of the court's province
  for the statistical year before the end of the first-instance debate (第22条).
  It is a dated, published figure: parameters.yml ``urban_disposable_income``
  holds what a lawyer entered (nothing yet). Without it the estimate has no
  amount and its steps give the formula, the years and the share instead.
- Limitation: three years (民法典第188条) from the day the victim knew of the
  harm and who is liable; we count from the accident, which is that day in the
  usual case, and the note says when it can be later.

Every figure comes from parameters.yml (``personal_injury``), every sentence
from formats.yml; this module only does the arithmetic. Money is Decimal.

``estimates(slots, today)`` and ``deadlines(slots, today)`` read the traffic
questionnaire's answers (content/questionnaires.traffic.draft.yml) and return
what intake_core/guidance/facts.py returns for the other areas.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from intake_core.extraction.numerals import chinese_numerals_to_arabic
from intake_core.guidance import facts
from intake_core.guidance.calculators import Estimate, _basis, _date_text, _money, _money_input, _plain, _step
from intake_core.guidance.content import load_formats
from intake_core.guidance.deadlines import Deadline
from intake_core.guidance.figures import chinese_count, period_text, with_figures
from intake_core.guidance.parameters import GRADES, RegionalValue, load_parameters, load_traffic_figures

_NUMBER = re.compile(r"\d+")
MAX_AGE = 120


def victim_age(answer: Any) -> int | None:
    """The age in a text answer ("65", "65岁", "六十五周岁"), or None when it holds no
    number or several ("他65，我60": whose?). traffic_victim_age is a text question: the
    kind ``ages`` takes children's ages (up to 30) and ``amount`` would show "65元"."""
    if not isinstance(answer, str):
        return None
    numbers = _NUMBER.findall(chinese_numerals_to_arabic(answer))
    if len(numbers) != 1 or not 0 <= int(numbers[0]) <= MAX_AGE:
        return None
    return int(numbers[0])


def compensation_years(age: int) -> int:
    """Years of income for 残疾赔偿金 and 死亡赔偿金 at ``age`` (人身损害赔偿解释第12条、第15条)."""
    if not 0 <= age <= MAX_AGE:
        raise ValueError(f"age must be 0 to {MAX_AGE}, got {age}")
    rules = load_traffic_figures().personal_injury
    if age >= rules.floor_from_age:
        return rules.floor_years
    if age >= rules.reduction_from_age:
        return rules.compensation_years - (age - rules.reduction_from_age)
    return rules.compensation_years


def _years_step(age: int) -> str:
    rules = load_traffic_figures().personal_injury
    years = compensation_years(age)
    if age >= rules.floor_from_age:
        return _step("traffic_years_floor", age=age, floor_from_age=rules.floor_from_age, years=years)
    if age >= rules.reduction_from_age:
        return _step(
            "traffic_years_reduced",
            age=age,
            reduction_from_age=rules.reduction_from_age,
            full=rules.compensation_years,
            years=years,
        )
    return _step("traffic_years_full", age=age, reduction_from_age=rules.reduction_from_age, years=years)


def _income_step(income: RegionalValue) -> str:
    return _step("traffic_income_used", region=income.region, year=income.year, income=_plain(income.amount))


def disability_compensation(
    age: int, grade: int, income: RegionalValue | None, accident: date | None = None
) -> Estimate:
    """残疾赔偿金 (人身损害赔偿解释第12条) at ``age`` on the day of assessment, for
    disability grade ``grade`` (1 to 10), on ``income`` (None: not known yet, no amount).
    ``accident``: its day, when known; one before the interpretation applies gets a step."""
    shares = load_traffic_figures().personal_injury.disability_grade_shares
    key = f"grade_{grade}"
    if key not in GRADES:
        raise ValueError(f"grade must be 1 to 10, got {grade}")
    years, share = compensation_years(age), shares[key]
    percent = _plain(share * 100)
    steps = [
        _years_step(age),
        _step("traffic_age_at_assessment"),
        _step("traffic_grade_share", grade=chinese_count(grade), percent=percent),
    ]
    amount = None
    if income is None:
        steps += [_step("traffic_disability_formula", years=years, percent=percent), _step("traffic_income_missing")]
    else:
        amount = _money(income.amount * years * share)
        steps += [
            _income_step(income),
            _step(
                "traffic_disability_product",
                income=_plain(income.amount),
                years=years,
                percent=percent,
                amount=_plain(amount),
            ),
        ]
    steps += [
        _step("traffic_income_year"),
        _step("traffic_disability_adjusted"),
        *_earlier_rules(accident),
        _step("traffic_full_loss"),
    ]
    return Estimate(amount, None, None, _basis("traffic_disability_compensation"), tuple(steps))


def death_compensation(age: int, income: RegionalValue | None, accident: date | None = None) -> Estimate:
    """死亡赔偿金 (人身损害赔偿解释第15条) at the age at death, on ``income`` (None: no amount);
    ``accident`` as for ``disability_compensation``."""
    years = compensation_years(age)
    steps = [_years_step(age), _step("traffic_age_at_death")]
    amount = None
    if income is None:
        steps += [_step("traffic_death_formula", years=years), _step("traffic_income_missing")]
    else:
        amount = _money(income.amount * years)
        steps += [
            _income_step(income),
            _step("traffic_death_product", income=_plain(income.amount), years=years, amount=_plain(amount)),
        ]
    steps += [_step("traffic_income_year"), *_earlier_rules(accident), _step("traffic_full_loss")]
    return Estimate(amount, None, None, _basis("traffic_death_compensation"), tuple(steps))


def _earlier_rules(accident: date | None) -> list[str]:
    """第24条: the interpretation applies to torts from its effective day. For an earlier
    accident the text then in force decides (its standards differed); said, not computed."""
    current_from = load_traffic_figures().personal_injury.current_rules_from
    if accident is None or accident >= current_from:
        return []
    return [_step("traffic_earlier_rules", date=_date_text(current_from))]


def lost_earnings_per_month(monthly_income: Decimal) -> Estimate:
    """误工费 for each month off work, for a victim with a fixed income (人身损害赔偿解释第7条):
    the income actually lost, taken here as the monthly income the caller gave. The months
    off work are not asked (the hospital's certificate decides them), so this is per month."""
    income = _money_input("monthly_income", monthly_income)
    steps = [_step("traffic_lost_earnings", income=_plain(income)), _step("traffic_lost_earnings_time")]
    return Estimate.exact(_money(income), _basis("traffic_lost_earnings"), steps)


def limitation_deadline(accident: date, today: date) -> Deadline:
    """Last day of the three-year limitation (民法典第188条), counted from the accident.

    Counted like deadlines.py (民法典第201-202条: from the next day; a missing day of
    the month is its last day), urgent within the same window.
    """
    formats = load_formats()
    period = load_traffic_figures().personal_injury.limitation
    due = period.after(accident)
    days_left = (due - today).days
    notes = (["may_have_passed"] if days_left < 0 else []) + ["traffic_limitation"]
    note = "".join(with_figures(formats["deadline_notes"][key], period=period_text(period)) for key in notes)
    name = with_figures(formats["deadline_names"]["traffic_limitation"], period=period_text(period))
    urgent = 0 <= days_left <= load_parameters().urgent_within_days
    return Deadline(name, due, days_left, urgent, _basis("traffic_limitation"), note)


# --- from the questionnaire's answers ---------------------------------------------------


def _named(key: str, estimate: Estimate) -> facts.NamedEstimate:
    name = with_figures(load_formats()["names"][key])
    return facts.NamedEstimate(
        name, estimate.amount, estimate.low, estimate.high, estimate.basis, tuple(estimate.steps)
    )


def _grade(answer: Any) -> int | None:
    """The grade of a traffic_disability_grade answer: one of grade_1 .. grade_10, alone."""
    if isinstance(answer, list) and len(answer) == 1 and answer[0] in GRADES:
        return GRADES.index(answer[0]) + 1
    return None


def estimates(slots: Mapping[str, Any], today: date) -> list[facts.NamedEstimate]:
    """误工费 a month for an injury with the income given; 死亡赔偿金 when someone died, else
    残疾赔偿金 for an assessed grade, each needing the age.

    The age asked is the deceased's when someone died (the questionnaire says so, and
    asks the disability grade only when no one did), so one answer never serves both.
    The income is the newest a lawyer entered for the province the caller named.
    """
    harm = slots.get("traffic_harm")
    if not isinstance(harm, list):
        harm = []
    found = []
    monthly_income = facts.answer_amount(slots.get("traffic_monthly_income"))
    if "injury" in harm and monthly_income:
        found.append(_named("traffic_lost_earnings", lost_earnings_per_month(monthly_income)))
    age = victim_age(slots.get("traffic_victim_age"))
    if age is None:
        return found
    accident = facts.answer_date(slots.get("traffic_accident_date"))
    province = slots.get("traffic_province")
    income = load_traffic_figures().urban_disposable_income.latest_for(province) if isinstance(province, str) else None
    grade = _grade(slots.get("traffic_disability_grade"))
    if "death" in harm:
        found.append(_named("traffic_death_compensation", death_compensation(age, income, accident)))
    elif "injury" in harm and grade is not None:
        found.append(_named("traffic_disability_compensation", disability_compensation(age, grade, income, accident)))
    return found


def deadlines(slots: Mapping[str, Any], today: date) -> list[Deadline]:
    """The limitation date from the accident. A month-only answer (2024-05) counts from the
    month's first day: the date shown is then never later than the real one."""
    accident = facts.answer_date(slots.get("traffic_accident_date"))
    if accident is None:
        return []
    deadline = limitation_deadline(accident, today)
    return [
        Deadline(
            with_figures(load_formats()["names"]["traffic_limitation"]),
            deadline.due,
            deadline.days_left,
            deadline.urgent,
            deadline.basis,
            deadline.note,
        )
    ]

"""Deadlines counted from a caller's dates: exact due dates, days left and urgency."""
import dataclasses
from datetime import date, timedelta

import pytest

from intake_core.guidance import deadlines
from intake_core.guidance.deadlines import (
    MAY_HAVE_PASSED,
    Deadline,
    contract_limitation_deadline,
    divorce_cooling_off,
    divorce_resuit_bar,
    labor_arbitration_deadline,
    revocation_deadline,
    work_injury_application,
)
from intake_core.guidance.parameters import load_parameters

TODAY = date(2025, 1, 1)


def test_the_urgency_window_in_the_parameters_file_is_30_days():
    assert load_parameters().urgent_within_days == 30


# --- labor arbitration -----------------------------------------------------------


@pytest.mark.parametrize(
    "event, due",
    [
        (date(2024, 3, 15), date(2025, 3, 15)),
        (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 Feb: the month's last day (民法典202)
        (date(2023, 12, 31), date(2024, 12, 31)),
    ],
)
def test_labor_arbitration_one_year(event, due):
    deadline = labor_arbitration_deadline(event, TODAY, still_employed=False, unpaid_wages=False)
    assert deadline.due == due
    assert deadline.basis == "劳动争议调解仲裁法第27条"
    assert "中断" in deadline.note


def test_a_still_employed_worker_claiming_wages_has_no_deadline():
    assert labor_arbitration_deadline(date(2020, 1, 1), TODAY, still_employed=True, unpaid_wages=True) is None


def test_other_claims_of_a_still_employed_worker_keep_the_one_year():
    deadline = labor_arbitration_deadline(date(2024, 6, 1), TODAY, still_employed=True, unpaid_wages=False)
    assert deadline.due == date(2025, 6, 1)


def test_unpaid_wages_after_the_job_ended_run_one_year_from_the_end():
    deadline = labor_arbitration_deadline(date(2024, 5, 31), TODAY, still_employed=False, unpaid_wages=True)
    assert deadline.due == date(2025, 5, 31)
    assert deadline.days_left == 150
    assert "终止" in deadline.name


# --- contract ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "learned, due",
    [
        (date(2022, 1, 31), date(2025, 1, 31)),
        (date(2020, 2, 29), date(2023, 2, 28)),
        (date(2021, 2, 28), date(2024, 2, 28)),  # a leap year: still the same day, not the 29th
    ],
)
def test_contract_limitation_three_years(learned, due):
    deadline = contract_limitation_deadline(learned, TODAY)
    assert deadline.due == due
    assert deadline.basis == "民法典第188条"


@pytest.mark.parametrize(
    "learned, misunderstanding, due",
    [
        (date(2024, 1, 31), False, date(2025, 1, 31)),
        (date(2024, 2, 29), False, date(2025, 2, 28)),
        (date(2024, 1, 1), True, date(2024, 3, 31)),  # 90 days, 2024 is a leap year
        (date(2024, 11, 1), True, date(2025, 1, 30)),
    ],
)
def test_revocation(learned, misunderstanding, due):
    deadline = revocation_deadline(learned, TODAY, major_misunderstanding=misunderstanding)
    assert deadline.due == due
    assert deadline.basis == "民法典第152条"


def test_a_passed_revocation_period_cannot_be_interrupted():
    deadline = revocation_deadline(date(2023, 12, 31), TODAY)
    assert deadline.days_left == -1
    assert "不适用中断" in deadline.note and "律师" in deadline.note


# --- divorce -----------------------------------------------------------------------


def test_divorce_cooling_off_windows():
    withdraw, collect = divorce_cooling_off(date(2025, 1, 10), TODAY)
    assert (withdraw.due, collect.due) == (date(2025, 2, 9), date(2025, 3, 11))
    assert (withdraw.days_left, collect.days_left) == (39, 69)
    assert withdraw.basis == collect.basis == "民法典第1077条"
    assert "撤回" in withdraw.note and "亲自" in collect.note


@pytest.mark.parametrize(
    "judgment, may_sue_from",
    [
        (date(2024, 1, 10), date(2024, 7, 11)),
        (date(2024, 8, 31), date(2025, 3, 1)),  # six months end 28 Feb, a common year
        (date(2023, 8, 31), date(2024, 3, 1)),  # six months end 29 Feb, a leap year
    ],
)
def test_divorce_resuit_bar(judgment, may_sue_from):
    deadline = divorce_resuit_bar(judgment, TODAY)
    assert deadline.due == may_sue_from
    assert deadline.basis == "民事诉讼法第127条第(七)项"


def test_an_ended_resuit_bar_says_the_plaintiff_may_sue_again():
    deadline = divorce_resuit_bar(date(2024, 1, 10), TODAY)
    assert deadline.days_left < 0 and not deadline.urgent
    assert deadline.note.startswith("六个月已满")


# --- work injury ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "injury, employer_due, worker_due",
    [
        (date(2024, 12, 15), date(2025, 1, 14), date(2025, 12, 15)),
        (date(2024, 2, 29), date(2024, 3, 30), date(2025, 2, 28)),
        (date(2025, 1, 31), date(2025, 3, 2), date(2026, 1, 31)),
    ],
)
def test_work_injury_application(injury, employer_due, worker_due):
    employer, worker = work_injury_application(injury, TODAY)
    assert (employer.due, worker.due) == (employer_due, worker_due)
    assert employer.basis == worker.basis == "工伤保险条例第17条"


# --- urgency ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days_away, urgent",
    [(0, True), (1, True), (30, True), (31, False), (365, False), (-1, False), (-200, False)],
)
def test_urgent_within_30_days(days_away, urgent):
    # work_injury's employer deadline is 30 days after the injury: place it days_away from today.
    employer, _ = work_injury_application(TODAY + timedelta(days=days_away - 30), TODAY)
    assert employer.days_left == days_away
    assert employer.urgent is urgent


def test_a_passed_deadline_says_so_and_asks_for_a_lawyer():
    deadline = contract_limitation_deadline(date(2021, 12, 1), TODAY)
    assert deadline.due == date(2024, 12, 1)
    assert deadline.days_left == -31
    assert deadline.urgent is False
    assert deadline.note.startswith(MAY_HAVE_PASSED)
    assert "律师" in MAY_HAVE_PASSED and "中断" in MAY_HAVE_PASSED


def test_a_deadline_still_ahead_has_no_passed_warning():
    deadline = contract_limitation_deadline(date(2022, 1, 1), TODAY)
    assert deadline.days_left == 0
    assert MAY_HAVE_PASSED not in deadline.note


def test_the_urgency_window_comes_from_the_parameters(monkeypatch):
    narrow = dataclasses.replace(load_parameters(), urgent_within_days=7)
    monkeypatch.setattr(deadlines, "load_parameters", lambda: narrow)
    inside, _ = work_injury_application(TODAY + timedelta(days=7 - 30), TODAY)
    outside, _ = work_injury_application(TODAY + timedelta(days=8 - 30), TODAY)
    assert (inside.days_left, outside.days_left) == (7, 8)
    assert (inside.urgent, outside.urgent) == (True, False)


def test_deadlines_are_frozen():
    deadline = contract_limitation_deadline(date(2022, 1, 1), TODAY)
    assert isinstance(deadline, Deadline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.urgent = False

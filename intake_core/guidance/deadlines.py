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

The lengths of the periods come from content/guidance/parameters.yml
(``deadlines``); each deadline's name, note and basis from
content/guidance/formats.yml (``deadline_names``, ``deadline_notes``,
``bases``), looked up here by key; a period a sentence mentions is filled in
from parameters.yml (intake_core.guidance.figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from intake_core.guidance.content import load_formats
from intake_core.guidance.figures import with_figures
from intake_core.guidance.parameters import load_legal_figures, load_parameters


def __getattr__(name: str) -> str:
    """``MAY_HAVE_PASSED``, the usual warning on a passed deadline, read from formats.yml when asked for."""
    if name == "MAY_HAVE_PASSED":
        return with_figures(load_formats()["deadline_notes"]["may_have_passed"])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    name: str, due: date, today: date, basis: str, notes: Sequence[str], passed: str = "may_have_passed"
) -> Deadline:
    """Days left and urgency as of ``today``; a passed deadline gets the ``passed`` note first.

    ``name``, ``basis``, ``notes`` and ``passed`` are keys into formats.yml.
    """
    formats = load_formats()
    texts = formats["deadline_notes"]
    days_left = (due - today).days
    window = load_parameters().urgent_within_days
    keys = ([passed] if days_left < 0 else []) + list(notes)
    note = "".join(with_figures(texts[key]) for key in keys)
    return Deadline(
        with_figures(formats["deadline_names"][name]),
        due,
        days_left,
        0 <= days_left <= window,
        formats["bases"][basis],
        note,
    )


def labor_arbitration_deadline(
    event_date: date, today: date, still_employed: bool, unpaid_wages: bool
) -> Deadline | None:
    """Last day to apply for labor arbitration: 1 year (劳动争议调解仲裁法第27条).

    ``event_date`` is the day the worker knew or should have known of the
    infringement; for unpaid wages after the job ended, the day it ended.
    Unpaid wages while still employed: no time limit runs during the
    employment (第27条第4款), so there is no deadline and we return None.
    """
    if unpaid_wages and still_employed:
        return None
    key = "labor_arbitration_wages" if unpaid_wages else "labor_arbitration"
    due = load_legal_figures().deadlines.labor_arbitration.after(event_date)
    return _deadline(key, due, today, "labor_arbitration", [key, "labor_arbitration_interruption"])


def contract_limitation_deadline(learned_date: date, today: date) -> Deadline:
    """Last day of the 3-year limitation period (民法典第188条).

    ``learned_date``: when the caller knew or should have known of the harm and who caused it.
    """
    due = load_legal_figures().deadlines.contract_limitation.after(learned_date)
    return _deadline("contract_limitation", due, today, "contract_limitation", ["contract_limitation"])


def revocation_deadline(learned_date: date, today: date, major_misunderstanding: bool = False) -> Deadline:
    """Last day to revoke a contract: 1 year, 90 days for major misunderstanding (民法典第152条).

    For duress the year runs from the day the duress ended: pass that day as
    ``learned_date``. The outer limit of 5 years from the act itself needs the
    act's date, which we do not ask for; the note mentions it.
    """
    periods = load_legal_figures().deadlines
    key = "revocation_major_misunderstanding" if major_misunderstanding else "revocation"
    period = periods.revocation_major_misunderstanding if major_misunderstanding else periods.revocation
    due = period.after(learned_date)
    # Unlike a limitation period, this one cannot be interrupted or suspended (民法典第199条).
    return _deadline(key, due, today, "revocation", ["revocation"], passed="revocation_passed")


def divorce_cooling_off(application_date: date, today: date) -> tuple[Deadline, Deadline]:
    """The two windows of an agreement divorce (民法典第1077条).

    First: 30 days after the registry receives the application, either spouse
    may withdraw. Second: in the 30 days after that, both must come in person
    for the certificate, or the application counts as withdrawn.
    """
    periods = load_legal_figures().deadlines
    withdrawal_ends = periods.divorce_cooling_off.after(application_date)
    withdraw = _deadline(
        "divorce_cooling_off",
        withdrawal_ends,
        today,
        "divorce_cooling_off",
        ["divorce_cooling_off", "divorce_receipt"],
        passed="divorce_passed",
    )
    collect = _deadline(
        "divorce_certificate",
        periods.divorce_certificate.after(withdrawal_ends),
        today,
        "divorce_cooling_off",
        ["divorce_certificate", "divorce_receipt"],
        passed="divorce_passed",
    )
    return withdraw, collect


def divorce_resuit_bar(effective_date: date, today: date, day_assumed: bool = False) -> Deadline:
    """The first day the original plaintiff may sue for divorce again (民事诉讼法第127条第(七)项).

    After a judgment refusing divorce, or reconciliation through mediation, the
    plaintiff may not sue again within 6 months without new facts or reasons;
    the same holds after a withdrawn divorce suit (民诉法解释第214条第2款).
    ``effective_date`` is the day the judgment or mediation took effect (生效),
    not the date printed on the judgment, which is earlier. ``day_assumed``:
    the caller gave only a month or a year and ``effective_date`` is its last
    day (the safe side); the note then says so. The 6 months end on the
    corresponding day (民法典第202条), so ``due`` is the day after: a waiting
    period, not a last day.
    """
    may_sue_from = load_legal_figures().deadlines.divorce_resuit_bar.after(effective_date) + timedelta(days=1)
    notes = ["divorce_resuit_bar"] + (["divorce_resuit_day_assumed"] if day_assumed else [])
    return _deadline(
        "divorce_resuit_bar", may_sue_from, today, "divorce_resuit_bar", notes, passed="divorce_resuit_bar_passed"
    )


def work_injury_application(injury_date: date, today: date) -> tuple[Deadline, Deadline]:
    """Applying for work-injury recognition (工伤保险条例第17条): employer 30 days, worker 1 year.

    For an occupational disease, pass the date of diagnosis as ``injury_date``.
    """
    periods = load_legal_figures().deadlines
    employer = _deadline(
        "injury_employer", periods.injury_employer.after(injury_date), today, "work_injury", ["injury_employer"]
    )
    worker = _deadline(
        "injury_worker", periods.injury_worker.after(injury_date), today, "work_injury", ["injury_worker"]
    )
    return employer, worker

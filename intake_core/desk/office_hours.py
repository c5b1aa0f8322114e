"""When a lawyer will answer: the promise the handoff makes, from office hours.

Normal and high-urgency tickets count minutes of office time only (a ticket
raised on Friday evening is due on Monday morning); urgent ones count clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from intake_core.desk.settings import HandoffSettings, OfficeHours

URGENT = "urgent"


def is_office_day(hours: OfficeHours, day: date) -> bool:
    if day in hours.open_dates:
        return True
    return day.isoweekday() in hours.weekdays and day not in hours.closed_dates


def is_open(hours: OfficeHours, moment: datetime) -> bool:
    local = moment.astimezone(hours.timezone)
    return is_office_day(hours, local.date()) and hours.opens <= local.time() < hours.closes


def next_opening(hours: OfficeHours, moment: datetime) -> datetime:
    """``moment`` itself when the office is open, else when it next opens."""
    local = moment.astimezone(hours.timezone)
    if is_open(hours, local):
        return local
    day = local.date()
    if is_office_day(hours, day) and local.time() < hours.opens:
        return datetime.combine(day, hours.opens, hours.timezone)
    for _ in range(366):
        day += timedelta(days=1)
        if is_office_day(hours, day):
            return datetime.combine(day, hours.opens, hours.timezone)
    raise ValueError("content/office_hours.yml: no office day within a year")


def add_office_minutes(hours: OfficeHours, moment: datetime, minutes: float) -> datetime:
    """``moment`` plus ``minutes`` of office time."""
    current = next_opening(hours, moment)
    remaining = timedelta(minutes=minutes)
    while True:
        closing = datetime.combine(current.date(), hours.closes, hours.timezone)
        if current + remaining <= closing:
            return current + remaining
        remaining -= closing - current
        current = next_opening(hours, closing)


@dataclass(frozen=True)
class ContactPromise:
    respond_by: datetime  # aware, in the office's time zone
    office_open_now: bool


def contact_promise(settings: HandoffSettings, urgency: str, now: datetime) -> ContactPromise:
    hours = settings.office_hours
    minutes = settings.response_minutes[urgency]
    if urgency == URGENT:
        respond_by = now.astimezone(hours.timezone) + timedelta(minutes=minutes)
    else:
        respond_by = add_office_minutes(hours, now, minutes)
    return ContactPromise(respond_by=respond_by, office_open_now=is_open(hours, now))


def next_reminder(settings: HandoffSettings, urgency: str, now: datetime) -> datetime:
    hours = settings.office_hours
    minutes = settings.reminder_after_minutes[urgency]
    if urgency == URGENT:
        return now.astimezone(hours.timezone) + timedelta(minutes=minutes)
    return add_office_minutes(hours, now, minutes)


def contact_time_text(settings: HandoffSettings, moment: datetime, now: datetime) -> str:
    """How the caller reads the promised time: "今天 15:30", "11月24日（周一）10:00"."""
    tz = settings.office_hours.timezone
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    formats = settings.contact_time
    clock = f"{local:%H:%M}"
    template: str  # the YAML's templates (settings.contact_time is the file's mapping as read)
    if local.date() == today:
        template = formats["today"]
        return template.format(time=clock)
    if local.date() == today + timedelta(days=1):
        template = formats["tomorrow"]
        return template.format(time=clock)
    template = formats["other"]
    return template.format(
        month=local.month, day=local.day, weekday=formats["weekdays"][local.isoweekday() - 1], time=clock
    )


def office_hours_text(settings: HandoffSettings) -> str:
    """The office hours as the caller reads them, from content/office_hours.yml:
    "工作日 9:00-18:00", or the days by name ("周一至周六", "周一、周三、周五") when they
    are not Monday to Friday. The domain's response takes it as a variable, so the
    promise always says the hours the file sets."""
    hours, names = settings.office_hours, settings.contact_time["weekdays"]
    days = sorted(hours.weekdays)
    if days == [1, 2, 3, 4, 5]:
        day_text = "工作日"
    elif len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        day_text = f"{names[days[0] - 1]}至{names[days[-1] - 1]}"
    else:
        day_text = "、".join(names[day - 1] for day in days)

    def clock(moment: time) -> str:
        return f"{moment.hour}:{moment.minute:02d}"

    return f"{day_text} {clock(hours.opens)}-{clock(hours.closes)}"

"""When an offer next takes place, in one place.

An offer with a structured schedule (an iCalendar RRULE: weekly or monthly,
on some days, in a week of the month, from a first date, until a last date
or for a number of times) takes place on the rule's occurrences only.
``next_occurrence`` answers "when next" from the rule; the guide's cards and
pages, the counter's slip, the JSON feed and the HSDS API all read it, so
the date shown never contradicts the schedule. A date typed by hand
(``Offer.next_date``) must be one of the rule's occurrences (the offer form
says so); it lets the owner skip occurrences (a holiday) and is used until
it has passed. An offer without a rule shows its typed date while it is to
come."""

from __future__ import annotations

import re
from datetime import date

from dateutil import rrule

_DAYS = {"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR,
         "SA": rrule.SA, "SU": rrule.SU}
_FREQS = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
# Fields of an offer that ``next_occurrence`` reads (for ``.values()`` rows).
SCHEDULE_FIELDS = ("schedule_freq", "schedule_interval", "schedule_days", "schedule_week",
                   "schedule_starts", "schedule_ends", "schedule_count", "next_date",
                   "valid_until")


def schedule_rule(*, schedule_freq: str, schedule_days: str, schedule_week: int | None,
                  schedule_starts: date | None, schedule_ends: date | None,
                  schedule_count: int | None, schedule_interval: int | None = 1,
                  **_ignored) -> rrule.rrule | None:
    """The offer's schedule as a dateutil rule (dates only), or None when it
    has none. Without a first date the rule starts at 1/1/2000 (a weekly or
    monthly rule without an interval does not depend on it; with one, "every
    other week" counts its weeks from there), except with a count, which
    needs one."""
    days = [day for day in (schedule_days or "").split(",") if day in _DAYS]
    if schedule_freq not in _FREQS or not days:
        return None
    if schedule_count and not schedule_starts:
        return None
    weekdays = [_DAYS[day] for day in days]
    if schedule_freq == "MONTHLY" and schedule_week:
        weekdays = [weekday(schedule_week) for weekday in weekdays]
    return rrule.rrule(
        _FREQS[schedule_freq], byweekday=weekdays, interval=schedule_interval or 1,
        dtstart=_midnight(schedule_starts or date(2000, 1, 1)),
        until=_midnight(schedule_ends) if schedule_ends and not schedule_count else None,
        count=schedule_count or None, cache=False)


def next_occurrence(*, today: date, **fields) -> date | None:
    """The next date the offer takes place on or after ``today`` (see the
    module's docstring). ``fields`` are the offer's ``SCHEDULE_FIELDS``."""
    manual, last = fields.get("next_date"), fields.get("valid_until")
    rule = schedule_rule(**fields)
    if rule is None:
        found = manual if manual and manual >= today else None
    else:
        start = max(today, manual) if manual else today
        after = rule.after(_midnight(start), inc=True)
        found = after.date() if after else None
    # Not after the offer itself ends.
    return found if found and not (last and found > last) else None


def is_occurrence(day: date, **fields) -> bool:
    """Whether ``day`` is a date of the schedule (True when it has none)."""
    rule = schedule_rule(**fields)
    if rule is None:
        return True
    found = rule.after(_midnight(day), inc=True)
    return bool(found and found.date() == day)


# Dutch weekday names as "Wanneer" says them, also in one word with a part
# of the day ("woensdagnamiddag"); "maandag tot vrijdag" is a range.
_DUTCH_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_DAY_NAMES = "|".join(_DUTCH_DAYS)
_DAY_WORD = re.compile(f"({_DAY_NAMES})", re.IGNORECASE)
_DAY_RANGE = re.compile(rf"({_DAY_NAMES})\w*\s+(?:tot|t/m|-)\s+({_DAY_NAMES})", re.IGNORECASE)


def weekdays_in_words(text: str) -> set[int]:
    """The weekdays (0 is Monday) that a free-text "Wanneer" names:
    "Vrijdag 10:00 tot 12:00" is {4}, "Woensdagnamiddag" {2}, "Maandag tot
    vrijdag" {0..4}; empty when it names none ("Op afspraak")."""
    days = {_DUTCH_DAYS.index(word.lower()) for word in _DAY_WORD.findall(text or "")}
    for first, last in _DAY_RANGE.findall(text or ""):
        start, end = _DUTCH_DAYS.index(first.lower()), _DUTCH_DAYS.index(last.lower())
        days |= set(range(start, end + 1)) if start <= end else set()
    return days


def next_date_error(day: date | None, *, when: str, **fields) -> str | None:
    """Why a typed next date cannot be saved, or None: the one check of a
    typed next date (``Offer.clean``, so the offer form, the admin and any
    import that validates). With a structured schedule it must be one of
    its occurrences; without one it must fall on a weekday that "Wanneer"
    names, when it names any (a next date is typed for a one-off or
    irregular offer, and must not contradict its words)."""
    from django.utils.translation import gettext as _

    if not day:
        return None
    if schedule_rule(**fields) is not None:
        if is_occurrence(day, **fields):
            return None
        return _("This date does not fall on the schedule (%(rule)s): choose a date on which "
                 "it takes place, or leave this empty to show the next one by itself.") % {
            "rule": schedule_words(**fields)}
    named = weekdays_in_words(when)
    if not named or day.weekday() in named:
        return None
    from points.models import OpeningPeriod

    labels = [str(label).lower() for label in OpeningPeriod.Weekday.labels]
    return _("This date is a %(day)s, but 'When' says %(when)s: choose a date on that day, "
             "or change 'When'.") % {"day": labels[day.weekday()],
                                     "when": ", ".join(labels[index] for index in sorted(named))}


def _midnight(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def schedule_words(*, schedule_freq: str, schedule_days: str, schedule_week: int | None,
                   schedule_starts: date | None = None, schedule_ends: date | None = None,
                   schedule_count: int | None = None, schedule_interval: int | None = 1,
                   **_ignored) -> str:
    """The rule in plain words: "every week on Monday and Thursday, from
    03/05/2027 until 30/06/2027", "every month on the first Tuesday",
    "10 times from Monday 01/02/2027"."""
    from django.utils.formats import date_format
    from django.utils.text import get_text_list
    from django.utils.translation import gettext as _

    from outreach.models import WEEK_OF_MONTH
    from points.models import OpeningPeriod

    names = dict(zip(["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
                     OpeningPeriod.Weekday.labels, strict=True))
    days = [str(names[day]).lower() for day in (schedule_days or "").split(",") if day in names]
    if schedule_freq not in _FREQS or not days:
        return ""
    day_list = get_text_list(days, _("and"))
    if schedule_freq == "MONTHLY" and schedule_week:
        words = _("every %(week)s %(days)s of the month") % {
            "week": dict(WEEK_OF_MONTH)[schedule_week], "days": day_list}
    elif schedule_freq == "MONTHLY":
        words = _("every month on %(days)s") % {"days": day_list}
    else:
        words = _("every %(days)s") % {"days": day_list}
    interval = schedule_interval or 1
    if interval == 2 and schedule_freq == "WEEKLY":
        words += " " + _("every other week")
    elif interval > 1 and schedule_freq == "WEEKLY":
        words += " " + _("every %(count)s weeks") % {"count": interval}
    elif interval > 1:
        words += " " + _("every %(count)s months") % {"count": interval}
    if schedule_count and schedule_starts:
        words += ", " + _("%(count)s times from %(day)s") % {
            "count": schedule_count, "day": date_format(schedule_starts, "d/m/Y")}
    elif schedule_starts and schedule_ends:
        words += ", " + _("from %(start)s until %(end)s") % {
            "start": date_format(schedule_starts, "d/m/Y"),
            "end": date_format(schedule_ends, "d/m/Y")}
    elif schedule_starts:
        words += ", " + _("from %(start)s") % {"start": date_format(schedule_starts, "d/m/Y")}
    elif schedule_ends:
        words += ", " + _("until %(end)s") % {"end": date_format(schedule_ends, "d/m/Y")}
    return words

"""Local days in Europe/Brussels: the kernel's one place for day bounds,
so every app (and the dashboard above them) cuts days the same way."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

Interval = tuple[datetime, datetime]


def local(moment: datetime) -> datetime:
    """``moment`` as Brussels wall-clock time."""
    return moment.astimezone(BRUSSELS)


def local_day(moment: datetime) -> date:
    """The Brussels day ``moment`` falls on."""
    return moment.astimezone(BRUSSELS).date()


def day_bounds(day: date) -> Interval:
    """The start and end of a Brussels day as aware datetimes."""
    return (datetime.combine(day, time.min, tzinfo=BRUSSELS),
            datetime.combine(day + timedelta(days=1), time.min, tzinfo=BRUSSELS))


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in Brussels."""
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)

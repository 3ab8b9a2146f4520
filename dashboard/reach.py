"""The reach report's figures (``/bereik/``): referrals per partner and
month, reach per channel (visits by channel plus QR scans), scans per
poster, roadshows. Referrals, scans and roadshows are outreach's own small
tables (``outreach.reports``); visits per channel read the channel roll-up
(``ChannelDayFigures``) for the built days of the period and the raw visits
for the others (``dashboard.rollup.split``), as the dashboard does, so the
figures always equal a count over the raw visits, in a fixed number of
queries whatever the number of visits."""

from collections import Counter
from datetime import date

from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from dashboard import rollup
from dashboard.models import ChannelDayFigures
from digibank.days import local_day
from outreach.models import QrScan
from outreach.reports import in_period
from points.models import Channel, Visit


def _visit_days(start: date | None, end: date | None) -> tuple[date, date] | None:
    """The period as local days; an open start or end reaches the first or
    last visit (and at least today), so "all time" splits like any period.
    None when there are no visits at all."""
    if start is None or end is None:
        bounds = Visit.objects.aggregate(first=Min("arrived_at"), last=Max("arrived_at"))
        if bounds["first"] is None:
            return None
        start = start or local_day(bounds["first"])
        end = end or max(local_day(bounds["last"]), timezone.localdate())
    return start, end


def visits_per_channel(start: date | None = None, end: date | None = None) -> Counter:
    """Visits per channel id (visits without a channel under None) arrived
    between ``start`` and ``end`` (local days, both included; None: open)."""
    days = _visit_days(start, end)
    counts: Counter = Counter()
    if days is None or days[0] > days[1]:
        return counts
    parts = rollup.split(*days)
    rolled, raw = parts.rolled_q(), parts.raw_q()
    if rolled is not None:
        counts.update(dict(ChannelDayFigures.objects.filter(rolled).order_by()
                           .values("channel").annotate(n=Sum("visits"))
                           .values_list("channel", "n")))
    if raw is not None:
        counts.update(dict(Visit.objects.filter(raw).order_by()
                           .values("channel").annotate(n=Count("pk"))
                           .values_list("channel", "n")))
    return counts


def reach_per_channel(start: date | None = None, end: date | None = None) -> list[Channel]:
    """Each channel with the visits that came through it (``visit_count``)
    and its QR scans (``scan_count``), most visits first."""
    visits = visits_per_channel(start, end)
    scans = dict(QrScan.objects.filter(in_period("scanned_at", start, end)).order_by()
                 .values("poster__channel").annotate(n=Count("pk"))
                 .values_list("poster__channel", "n"))
    channels = list(Channel.objects.all())
    for channel in channels:
        channel.visit_count = visits.get(channel.pk, 0)
        channel.scan_count = scans.get(channel.pk, 0)
    return sorted(channels, key=lambda c: (-c.visit_count, c.order, c.name))

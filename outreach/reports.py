"""Read-only figures of outreach's own tables for the reach report
(``dashboard.reach``, which adds the visits per channel from the roll-up)
and the partner page: referrals per partner and month, scans per poster,
roadshows. Each function runs a fixed number of queries, whatever the data
size."""

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from outreach.models import (
    OPEN_STATUSES,
    Direction,
    Partner,
    Poster,
    Referral,
    ReferralStatus,
    Roadshow,
)


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(start, time.min), tz) if start else None
    until = timezone.make_aware(datetime.combine(end, time.max), tz) if end else None
    return begin, until


def in_period(field: str, start: date | None, end: date | None) -> Q:
    """``field`` (a time) within the local days ``start`` to ``end``, both
    included; None leaves that side open."""
    begin, until = _bounds(start, end)
    query = Q()
    if begin:
        query &= Q(**{f"{field}__gte": begin})
    if until:
        query &= Q(**{f"{field}__lte": until})
    return query


def referrals_per_partner_and_month(start: date | None = None, end: date | None = None):
    """Rows of partner name, month, referrals in, out, and how many of each
    were completed; newest month first."""
    return list(
        Referral.objects.filter(in_period("created_at", start, end))
        .annotate(month=TruncMonth("created_at"))
        .values("month", "partner__name", "partner__slug")
        .annotate(
            incoming=Count("pk", filter=Q(direction=Direction.IN)),
            outgoing=Count("pk", filter=Q(direction=Direction.OUT)),
            incoming_completed=Count("pk", filter=Q(
                direction=Direction.IN, status=ReferralStatus.COMPLETED)),
            outgoing_completed=Count("pk", filter=Q(
                direction=Direction.OUT, status=ReferralStatus.COMPLETED)),
        )
        .order_by("-month", "partner__name")
    )


def scans_per_poster(start: date | None = None, end: date | None = None):
    """Posters with their scans in the period, most scanned first."""
    return list(
        Poster.objects.select_related("point", "channel")
        .annotate(scan_count=Count("scans", filter=in_period("scans__scanned_at", start, end)))
        .filter(scan_count__gt=0)
        .order_by("-scan_count", "point__name")
    )


def scans_per_point_and_channel() -> dict[tuple[int, int], int]:
    rows = Poster.objects.values("point", "channel").annotate(n=Count("scans"))
    return {(row["point"], row["channel"]): row["n"] for row in rows}


def roadshow_rows(start: date | None = None, end: date | None = None):
    roadshows = Roadshow.objects.select_related("partner")
    if start:
        roadshows = roadshows.filter(held_on__gte=start)
    if end:
        roadshows = roadshows.filter(held_on__lte=end)
    return list(roadshows)


def partner_figures(partner: Partner) -> dict:
    """Counts of a partner's referrals by direction and whether completed."""
    return Referral.objects.filter(partner=partner).aggregate(
        incoming=Count("pk", filter=Q(direction=Direction.IN)),
        outgoing=Count("pk", filter=Q(direction=Direction.OUT)),
        completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )

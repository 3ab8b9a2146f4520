"""What points keeps on residents, for how long, and what erasure does
with it: the visits' notes and visitor keys. Read by the kernel's
retention engine through ``PointsConfig.data_protection``."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.days import start_of
from digibank.privacy import Handling
from digibank.retention import BLANK, KEEP, Rule


def _visits_with_notes(cutoff: date) -> QuerySet:
    from points.models import OPEN_STATUSES, Visit, VisitEvent

    start = start_of(cutoff)
    # The candidates come from two small partial indexes that hold only the
    # rows with a note, read up to the cutoff: a night with nothing to do
    # reads nothing, the first run reads each note once per batch. (An OR
    # over the visits table read every old visit, batch after batch.) A note
    # added to the history later goes the period after it was written.
    noted = Visit.objects.filter(arrived_at__lt=start).exclude(note="").order_by().values("pk")
    events = VisitEvent.objects.filter(at__lt=start).exclude(note="").order_by().values("visit")
    return (Visit.objects.exclude(status__in=OPEN_STATUSES)
            .filter(arrived_at__lt=start, pk__in=noted.union(events, all=True)).order_by())


def _visits_with_keys(cutoff: date) -> QuerySet:
    from points.models import OPEN_STATUSES, Visit

    return (Visit.objects.exclude(status__in=OPEN_STATUSES)
            .filter(arrived_at__lt=start_of(cutoff)).exclude(visitor_key="")
            .order_by("arrived_at"))


RULES = (
    Rule(
        "visit_notes", _("Notes on visits"), 12, BLANK, ends=_("after the visit"),
        why=_("A note helps when the visitor comes back soon. The visit itself is counted "
              "in the figures, so it stays without the note."),
        relations=("points.Visit.resident",),
        also_blank=(("points.VisitEvent", "visit", ("note",)),),
        due=_visits_with_notes, erasure="resident",
    ),
    Rule(
        "visitor_keys", _("Visitor keys"), 24, BLANK, ends=_("after the visit"),
        why=_("The pseudonymous key counts unique people per year for the funder. Once that "
              "year is reported, the visit counts as a visit, no longer as a person."),
        model="points.Visit", blank=("visitor_key",), due=_visits_with_keys,
    ),
)

ERASURE = {
    "points.Visit.resident": Handling(
        KEEP, _("Anonymous statistics of the service."), blank=("note",)),
}

KEPT_ON_ERASURE = {
    "points.Visit.visitor_key": "a pseudonymous key, no words: counts unique people for a year "
                                "the funder may still need; emptied by its own retention rule",
}


def erasure_blockers(resident) -> list:
    """An open visit: the resident is at a counter right now."""
    from django.urls import reverse
    from django.utils import timezone

    from digibank.services import Blocker
    from points.models import Visit

    visits = Visit.objects.open().filter(resident=resident).select_related("point")
    return [Blocker(
        kind="visit", url=reverse("residents:detail", args=[resident.pk]),
        what=_("A visit at %(point)s since %(time)s, still open") % {
            "point": visit.point, "time": f"{timezone.localtime(visit.arrived_at):%d/%m/%Y %H:%M}"},
        todo=_("Finish the visit at the counter, or mark that the visitor left."))
        for visit in visits]

"""The resident's visits, for their story on the resident page
(``digibank.story``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digibank.story import Entry, newest

VISIT = _("Visit")


def entries(resident, cut: list[str]) -> list[Entry]:
    visits = newest(resident.visits.select_related("point").prefetch_related("topics")
                    .order_by("-arrived_at", "-pk"), VISIT, cut)
    return [Entry(
        when=visit.arrived_at, kind=str(VISIT),
        text=", ".join(topic.name for topic in visit.topics.all()) or str(visit.point),
        status=visit.get_outcome_display() or visit.get_status_display(),
        detail=str(visit.point), url=reverse("counter:visit-correct", args=[visit.pk]),
        now=visit.is_open,
    ) for visit in visits]

"""The resident's visits, for their story on the resident page
(``digibank.story``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digibank.story import Entry, newest
from points.models import Visit

VISIT = _("Visit")


def entries(resident, cut: list[str], user) -> list[Entry]:
    visits = newest(resident.visits.select_related("point").prefetch_related("topics")
                    .order_by("-arrived_at", "-pk"), VISIT, cut)
    # Linked only where the visit's page lets the user in (get_visit_for_user).
    mine = set(Visit.objects.for_staff(user).filter(pk__in=[visit.pk for visit in visits])
               .values_list("pk", flat=True))
    return [Entry(
        when=visit.arrived_at, kind=str(VISIT),
        text=", ".join(topic.name for topic in visit.topics.all()) or str(visit.point),
        status=visit.get_outcome_display() or visit.get_status_display(),
        detail=str(visit.point),
        url=reverse("counter:visit-correct", args=[visit.pk]) if visit.pk in mine else "",
        now=visit.is_open,
    ) for visit in visits]

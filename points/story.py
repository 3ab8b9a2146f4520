"""The resident's visits, for their story on the resident page
(``digibank.story``)."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.story import Entry, newest
from points.models import Visit, cancellations_for

VISIT = gettext_lazy("Visit")
CANCELLED_VISIT = gettext_lazy("Cancelled visit")


def entries(resident, cut: list[str], user) -> list[Entry]:
    return _visits(resident, cut, user) + _cancelled(resident, cut, user)


def _visits(resident, cut: list[str], user) -> list[Entry]:
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


def _cancelled(resident, cut: list[str], user) -> list[Entry]:
    """Visits cancelled at the counter leave no row (they count nowhere); the
    audit trail keeps who cancelled which and why. Shown to those who could
    see the visit (``cancellations_for``), without a link."""
    events = newest(cancellations_for(user).filter(resident=resident).select_related("actor")
                    .order_by("-created_at", "-pk"), CANCELLED_VISIT, cut)
    found = []
    for event in events:
        detail = event.detail
        try:
            when = datetime.fromisoformat(detail["arrived_at"])
        except (KeyError, TypeError, ValueError):
            when = event.created_at
        who = (event.actor.get_full_name() or event.actor.username) if event.actor else ""
        found.append(Entry(
            when=when, kind=str(VISIT),
            text=", ".join(detail.get("topics") or []) or _("Visit"),
            status=_("Visit cancelled: %(reason)s") % {"reason": detail.get("reason", "")},
            detail=_("cancelled by %(who)s") % {"who": who} if who else ""))
    return found

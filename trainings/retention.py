"""What trainings keeps on residents (interest lists, guidance, enrolment
notes), for how long, and what erasure does with it. Read through
``TrainingsConfig.data_protection``."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.days import start_of
from digibank.privacy import Handling
from digibank.retention import BLANK, DELETE, KEEP, Rule


def _closed_interest_entries(cutoff: date) -> QuerySet:
    from trainings.models import InterestEntry

    return InterestEntry.objects.filter(closed_at__lt=start_of(cutoff))


def _closed_guidance(cutoff: date) -> QuerySet:
    from trainings.models import Guidance, GuidanceStatus

    return Guidance.objects.filter(status=GuidanceStatus.CLOSED, closed_on__lt=cutoff)


def _enrolment_history_notes(cutoff: date) -> QuerySet:
    from trainings.models import EnrolmentEvent, EnrolmentStatus

    return (EnrolmentEvent.objects.exclude(note="")
            .filter(enrolment__session__starts_at__lt=start_of(cutoff))
            .exclude(enrolment__status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)))


RULES = (
    Rule(
        "interest_entries", _("Closed interest list entries"), 12, DELETE,
        ends=_("after the entry was closed"),
        why=_("Only open entries count as demand for a training."),
        relations=("trainings.InterestEntry.resident",), due=_closed_interest_entries,
    ),
    Rule(
        "guidance", _("Guidance trajectories and their notes"), 24, DELETE,
        ends=_("after the trajectory was closed"),
        why=_("The coach's notes serve the guidance only; trajectories are not counted in "
              "the figures."),
        relations=("trainings.Guidance.resident",), due=_closed_guidance,
    ),
    Rule(
        "enrolment_notes", _("Notes in enrolment history"), 12, BLANK,
        ends=_("after the session, once the enrolment is no longer running"),
        why=_("A note (why someone cancelled …) helps around the session. The enrolment "
              "stays for the figures."),
        model="trainings.EnrolmentEvent", blank=("note",), due=_enrolment_history_notes,
        erasure="enrolment__resident",
    ),
    Rule(
        "enrolments", _("Enrolments"), None, KEEP, ends=_("kept"),
        why=_("Counted in the training figures. Their notes are emptied by the rule above; "
              "the resident they link to is anonymised by the first rule."),
        relations=("trainings.Enrolment.resident", "trainings.RunEnrolment.resident"),
    ),
)

ERASURE = {
    "trainings.Enrolment.resident": Handling(KEEP, _("Anonymous statistics of the trainings.")),
    "trainings.RunEnrolment.resident": Handling(KEEP, _("Anonymous statistics of the trainings.")),
    "trainings.InterestEntry.resident": Handling(DELETE),
    "trainings.Guidance.resident": Handling(DELETE),
}


def erasure_blockers(resident) -> list:
    """An enrolment or waiting-list place for a session to come."""
    from django.urls import reverse
    from django.utils import timezone

    from digibank.services import Blocker
    from trainings.models import Enrolment, EnrolmentStatus, SessionStatus

    enrolments = (Enrolment.objects.active().filter(
        resident=resident, session__status=SessionStatus.PLANNED,
        session__starts_at__gte=timezone.now()).select_related("session__course"))
    return [Blocker(
        kind="enrolment", url=reverse("trainings:session-detail", args=[e.session_id]),
        what=(_("On the waiting list for %(course)s on %(day)s")
              if e.status == EnrolmentStatus.WAITING else
              _("Enrolled in %(course)s on %(day)s")) % {
            "course": e.session.course.title,
            "day": f"{timezone.localtime(e.session.starts_at):%d/%m/%Y}"},
        todo=_("Cancel the enrolment on the session's page (the resident can enrol again "
               "later under a new record)."))
        for e in enrolments]

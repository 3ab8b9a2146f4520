"""Enrolments (with attendance) and guidance, for the resident's story
(``digibank.story``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.story import Entry, newest
from trainings.models import EnrolmentStatus, Guidance, GuidanceStatus, RunEnrolmentStatus

ENROLMENT = _("Training")
SERIES = _("Training series")
GUIDANCE = _("Guidance")


def entries(resident, cut: list[str], user) -> list[Entry]:
    now = timezone.now()
    found = []
    enrolments = newest(resident.enrolments.select_related(
        "session__course", "session__point", "session__venue").order_by(
        "-session__starts_at", "-pk"), ENROLMENT, cut)
    for enrolment in enrolments:
        session = enrolment.session
        found.append(Entry(
            when=session.starts_at, kind=str(ENROLMENT), text=str(session.course),
            status=enrolment.get_status_display(), detail=session.place_name,
            url=reverse("trainings:session-detail", args=[session.pk]),
            now=session.starts_at >= now and enrolment.status in (
                EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)))
    runs = newest(resident.run_enrolments.select_related("run__course")
                  .order_by("-created_at", "-pk"), SERIES, cut)
    for enrolment in runs:
        found.append(Entry(
            when=enrolment.created_at,
            kind=str(SERIES), text=str(enrolment.run.course),
            status=enrolment.get_status_display(),
            url=reverse("trainings:run-detail", args=[enrolment.run_id]),
            now=enrolment.status in (RunEnrolmentStatus.ENROLLED, RunEnrolmentStatus.WAITING)))
    guidances = newest(resident.guidances.select_related("coach")
                       .order_by("-opened_on", "-pk"), GUIDANCE, cut)
    # Linked only where its page lets the user in (get_guidance_for_user).
    mine = set(Guidance.objects.for_user(user).filter(pk__in=[g.pk for g in guidances])
               .values_list("pk", flat=True))
    for guidance in guidances:
        found.append(Entry(
            when=guidance.opened_on, kind=str(GUIDANCE), text=guidance.goal,
            status=guidance.get_outcome_display() or guidance.get_status_display(),
            detail=guidance.coach.get_full_name() or guidance.coach.username,
            url=reverse("trainings:guidance-detail", args=[guidance.pk])
            if guidance.pk in mine else "",
            now=guidance.status == GuidanceStatus.OPEN))
    return found

"""Staff screens: sessions and enrolments, the counter's quick enrolment,
courses, interest lists, figures and guidance trajectories."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from digibank.access import role_required
from digibank.models import AuditAction, Resident
from digibank.services import record_audit
from points.models import Point, Visit
from points.workspace import current_point
from trainings import services
from trainings.forms import (
    CancelSessionForm,
    CloseGuidanceForm,
    CourseForm,
    EnrolForm,
    GuidanceForm,
    InterestForm,
    MeetingForm,
    ResidentPickForm,
    SessionFilterForm,
    SessionForm,
)
from trainings.models import (
    Course,
    Enrolment,
    EnrolmentChannel,
    EnrolmentStatus,
    Guidance,
    InterestEntry,
    Session,
    SessionStatus,
)
from trainings.services import TrainingError

STAFF_ROLES = ("host", "coach", "coordinator")
PLANNER_ROLES = ("coach", "coordinator")


# --- Scoping helpers -----------------------------------------------------


def get_session_to_manage(user, pk: int) -> Session:
    """A session the user may change: a coordinator any, a coach their own."""
    session = get_object_or_404(Session.objects.with_place(), pk=pk)
    if not session.can_be_managed_by(user):
        raise PermissionDenied
    return session


def get_guidance_for_user(user, pk: int) -> Guidance:
    """A coach sees their own trajectories (404 for others'), a coordinator all."""
    try:
        return Guidance.objects.for_user(user).select_related(
            "resident", "coach", "referred_to").get(pk=pk)
    except Guidance.DoesNotExist:
        raise Http404 from None


def _visit_for_user(user, pk: str) -> Visit | None:
    if not pk.isdigit():
        return None
    return (Visit.objects.filter(point__in=Point.objects.for_staff(user))
            .prefetch_related("topics").filter(pk=int(pk)).first())


def _safe_back(request) -> str:
    back = request.GET.get("terug", "")
    return back if url_has_allowed_host_and_scheme(back, {request.get_host()}) else ""


# --- Sessions ------------------------------------------------------------


@role_required(*STAFF_ROLES)
def session_list(request):
    form = SessionFilterForm(request.GET)
    past = request.GET.get("verleden") == "1"
    mine = request.GET.get("mijn") == "1"
    sessions = Session.objects.with_place().with_counts()
    if mine:
        sessions = sessions.filter(trainer=request.user)
    now = timezone.now()
    if past:
        sessions = sessions.filter(starts_at__lt=now).order_by("-starts_at")
    else:
        sessions = sessions.filter(starts_at__gte=now - timedelta(hours=4)).order_by(
            "starts_at", "pk")
    if form.is_valid():
        if form.cleaned_data["point"]:
            sessions = sessions.at_point(form.cleaned_data["point"])
        if form.cleaned_data["topic"]:
            sessions = sessions.filter(course__topics=form.cleaned_data["topic"])
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "trainings/session_list.html", {
        "form": form, "page": page, "past": past, "mine": mine,
        "can_plan": request.user.has_role(*PLANNER_ROLES),
    })


@role_required(*PLANNER_ROLES)
def session_create(request):
    form = SessionForm(request.POST or None, user=request.user,
                       initial={"course": request.GET.get("cursus")})
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        fields.setdefault("trainer", request.user)
        sessions = services.plan_session(actor=request.user, weeks=form.cleaned_data["weeks"],
                                         **fields)
        messages.success(request, ngettext("%(count)s session planned.",
                                           "%(count)s sessions planned.", len(sessions))
                         % {"count": len(sessions)})
        return redirect("trainings:session-detail", pk=sessions[0].pk)
    return render(request, "trainings/session_form.html", {"form": form, "session": None})


@role_required(*PLANNER_ROLES)
def session_edit(request, pk: int):
    session = get_session_to_manage(request.user, pk)
    form = SessionForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(actor=request.user, session=session,
                                    **form.session_fields())
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("trainings:session-detail", pk=session.pk)
    return render(request, "trainings/session_form.html", {"form": form, "session": session})


@role_required(*PLANNER_ROLES)
def session_cancel(request, pk: int):
    session = get_session_to_manage(request.user, pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_session(actor=request.user, session=session,
                                           reason=form.cleaned_data["reason"])
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Session cancelled. %(count)s people are told by "
                                        "e-mail or on the call list.") % {"count": told})
            return redirect("trainings:session-detail", pk=session.pk)
    return render(request, "trainings/session_cancel.html", {"form": form, "session": session})


def _session_context(request, session: Session) -> dict:
    enrolments = list(session.enrolments.exclude(status=EnrolmentStatus.CANCELLED)
                      .select_related("resident", "enrolled_by")
                      .order_by("status", "waiting_since", "resident__last_name"))
    seated = [e for e in enrolments if e.status != EnrolmentStatus.WAITING]
    waiting = sorted((e for e in enrolments if e.status == EnrolmentStatus.WAITING),
                     key=lambda e: (e.waiting_since, e.pk))
    seated.sort(key=lambda e: (e.resident.last_name, e.resident.first_name))
    return {
        "session": session, "seated": seated, "waiting": waiting,
        "free": max(0, session.capacity - len(seated)),
        "can_manage": session.can_be_managed_by(request.user),
        "can_take_attendance": request.user.has_role(*PLANNER_ROLES)
        and session.status != SessionStatus.CANCELLED
        and timezone.localdate(session.starts_at) <= timezone.localdate(),
    }


@role_required(*STAFF_ROLES)
def session_detail(request, pk: int):
    session = get_object_or_404(Session.objects.with_place(), pk=pk)
    record_audit(actor=request.user, action=AuditAction.VIEW, target=session,
                 summary=_("Participant list viewed: %(session)s") % {"session": session})
    return render(request, "trainings/session_detail.html", _session_context(request, session))


@role_required(*STAFF_ROLES)
def attendance_sheet(request, pk: int):
    session = get_object_or_404(Session.objects.with_place(), pk=pk)
    context = _session_context(request, session)
    record_audit(actor=request.user, action=AuditAction.EXPORT, target=session,
                 summary=_("Attendance sheet printed: %(session)s") % {"session": session})
    return render(request, "trainings/attendance_sheet.html", context)


@require_POST
@role_required(*PLANNER_ROLES)
def mark_attendance(request, pk: int):
    enrolment = get_object_or_404(Enrolment.objects.select_related("resident"), pk=pk)
    attended = request.POST.get("attended") == "1"
    error = ""
    try:
        enrolment = services.mark_attendance(actor=request.user, enrolment=enrolment,
                                             attended=attended)
    except TrainingError as exc:
        error = str(exc)
    if request.htmx:
        return render(request, "trainings/session_detail.html#attendance-row", {
            "enrolment": enrolment, "can_take_attendance": True, "error": error})
    if error:
        messages.error(request, error)
    return redirect("trainings:session-detail", pk=enrolment.session_id)


@require_POST
@role_required(*STAFF_ROLES)
def enrolment_cancel(request, pk: int):
    enrolment = get_object_or_404(Enrolment.objects.select_related("session", "resident"),
                                  pk=pk)
    try:
        services.cancel_enrolment(actor=request.user, enrolment=enrolment,
                                  note=request.POST.get("note", ""))
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The enrolment of %(name)s is cancelled.")
                         % {"name": enrolment.resident})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("trainings:session-detail", pk=enrolment.session_id)


# --- The counter's quick enrolment ----------------------------------------


def _quick_enrol_sessions(resident: Resident | None, topics, chosen: str, point: Point | None):
    """Upcoming sessions, the ones for the visit's topics (or the chosen
    session) first, then the others with this point's own sessions first."""
    upcoming = list(Session.objects.planned().upcoming().with_place().with_counts()
                    .prefetch_related("course__topics").order_by("starts_at", "pk")[:60])
    topic_ids = {topic.pk for topic in topics}
    suggested = [s for s in upcoming if str(s.pk) == chosen
                 or topic_ids & {t.pk for t in s.course.topics.all()}]
    others = sorted((s for s in upcoming if s not in suggested),
                    key=lambda s: (point is None or s.point_id != point.pk, s.starts_at))
    return suggested, others


@role_required(*STAFF_ROLES)
def quick_enrol(request):
    pick = ResidentPickForm(request.GET)
    pick.is_valid()
    resident = pick.cleaned_data.get("inwoner") if not pick.errors else None
    visit = _visit_for_user(request.user, request.GET.get("bezoek", ""))
    if resident is None and visit is not None and visit.resident_id:
        resident = visit.resident
    query = (pick.cleaned_data.get("q") or "").strip()
    found = Resident.objects.search(query)[:10] if resident is None and len(query) >= 2 else []
    if request.method == "POST" and resident is not None:
        return _quick_enrol_post(request, resident)
    topics = list(visit.topics.all()) if visit else []
    suggested, others = _quick_enrol_sessions(
        resident, topics, request.GET.get("sessie", ""), current_point(request))
    current = []
    if resident is not None:
        current = list(resident.enrolments.active().filter(
            session__starts_at__gte=timezone.now(), session__status=SessionStatus.PLANNED,
        ).select_related("session__course", "session__point", "session__venue")
            .order_by("session__starts_at"))
    template = "trainings/quick_enrol.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, {
        "pick": pick, "resident": resident, "visit": visit, "topics": topics, "query": query,
        "found": found, "suggested": suggested, "others": others, "current": current,
        "taken": {enrolment.session_id for enrolment in current},
        "interest_form": InterestForm(initial={"point": current_point(request)}),
        "back": _safe_back(request), "keep": request.GET.urlencode(),
    })


def _quick_enrol_post(request, resident: Resident):
    here = f"{reverse('trainings:quick-enrol')}?{request.GET.urlencode()}"
    if request.POST.get("action") == "interest":
        form = InterestForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a training or a topic."))
            return redirect(here)
        action = lambda: services.register_interest(  # noqa: E731
            actor=request.user, resident=resident, **form.cleaned_data)
    else:
        form = EnrolForm({"resident": resident.pk, "session": request.POST.get("session")})
        if not form.is_valid():
            messages.error(request, _("Choose a session."))
            return redirect(here)
        action = lambda: services.enrol(  # noqa: E731
            actor=request.user, session=form.cleaned_data["session"], resident=resident,
            channel=_channel_for(request.user), point=current_point(request))
    try:
        result = action()
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _quick_enrol_message(resident, result))
    return redirect(here)


def _channel_for(user) -> str:
    # Hosts enrol at the counter; a coach (who is not also a host) enrols
    # their own participants.
    if user.has_role("coach") and not user.has_role("host"):
        return EnrolmentChannel.COACH
    return EnrolmentChannel.COUNTER


def _quick_enrol_message(resident: Resident, result) -> str:
    if isinstance(result, InterestEntry):
        return _("%(name)s is on the interest list for %(course)s.") % {
            "name": resident, "course": result.course or result.topic}
    if result.status == EnrolmentStatus.WAITING:
        return _("The session is full: %(name)s is on the waiting list of %(session)s.") % {
            "name": resident, "session": result.session}
    return _("%(name)s is enrolled in %(session)s.") % {
        "name": resident, "session": result.session}


# --- Courses, interest lists and figures ----------------------------------


@role_required(*PLANNER_ROLES)
def course_list(request):
    courses = (Course.objects.select_related("provider").prefetch_related("topics")
               .annotate(open_interest=Count("interests",
                                             filter=Q(interests__closed_at__isnull=True)))
               .order_by("title"))
    return render(request, "trainings/course_list.html", {"courses": courses})


@role_required(*PLANNER_ROLES)
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Training saved."))
        return redirect("trainings:courses")
    return render(request, "trainings/course_form.html", {"form": form, "course": course})


@role_required(*PLANNER_ROLES)
def interest_list(request):
    entries = (InterestEntry.objects.open()
               .select_related("resident", "course", "topic", "point", "registered_by")
               .order_by("course__title", "created_at"))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "trainings/interest_list.html", {"page": page})


@role_required("coordinator")
def figures(request):
    since = timezone.now() - timedelta(days=90)
    seated = Q(sessions__enrolments__status__in=("enrolled", "attended", "no_show"))
    courses = Course.objects.annotate(
        upcoming=Count("sessions", distinct=True, filter=Q(
            sessions__status=SessionStatus.PLANNED, sessions__starts_at__gte=timezone.now())),
        held=Count("sessions", distinct=True, filter=Q(
            sessions__status=SessionStatus.HELD, sessions__starts_at__gte=since)),
        attended=Count("sessions__enrolments", filter=Q(
            sessions__enrolments__status="attended", sessions__starts_at__gte=since)),
        no_show=Count("sessions__enrolments", filter=Q(
            sessions__enrolments__status="no_show", sessions__starts_at__gte=since)),
        enrolled_upcoming=Count("sessions__enrolments", filter=seated & Q(
            sessions__status=SessionStatus.PLANNED, sessions__starts_at__gte=timezone.now())),
        waiting=Count("sessions__enrolments", filter=Q(
            sessions__enrolments__status="waiting", sessions__starts_at__gte=timezone.now())),
    ).order_by("title")
    places = dict(Session.objects.planned().upcoming().values_list("course")
                  .annotate(total=Sum("capacity")).values_list("course", "total"))
    interest = dict(InterestEntry.objects.open().filter(course__isnull=False)
                    .values_list("course").annotate(n=Count("pk")).values_list("course", "n"))
    rows = [(course, places.get(course.pk, 0), interest.get(course.pk, 0)) for course in courses]
    # Demand nobody has a training for yet: open interest by topic only.
    topics = (InterestEntry.objects.open().filter(course__isnull=True)
              .values("topic__name").annotate(n=Count("pk")).order_by("-n", "topic__name"))
    return render(request, "trainings/figures.html", {"rows": rows, "topics": topics})


# --- Guidance ------------------------------------------------------------


@role_required(*PLANNER_ROLES)
def guidance_list(request):
    status = request.GET.get("status", "open")
    guidances = Guidance.objects.for_user(request.user).select_related("resident", "coach")
    if status in ("open", "closed"):
        guidances = guidances.filter(status=status)
    guidances = guidances.annotate(meeting_count=Count("meetings")).order_by(
        "-opened_on", "-pk")
    page = Paginator(guidances, 50).get_page(request.GET.get("page"))
    return render(request, "trainings/guidance_list.html", {"page": page, "status": status})


@role_required(*PLANNER_ROLES)
def guidance_create(request):
    pick = ResidentPickForm(request.GET)
    pick.is_valid()
    resident = pick.cleaned_data.get("inwoner") if not pick.errors else None
    query = (pick.cleaned_data.get("q") or "").strip()
    found = Resident.objects.search(query)[:10] if resident is None and len(query) >= 2 else []
    form = GuidanceForm(request.POST or None, user=request.user)
    if request.method == "POST" and resident is not None and form.is_valid():
        try:
            guidance = services.open_guidance(
                actor=request.user, resident=resident, goal=form.cleaned_data["goal"],
                coach=form.cleaned_data.get("coach") or request.user)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Guidance trajectory started."))
            return redirect("trainings:guidance-detail", pk=guidance.pk)
    return render(request, "trainings/guidance_form.html", {
        "form": form, "pick": pick, "resident": resident, "found": found, "query": query})


@role_required(*PLANNER_ROLES)
def guidance_detail(request, pk: int):
    guidance = get_guidance_for_user(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_guidance_meeting(actor=request.user, guidance=guidance,
                                          **form.cleaned_data)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("trainings:guidance-detail", pk=guidance.pk)
    record_audit(actor=request.user, action=AuditAction.VIEW, resident=guidance.resident,
                 target=guidance, summary=_("Guidance trajectory viewed"))
    return _guidance_page(request, guidance, form=form, close_form=CloseGuidanceForm())


def _guidance_page(request, guidance: Guidance, *, form: MeetingForm,
                   close_form: CloseGuidanceForm, status: int = 200):
    """The trajectory page, with the meeting form and the close form (either
    one bound and showing its errors)."""
    return render(request, "trainings/guidance_detail.html", {
        "guidance": guidance, "form": form, "close_form": close_form,
        "meetings": guidance.meetings.select_related("coach"),
        "events": guidance.events.select_related("actor"),
    }, status=status)


@require_POST
@role_required(*PLANNER_ROLES)
def guidance_close(request, pk: int):
    guidance = get_guidance_for_user(request.user, pk)
    form = CloseGuidanceForm(request.POST)
    if form.is_valid():
        try:
            services.close_guidance(actor=request.user, guidance=guidance, **form.cleaned_data)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Trajectory closed."))
            return redirect("trainings:guidance-detail", pk=guidance.pk)
    return _guidance_page(request, guidance, form=MeetingForm(), close_form=form, status=400)


@require_POST
@role_required(*PLANNER_ROLES)
def guidance_reopen(request, pk: int):
    guidance = get_guidance_for_user(request.user, pk)
    try:
        services.reopen_guidance(actor=request.user, guidance=guidance)
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Trajectory reopened."))
    return redirect("trainings:guidance-detail", pk=guidance.pk)


def quick_enrol_url(*, resident: Resident | None = None, visit: Visit | None = None,
                    back: str = "") -> str:
    """The URL the counter links to for its "training proposed" outcome."""
    params = {}
    if resident is not None:
        params["inwoner"] = resident.pk
    if visit is not None:
        params["bezoek"] = visit.pk
    if back:
        params["terug"] = back
    return f"{reverse('trainings:quick-enrol')}?{urlencode(params)}"

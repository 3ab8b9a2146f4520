"""Staff screens: sessions and enrolments, courses, interest lists, figures
and guidance trajectories. (The counter's quick enrolment is in counter/.)"""

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from digibank.access import role_required, safe_next
from digibank.models import DATA_LANGUAGE, AuditAction, CallTask, Resident
from digibank.services import CallError, record_audit
from digibank.templatetags.data_language import dutch
from points.calls import get_call_task_for_user
from trainings import services
from trainings.forms import (
    CancelSessionForm,
    CloseGuidanceForm,
    CourseForm,
    GuidanceForm,
    MeetingForm,
    ResidentPickForm,
    SessionFilterForm,
    SessionForm,
    WalkInForm,
)
from trainings.models import (
    Course,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Guidance,
    GuidanceMeeting,
    GuidanceMeetingEdit,
    InterestEntry,
    RunEnrolment,
    RunEnrolmentStatus,
    Session,
    SessionStatus,
    may_handle_participants,
    may_see_participants,
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


# --- Sessions ------------------------------------------------------------


@role_required(*STAFF_ROLES)
def session_list(request):
    form = SessionFilterForm(request.GET)
    past = request.GET.get("verleden") == "1"
    mine = request.GET.get("mijn") == "1"
    sessions = Session.objects.with_place().with_counts().with_run_position()
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
        try:
            sessions = services.plan_session(
                actor=request.user, weeks=form.cleaned_data["weeks"], **fields)
        except TrainingError as exc:
            form.add_error(SessionForm.ERROR_FIELDS.get(exc.field), str(exc))
        else:
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
            form.add_error(SessionForm.ERROR_FIELDS.get(exc.field), str(exc))
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
                      .select_related("resident", "enrolled_by", "point")
                      .order_by("status", "waiting_since", "resident__last_name"))
    seated = [e for e in enrolments if e.status != EnrolmentStatus.WAITING]
    waiting = session.waiting_list()
    first = (Session.objects.filter(run_id=session.run_id).order_by("starts_at", "pk").first()
             if session.run_id else session)
    seated.sort(key=lambda e: (e.resident.last_name, e.resident.first_name))
    return {
        "session": session, "seated": seated, "waiting": waiting,
        "may_see_participants": may_see_participants(request.user, session),
        "free": max(0, session.capacity - len(seated)),
        "can_manage": session.can_be_managed_by(request.user),
        "can_take_attendance": session.can_take_attendance(request.user)
        and session.status != SessionStatus.CANCELLED
        and session.starts_at <= timezone.now(),
        "cancellable": {e.pk for e in enrolments if e.can_be_cancelled_by(request.user)},
        "cancellable_runs": {e.pk for e in waiting if isinstance(e, RunEnrolment)
                             and may_handle_participants(request.user, first, cancelling=True,
                                                         enrolment=e)},
        "run_waiting": sum(isinstance(e, RunEnrolment) for e in waiting),
        "started": session.starts_at <= timezone.now(),
        "told": (session.told_of_cancellation()
                 if session.status == SessionStatus.CANCELLED else []),
    }


def _walk_in_context(request, session: Session, form: WalkInForm | None = None) -> dict:
    """The walk-in panel: open from the start until two hours after the
    end, for whoever takes attendance; a search by ``?binnenloper=``."""
    if not (session.walk_ins_open() and session.can_take_attendance(request.user)):
        return {"walk_ins_open": False}
    query = request.GET.get("binnenloper", "").strip()[:80]
    found, already = [], []
    if len(query) >= 2:
        present = set(session.enrolments.filter(status=EnrolmentStatus.ATTENDED)
                      .values_list("resident", flat=True))
        # Who is already marked present is named as such, not "nobody found".
        for person in Resident.objects.search(query)[:8 + len(present)]:
            (already if person.pk in present else found).append(person)
        found = found[:8]
    return {"walk_ins_open": True, "walk_in_query": query, "walk_in_found": found,
            "walk_in_present": already, "walk_in_form": form or WalkInForm()}


@role_required(*STAFF_ROLES)
def session_detail(request, pk: int):
    session = get_object_or_404(Session.objects.with_place().with_run_position(), pk=pk)
    if request.htmx and "binnenloper" in request.GET:
        free = session.capacity - session.enrolments.seated().count()
        return render(request, "trainings/session_detail.html#walk-in",
                      {"session": session, "free": max(0, free),
                       **_walk_in_context(request, session)})
    if may_see_participants(request.user, session):
        with translation.override(DATA_LANGUAGE):  # it names the course (see record_audit)
            record_audit(actor=request.user, action=AuditAction.VIEW, target=session,
                         summary=_("Participant list viewed: %(session)s") % {"session": session})
    return render(request, "trainings/session_detail.html", {
        **_session_context(request, session), **_walk_in_context(request, session)})


@require_POST
@role_required(*PLANNER_ROLES)
def walk_in(request, pk: int):
    """Add someone who is there as present (a walk-in): two actions, a
    search or a name, then this."""
    session = get_object_or_404(Session.objects.with_place().with_run_position(), pk=pk)
    if not session.can_take_attendance(request.user):
        raise PermissionDenied
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.add_walk_in(
                actor=request.user, session=session, resident=form.cleaned_data["resident"],
                new_resident=form.new_resident(),
                over_capacity=form.cleaned_data["over_capacity"])
        except TrainingError as exc:
            form.add_error(None, str(exc))
            form.session_full = isinstance(exc, services.SessionFull)
        else:
            messages.success(request, _("%(name)s is present (walk-in).")
                             % {"name": enrolment.resident})
            return redirect(reverse("trainings:session-detail", args=[session.pk])
                            + "#participants")
    return render(request, "trainings/session_detail.html", {
        **_session_context(request, session), **_walk_in_context(request, session, form)},
        status=400)


# Blank rows on the attendance sheet for walk-ins: at least this many, more
# for free places while the sheet keeps to one A4 page (about SHEET_ROWS rows).
WALK_IN_ROWS = 3
SHEET_ROWS = 28


@role_required(*STAFF_ROLES)
def attendance_sheet(request, pk: int):
    session = get_object_or_404(Session.objects.with_place().with_run_position(), pk=pk)
    if not may_see_participants(request.user, session):
        raise PermissionDenied
    context = _session_context(request, session)
    context["blank_rows"] = range(max(WALK_IN_ROWS, min(context["free"],
                                                      SHEET_ROWS - len(context["seated"]))))
    context["run_dates"] = (list(Session.objects.filter(run_id=session.run_id)
                                 .order_by("starts_at", "pk").only("starts_at"))
                            if session.run_id else [])
    with translation.override(DATA_LANGUAGE):  # it names the course (see record_audit)
        record_audit(actor=request.user, action=AuditAction.EXPORT, target=session,
                     summary=_("Attendance sheet printed: %(session)s") % {"session": session})
    return render(request, "trainings/attendance_sheet.html", context)


def get_enrolment_to_handle(user, pk: int, *, cancelling: bool = False) -> Enrolment:
    """An enrolment whose attendance (or, ``cancelling``, whose place) the
    user may change: 403 otherwise (``may_handle_participants``)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("resident", "session__course"), pk=pk)
    allowed = (enrolment.can_be_cancelled_by(user) if cancelling
               else enrolment.session.can_take_attendance(user))
    if not allowed:
        raise PermissionDenied
    return enrolment


@require_POST
@role_required(*PLANNER_ROLES)
def mark_attendance(request, pk: int):
    enrolment = get_enrolment_to_handle(request.user, pk)
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
    enrolment = get_enrolment_to_handle(request.user, pk, cancelling=True)
    try:
        promoted = services.cancel_enrolment(actor=request.user, enrolment=enrolment,
                                             note=request.POST.get("note", ""))
    except services.AlreadyCancelled as exc:
        messages.info(request, str(exc))
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, cancelled_message(enrolment.resident, promoted))
    return redirect(safe_next(request, reverse("trainings:session-detail",
                                               args=[enrolment.session_id])))


# --- Series ----------------------------------------------------------------


@role_required(*STAFF_ROLES)
def run_detail(request, pk: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=pk)
    sessions = list(run.sessions.with_place().with_counts().order_by("starts_at", "pk"))
    if not sessions:
        raise Http404
    enrolments = list(run.enrolments.active().select_related("resident", "point")
                      .order_by("resident__last_name", "resident__first_name", "pk"))
    enrolled = [e for e in enrolments if e.status == RunEnrolmentStatus.ENROLLED]
    waiting = run.waiting_list()
    # Attendance per participant and session, in one query.
    seats = {(seat.run_enrolment_id, seat.session_id): seat.status
             for seat in Enrolment.objects.filter(run_enrolment__in=[e.pk for e in enrolled])
             .only("run_enrolment_id", "session_id", "status")}
    rows = [(e, [seats.get((e.pk, s.pk), "") for s in sessions]) for e in enrolled]
    upcoming = [s for s in sessions if s.status == SessionStatus.PLANNED
                and s.starts_at > timezone.now()]
    free = min((s.free_places for s in upcoming), default=0)
    shown = may_see_participants(request.user, sessions[0])
    if shown:
        with translation.override(DATA_LANGUAGE):
            record_audit(actor=request.user, action=AuditAction.VIEW, target=run,
                         summary=_("Participant list viewed: %(run)s") % {"run": run})
    return render(request, "trainings/run_detail.html", {
        "run": run, "sessions": sessions, "rows": rows, "waiting": waiting, "free": free,
        # Each cell with its session, so it can name its date on a phone.
        "grid": [(e, list(zip(sessions, marks, strict=True))) for e, marks in rows],
        "next_session": upcoming[0] if upcoming else None,
        "cancellable": {e.pk for e in enrolments
                        if may_handle_participants(request.user, sessions[0], cancelling=True,
                                                   enrolment=e)},
        "can_plan": sessions[0].can_be_managed_by(request.user),
        "may_see_participants": shown,
    })


@require_POST
@role_required(*STAFF_ROLES)
def run_enrolment_cancel(request, pk: int):
    run_enrolment = get_object_or_404(RunEnrolment.objects.select_related("resident", "run"),
                                      pk=pk)
    first = run_enrolment.run.sessions.order_by("starts_at", "pk").first()
    if first is None or not may_handle_participants(request.user, first, cancelling=True,
                                                    enrolment=run_enrolment):
        raise PermissionDenied
    try:
        promoted = services.cancel_run_enrolment(actor=request.user, run_enrolment=run_enrolment,
                                                 note=request.POST.get("note", ""))
    except services.AlreadyCancelled as exc:
        messages.info(request, str(exc))
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, cancelled_message(run_enrolment.resident, promoted))
    return redirect(safe_next(request, reverse("trainings:run-detail",
                                               args=[run_enrolment.run_id])))


def cancelled_message(resident, promoted: list) -> str:
    """The success message of a cancellation: who got the place, if anyone."""
    text = _("The enrolment of %(name)s is cancelled.") % {"name": resident}
    names = sorted({str(e.resident) for e in promoted})
    if names:
        text += " " + ngettext("%(names)s got the place and is told.",
                               "%(names)s got a place and are told.", len(names)) % {
            "names": ", ".join(names)}
    return text


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


def interest_call_actions(tasks) -> dict[int, tuple[str, str]]:
    """The call list's one click for "a place for you" calls: enrol in the
    place told about (while the interest is open)."""
    entries = {entry.pk: entry for entry in InterestEntry.objects.open().filter(
        pk__in=[task.source_id for task in tasks], offered_session__isnull=False,
    ).select_related("offered_session__course")}
    actions = {}
    for task in tasks:
        entry = entries.get(task.source_id)
        if entry is not None:
            session = entry.offered_session
            # The course's title is Dutch data inside an interface sentence.
            actions[task.pk] = (
                mark_safe(conditional_escape(_("Enrol in %(course)s (%(day)s)")) % {
                    "course": dutch(session.course),
                    "day": f"{timezone.localtime(session.starts_at):%d/%m}"}),
                reverse("trainings:interest-call-enrol", args=[task.pk]))
    return actions


@require_POST
@role_required(*STAFF_ROLES)
def interest_call_enrol(request, pk: int):
    get_object_or_404(CallTask, pk=pk)
    try:
        task = get_call_task_for_user(request.user, pk)
    except Http404:
        raise PermissionDenied from None  # another point's call list
    try:
        result = services.enrol_from_interest_call(actor=request.user, task=task)
    except (TrainingError, CallError) as exc:
        messages.error(request, str(exc))
    else:
        waiting = result.status == EnrolmentStatus.WAITING
        messages.success(request, (_("%(name)s is on the waiting list: the place was taken "
                                     "meanwhile.") if waiting
                                   else _("%(name)s is enrolled.")) % {"name": task.resident})
    return redirect(safe_next(request, reverse("call-list")))


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
    places, free = Counter(), Counter()
    for session in Session.objects.planned().upcoming().with_counts().only("course", "capacity"):
        places[session.course_id] += session.capacity
        free[session.course_id] += session.free_places
    interest = dict(InterestEntry.objects.open().filter(course__isnull=False)
                    .values_list("course").annotate(n=Count("pk")).values_list("course", "n"))
    told = dict(InterestEntry.objects.open().filter(course__isnull=False, told_at__isnull=False)
                .values_list("course").annotate(n=Count("pk")).values_list("course", "n"))
    # A series' waiting list is one list (not a place per session): the
    # same one the series page shows.
    run_waiting = RunEnrolment.objects.waiting_per_course()
    courses = list(courses)
    for course in courses:
        course.waiting += run_waiting.get(course.pk, 0)
    rows = [(course, places[course.pk], free[course.pk], interest.get(course.pk, 0),
             told.get(course.pk, 0)) for course in courses]
    # Interest in a topic, without a training chosen: with the free places
    # in the trainings about that topic (none: a training is missing).
    topic_free = Counter()
    for course_id, topic_id in Course.topics.through.objects.values_list("course",
                                                                          "questiontopic"):
        topic_free[topic_id] += free[course_id]
    topics = [{**row, "free": topic_free[row["topic"]]} for row in (
        InterestEntry.objects.open().filter(course__isnull=True).values("topic", "topic__name")
        .annotate(n=Count("pk"), told=Count("pk", filter=Q(told_at__isnull=False)))
        .order_by("-n", "topic__name"))]
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
    # A second open trajectory is allowed (another goal, another coach), but
    # said before it is started.
    already = list(resident.guidances.open().select_related("coach")) if resident else []
    if request.method == "POST" and resident is not None and form.is_valid():
        try:
            guidance = services.open_guidance(
                actor=request.user, resident=resident, goal=form.cleaned_data["goal"],
                coach=form.cleaned_data.get("coach") or request.user)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Guidance trajectory started."))
            if already:
                messages.warning(request, ngettext(
                    "%(name)s now has %(count)s open trajectories.",
                    "%(name)s now has %(count)s open trajectories.", len(already) + 1)
                    % {"name": resident, "count": len(already) + 1})
            return redirect("trainings:guidance-detail", pk=guidance.pk)
    return render(request, "trainings/guidance_form.html", {
        "form": form, "pick": pick, "resident": resident, "found": found, "query": query,
        "already": already})


@role_required(*PLANNER_ROLES)
def guidance_detail(request, pk: int):
    guidance = get_guidance_for_user(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_guidance_meeting(actor=request.user, guidance=guidance,
                                          **form.cleaned_data)
        except TrainingError as exc:
            form.add_error(exc.field or None, str(exc))
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
        "meetings": guidance.meetings.select_related("coach").prefetch_related(
            Prefetch("edits", queryset=GuidanceMeetingEdit.objects.select_related("actor")
                     .order_by("-at", "-pk"))),
        "events": guidance.events.select_related("actor"),
    }, status=status)


@role_required(*PLANNER_ROLES)
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(GuidanceMeeting, pk=pk)
    guidance = get_guidance_for_user(request.user, meeting.guidance_id)
    form = MeetingForm(request.POST or None,
                       initial={"held_on": meeting.held_on, "note": meeting.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_guidance_meeting(actor=request.user, meeting=meeting,
                                           **form.cleaned_data)
        except TrainingError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(request, _("Meeting corrected. The earlier version stays in its "
                                        "history."))
            return redirect(reverse("trainings:guidance-detail", args=[guidance.pk])
                            + f"#meeting-{meeting.pk}")
    return render(request, "trainings/meeting_form.html",
                  {"form": form, "meeting": meeting, "guidance": guidance},
                  status=400 if form.errors else 200)


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

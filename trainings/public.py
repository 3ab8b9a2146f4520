"""Public pages for residents (no login): upcoming trainings, one session,
the short enrolment form and iCal feeds."""

from datetime import UTC, timedelta

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from digibank.cache import MISSING, cache_get, cache_incr, cache_set
from outreach.models import Partner
from points.models import Point
from trainings.forms import PublicEnrolmentForm, SessionFilterForm
from trainings.models import (
    Enrolment,
    RunEnrolment,
    Session,
    SessionStatus,
    attach_stops,
)
from trainings.services import (
    TrainingError,
    contact_phone,
    enrol_from_public_form,
    feeds_version,
)

# The public form, per address: a shared library PC or a daughter enrolling
# both parents sends several real enrolments, so valid distinct enrolments
# have a generous ceiling per hour; repeated invalid or refused posts (a
# script guessing, a flood) are held to a strict one.
ENROL_RATE_LIMIT = 20
ENROL_RATE_WINDOW = timedelta(hours=1)
FAILED_RATE_LIMIT = 5
FAILED_RATE_WINDOW = timedelta(minutes=15)
ICAL_DAYS_AHEAD = 120
# Calendar apps poll feeds; building one costs far more than serving it, and
# a few minutes' delay is fine for a calendar subscription.
ICAL_CACHE_SECONDS = 300


def _public_sessions():
    return (Session.objects.planned().upcoming().with_place().with_counts()
            .with_run_free_places().with_run_position().order_by("starts_at", "pk"))


def _get_public_session(pk: int) -> Session:
    session = _public_sessions().filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def _series_dates(session: Session) -> list[Session]:
    """The dates still to come of the session's series (empty on its own)."""
    if not session.run_id:
        return []
    return list(Session.objects.planned().upcoming().filter(run_id=session.run_id)
                .order_by("starts_at", "pk"))


@login_not_required
def session_list(request):
    form = SessionFilterForm(request.GET)
    # A series once, with its dates.
    sessions = _public_sessions().first_of_each_run().prefetch_related(Prefetch(
        "run__sessions", queryset=Session.objects.planned().upcoming().order_by("starts_at")))
    point = None
    if form.is_valid():
        point = form.cleaned_data["point"]
        if point:
            sessions = sessions.at_point(point)
        if form.cleaned_data["topic"]:
            sessions = sessions.filter(course__topics=form.cleaned_data["topic"])
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    page.object_list = attach_stops(page.object_list)  # a mobile point's stop of the day
    template = "trainings/public_list.html"
    if request.htmx:
        return render(request, template + "#results", {"form": form, "page": page,
                                                        "point": point})
    return render(request, template, {"form": form, "page": page, "point": point,
                                      "feeds": feeds_by_place()})


@login_not_required
def session_detail(request, pk: int):
    cancelled = (Session.objects.with_place().filter(pk=pk, status=SessionStatus.CANCELLED)
                 .first())
    if cancelled is not None:
        return _cancelled_session(request, cancelled)
    session = _get_public_session(pk)
    return render(request, "trainings/public_detail.html",
                  {"session": session, "dates": _series_dates(session),
                   "phone": contact_phone(session)})


def _cancelled_session(request, session: Session) -> HttpResponse:
    """A resident who kept the link of a cancelled session learns why, and
    finds the course's other sessions (410: gone, and not for search engines)."""
    others = attach_stops(_public_sessions().filter(course_id=session.course_id)[:10])
    return render(request, "trainings/public_cancelled.html",
                  {"session": session, "others": others, "phone": contact_phone(session)},
                  status=410)


def _client_address(request) -> str:
    # Behind the proxy, Django sees the proxy; settings handle X-Forwarded-For
    # where configured, so REMOTE_ADDR is the address to count.
    return request.META.get("REMOTE_ADDR", "unknown")


def _rate_key(request, kind: str) -> str:
    return f"trainings:public-enrol:{kind}:{_client_address(request)}"


def _rate_limited(request) -> timedelta | None:
    """The window this address must wait when it is over a limit: too many
    refused posts, or too many enrolments; None when it may post."""
    for kind, limit, window in (("failed", FAILED_RATE_LIMIT, FAILED_RATE_WINDOW),
                                ("enrolled", ENROL_RATE_LIMIT, ENROL_RATE_WINDOW)):
        count = cache_get(_rate_key(request, kind), 0)
        # Without a cache nobody is counted: the form stays open (the
        # database's own checks still refuse a double enrolment).
        if count is not MISSING and count >= limit:
            return window
    return None


def _count_post(request, *, enrolled: bool) -> None:
    window = ENROL_RATE_WINDOW if enrolled else FAILED_RATE_WINDOW
    cache_incr(_rate_key(request, "enrolled" if enrolled else "failed"),
               int(window.total_seconds()))


@login_not_required
def enrol(request, pk: int):
    session = _get_public_session(pk)
    form = PublicEnrolmentForm(request.POST or None)
    status, problem, wait = 200, "", None
    if request.method == "POST":
        wait = _rate_limited(request)
        if wait is not None:
            # Not the fields' fault: keep what they typed, without judging it.
            form = PublicEnrolmentForm(initial=request.POST.dict())
            status = 429
        elif form.is_valid():
            try:
                enrolment = enrol_from_public_form(session=session, **{
                    key: form.cleaned_data[key] for key in ("first_name", "last_name", "phone")})
            except TrainingError as exc:
                problem = str(exc)
                _count_post(request, enrolled=False)
            else:
                _count_post(request, enrolled=True)
                url = reverse("trainings:public-confirmation", args=[session.pk])
                return redirect(f"{url}?bewijs={_confirmation_token(enrolment)}")
        else:
            status = 400
            _count_post(request, enrolled=False)
    return render(request, "trainings/public_enrol.html", {
        "session": session, "form": form, "dates": _series_dates(session),
        "problem": problem, "rate_limited": wait is not None,
        "wait_minutes": int(wait.total_seconds() // 60) if wait else 0,
        "phone": contact_phone(session)}, status=status)




CONFIRMATION_SALT = "trainings.public-confirmation"


def _confirmation_token(enrolment: Enrolment | RunEnrolment) -> str:
    """The confirmation page's proof of which enrolment it is about, signed
    so that nobody can change it in the address."""
    kind = "run" if isinstance(enrolment, RunEnrolment) else "seat"
    return signing.dumps([kind, enrolment.pk], salt=CONFIRMATION_SALT)


def _enrolment_from_token(token: str, session: Session) -> Enrolment | RunEnrolment | None:
    try:
        kind, pk = signing.loads(token, salt=CONFIRMATION_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if kind == "run":
        return RunEnrolment.objects.filter(pk=pk, run_id=session.run_id).first()
    return Enrolment.objects.filter(pk=pk, session=session).first()


@login_not_required
def confirmation(request, pk: int):
    """What the enrolment really is now (enrolled, on the waiting list,
    cancelled), read from the enrolment the signed ``bewijs`` names; without
    one, the session's page."""
    session = get_object_or_404(Session.objects.with_place(), pk=pk)
    enrolment = _enrolment_from_token(request.GET.get("bewijs", ""), session)
    if enrolment is None:
        return redirect("trainings:public-detail", pk=session.pk)
    return render(request, "trainings/public_confirmation.html", {
        "session": session, "state": enrolment.status, "series": isinstance(enrolment,
                                                                             RunEnrolment),
        "dates": _series_dates(session), "phone": contact_phone(session)})


def _calendar(sessions, name: str, request) -> HttpResponse:
    # The version moves on with every change to a session or series
    # (``feeds_changed``), so a cached feed is never older than the data.
    version = feeds_version()
    if version is None:
        body = _build_calendar(sessions, name, request)
    else:
        key = (f"trainings:ical:{version}:{request.get_host()}:{request.path}:"
               f"{translation.get_language()}")
        body = cache_get(key)
        if body is None or body is MISSING:
            body = _build_calendar(sessions, name, request)
            cache_set(key, body, ICAL_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opleidingen.ics"'
    # Say so: the feed may be this far behind, so clients and proxies may keep it as long.
    patch_cache_control(response, public=True, max_age=ICAL_CACHE_SECONDS)
    return response


def _build_calendar(sessions, name: str, request) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Digibank//Trainings//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for session in attach_stops(sessions):
        event = Event()
        event.add("uid", f"training-session-{session.pk}@{request.get_host()}")
        event.add("dtstamp", session.created_at)
        # A cancelled date stays in the feed, so subscribed calendars drop it.
        event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED
                  else "CONFIRMED")
        # UTC times need no VTIMEZONE block: every calendar app reads them.
        event.add("dtstart", session.starts_at.astimezone(UTC))
        event.add("dtend", session.ends_at.astimezone(UTC))
        position = session.run_position
        event.add("summary", session.course.title if position is None else _(
            "%(course)s (session %(number)s of %(size)s)") % {
            "course": session.course.title, "number": position[0], "size": position[1]})
        event.add("location", f"{session.place_name}, {session.address}".strip(", "))
        event.add("description", session.course.summary)
        event.add("url", request.build_absolute_uri(
            reverse("trainings:public-detail", args=[session.pk])))
        calendar.add_component(event)
    return calendar.to_ical()


def _feed_sessions():
    """Planned sessions in the feeds' window."""
    return _calendar_sessions().filter(status=SessionStatus.PLANNED)


def _calendar_sessions():
    """What a feed lists: the planned sessions in its window and the cancelled
    ones (marked so)."""
    until = timezone.now() + timedelta(days=ICAL_DAYS_AHEAD)
    return (Session.objects.upcoming()
            .filter(status__in=(SessionStatus.PLANNED, SessionStatus.CANCELLED),
                    starts_at__lt=until)
            .with_place().with_run_position())


@login_not_required
def ical_feed(request):
    return _calendar(_calendar_sessions(), _("Digibank trainings"), request)


@login_not_required
def point_ical_feed(request, slug: str):
    """The sessions at one point (linked from the point's page)."""
    point = get_object_or_404(Point, slug=slug, is_active=True)
    return _calendar(_calendar_sessions().at_point(point),
                     _("Digibank trainings at %(point)s") % {"point": point}, request)


@login_not_required
def venue_ical_feed(request, slug: str):
    """The sessions at one training partner's venue: with the point feeds,
    every session is in exactly one place's feed."""
    venue = get_object_or_404(Partner, slug=slug)
    return _calendar(_calendar_sessions().filter(venue=venue),
                     _("Digibank trainings at %(point)s") % {"point": venue}, request)


def feeds_by_place() -> list[tuple[str, str]]:
    """(place, feed address) for every point and partner venue with a
    session in the feeds' window, for the public list's "per place" links."""
    sessions = _feed_sessions()
    points = Point.objects.filter(pk__in=sessions.values("point")).order_by("name")
    venues = Partner.objects.filter(pk__in=sessions.values("venue")).order_by("name")
    return sorted(
        [(point.name, reverse("trainings:point-ical", args=[point.slug])) for point in points]
        + [(venue.name, reverse("trainings:venue-ical", args=[venue.slug]))
           for venue in venues])

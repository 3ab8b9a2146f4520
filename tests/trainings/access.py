from datetime import timedelta

from django.utils import timezone

from tests.access import PUBLIC, Access, allowed
from tests.factories import make_resident
from tests.trainings.factories import (
    make_course,
    make_enrolment,
    make_guidance,
    make_run,
    make_run_enrolment,
    make_session,
)

STAFF = allowed("host", "coach", "coordinator")
PLANNERS = allowed("coach", "coordinator")


def _session(ctx):
    # The matrix coach gives this session, so "their own session" is allowed.
    return ctx.once("session", lambda: make_session(point=ctx.point,
                                                     trainer=ctx.users["coach"]))


def _enrolment(ctx):
    return ctx.once("enrolment", lambda: make_enrolment(_session(ctx), make_resident()))


def _enrolment_elsewhere(ctx):
    # A session at another point, given by another coach.
    return ctx.once("enrolment-elsewhere", lambda: make_enrolment(
        make_session(point=ctx.other_point), make_resident()))


def _session_elsewhere(ctx):
    return ctx.once("session-elsewhere", lambda: make_session(point=ctx.other_point))


ELSEWHERE_NAME = "Vanderzwalmen"


def _person_elsewhere(ctx):
    return ctx.once("person-elsewhere", lambda: make_resident(
        "Jozefien", ELSEWHERE_NAME, phone="0470 98 76 54"))


def _session_with_people_elsewhere(ctx):
    """A session at another point, given by another coach, with someone enrolled."""
    def build():
        session = make_session(point=ctx.other_point)
        make_enrolment(session, _person_elsewhere(ctx))
        return session
    return ctx.once("session-people-elsewhere", build)


def _run_with_people_elsewhere(ctx):
    def build():
        run = make_run(point=ctx.other_point)
        make_run_enrolment(run, _person_elsewhere(ctx))
        return run
    return ctx.once("run-people-elsewhere", build)


def _run(ctx):
    return ctx.once("run", lambda: make_run(point=ctx.point, trainer=ctx.users["coach"]))


def _run_enrolment(ctx):
    return ctx.once("run-enrolment", lambda: make_run_enrolment(_run(ctx), make_resident()))


def _run_enrolment_elsewhere(ctx):
    return ctx.once("run-enrolment-elsewhere", lambda: make_run_enrolment(
        make_run(point=ctx.other_point), make_resident()))


def _running(point):
    return make_session(point=point, starts_at=timezone.now() - timedelta(minutes=10))


def _running_session(ctx):
    return ctx.once("running", lambda: _running(ctx.point))


def _running_session_elsewhere(ctx):
    return ctx.once("running-elsewhere", lambda: _running(ctx.other_point))


def _interest_call(point):
    from digibank.models import CallTask
    from trainings.models import InterestEntry
    from trainings.services import tell_interest_about_places

    course = make_course()
    resident = make_resident(phone="0470123456")
    InterestEntry.objects.create(resident=resident, course=course, point=point)
    make_session(course, point=point)
    tell_interest_about_places()
    return CallTask.objects.get(resident=resident)


def _meeting(ctx):
    from trainings.models import GuidanceMeeting

    return ctx.once("meeting", lambda: GuidanceMeeting.objects.create(
        guidance=_guidance(ctx), coach=ctx.users["coach"], note="Bankapp geïnstalleerd."))


def _course(ctx):
    return ctx.once("course", make_course)


def _guidance(ctx):
    return ctx.once("guidance", lambda: make_guidance(make_resident(), ctx.users["coach"]))


ACCESS = {
    "trainings:public-list": Access(PUBLIC),
    "trainings:ical": Access(PUBLIC),
    "trainings:point-ical": Access(PUBLIC, kwargs=lambda ctx: {"slug": ctx.point.slug}),
    "trainings:venue-ical": Access(PUBLIC, kwargs=lambda ctx: {"slug": ctx.partner.slug}),
    "trainings:public-detail": Access(PUBLIC, kwargs=lambda ctx: {"pk": _session(ctx).pk}),
    "trainings:public-enrol": Access(PUBLIC, kwargs=lambda ctx: {"pk": _session(ctx).pk}),
    "trainings:public-confirmation": Access(
        PUBLIC, kwargs=lambda ctx: {"pk": _session(ctx).pk}),
    "trainings:sessions": Access(STAFF),
    "trainings:session-create": Access(PLANNERS),
    "trainings:session-detail": Access(
        STAFF, kwargs=lambda ctx: {"pk": _session(ctx).pk},
        elsewhere=lambda ctx: {"pk": _session_with_people_elsewhere(ctx).pk},
        elsewhere_hides=lambda ctx: ELSEWHERE_NAME),
    "trainings:session-edit": Access(PLANNERS, kwargs=lambda ctx: {"pk": _session(ctx).pk},
                                    elsewhere=lambda ctx: {"pk": _session_elsewhere(ctx).pk}),
    "trainings:session-cancel": Access(PLANNERS, kwargs=lambda ctx: {"pk": _session(ctx).pk},
                                    elsewhere=lambda ctx: {"pk": _session_elsewhere(ctx).pk}),
    "trainings:attendance-sheet": Access(
        STAFF, kwargs=lambda ctx: {"pk": _session(ctx).pk},
        elsewhere=lambda ctx: {"pk": _session_with_people_elsewhere(ctx).pk}),
    "trainings:mark-attendance": Access(
        PLANNERS, method="post", kwargs=lambda ctx: {"pk": _enrolment(ctx).pk},
        data=lambda ctx: {"attended": "1"},
        elsewhere=lambda ctx: {"pk": _enrolment_elsewhere(ctx).pk}),
    "trainings:walk-in": Access(
        PLANNERS, method="post", kwargs=lambda ctx: {"pk": _running_session(ctx).pk},
        data=lambda ctx: {"first_name": "Mira", "last_name": "Janssens"},
        elsewhere=lambda ctx: {"pk": _running_session_elsewhere(ctx).pk}),
    "trainings:enrolment-cancel": Access(
        STAFF, method="post", kwargs=lambda ctx: {"pk": _enrolment(ctx).pk},
        elsewhere=lambda ctx: {"pk": _enrolment_elsewhere(ctx).pk}),
    "trainings:run-detail": Access(
        STAFF, kwargs=lambda ctx: {"pk": _run(ctx).pk},
        elsewhere=lambda ctx: {"pk": _run_with_people_elsewhere(ctx).pk},
        elsewhere_hides=lambda ctx: ELSEWHERE_NAME),
    "trainings:run-enrolment-cancel": Access(
        STAFF, method="post", kwargs=lambda ctx: {"pk": _run_enrolment(ctx).pk},
        elsewhere=lambda ctx: {"pk": _run_enrolment_elsewhere(ctx).pk}),
    "trainings:courses": Access(PLANNERS),
    "trainings:course-create": Access(PLANNERS),
    "trainings:course-edit": Access(PLANNERS, kwargs=lambda ctx: {"pk": _course(ctx).pk}),
    "trainings:interest-list": Access(PLANNERS),
    "trainings:figures": Access(allowed("coordinator")),
    "trainings:interest-call-enrol": Access(
        STAFF, method="post",
        kwargs=lambda ctx: {"pk": ctx.once("call", lambda: _interest_call(ctx.point)).pk},
        elsewhere=lambda ctx: {"pk": ctx.once(
            "call-elsewhere", lambda: _interest_call(ctx.other_point)).pk}),
    "trainings:guidance-list": Access(PLANNERS),
    "trainings:guidance-create": Access(PLANNERS),
    "trainings:guidance-detail": Access(PLANNERS, kwargs=lambda ctx: {"pk": _guidance(ctx).pk}),
    "trainings:guidance-close": Access(
        PLANNERS, method="post", kwargs=lambda ctx: {"pk": _guidance(ctx).pk},
        data=lambda ctx: {"outcome": "reached"}),
    "trainings:meeting-edit": Access(PLANNERS, kwargs=lambda ctx: {"pk": _meeting(ctx).pk}),
    "trainings:guidance-reopen": Access(
        PLANNERS, method="post", kwargs=lambda ctx: {"pk": _guidance(ctx).pk}),
}

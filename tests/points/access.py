from django.utils import timezone

from points.models import VisitStatus
from tests.access import PUBLIC, Access, allowed
from tests.points.factories import (
    make_closure,
    make_deployment,
    make_mobile_point,
    make_topic,
    make_visit,
)

COUNTER = allowed("host", "coach", "coordinator")
COACH = allowed("coach", "coordinator")
COORDINATOR = allowed("coordinator")


def _visit(status=VisitStatus.WAITING):
    def build(ctx):
        def create():
            host = ctx.users["host"]
            extra = {}
            if status in (VisitStatus.WITH_HOST, VisitStatus.WAITING_FOR_COACH):
                extra["host"] = host
            return make_visit(ctx.point, status=status, **extra)

        return {"pk": ctx.once(f"visit-{status}", create).pk}

    return build


def _mobile(ctx):
    return ctx.once("mobile", lambda: make_mobile_point(district=ctx.point.district))


def _deployment(ctx):
    def create():
        start = timezone.now() + timezone.timedelta(days=2)
        return make_deployment(_mobile(ctx), start, start + timezone.timedelta(hours=3))

    return {"pk": ctx.once("deployment", create).pk}


ACCESS = {
    "points:choose-point": Access(
        allowed("host", "coach", "atelier", "coordinator"), method="post",
        data=lambda ctx: {"point": ctx.point.pk},
    ),
    "points:counter": Access(COUNTER),
    "points:counter-resident-search": Access(COUNTER, data=lambda ctx: {"q": "ma"}),
    "points:coach-queue": Access(COACH),
    "points:visit-take": Access(COUNTER, kwargs=_visit(), method="post"),
    "points:visit-hand-over": Access(COUNTER, kwargs=_visit(), method="post"),
    "points:visit-take-over": Access(COACH, kwargs=_visit(VisitStatus.WAITING_FOR_COACH),
                                     method="post"),
    "points:visit-finish": Access(COUNTER, kwargs=_visit(VisitStatus.WITH_HOST), method="post",
                                  data=lambda ctx: {"outcome": "solved"}),
    "points:visit-left": Access(COUNTER, kwargs=_visit(), method="post"),
    "points:visit-correct": Access(COUNTER, kwargs=_visit()),
    "points:manage-points": Access(COORDINATOR),
    "points:manage-point-create": Access(COORDINATOR),
    "points:manage-point": Access(COORDINATOR, kwargs=lambda ctx: {"pk": ctx.point.pk}),
    "points:manage-hours": Access(COORDINATOR, kwargs=lambda ctx: {"pk": ctx.point.pk}),
    "points:manage-closures": Access(COORDINATOR, kwargs=lambda ctx: {"pk": ctx.point.pk}),
    "points:manage-holidays": Access(COORDINATOR),
    "points:manage-deployments": Access(COORDINATOR, kwargs=lambda ctx: {"pk": _mobile(ctx).pk}),
    "points:closure-delete": Access(
        COORDINATOR, method="post",
        kwargs=lambda ctx: {"pk": ctx.once("closure", lambda: make_closure(
            ctx.point, timezone.localdate())).pk}),
    "points:deployment-edit": Access(COORDINATOR, kwargs=_deployment),
    "points:deployment-delete": Access(COORDINATOR, method="post", kwargs=_deployment),
    "points:manage-topics": Access(COORDINATOR),
    "points:manage-topic": Access(COORDINATOR,
                                  kwargs=lambda ctx: {"pk": ctx.once("topic", make_topic).pk}),
    "points:detail": Access(PUBLIC, kwargs=lambda ctx: {"slug": ctx.point.slug}),
    "points:screen": Access(PUBLIC),
    "points:open-data": Access(PUBLIC),
    "points:deployments-ics": Access(PUBLIC),
}


from django.utils import timezone

from tests.access import PUBLIC, Access, allowed
from tests.points.factories import (
    make_closure,
    make_deployment,
    make_mobile_point,
    make_topic,
)

COORDINATOR = allowed("coordinator")


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
    "points:point-deployments-ics": Access(PUBLIC, kwargs=lambda ctx: {"slug": _mobile(ctx).slug}),
}


from devices.models import DeviceKind, DeviceStatus, LoanStatus, Reservation
from tests.access import Access, allowed
from tests.devices.factories import make_device, make_loan, make_plan, make_subscription
from tests.factories import make_resident

VIEWERS = allowed("host", "atelier", "coordinator")
MOVERS = allowed("atelier", "coordinator")
RESIDENT_VIEWERS = allowed("host", "coach", "coordinator")
EDITORS = allowed("host", "coordinator")


def _device(ctx):
    return ctx.once("device", lambda: make_device(point=ctx.point))


def _tag(ctx):
    return {"tag": _device(ctx).asset_tag}


def _in_transit(ctx):
    return {"tag": ctx.once("transit", lambda: make_device(
        status=DeviceStatus.IN_TRANSIT, point=ctx.point)).asset_tag}


def _resident(ctx):
    return ctx.once("resident", lambda: make_resident(phone="0470000001"))


def _subscription(ctx):
    return ctx.once("subscription", lambda: make_subscription(_resident(ctx)))


def _reservation(ctx):
    return ctx.once("reservation", lambda: Reservation.objects.create(
        subscription=_subscription(ctx), resident=_resident(ctx), kind=DeviceKind.LAPTOP,
        slot="laptop", pickup_point=ctx.point))


def _loan(ctx):
    return ctx.once("loan", lambda: make_loan(
        make_device(status=DeviceStatus.READY), _subscription(ctx), status=LoanStatus.ISSUED,
        handed_out_at_point=ctx.point))


ACCESS = {
    "devices:device-list": Access(VIEWERS),
    "devices:checks-due": Access(MOVERS),
    "devices:device-detail": Access(VIEWERS, kwargs=_tag),
    "devices:device-label": Access(VIEWERS, kwargs=_tag),
    "devices:device-labels": Access(VIEWERS),
    "devices:device-send": Access(MOVERS, method="post", kwargs=_tag,
                                  data=lambda ctx: {"point": ctx.point.pk}),
    "devices:device-status": Access(MOVERS, method="post", kwargs=_tag,
                                    data=lambda ctx: {"status": "retired"}),
    "devices:device-receive": Access(VIEWERS, method="post", kwargs=_in_transit),
    "devices:device-to-atelier": Access(MOVERS, method="post", kwargs=_tag),
    "devices:hand-out": Access(VIEWERS),
    "devices:return": Access(VIEWERS),
    "devices:reservations": Access(VIEWERS),
    "devices:reservation-assign": Access(
        VIEWERS, method="post", kwargs=lambda ctx: {"pk": _reservation(ctx).pk},
        data=lambda ctx: {f"r{_reservation(ctx).pk}-device": _device(ctx).pk}),
    "devices:reservation-cancel": Access(
        VIEWERS, method="post", kwargs=lambda ctx: {"pk": _reservation(ctx).pk}),
    "devices:resident-devices": Access(RESIDENT_VIEWERS,
                                       kwargs=lambda ctx: {"pk": _resident(ctx).pk}),
    "devices:subscription-create": Access(
        EDITORS, method="post", kwargs=lambda ctx: {"pk": _resident(ctx).pk},
        data=lambda ctx: {"plan": ctx.once("plan", make_plan).pk}),
    "devices:reservation-create": Access(
        EDITORS, method="post", kwargs=lambda ctx: {"pk": _subscription(ctx).resident_id},
        data=lambda ctx: {"kind": "tablet", "place": ctx.point.pk}),
    "devices:subscription-change": Access(
        EDITORS, method="post", kwargs=lambda ctx: {"pk": _subscription(ctx).pk},
        data=lambda ctx: {"action": "review"}),
    "devices:loan-agreement": Access(VIEWERS, kwargs=lambda ctx: {"pk": _loan(ctx).pk}),
}

from devices.models import DeviceStatus, LoanStatus
from tests.access import Access, allowed
from tests.atelier.factories import make_donation, make_job, make_ticket, make_worker
from tests.devices.factories import make_device, make_loan, make_subscription

STAFF = allowed("atelier", "coordinator")
COUNTER = allowed("host", "atelier", "coordinator")


def _job(ctx):
    return {"pk": ctx.once("job", make_job).pk}


def _ticket(ctx):
    return {"pk": ctx.once("ticket", make_ticket).pk}


def _loan(ctx):
    return ctx.once("loan", lambda: make_loan(make_device(status=DeviceStatus.READY),
                                              make_subscription(), status=LoanStatus.ISSUED,
                                              handed_out_at_point=ctx.point))


ACCESS = {
    "atelier:board": Access(STAFF),
    "atelier:job-detail": Access(STAFF, kwargs=_job),
    "atelier:job-wipe": Access(STAFF, method="post", kwargs=_job, data=lambda ctx: {
        "medium_serial": "S1", "method": "clear", "result": "passed"}),
    "atelier:job-step": Access(STAFF, method="post",
                               kwargs=lambda ctx: {**_job(ctx), "step": "wipe"}),
    "atelier:job-retest": Access(STAFF, method="post", kwargs=_job, data=lambda ctx: {
        "test-screen_ok": "yes", "test-keyboard_ok": "yes", "test-ports_ok": "yes"}),
    "atelier:job-finish": Access(STAFF, method="post", kwargs=_job),
    "atelier:job-scrap": Access(STAFF, method="post", kwargs=_job,
                                data=lambda ctx: {"note": "Moederbord stuk"}),
    "atelier:job-start": Access(STAFF, method="post", kwargs=lambda ctx: {
        "tag": ctx.once("returned", lambda: make_device(status=DeviceStatus.RETURNED)).asset_tag}),
    "atelier:device-story": Access(STAFF, kwargs=lambda ctx: {
        "tag": ctx.once("job", make_job).device.asset_tag}),
    "atelier:donation-list": Access(STAFF),
    "atelier:donation-detail": Access(STAFF, kwargs=lambda ctx: {
        "pk": ctx.once("donation", make_donation).pk}),
    "atelier:donation-received": Access(STAFF, method="post", kwargs=lambda ctx: {
        "pk": ctx.once("donation", make_donation).pk}, data=lambda ctx: {
        "count": "0", "reason": "Donor hield ze"}, expect=(302, 400)),
    "atelier:donation-certificate": Access(STAFF, kwargs=lambda ctx: {
        "pk": ctx.once("donation", make_donation).pk}),
    "atelier:ticket-list": Access(STAFF),
    "atelier:ords-export": Access(STAFF),
    "atelier:ticket-detail": Access(STAFF, kwargs=_ticket),
    "atelier:ticket-move": Access(STAFF, method="post", kwargs=_ticket,
                                  data=lambda ctx: {"status": "parts", "fault": "screen"}),
    "atelier:ticket-resolve": Access(STAFF, kwargs=_ticket),
    "atelier:report-ticket": Access(STAFF, method="post", kwargs=lambda ctx: {
        "pk": ctx.once("ticket", make_ticket).defect_report_id}),
    "atelier:intake": Access(COUNTER),
    "atelier:intake-receipt": Access(
        COUNTER, kwargs=lambda ctx: {"pk": ctx.once("intake", lambda: make_ticket(
            point=ctx.point)).pk},
        elsewhere=lambda ctx: {"pk": ctx.once("intake-elsewhere", lambda: make_ticket(
            point=ctx.other_point)).pk},
        everywhere=frozenset({"atelier", "coordinator"})),
    # Old bookmarks of the former defect screen: a permanent redirect.
    "atelier:defect-bookmark": Access(COUNTER, expect=(301,)),
    "atelier:checks": Access(COUNTER),
    "atelier:yearly-check": Access(COUNTER, kwargs=lambda ctx: {"pk": _loan(ctx).pk}),
    "atelier:hours": Access(STAFF, method="post", data=lambda ctx: {
        "worker": ctx.once("worker", make_worker).pk, "day": "2020-01-01", "hours": "3",
        "tasks": "Laptops gewist"}),
    "atelier:hours-report": Access(STAFF),
    "atelier:hours-export": Access(STAFF),
    "atelier:workers": Access(STAFF, method="post", data=lambda ctx: {
        "name": "Greta Claes", "kind": "volunteer", "is_active": "on"}),
    "atelier:worker-edit": Access(STAFF, method="post", kwargs=lambda ctx: {
        "pk": ctx.once("worker", make_worker).pk}, data=lambda ctx: {
        "name": "Greta Claes", "kind": "volunteer", "is_active": "on"}),
    "atelier:impact": Access(STAFF),
}

"""Who may use the counter's URLs (the role x URL matrix, tests/access.py)."""

from points.models import VisitStatus
from tests.access import Access, allowed
from tests.outreach.factories import make_offer
from tests.points.factories import make_visit

COUNTER = allowed("host", "coach", "coordinator")
COACH = allowed("coach", "coordinator")


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


def _fresh_visit(ctx):
    """A visit of its own for each request (cancelling removes it)."""
    return {"pk": make_visit(ctx.point).pk}


def _offer(ctx):
    return ctx.once("offer", lambda: make_offer(provider=ctx.partner))


ACCESS = {
    "counter:counter": Access(COUNTER),
    "counter:resident-search": Access(COUNTER, data=lambda ctx: {"q": "ma"}),
    "counter:coach-queue": Access(COACH),
    "counter:visit-take": Access(COUNTER, kwargs=_visit(), method="post"),
    "counter:visit-hand-over": Access(COUNTER, kwargs=_visit(), method="post"),
    "counter:visit-take-back": Access(COUNTER, kwargs=_visit(VisitStatus.WAITING_FOR_COACH),
                                      method="post"),
    "counter:visit-take-over": Access(COACH, kwargs=_visit(VisitStatus.WAITING_FOR_COACH),
                                      method="post"),
    "counter:visit-finish": Access(COUNTER, kwargs=_visit(VisitStatus.WITH_HOST), method="post",
                                   data=lambda ctx: {"outcome": "solved"}),
    "counter:visit-left": Access(COUNTER, kwargs=_visit(), method="post"),
    "counter:visit-correct": Access(COUNTER, kwargs=_visit()),
    "counter:visit-cancel": Access(COUNTER, kwargs=_fresh_visit, method="post", expect=(302,),
                                   data=lambda ctx: {"reason": "Dubbel geregistreerd"}),
    "counter:visit-undo-left": Access(COUNTER, kwargs=_visit(VisitStatus.LEFT), method="post",
                                      expect=(302,)),
    "counter:offers": Access(COUNTER),
    "counter:offer-slip": Access(COUNTER, data=lambda ctx: {"aanbod": _offer(ctx).pk}),
    "counter:visit-slip": Access(COUNTER, kwargs=_visit()),
    "counter:visit-slip-send": Access(COUNTER, method="post", expect=(302,), kwargs=_visit()),
    "counter:quick-enrol": Access(COUNTER),
}

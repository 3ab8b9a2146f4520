from tests.access import PUBLIC, STAFF, Access, allowed
from tests.factories import make_call_task, make_resident

RESIDENT_ROLES = allowed("host", "coach", "coordinator")


def _resident(ctx):
    return {"pk": ctx.once("resident", make_resident).pk}


def _call(ctx):
    return ctx.once("call", lambda: make_call_task(point=ctx.point))


ACCESS = {
    "home": Access(PUBLIC),
    "accessibility": Access(PUBLIC),
    "set-language": Access(PUBLIC, method="post", data=lambda ctx: {"language": "en"}),
    "healthz": Access(PUBLIC, expect=(200, 503)),
    "login": Access(PUBLIC),
    "password_reset": Access(PUBLIC),
    "password_reset_done": Access(PUBLIC),
    "password_reset_confirm": Access(PUBLIC, kwargs=lambda ctx: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": Access(PUBLIC),
    "logout": Access(STAFF, method="post", expect=(302,)),
    "password_change": Access(STAFF),
    "password_change_done": Access(STAFF),
    "workspace": Access(STAFF),
    "residents:list": Access(RESIDENT_ROLES),
    "residents:create": Access(RESIDENT_ROLES),
    "residents:detail": Access(RESIDENT_ROLES, kwargs=_resident),
    "residents:edit": Access(RESIDENT_ROLES, kwargs=_resident),
    "residents:subject-access": Access(allowed("coordinator"), kwargs=_resident),
    "residents:erase": Access(allowed("coordinator"), kwargs=_resident, method="post",
                              data=lambda ctx: {"reason": "Vraag", "confirm": "on"}),
    "audit-log": Access(allowed("coordinator")),
    "retention": Access(allowed("coordinator")),
    # The call list: the kernel's call tasks, on a point's screen (points/calls.py).
    "call-list": Access(RESIDENT_ROLES),
    "call-record": Access(
        RESIDENT_ROLES, method="post",
        kwargs=lambda ctx: {"pk": _call(ctx).pk},
        data=lambda ctx: {f"call{_call(ctx).pk}-result": "reached"},
    ),
}

"""Who may use each sounding-board URL. The matrix board is facilitated by
someone outside the matrix, so only the coordinator edits; the matrix
partner organisation takes part, so the partner user reads."""

from tests.access import Access, allowed
from tests.factories import make_user
from tests.soundboard.factories import make_board, make_item, make_meeting, make_member

READ = allowed("host", "coach", "coordinator", "partner")
STAFF_READ = allowed("host", "coach", "coordinator")
EDIT = allowed("coordinator")


def _board(ctx):
    return ctx.once("board", lambda: make_board(facilitator=make_user("coach"),
                                                partners=[ctx.partner]))


def _slug(ctx):
    return {"slug": _board(ctx).slug}


def _meeting(ctx):
    return ctx.once("meeting", lambda: make_meeting(_board(ctx)))


def _member(ctx):
    return ctx.once("member", lambda: make_member(_board(ctx)))


def _item(ctx):
    return ctx.once("item", lambda: make_item(_board(ctx), meeting=_meeting(ctx)))


def _answered_item(ctx):
    from soundboard.services import answer_feedback

    return ctx.once("answered", lambda: answer_feedback(
        actor=None, item=make_item(_board(ctx)), status="planned", answer="In maart"))


def _digest(ctx):
    from soundboard.services import build_digest

    return ctx.once("digest", lambda: build_digest(meeting=_meeting(ctx)))


ACCESS = {
    "soundboard:board-list": Access(READ),
    "soundboard:overview": Access(EDIT),
    "soundboard:board-detail": Access(READ, kwargs=_slug),
    "soundboard:member-add": Access(EDIT, kwargs=_slug),
    "soundboard:meeting-create": Access(EDIT, kwargs=_slug),
    "soundboard:meeting-plan-next": Access(EDIT, kwargs=_slug, method="post"),
    "soundboard:step-create": Access(EDIT, kwargs=_slug),
    "soundboard:member-edit": Access(EDIT, kwargs=lambda ctx: {"pk": _member(ctx).pk}),
    "soundboard:member-leave": Access(
        EDIT, method="post", kwargs=lambda ctx: {"pk": _member(ctx).pk}
    ),
    "soundboard:meeting-detail": Access(READ, kwargs=lambda ctx: {"pk": _meeting(ctx).pk}),
    "soundboard:meeting-edit": Access(EDIT, kwargs=lambda ctx: {"pk": _meeting(ctx).pk}),
    "soundboard:meeting-notes": Access(
        EDIT, method="post", kwargs=lambda ctx: {"pk": _meeting(ctx).pk},
        data=lambda ctx: {"agenda": "Welkom", "minutes": ""},
    ),
    "soundboard:attendance-toggle": Access(
        EDIT, method="post",
        kwargs=lambda ctx: {"pk": _meeting(ctx).pk, "member_pk": _member(ctx).pk},
        data=lambda ctx: {"present": "1"},
    ),
    "soundboard:feedback-create": Access(
        EDIT, method="post", kwargs=lambda ctx: {"pk": _meeting(ctx).pk},
        data=lambda ctx: {"words": "De bus stopt te ver", "topic": "place"},
    ),
    "soundboard:told-back": Access(
        EDIT, method="post", kwargs=lambda ctx: {"pk": _meeting(ctx).pk},
        data=lambda ctx: {"items": [_answered_item(ctx).pk]},
    ),
    "soundboard:digest-build": Access(
        EDIT, method="post", kwargs=lambda ctx: {"pk": _meeting(ctx).pk}
    ),
    "soundboard:item-detail": Access(READ, kwargs=lambda ctx: {"pk": _item(ctx).pk}),
    "soundboard:item-answer": Access(
        EDIT, method="post", kwargs=lambda ctx: {"pk": _item(ctx).pk},
        data=lambda ctx: {"status": "planned", "answer": "In maart"},
    ),
    "soundboard:digest-detail": Access(READ, kwargs=lambda ctx: {"pk": _digest(ctx).pk}),
    "soundboard:digest-sheet": Access(READ, kwargs=lambda ctx: {"pk": _digest(ctx).pk}),
}


"""Screens of the sounding boards. Coordinators and a board's facilitator
edit; hosts and coaches read every board; partner users read the boards
their organisation takes part in; everyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.access import role_required
from digibank.models import AuditAction, Resident
from digibank.services import record_audit
from soundboard import services
from soundboard.forms import (
    AnswerForm,
    FeedbackFilterForm,
    FeedbackForm,
    MeetingForm,
    MemberForm,
    MemberNeedsForm,
    NotesForm,
    StepForm,
    ToldBackForm,
)
from soundboard.models import (
    Digest,
    FeedbackItem,
    FeedbackStatus,
    Meeting,
    Member,
    SoundingBoard,
)
from soundboard.services import SoundboardError

READERS = ("host", "coach", "coordinator")


def get_board_for_user(user, slug: str, *, edit: bool = False) -> SoundingBoard:
    """The board if the user may see it (404 otherwise); 403 when ``edit``
    is asked of someone who may only read."""
    board = get_object_or_404(SoundingBoard.objects.visible_to(user), slug=slug)
    if edit and not board.can_edit(user):
        raise PermissionDenied
    return board


def get_meeting_for_user(user, pk: int, *, edit: bool = False) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("board", "point", "venue_partner")
        .filter(board__in=SoundingBoard.objects.visible_to(user)), pk=pk,
    )
    if edit and not meeting.board.can_edit(user):
        raise PermissionDenied
    return meeting


def get_item_for_user(user, pk: int, *, edit: bool = False) -> FeedbackItem:
    item = get_object_or_404(
        FeedbackItem.objects.with_relations()
        .filter(board__in=SoundingBoard.objects.visible_to(user)), pk=pk,
    )
    if edit and not item.board.can_edit(user):
        raise PermissionDenied
    return item


def get_digest_for_user(user, pk: int) -> Digest:
    return get_object_or_404(
        Digest.objects.select_related(
            "meeting__board", "meeting__point", "meeting__venue_partner",
        ).filter(meeting__board__in=SoundingBoard.objects.visible_to(user)), pk=pk,
    )


def _sees_members(user, board: SoundingBoard) -> bool:
    """Members' names are residents' data: staff only, not partner users."""
    return user.has_role(*READERS) or board.can_edit(user)


def board_list(request):
    boards = SoundingBoard.objects.visible_to(request.user)
    if not (request.user.has_role(*READERS, "partner") or boards.exists()):
        raise PermissionDenied
    boards = boards.filter(is_active=True).select_related("target_group", "facilitator")
    return render(request, "soundboard/board_list.html", {"boards": boards.with_counts()})


def board_detail(request, slug: str):
    board = get_board_for_user(request.user, slug)
    board = (SoundingBoard.objects.with_counts().select_related("target_group", "facilitator")
             .prefetch_related("partners").get(pk=board.pk))
    now = timezone.now()
    items = list(board.items.open().select_related("point").order_by("raised_on", "pk"))
    by_status = [(label, [i for i in items if i.status == value])
                 for value, label in FeedbackStatus.choices if value in {
                     FeedbackStatus.NEW, FeedbackStatus.CONSIDERING, FeedbackStatus.PLANNED}]
    members = []
    if _sees_members(request.user, board):
        members = board.members.current().select_related("resident", "partner")
    return render(request, "soundboard/board_detail.html", {
        "board": board, "can_edit": board.can_edit(request.user), "members": members,
        "sees_members": _sees_members(request.user, board), "items_by_status": by_status,
        "overdue": [i for i in items if i.is_overdue],
        "coming_meetings": list(board.meetings.upcoming(now).select_related(
            "point", "venue_partner").order_by("starts_at")),
        "past_meetings": board.meetings.past(now).select_related("point", "venue_partner")[:12],
        "closed_items": board.items.closed().select_related("point").order_by(
            "-status_changed_at")[:10],
        "steps": board.steps.all()[:10],
    })


def member_add(request, slug: str):
    board = get_board_for_user(request.user, slug, edit=True)
    query = request.GET.get("q", "").strip()
    found = Resident.objects.search(query)[:10] if len(query) >= 2 else []
    form = MemberForm(request.POST or None, found=found)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.add_member(actor=request.user, board=board, **data)
        except SoundboardError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Member added."))
            return redirect("soundboard:board-detail", slug=board.slug)
    return render(request, "soundboard/member_form.html",
                  {"board": board, "form": form, "query": query, "found": found})


def member_edit(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("board", "resident", "partner"),
                               pk=pk)
    board = get_board_for_user(request.user, member.board.slug, edit=True)
    initial = {name: getattr(member, name) for name in services.MEMBER_NEEDS}
    form = MemberNeedsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_member_needs(actor=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("soundboard:board-detail", slug=board.slug)
    if request.method == "GET" and member.resident_id:
        # A member's access needs are personal data of the resident.
        record_audit(actor=request.user, action=AuditAction.VIEW, resident=member.resident,
                     target=member, summary=_("Board member %(pk)s viewed") % {"pk": member.pk})
    return render(request, "soundboard/member_edit.html",
                  {"board": board, "member": member, "form": form})


@require_POST
def member_leave(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("board", "resident"), pk=pk)
    board = get_board_for_user(request.user, member.board.slug, edit=True)
    try:
        services.end_membership(actor=request.user, member=member)
    except SoundboardError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(member)s left the board.") % {"member": member})
    return redirect("soundboard:board-detail", slug=board.slug)


def meeting_create(request, slug: str):
    board = get_board_for_user(request.user, slug, edit=True)
    form = MeetingForm(request.POST or None, initial=services.suggested_meeting(board))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                actor=request.user, board=board, starts_at=form.starts_at,
                point=form.cleaned_data["point"], venue=form.cleaned_data["venue"],
                venue_partner=form.cleaned_data["venue_partner"],
                agenda=form.cleaned_data["agenda"],
            )
        except SoundboardError as exc:
            form.add_error("day", str(exc))
        else:
            messages.success(request, _("Meeting planned."))
            return redirect("soundboard:meeting-detail", pk=meeting.pk)
    return render(request, "soundboard/meeting_form.html", {"board": board, "form": form})


def meeting_edit(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, edit=True)
    local = timezone.localtime(meeting.starts_at)
    form = MeetingForm(request.POST or None, initial={
        "day": local.date(), "time": local.time(), "point": meeting.point,
        "venue_partner": meeting.venue_partner, "venue": meeting.venue,
    }, with_agenda=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reschedule_meeting(
                actor=request.user, meeting=meeting, starts_at=form.starts_at,
                point=data["point"], venue_partner=data["venue_partner"], venue=data["venue"],
            )
        except SoundboardError as exc:
            form.add_error("day", str(exc))
        else:
            messages.success(request, _("Meeting moved."))
            return redirect("soundboard:meeting-detail", pk=meeting.pk)
    return render(request, "soundboard/meeting_form.html",
                  {"board": meeting.board, "form": form, "meeting": meeting})


@require_POST
def meeting_plan_next(request, slug: str):
    board = get_board_for_user(request.user, slug, edit=True)
    try:
        meeting = services.plan_next_meeting(actor=request.user, board=board)
    except SoundboardError as exc:
        messages.error(request, str(exc))
        return redirect("soundboard:board-detail", slug=board.slug)
    messages.success(request, _("Next meeting planned on %(day)s.") % {
        "day": timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")})
    return redirect("soundboard:meeting-detail", pk=meeting.pk)


def _meeting_context(request, meeting: Meeting, **forms) -> dict:
    board = meeting.board
    can_edit = board.can_edit(request.user)
    present = set(meeting.attendance.values_list("member_id", flat=True))
    members = []
    if _sees_members(request.user, board):
        members = board.members.current(timezone.localtime(meeting.starts_at).date())
        members = [(member, member.pk in present)
                   for member in members.select_related("resident", "partner")]
    # What is still open and has no news to tell: the rest of the agenda.
    open_items = (board.items.open().exclude(raised_at=meeting)
                  .exclude(pk__in=board.items.to_tell_back().values("pk")).select_related("point"))
    return {
        "meeting": meeting, "board": board, "can_edit": can_edit, "members": members,
        "is_upcoming": meeting.starts_at >= timezone.now(),
        "present": present, "present_count": len(present),
        "raised": meeting.items_raised.select_related("point").order_by("pk"),
        "open_items": open_items.order_by("raised_on", "pk"),
        "digest": meeting.digests.first(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "notes_form": forms.get("notes_form") or NotesForm(initial={
            "agenda": meeting.agenda or meeting.suggested_agenda(), "minutes": meeting.minutes}),
        "told_form": forms.get("told_form") or ToldBackForm(board=board),
    }


def meeting_detail(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "soundboard/meeting_detail.html", _meeting_context(request, meeting))


@require_POST
def meeting_notes(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, edit=True)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.update_meeting_notes(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Agenda and minutes saved."))
        return redirect("soundboard:meeting-detail", pk=meeting.pk)
    return render(request, "soundboard/meeting_detail.html",
                  _meeting_context(request, meeting, notes_form=form), status=400)


@require_POST
def attendance_toggle(request, pk: int, member_pk: int):
    meeting = get_meeting_for_user(request.user, pk, edit=True)
    member = get_object_or_404(meeting.board.members, pk=member_pk)
    present = request.POST.get("present") == "1"
    services.set_attendance(actor=request.user, meeting=meeting, member=member, present=present)
    if request.htmx:
        return render(request, "soundboard/meeting_detail.html#attendance-toggle",
                      {"meeting": meeting, "member": member, "is_present": present,
                       "can_edit": True})
    return redirect("soundboard:meeting-detail", pk=meeting.pk)


@require_POST
def feedback_create(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, edit=True)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.record_feedback(actor=request.user, board=meeting.board, meeting=meeting,
                                     **form.cleaned_data)
        except SoundboardError as exc:
            form.add_error("words", str(exc))
        else:
            form = FeedbackForm()
            if not request.htmx:
                messages.success(request, _("Feedback written down."))
                return redirect("soundboard:meeting-detail", pk=meeting.pk)
    context = _meeting_context(request, meeting, feedback_form=form)
    if request.htmx:
        context["just_saved"] = not form.is_bound
        # Back to the first field, ready for the next thing the group says.
        form.fields["words"].widget.attrs["autofocus"] = True
        return render(request, "soundboard/meeting_detail.html#capture", context)
    return render(request, "soundboard/meeting_detail.html", context, status=400)


@require_POST
def told_back(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, edit=True)
    form = ToldBackForm(request.POST, board=meeting.board)
    if form.is_valid():
        try:
            for item in form.cleaned_data["items"]:
                services.mark_told_back(actor=request.user, item=item, meeting=meeting)
        except SoundboardError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Marked as told to the group."))
        return redirect("soundboard:meeting-detail", pk=meeting.pk)
    return render(request, "soundboard/meeting_detail.html",
                  _meeting_context(request, meeting, told_form=form), status=400)


@require_POST
def digest_build(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, edit=True)
    rebuild = meeting.digests.exists()
    if rebuild and not request.user.has_role("coordinator"):
        raise PermissionDenied
    digest = services.build_digest(meeting=meeting, actor=request.user, rebuild=rebuild)
    digest = digest or meeting.digests.get()
    messages.success(request, _("Digest built. It is sent to the facilitator and coordinators."))
    return redirect("soundboard:digest-detail", pk=digest.pk)


def item_detail(request, pk: int):
    item = get_item_for_user(request.user, pk)
    form = AnswerForm(item=item) if item.board.can_edit(request.user) else None
    return render(request, "soundboard/item_detail.html", _item_context(item, form))


def _item_context(item: FeedbackItem, form) -> dict:
    return {
        "item": item, "form": form,
        "events": item.events.select_related("actor", "meeting"),
        "steps": item.steps.all(),
    }


@require_POST
def item_answer(request, pk: int):
    item = get_item_for_user(request.user, pk, edit=True)
    form = AnswerForm(request.POST, item=item)
    if form.is_valid():
        try:
            services.answer_feedback(actor=request.user, item=item, **form.cleaned_data)
        except SoundboardError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(request, _("Answer saved."))
            return redirect("soundboard:item-detail", pk=item.pk)
    return render(request, "soundboard/item_detail.html", _item_context(item, form), status=400)


def step_create(request, slug: str):
    board = get_board_for_user(request.user, slug, edit=True)
    form = StepForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        boards = [board, *data.pop("other_boards")]
        try:
            services.record_step(actor=request.user, boards=boards, **data)
        except SoundboardError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Step recorded."))
            return redirect("soundboard:board-detail", slug=board.slug)
    return render(request, "soundboard/step_form.html", {"board": board, "form": form})


def digest_detail(request, pk: int):
    digest = get_digest_for_user(request.user, pk)
    context = services.digest_context(digest)
    context["can_rebuild"] = request.user.has_role("coordinator")
    board = digest.meeting.board
    if _sees_members(request.user, board):
        context["deliveries"] = digest.deliveries.select_related(
            "member__resident", "member__partner").order_by("channel", "member__pk")
    return render(request, "soundboard/digest_detail.html", context)


def digest_sheet(request, pk: int):
    """The easy-read sheet for members: printed, large type, 'you said, we did'."""
    digest = get_digest_for_user(request.user, pk)
    language = "en" if request.GET.get("taal") == "en" else "nl"
    context = services.digest_context(digest, public_only=True)
    context["sheet_language"] = language
    return render(request, "soundboard/digest_sheet.html", context)


@role_required("coordinator")
def overview(request):
    """Every feedback item across the boards, filtered by status, board,
    theme and overdue answers, 50 a page; each board's open and overdue
    counts above."""
    today = timezone.localdate()
    form = FeedbackFilterForm(request.GET or None)
    items = form.filter(FeedbackItem.objects.select_related("board", "raised_at", "point"), today)
    page = Paginator(items.order_by(F("answered_at").asc(nulls_first=True), "answer_due_on", "pk"),
                     50).get_page(
        request.GET.get("page"))
    boards = SoundingBoard.objects.filter(is_active=True).with_counts(today).select_related(
        "facilitator")
    return render(request, "soundboard/overview.html", {
        "form": form, "page": page, "boards": boards, "today": today})

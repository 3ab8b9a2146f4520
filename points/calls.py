"""Views of the call list (bel-lijst): one list per point for the hosts.
The call tasks themselves are the kernel's (`digibank.models.CallTask`);
the screen is a point's, so it lives here. Its URLs keep their names
(`call-list`, `call-record`) through `points.call_urls`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.access import role_required
from digibank.forms import CallResultForm
from digibank.models import CallTask
from digibank.services import CallError, call_actions, record_call_result
from points.models import Point
from points.workspace import current_point

CALL_ROLES = ("host", "coach", "coordinator")


def _tasks_for_user(user):
    tasks = CallTask.objects.select_related("resident", "point")
    if user.has_role("coordinator"):
        return tasks
    return tasks.filter(Q(point__in=Point.objects.for_staff(user)) | Q(point__isnull=True))


def get_call_task_for_user(user, pk: int) -> CallTask:
    try:
        return _tasks_for_user(user).get(pk=pk)
    except CallTask.DoesNotExist:
        raise Http404 from None


@role_required(*CALL_ROLES)
def call_list(request):
    point = current_point(request)
    tasks = _tasks_for_user(request.user).due(timezone.localdate())
    chosen = request.GET.get("punt", "")
    if request.user.has_role("coordinator") and chosen == "alle":
        point = None
    elif point is not None:
        tasks = tasks.for_point(point)
    elif not request.user.has_role("coordinator"):
        raise PermissionDenied
    tasks = list(tasks[:200])
    actions = call_actions(tasks)
    rows = [(task, _blank_form(task), actions.get(task.pk)) for task in tasks]
    return render(request, "points/call_list.html", {
        "rows": rows, "point": point, "today": timezone.localdate(),
        "can_see_all": request.user.has_role("coordinator"),
    })


def _blank_form(task: CallTask) -> CallResultForm:
    return CallResultForm(prefix=f"call{task.pk}", initial={"seen_attempts": task.attempts})


@require_POST
@role_required(*CALL_ROLES)
def call_record(request, pk: int):
    task = get_call_task_for_user(request.user, pk)
    form = CallResultForm(request.POST, prefix=f"call{task.pk}")
    if form.is_valid():
        try:
            task = record_call_result(
                actor=request.user, task=task, result=form.cleaned_data["result"],
                note=form.cleaned_data["note"], try_again_on=form.cleaned_data["try_again_on"],
                seen_attempts=form.cleaned_data["seen_attempts"],
            )
        except CallError as exc:
            form.add_error(None, str(exc))
            task.refresh_from_db()
        else:
            form = _blank_form(task)  # for the next attempt, should it be today
            if not request.htmx:
                messages.success(request, _("Call recorded."))
    context = {"task": task, "form": form, "today": timezone.localdate()}
    if request.htmx:
        return render(request, "points/call_list.html#call-row", context)
    if form.errors:
        return render(request, "points/call_list.html", {
            "rows": [(task, form, None)], "point": task.point, "today": context["today"],
        }, status=400)
    return redirect("call-list")

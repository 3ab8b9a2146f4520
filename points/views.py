from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.access import role_required
from points.forms import ChoosePointForm
from points.workspace import set_current_point


@require_POST
@role_required("host", "coach", "atelier", "coordinator")
def choose_point(request):
    form = ChoosePointForm(request.POST, user=request.user)
    target = request.POST.get("next") or "workspace"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "workspace"
    if form.is_valid():
        set_current_point(request, form.cleaned_data["point"])
        messages.success(request, _("You now work at %(point)s.") % {
            "point": form.cleaned_data["point"]})
    else:
        messages.error(request, _("You do not work at that point."))
    return redirect(target)

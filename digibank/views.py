from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from digibank.access import role_required
from digibank.days import day_bounds
from digibank.forms import AuditFilterForm, ErasureForm, ResidentForm, ResidentSearchForm
from digibank.health import health_report, may_see_health_details
from digibank.models import AuditAction, AuditEvent, Resident, RetentionRun
from digibank.navigation import start_sections_for
from digibank.privacy import readable
from digibank.retention import retention_months, rules
from digibank.services import (
    ErasureError,
    ResidentError,
    erase_resident,
    erasure_blockers,
    export_subject_access,
    find_or_create_resident,
    record_audit,
    update_resident,
)
from digibank.story import story_of

RESIDENT_ROLES = ("host", "coach", "coordinator")


@login_not_required
def accessibility_statement(request):
    return render(request, "digibank/accessibility.html")


@login_not_required
def set_language(request):
    return django_set_language(request)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 when the database, broker and worker are healthy, 503 otherwise,
    for every monitor; which check failed and why only for staff and for a
    monitor on the machine itself."""
    healthy, checks = health_report()
    body = {"status": "ok" if healthy else "error"}
    if may_see_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


def workspace(request):
    return render(request, "digibank/workspace.html",
                  {"sections": start_sections_for(request.user)})


@role_required(*RESIDENT_ROLES)
def resident_list(request):
    form = ResidentSearchForm(request.GET)
    residents = Resident.objects.none()
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if len(query) >= 2:
        residents = Resident.objects.search(query).select_related("district")[:25]
    template = "digibank/resident_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "residents": residents, "query": query})


@role_required(*RESIDENT_ROLES)
def resident_create(request):
    form = ResidentForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = list(form.duplicates()[:5])
        if not duplicates or request.POST.get("confirm_duplicate"):
            data = dict(form.cleaned_data)
            groups = data.pop("target_groups")
            try:
                resident, created = find_or_create_resident(
                    actor=request.user, target_groups=groups, **data)
            except ResidentError as exc:
                form.add_error(None, str(exc))
            else:
                if created:
                    messages.success(request, _("Resident %(name)s added.") % {"name": resident})
                else:
                    messages.info(request, _("%(name)s with this phone number was already "
                                             "known: here is their record.") % {"name": resident})
                return redirect("residents:detail", pk=resident.pk)
    return render(request, "digibank/resident_form.html",
                  {"form": form, "duplicates": duplicates, "resident": None})


@role_required(*RESIDENT_ROLES)
def resident_detail(request, pk: int):
    resident = get_object_or_404(
        Resident.objects.select_related("district").prefetch_related("target_groups"), pk=pk
    )
    record_audit(actor=request.user, action=AuditAction.VIEW, resident=resident,
                 target=resident, summary=_("Resident record viewed"))
    consents = resident.consents.select_related("partner", "collected_by_partner")
    return render(request, "digibank/resident_detail.html",
                  {"resident": resident, "consents": consents,
                   "story": story_of(resident, request.user)})


@role_required(*RESIDENT_ROLES)
def resident_edit(request, pk: int):
    resident = get_object_or_404(Resident.objects.active(), pk=pk)
    initial = {field: getattr(resident, field) for field in (
        "first_name", "last_name", "phone", "email", "district", "birth_year", "language")}
    initial["target_groups"] = list(resident.target_groups.all())
    form = ResidentForm(request.POST or None, initial=initial, resident=resident)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        groups = data.pop("target_groups")
        try:
            update_resident(actor=request.user, resident=resident, target_groups=groups, **data)
        except ResidentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("residents:detail", pk=resident.pk)
    return render(request, "digibank/resident_form.html",
                  {"form": form, "duplicates": [], "resident": resident})


@role_required("coordinator")
def audit_log(request):
    """The audit trail, filtered by resident, action, user and period;
    ``?inwoner=<pk>`` is one resident's trail. Looking at it is audited too."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor", "resident")
    resident = None
    if form.is_bound and not form.is_valid():
        events = events.none()
    elif form.is_bound:
        data = form.cleaned_data
        resident = data["inwoner"]
        if resident is not None:
            events = events.filter(resident=resident)
        if data["actie"]:
            events = events.filter(action=data["actie"])
        if data["gebruiker"] is not None:
            events = events.filter(actor=data["gebruiker"])
        if data["van"]:
            events = events.filter(created_at__gte=day_bounds(data["van"])[0])
        if data["tot"]:
            events = events.filter(created_at__lt=day_bounds(data["tot"])[1])
    record_audit(actor=request.user, action=AuditAction.VIEW, resident=resident,
                 summary=_("Audit trail viewed"),
                 detail={"filters": {key: value for key, value in request.GET.items()
                                     if key != "page"}})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "digibank/audit_log.html",
                  {"page": page, "form": form, "resident": resident})


@role_required("coordinator")
def retention_periods(request):
    """Bewaartermijnen: what is kept how long and why, and what the last
    nightly run did."""
    last_run = RetentionRun.objects.filter(finished_at__isnull=False).first()
    counts = last_run.counts if last_run else {}
    rows = [{"rule": rule,
             "months": retention_months(rule.key) if rule.configurable else None,
             "count": counts.get(rule.key)} for rule in rules()]
    return render(request, "digibank/retention.html", {"rows": rows, "last_run": last_run})


@role_required("coordinator")
def subject_access(request, pk: int):
    resident = get_object_or_404(Resident, pk=pk)
    data = export_subject_access(actor=request.user, resident=resident)
    if request.GET.get("formaat") == "json":
        response = JsonResponse(data, encoder=DjangoJSONEncoder,
                                json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="inwoner-{resident.pk}.json"'
        return response
    shown = {"resident": readable(data["resident"]),
             "records": {title: [readable(row) for row in rows]
                         for title, rows in data["records"].items()}}
    return render(request, "digibank/subject_access.html", {"resident": resident, "data": shown})


@role_required("coordinator")
def resident_erase(request, pk: int):
    resident = get_object_or_404(Resident, pk=pk)
    form = ErasureForm(request.POST or None)
    blockers = erasure_blockers(resident)
    if request.method == "POST" and form.is_valid():
        try:
            erase_resident(actor=request.user, resident=resident,
                           reason=form.cleaned_data["reason"])
        except ErasureError as exc:
            form.add_error(None, str(exc))
            blockers = exc.blockers
        else:
            messages.success(request, _("The resident's data was erased."))
            return redirect("residents:detail", pk=resident.pk)
    return render(request, "digibank/resident_erase.html",
                  {"resident": resident, "form": form, "blockers": blockers})

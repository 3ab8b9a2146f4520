"""Views of outreach: the partner inbox and contact requests, referrals both
ways, partners, campaign material with QR codes, roadshows, screen messages,
channels and the reach report."""


import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from digibank.access import role_required
from digibank.models import AuditAction, Consent, Resident
from digibank.services import record_audit
from outreach import reports
from outreach.forms import (
    ChannelForm,
    ContactRequestForm,
    ReferralFilterForm,
    ReferralOutForm,
    ReferralStatusForm,
    RoadshowForm,
    ScreenMessageForm,
)
from outreach.models import (
    OPEN_STATUSES,
    Direction,
    Partner,
    Poster,
    Referral,
    ReferralStatus,
    Roadshow,
    ScreenMessage,
)
from outreach.services import (
    ContactPerson,
    ReferralError,
    change_referral_status,
    mark_referral_received,
    may_set_status,
    poster_for,
    record_scan,
    refer_resident,
    submit_contact_request,
    withdraw_consent,
)
from points.models import Channel, Point

STAFF = ("host", "coach", "coordinator")
REFERRAL_ROLES = (*STAFF, "partner")


def _is_partner_user(user) -> bool:
    return user.has_role("partner") and not user.has_role(*STAFF)


def referrals_for_user(user):
    """Referrals a user may see: a partner user only those of their own
    organisation; digibank staff all of them."""
    referrals = Referral.objects.with_relations()
    if _is_partner_user(user):
        return referrals.for_partner(user.partner_id) if user.partner_id else referrals.none()
    return referrals


def get_referral_for_user(user, pk: int) -> Referral:
    """The referral, or 404 when it is out of the user's scope."""
    try:
        return referrals_for_user(user).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None


@role_required(*REFERRAL_ROLES)
def referral_list(request):
    partner_user = _is_partner_user(request.user)
    form = ReferralFilterForm(request.GET or None)
    referrals = referrals_for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            referrals = referrals.search(data["q"])
        if data["direction"]:
            referrals = referrals.filter(direction=data["direction"])
        if data["status"] == "open":
            referrals = referrals.filter(status__in=OPEN_STATUSES)
        elif data["status"]:
            referrals = referrals.filter(status=data["status"])
        if data["partner"] and not partner_user:
            referrals = referrals.filter(partner=data["partner"])
    waiting = 0
    if partner_user:
        form.fields.pop("partner")
        waiting = referrals_for_user(request.user).filter(
            direction=Direction.OUT,
            status__in=[ReferralStatus.REQUESTED, ReferralStatus.RECEIVED]).count()
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    # Open referrals whose follow-up day has passed, among those this user sees.
    overdue = referrals_for_user(request.user).filter(
        status__in=OPEN_STATUSES, follow_up_on__lt=timezone.localdate()).count()
    template = "outreach/referral_list.html#results" if request.htmx else (
        "outreach/referral_list.html")
    return render(request, template, {"form": form, "page": page, "partner_user": partner_user,
                                      "waiting": waiting, "overdue": overdue})


@role_required("partner")
def contact_request(request):
    partner = request.user.partner
    if partner is None:
        raise Http404
    form = ContactRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = ContactPerson(first_name=data["first_name"], last_name=data["last_name"],
                               phone=data["phone"], address=data["address"],
                               language=data["language"])
        try:
            referral = submit_contact_request(
                actor=request.user, partner=partner, person=person, reason=data["reason"],
                consent_method=data["consent_method"],
                consent_given_on=data["consent_given_on"],
                consent_expires_on=data["consent_expires_on"], best_time=data["best_time"],
                topic=data["topic"], preferred_point=data["preferred_point"],
            )
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. The digibank will contact %(name)s.") % {
                "name": referral.resident.full_name})
            return redirect("outreach:referral-detail", pk=referral.pk)
    return render(request, "outreach/contact_request.html", {"form": form, "partner": partner})


@role_required(*STAFF)
def referral_create(request):
    resident_id = request.GET.get("inwoner", "")
    if not resident_id.isdigit():
        query = request.GET.get("q", "").strip()
        found = Resident.objects.search(query)[:25] if len(query) >= 2 else []
        template = "outreach/referral_pick_resident.html"
        return render(request, template + "#panel" if request.htmx else template,
                      {"query": query, "residents": found})
    resident = get_object_or_404(Resident.objects.active(), pk=int(resident_id))
    form = ReferralOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            referral = refer_resident(
                actor=request.user, resident=resident, partner=data["partner"],
                reason=data["reason"], topic=data["topic"], follow_up_on=data["follow_up_on"],
                consent_method=(data["consent_method"] or "verbal") if data["consent_now"]
                else None,
            )
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Referral sent to %(partner)s.") % {
                "partner": referral.partner})
            return redirect("outreach:referral-detail", pk=referral.pk)
    template = "outreach/referral_form.html"
    return render(request, template + "#panel" if request.htmx else template,
                  {"form": form, "resident": resident})


def _status_choices(user, referral: Referral) -> list[str]:
    return [status for status in ReferralStatus.values
            if referral.can_move_to(status) and may_set_status(user, referral, status)]


@role_required(*REFERRAL_ROLES)
def referral_detail(request, pk: int):
    referral = get_referral_for_user(request.user, pk)
    referral = mark_referral_received(actor=request.user, referral=referral)
    record_audit(actor=request.user, action=AuditAction.VIEW, resident=referral.resident,
                 target=referral, summary=_("Referral %(pk)s viewed") % {"pk": referral.pk})
    return _render_detail(request, referral, ReferralStatusForm(
        choices=_status_choices(request.user, referral)))


def _render_detail(request, referral: Referral, form, status: int = 200):
    events = referral.events.select_related("actor")
    return render(request, "outreach/referral_detail.html", {
        "referral": referral, "events": events, "form": form,
        "consent": referral.consent, "partner_user": _is_partner_user(request.user),
    }, status=status)


@require_POST
@role_required(*REFERRAL_ROLES)
def referral_status(request, pk: int):
    referral = get_referral_for_user(request.user, pk)
    form = ReferralStatusForm(request.POST, choices=_status_choices(request.user, referral))
    if form.is_valid():
        try:
            change_referral_status(actor=request.user, referral=referral,
                                   status=form.cleaned_data["status"],
                                   outcome=form.cleaned_data["outcome"])
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Status saved."))
            return redirect("outreach:referral-detail", pk=referral.pk)
    return _render_detail(request, referral, form, status=400)


@require_POST
@role_required(*REFERRAL_ROLES)
def consent_withdraw(request, pk: int):
    referral = get_referral_for_user(request.user, pk)
    consent: Consent = referral.consent
    try:
        withdraw_consent(actor=request.user, consent=consent)
    except ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Consent withdrawn. Nobody will call this person again "
                                    "about it."))
    return redirect("outreach:referral-detail", pk=referral.pk)


@role_required(*STAFF)
def partner_list(request):
    partners = Partner.objects.filter(is_active=True).prefetch_related("contacts")
    return render(request, "outreach/partner_list.html", {"partners": partners})


@role_required(*STAFF)
def partner_detail(request, slug: str):
    partner = get_object_or_404(Partner.objects.prefetch_related("contacts", "hosted_points"),
                                slug=slug)
    return render(request, "outreach/partner_detail.html", {
        "partner": partner, "figures": reports.partner_figures(partner),
        "roadshows": partner.roadshows.all()[:10],
    })


@role_required("coordinator")
def campaign(request):
    points = Point.objects.filter(is_active=True)
    channels = Channel.objects.filter(is_active=True)
    scans = reports.scans_per_point_and_channel()
    rows = [(point, [(channel, scans.get((point.pk, channel.pk), 0)) for channel in channels])
            for point in points]
    return render(request, "outreach/campaign.html", {
        "rows": rows, "channels": channels,
        "messages_count": ScreenMessage.objects.current().count(),
    })


def _poster_context(request, point_slug: str, channel_slug: str) -> dict:
    point = get_object_or_404(Point.objects.select_related("district"), slug=point_slug,
                              is_active=True)
    channel = get_object_or_404(Channel, slug=channel_slug)
    poster = poster_for(point=point, channel=channel)
    url = request.build_absolute_uri(reverse("outreach:qr", args=[poster.code]))
    qr = segno.make(url, error="m")
    return {"point": point, "channel": channel, "poster": poster, "short_url": url,
            "qr_svg": qr.svg_data_uri(scale=10, border=2, dark="#000"),
            "periods": point.opening_periods.valid_on(timezone.localdate())}


@role_required(*STAFF)
def poster(request, point_slug: str, channel_slug: str):
    return render(request, "outreach/poster.html",
                  {**_poster_context(request, point_slug, channel_slug), "format": "a4"})


@role_required(*STAFF)
def flyer(request, point_slug: str, channel_slug: str):
    return render(request, "outreach/poster.html",
                  {**_poster_context(request, point_slug, channel_slug), "format": "a5"})


@login_not_required
@never_cache
def qr_redirect(request, code: str):
    """A scanned QR code: count it and send the visitor to the point's public
    page with the channel in the URL. Nothing about the visitor is stored."""
    poster = get_object_or_404(Poster.objects.select_related("point", "channel"), code=code)
    record_scan(poster=poster)
    return redirect(poster.target_path)


def _edit(request, form_class, instance, *, title: str, back: str):
    """Create or change one coordinator-managed record (no lifecycle)."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(back)
    return render(request, "outreach/edit.html", {"form": form, "title": title, "back": back})


@role_required("coordinator")
def roadshow_list(request):
    roadshows = Roadshow.objects.select_related("partner")
    page = Paginator(roadshows, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/roadshow_list.html", {"page": page})


@role_required("coordinator")
def roadshow_edit(request, pk: int | None = None):
    roadshow = get_object_or_404(Roadshow, pk=pk) if pk else None
    return _edit(request, RoadshowForm, roadshow, back=reverse("outreach:roadshow-list"),
                 title=_("Roadshow") if roadshow else _("New roadshow"))


@role_required("coordinator")
def screen_message_list(request):
    screen_messages = ScreenMessage.objects.select_related("point")
    return render(request, "outreach/screen_message_list.html", {
        "screen_messages": screen_messages, "today": timezone.localdate()})


@role_required("coordinator")
def screen_message_edit(request, pk: int | None = None):
    message = get_object_or_404(ScreenMessage, pk=pk) if pk else None
    return _edit(request, ScreenMessageForm, message,
                 back=reverse("outreach:screen-message-list"),
                 title=_("Screen message") if message else _("New screen message"))


@role_required("coordinator")
def channel_list(request):
    return render(request, "outreach/channel_list.html", {"channels": Channel.objects.all()})


@role_required("coordinator")
def channel_edit(request, pk: int | None = None):
    channel = get_object_or_404(Channel, pk=pk) if pk else None
    return _edit(request, ChannelForm, channel, back=reverse("outreach:channel-list"),
                 title=_("Channel") if channel else _("New channel"))

"""State changes of outreach: contact requests and referrals both ways, the
consent they rest on and its withdrawal, QR posters and their scans, and the
nightly follow-up and consent-expiry jobs.

Every change is one transaction that writes its history (``ReferralEvent``)
and an audit row for the resident concerned."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from digibank.models import (
    AuditAction,
    CallResult,
    CallStatus,
    CallTask,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Resident,
    User,
)
from digibank.outbox import queue_email
from digibank.services import (
    add_call_task,
    cancel_call_tasks,
    create_resident,
    normalise_phone,
    notify_resident,
    record_audit,
    touch_resident,
)
from outreach.models import (
    OPEN_STATUSES,
    STATUSES_WITH_OUTCOME,
    Direction,
    GivenOffer,
    Offer,
    OfferAction,
    OfferEvent,
    Partner,
    Poster,
    QrScan,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from outreach.opendata import offer_feed_changed
from outreach.search import index_offers

CONTACT_REQUEST_CALL = "contact_request"
# After this many calls without reaching the person, the request is closed as
# unreachable (the first "not reached" gets a try-again).
MAX_CALL_ATTEMPTS = 2
# Without a date of their own, referrals are followed up after this many days:
# a contact request should be handled within a week, a partner gets two.
INCOMING_FOLLOW_UP_DAYS = 7
OUTGOING_FOLLOW_UP_DAYS = 14


class ReferralError(Exception):
    """A referral or consent rule was broken; the message is for the user."""


def _add_event(referral: Referral, *, actor: User | None, from_status: str, note: str = ""):
    return ReferralEvent.objects.create(
        referral=referral, actor=actor if actor and actor.is_authenticated else None,
        from_status=from_status, to_status=referral.status, note=note[:300],
    )


@dataclass(frozen=True)
class ContactPerson:
    """The minimum to reach someone a partner met."""

    first_name: str
    last_name: str
    phone: str = ""
    address: str = ""
    language: str = "nl"


def _find_or_create_resident(*, actor: User, person: ContactPerson) -> Resident:
    return create_resident(
        actor=actor, first_name=person.first_name, last_name=person.last_name,
        phone=person.phone, language=person.language,
    )


@transaction.atomic
def submit_contact_request(
    *,
    actor: User,
    partner: Partner,
    person: ContactPerson,
    reason: str,
    consent_method: str,
    consent_given_on: date,
    consent_expires_on: date | None = None,
    consent_scope: str = "",
    best_time: str = "",
    topic=None,
    preferred_point=None,
) -> Referral:
    """A partner asks the digibank to contact someone who agreed to it.

    Finds the person (same name and phone) or creates a minimal resident,
    records the consent the partner collected (purpose CONTACT), creates the
    incoming referral and puts the person on the call list of the preferred
    point (city-wide when none). Raises ReferralError when the person cannot
    be reached or the consent is not valid today.
    """
    today = timezone.localdate()
    if not (normalise_phone(person.phone) or person.address.strip()):
        raise ReferralError(_("Give a phone number or an address to reach the person."))
    if consent_given_on > today:
        raise ReferralError(_("The consent cannot be given in the future."))
    if consent_expires_on is not None and consent_expires_on < today:
        raise ReferralError(_("This consent has already expired."))
    # One request at a time per partner, so a double click (or two colleagues)
    # finds the person the first one created instead of making a second one.
    Partner.objects.select_for_update().get(pk=partner.pk)
    resident = _find_or_create_resident(actor=actor, person=person)
    consent = Consent.objects.create(
        resident=resident, purpose=ConsentPurpose.CONTACT, scope=consent_scope[:200],
        collected_by_partner=partner, collected_by=actor, method=consent_method,
        given_on=consent_given_on, expires_on=consent_expires_on,
    )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                direction=Direction.IN, resident=resident, partner=partner, consent=consent,
                reason=reason, topic=topic, contact_address=person.address.strip(),
                best_time=best_time, preferred_point=preferred_point, partner_owner=actor,
                follow_up_on=today + timedelta(days=INCOMING_FOLLOW_UP_DAYS),
            )
    except IntegrityError:
        raise ReferralError(
            _("Your organisation already has an open request for this person.")
        ) from None
    _add_event(referral, actor=actor, from_status="")
    # The subject names the partner; the message says what they asked, once.
    message = reason
    if best_time:
        message += "\n" + _("Best time to call: %(time)s") % {"time": best_time}
    if referral.contact_address:
        message += "\n" + _("Address: %(address)s") % {"address": referral.contact_address}
    add_call_task(
        resident=resident, kind=CONTACT_REQUEST_CALL, source=referral, point=preferred_point,
        subject=_("Contact request from %(partner)s") % {"partner": partner}, message=message,
    )
    record_audit(
        actor=actor, action=AuditAction.CREATE, resident=resident, target=referral,
        summary=_("Contact request received from %(partner)s") % {"partner": partner},
    )
    touch_resident(resident)
    return referral


def valid_referral_consent(resident: Resident, partner: Partner, day: date | None = None):
    """The resident's consent, valid on ``day``, to be referred to ``partner``
    (a consent for any partner also counts)."""
    return (
        Consent.objects.valid_on(day)
        .filter(resident=resident, purpose=ConsentPurpose.REFERRAL)
        .filter(Q(partner__isnull=True) | Q(partner=partner))
        .order_by("-given_on", "-pk")
        .first()
    )


@transaction.atomic
def record_referral_consent(
    *, actor: User, resident: Resident, partner: Partner, method: str, scope: str = "",
) -> Consent:
    """Record, at the counter, a resident's consent to be referred to ``partner``."""
    if method not in ConsentMethod.values or method == ConsentMethod.VIA_PARTNER:
        raise ReferralError(_("Choose how the resident gave consent."))
    consent = Consent.objects.create(
        resident=resident, purpose=ConsentPurpose.REFERRAL, partner=partner, scope=scope[:200],
        collected_by=actor, method=method,
    )
    record_audit(
        actor=actor, action=AuditAction.CREATE, resident=resident, target=consent,
        summary=_("Consent recorded: referral to %(partner)s") % {"partner": partner},
    )
    return consent


@transaction.atomic
def refer_resident(
    *,
    actor: User,
    resident: Resident,
    partner: Partner,
    reason: str,
    topic=None,
    follow_up_on: date | None = None,
    consent_method: str | None = None,
) -> Referral:
    """The digibank refers a resident to a partner. Needs a valid REFERRAL
    consent (locked, so a withdrawal cannot slip in between) and at most one
    open referral per resident and partner. ``consent_method`` records the
    consent the resident gives now, when none is on file. Raises ReferralError."""
    if resident.is_anonymised:
        raise ReferralError(_("This resident was anonymised."))
    if not partner.is_active:
        raise ReferralError(_("This partner organisation is no longer active."))
    consent = valid_referral_consent(resident, partner)
    if consent is None and consent_method:
        consent = record_referral_consent(
            actor=actor, resident=resident, partner=partner, method=consent_method
        )
    if consent is not None:
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent is None or not consent.is_valid_on(timezone.localdate()):
        raise ReferralError(
            _("The resident has not agreed to be referred to %(partner)s.") % {
                "partner": partner}
        )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                direction=Direction.OUT, resident=resident, partner=partner, consent=consent,
                reason=reason, topic=topic, digibank_owner=actor,
                follow_up_on=follow_up_on or timezone.localdate() + timedelta(
                    days=OUTGOING_FOLLOW_UP_DAYS),
            )
    except IntegrityError:
        raise ReferralError(
            _("This resident already has an open referral to %(partner)s.") % {
                "partner": partner}
        ) from None
    _add_event(referral, actor=actor, from_status="")
    record_audit(
        actor=actor, action=AuditAction.CREATE, resident=resident, target=referral,
        summary=_("Referred to %(partner)s") % {"partner": partner},
    )
    touch_resident(resident)
    return referral


def _is_partner_side(user: User) -> bool:
    return user.has_role("partner") and not user.has_role("host", "coach", "coordinator")


# Which side moves a referral to which status. The side that receives the
# referral works it; the side that sent it may cancel it.
_RECEIVING_SIDE_STATUSES = {
    ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED,
    ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.UNREACHABLE,
}


def may_set_status(user: User, referral: Referral, status: str) -> bool:
    """Whether ``user``'s side may move ``referral`` to ``status``: the
    receiving side works it (a partner its referrals from the digibank, staff
    the partners' contact requests); the sending side may cancel. A partner
    user only ever acts on its own organisation's referrals."""
    partner_side = _is_partner_side(user)
    if partner_side and user.partner_id != referral.partner_id:
        return False
    receiving = (referral.direction == Direction.OUT) == partner_side
    if status == ReferralStatus.CANCELLED:
        return not receiving or not partner_side
    return receiving and status in _RECEIVING_SIDE_STATUSES


def change_referral_status(
    *, actor: User | None, referral: Referral, status: str, outcome: str = "", note: str = "",
) -> Referral:
    """Move a referral to ``status`` (checked against ALLOWED_TRANSITIONS and
    against which side may do it). Completing or declining needs an outcome.
    ``actor`` None is the system. Raises ReferralError."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        _change_status(referral, actor=actor, status=status, outcome=outcome, note=note)
    return referral


def _change_status(referral: Referral, *, actor: User | None, status: str, outcome: str = "",
                   note: str = "") -> None:
    """Inside a transaction, with ``referral`` locked."""
    if status not in ReferralStatus.values:
        raise ReferralError(_("Choose a status."))
    if not referral.can_move_to(status):
        raise ReferralError(
            _("A referral that is %(current)s cannot become %(new)s.") % {
                "current": referral.get_status_display().lower(),
                "new": ReferralStatus(status).label.lower()}
        )
    if actor is not None and not may_set_status(actor, referral, status):
        raise ReferralError(_("The other organisation makes this change."))
    outcome = outcome.strip()
    if status in STATUSES_WITH_OUTCOME and not outcome:
        raise ReferralError(_("Describe the outcome, so the other side knows what happened."))
    from_status = referral.status
    referral.status = status
    if outcome:
        referral.outcome = outcome[:300]
    if actor is not None and actor.is_authenticated:
        if _is_partner_side(actor):
            referral.partner_owner = referral.partner_owner or actor
        else:
            referral.digibank_owner = referral.digibank_owner or actor
    referral.updated_at = timezone.now()
    referral.save()
    _add_event(referral, actor=actor, from_status=from_status, note=note or outcome)
    if referral.direction == Direction.IN and (
        status not in OPEN_STATUSES or status == ReferralStatus.CONTACTED
    ):
        # Contacted or closed: nobody needs to call about this request any more.
        cancel_call_tasks_for_referral(referral)
    record_audit(
        actor=actor, action=AuditAction.CHANGE, resident=referral.resident, target=referral,
        summary=_("Referral %(pk)s: %(status)s") % {
            "pk": referral.pk, "status": referral.get_status_display()},
    )


def cancel_call_tasks_for_referral(referral: Referral) -> int:
    """Take a closed contact request off the call lists."""
    return CallTask.objects.open().filter(
        kind=CONTACT_REQUEST_CALL, source_type=ContentType.objects.get_for_model(Referral),
        source_id=referral.pk,
    ).update(status=CallStatus.CANCELLED)


def mark_referral_received(*, actor: User, referral: Referral) -> Referral:
    """The receiving partner opened a new referral: the sender sees it arrived.
    Does nothing when it was already seen."""
    if referral.status != ReferralStatus.REQUESTED or not may_set_status(
        actor, referral, ReferralStatus.RECEIVED
    ):
        return referral
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status == ReferralStatus.REQUESTED:
            _change_status(locked, actor=actor, status=ReferralStatus.RECEIVED)
    return locked


def on_contact_request_call(task: CallTask, actor: User) -> None:
    """Call handler for "contact_request" calls (runs inside
    ``record_call_result``'s transaction): moves the incoming referral on with
    the result of the call, so the partner sees it."""
    referral = Referral.objects.select_for_update().filter(
        pk=task.source_id, direction=Direction.IN
    ).first()
    if referral is None or not referral.is_open:
        return
    note = task.result_note
    if task.result == CallResult.REACHED:
        if referral.status != ReferralStatus.CONTACTED:
            _change_status(referral, actor=None, status=ReferralStatus.CONTACTED, note=note)
    elif task.result == CallResult.DECLINED:
        _change_status(referral, actor=None, status=ReferralStatus.DECLINED,
                       outcome=note or _("Does not want to be called"))
    elif task.result == CallResult.WRONG_NUMBER or task.attempts >= MAX_CALL_ATTEMPTS:
        # Close the call too: the person is not called again for this request.
        task.status = CallStatus.DONE
        task.save(update_fields=["status"])
        _change_status(referral, actor=None, status=ReferralStatus.UNREACHABLE,
                       note=note or task.get_result_display())
    else:
        ReferralEvent.objects.create(
            referral=referral, from_status=referral.status, to_status=referral.status,
            note=_("Not reached, try again on %(day)s") % {
                "day": task.due_on.strftime("%d/%m/%Y")},
        )


@transaction.atomic
def withdraw_consent(*, actor: User, consent: Consent, on: date | None = None) -> Consent:
    """The person withdraws a consent. From ``on`` (today) it is no longer
    valid; open referrals resting on it are cancelled and, for a consent to
    be contacted, the person is taken off every call list. New referrals
    need a new valid consent, so none can be made on this one."""
    on = on or timezone.localdate()
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ReferralError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise ReferralError(_("A consent cannot be withdrawn before it was given."))
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    _close_referrals_resting_on(consent, note=_("Consent withdrawn"))
    if consent.purpose == ConsentPurpose.CONTACT:
        cancel_call_tasks(resident=consent.resident)
    record_audit(
        actor=actor, action=AuditAction.CHANGE, resident=consent.resident, target=consent,
        summary=_("Consent withdrawn: %(purpose)s") % {"purpose": consent.get_purpose_display()},
    )
    return consent


def _close_referrals_resting_on(consent: Consent, *, note: str) -> int:
    # The system closes them: the consent, not either side, ends the referral.
    referrals = Referral.objects.select_for_update().filter(
        consent=consent, status__in=OPEN_STATUSES
    )
    count = 0
    for referral in referrals:
        _change_status(referral, actor=None, status=ReferralStatus.CANCELLED, note=note)
        count += 1
    return count


def expire_consents(today: date | None = None) -> int:
    """Nightly: close open referrals whose consent expired, and take people
    whose consent to be contacted expired off the call lists. Idempotent by
    state: a second run finds nothing open on an expired consent."""
    today = today or timezone.localdate()
    expired = Consent.objects.filter(
        expires_on__lt=today, referrals__status__in=OPEN_STATUSES
    ).distinct()
    count = 0
    for consent in expired:
        with transaction.atomic():
            consent = Consent.objects.select_for_update().get(pk=consent.pk)
            count += _close_referrals_resting_on(consent, note=_("Consent expired"))
            if consent.purpose == ConsentPurpose.CONTACT and not Consent.objects.valid_on(
                today
            ).filter(resident=consent.resident, purpose=ConsentPurpose.CONTACT).exists():
                cancel_call_tasks(resident=consent.resident, kinds=[CONTACT_REQUEST_CALL])
    return count


def send_follow_up_reminders(today: date | None = None) -> int:
    """Nightly: remind the side that works each open referral past its
    follow-up date. Each date is reminded once (claimed with a conditional
    update), so running the job twice sends nothing new."""
    today = today or timezone.localdate()
    sent = 0
    for referral in Referral.objects.due_for_follow_up(today).select_related(
        "partner", "partner_owner", "digibank_owner"
    ):
        # The claim, the history row and the e-mail in the outbox commit together.
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=referral.pk).exclude(
                reminded_for=referral.follow_up_on
            ).update(reminded_for=referral.follow_up_on)
            if not claimed:
                continue
            recipients = _follow_up_recipients(referral)
            ReferralEvent.objects.create(
                referral=referral, from_status=referral.status, to_status=referral.status,
                note=_("Follow-up reminder sent"),
            )
            queue_email(
                topic=f"outreach.follow-up:{referral.pk}:{referral.follow_up_on.isoformat()}",
                to=recipients,
                subject=_("Follow up referral #%(pk)s") % {"pk": referral.pk},
                body=_("Referral #%(pk)s (%(partner)s) was to be followed up on %(day)s. "
                       "Its status is: %(status)s.") % {
                    "pk": referral.pk, "partner": referral.partner,
                    "day": referral.follow_up_on.strftime("%d/%m/%Y"),
                    "status": referral.get_status_display()},
            )
        sent += 1
    return sent


def _follow_up_recipients(referral: Referral) -> list[str]:
    if referral.direction == Direction.OUT:
        owner = referral.partner_owner
        email = owner.email if owner and owner.email else referral.partner.email
        return [email] if email else []
    owner = referral.digibank_owner
    if owner and owner.email:
        return [owner.email]
    return list(
        User.objects.filter(groups__name="coordinator", is_active=True)
        .exclude(email="").values_list("email", flat=True)
    )


# --- QR posters -----------------------------------------------------------


def poster_for(*, point, channel) -> Poster:
    """The poster (QR short code) of ``point`` on ``channel``, made on first use."""
    poster = Poster.objects.filter(point=point, channel=channel).first()
    if poster is not None:
        return poster
    try:
        with transaction.atomic():
            return Poster.objects.create(point=point, channel=channel, code=_new_code())
    except IntegrityError:
        # A colleague made it at the same moment.
        return Poster.objects.get(point=point, channel=channel)


def _new_code() -> str:
    # 8 characters of a 32-letter alphabet without look-alikes (0/o, 1/l).
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def record_scan(*, poster: Poster) -> QrScan:
    return QrScan.objects.create(poster=poster)



# --- the digital offer guide (digikaart) ---

OFFER_SLIP = "offer_slip"
# Fields whose change is worth a line in the offer's history.
_OFFER_FIELDS_IGNORED = {"id", "created_at", "updated_at", "last_checked_by"}


class OfferChanged(Exception):
    """The offer was saved by someone else since the form was read."""


class OfferError(Exception):
    """A rule of the offer guide was broken; the message is for the user."""


def _offer_event(offer: Offer, actor: User | None, action: str, changes: str = "") -> None:
    OfferEvent.objects.create(offer=offer, actor=actor, action=action, changes=changes[:500])


def _check_owner(actor: User, provider: Partner | None) -> None:
    """A partner user works only on their own organisation's offers."""
    if actor.has_role("coordinator"):
        return
    if not (actor.has_role("partner") and actor.partner_id and provider
            and provider.pk == actor.partner_id):
        raise OfferError(_("You can only manage your own organisation's offers."))


def create_offer(*, actor: User, data: dict, topics=(), target_groups=()) -> Offer:
    """Create an offer from form data, checked today by ``actor``.

    Raises OfferError when a partner user creates an offer for another
    organisation."""
    _check_owner(actor, data.get("provider"))
    with transaction.atomic():
        offer = Offer.objects.create(
            **data, last_checked_on=timezone.localdate(), last_checked_by=actor
        )
        offer.topics.set(topics)
        offer.target_groups.set(target_groups)
        index_offers(Offer.objects.filter(pk=offer.pk))
        _offer_event(offer, actor, OfferAction.CREATED)
        offer_feed_changed()
    return offer


def update_offer(*, offer: Offer, actor: User, data: dict, topics=(), target_groups=(),
                 read_version: int | None = None) -> Offer:
    """Change an offer. Saving it counts as checking it: the owner has just
    read it through. History records which fields changed.

    ``read_version`` is the offer's ``version`` when the form was read: if
    someone saved it since (another tab, another person), OfferChanged is
    raised and nothing is written, so no change is silently overwritten."""
    _check_owner(actor, offer.provider)
    _check_owner(actor, data.get("provider", offer.provider))
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if read_version is not None and read_version != offer.version:
            raise OfferChanged(_("Someone else changed this offer in the meantime. These are "
                                 "its current values: make your change again and save."))
        offer.version += 1
        changed = [name for name, value in data.items() if getattr(offer, name) != value]
        for name, value in data.items():
            setattr(offer, name, value)
        if {t.pk for t in topics} != set(offer.topics.values_list("pk", flat=True)):
            changed.append("topics")
        if {g.pk for g in target_groups} != set(
                offer.target_groups.values_list("pk", flat=True)):
            changed.append("target_groups")
        offer.updated_at = timezone.now()
        offer.last_checked_on = timezone.localdate()
        offer.last_checked_by = actor
        offer.check_requested_on = None
        offer.save()
        offer.topics.set(topics)
        offer.target_groups.set(target_groups)
        index_offers(Offer.objects.filter(pk=offer.pk))
        _offer_event(offer, actor, OfferAction.CHANGED, ", ".join(changed))
        offer_feed_changed()
    return offer


def check_offer(*, offer: Offer, actor: User) -> Offer:
    """Confirm the offer is still correct as it stands: today becomes its
    last check and any open request to check it is cleared."""
    _check_owner(actor, offer.provider)
    if not offer.is_reachable:
        raise OfferError(_("Residents cannot reach anyone for “%(title)s”: add a phone "
                           "number, an e-mail address or a website first.") % {
            "title": offer.title})
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        offer.last_checked_on = timezone.localdate()
        offer.last_checked_by = actor
        offer.check_requested_on = None
        offer.save(update_fields=["last_checked_on", "last_checked_by", "check_requested_on"])
        _offer_event(offer, actor, OfferAction.CHECKED)
        offer_feed_changed()  # the feed shows last_checked_on
    return offer


def ask_to_check_offers(today: date | None = None) -> int:
    """Nightly: flag the offers not checked for six months, and those that
    give residents no way to reach anyone (``OfferQuerySet.unreachable``),
    and ask their owner (the partner's e-mail address, or the coordinators
    for the digibank's own offers) to check them. Each offer is claimed with
    a conditional update, so a second run asks nobody again. Returns how
    many were flagged."""
    today = today or timezone.localdate()
    flagged = 0
    current = Offer.objects.current(today)
    unreachable = set(current.unreachable().values_list("pk", flat=True))
    candidates = current.to_check(today).filter(check_requested_on__isnull=True).select_related(
        "provider")
    for offer in candidates:
        with transaction.atomic():
            claimed = Offer.objects.filter(pk=offer.pk, check_requested_on__isnull=True).update(
                check_requested_on=today)
            if not claimed:
                continue
            no_contact = offer.pk in unreachable
            _offer_event(offer, None, OfferAction.CHECK_REQUESTED,
                         "no way to reach the provider" if no_contact else "")
            queue_email(
                topic=f"outreach.offer-check:{offer.pk}:{today.isoformat()}",
                to=_offer_owner_emails(offer),
                subject=_("Please check your offer: %(title)s") % {"title": offer.title},
                body=_check_request_body(offer, no_contact),
            )
        flagged += 1
    return flagged


def _check_request_body(offer: Offer, no_contact: bool) -> str:
    values = {"title": offer.title, "day": offer.last_checked_on.strftime("%d/%m/%Y")}
    if no_contact:
        return _("The offer “%(title)s” in the digital offer guide gives residents no way to "
                 "reach anyone: no phone number, e-mail address or website, for the offer or "
                 "for your organisation. Please add one, from your login under “Offer "
                 "guide”.") % values
    return _("The offer “%(title)s” in the digital offer guide was last checked on %(day)s. "
             "Please check it is still correct, or change it, from your login under “Offer "
             "guide”.") % values


def _offer_owner_emails(offer: Offer) -> list[str]:
    if offer.provider_id:
        emails = list(User.objects.filter(partner=offer.provider_id, is_active=True)
                      .exclude(email="").values_list("email", flat=True))
        return emails or ([offer.provider.email] if offer.provider.email else [])
    return list(User.objects.filter(groups__name="coordinator", is_active=True)
                .exclude(email="").values_list("email", flat=True))


def record_offers_given(*, visit, actor: User, offers=(), sessions=()) -> list[GivenOffer]:
    """Record on ``visit`` which offers and training sessions the host
    pointed the visitor to. Giving the same one twice records it once."""
    given = []
    with transaction.atomic():
        for offer in offers:
            row, _created = GivenOffer.objects.get_or_create(
                visit=visit, offer=offer, defaults={"given_by": actor})
            given.append(row)
        for session in sessions:
            row, _created = GivenOffer.objects.get_or_create(
                visit=visit, session=session, defaults={"given_by": actor})
            given.append(row)
    return given


def send_offer_slip(*, visit, actor: User) -> bool:
    """Send the visitor the "where to go" slip of ``visit``: by e-mail, or a
    line on the point's call list when they have no e-mail. Once per visit:
    returns False when it was sent already.

    Raises OfferError when the visit has no resident or nothing was given."""
    from django.template.loader import render_to_string

    if visit.resident_id is None:
        raise OfferError(_("This visit has no resident to send the slip to."))
    given = list(visit.given_offers.select_related(
        "offer__provider", "offer__point", "session__course", "session__point",
        "session__venue"))
    if not given:
        raise OfferError(_("No offer was given at this visit."))
    with transaction.atomic():
        notification = notify_resident(
            resident=visit.resident, kind=OFFER_SLIP, source=visit, point=visit.point,
            subject=_lazy("Where to go for your question"),
            message=lambda: render_to_string("outreach/slip.txt", {"given": given}),
        )
        if notification is None:
            return False
        touch_resident(visit.resident)
        record_audit(actor=actor, action=AuditAction.CHANGE, resident=visit.resident,
                     summary=_("Offer slip sent"), target=visit)
    return True

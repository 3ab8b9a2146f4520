"""State changes of the people core. Each is one transaction that also
writes its audit row."""

import re
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.env import months
from digibank.models import AuditAction, AuditEvent, Heartbeat, Resident, User


class ResidentError(Exception):
    """A rule about residents was broken; the message is for the user."""


def normalise_phone(raw: str) -> str:
    """Keep digits only, with Belgian numbers in national form (0470…)."""
    digits = re.sub(r"\D", "", raw or "")
    if raw and raw.strip().startswith("+32"):
        digits = "0" + digits[2:]
    elif digits.startswith("0032"):
        digits = "0" + digits[4:]
    return digits


def record_audit(
    *,
    actor: User | None,
    action: str,
    summary: str,
    resident: Resident | None = None,
    target: models.Model | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit row. Call inside the transaction of the change."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        resident=resident,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
        detail=detail or {},
    )


_RESIDENT_FIELDS = (
    "first_name", "last_name", "phone", "email", "district", "birth_year", "language",
)


@transaction.atomic
def create_resident(*, actor: User | None, target_groups: Iterable = (), **fields) -> Resident:
    """Create a resident and audit it. ``fields`` are Resident field values."""
    unknown = set(fields) - set(_RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    fields["phone"] = normalise_phone(fields.get("phone", ""))
    if not (fields.get("first_name") or fields.get("last_name") or fields.get("phone")):
        raise ResidentError(_("Give at least a name or a phone number."))
    resident = Resident.objects.create(**fields)
    resident.target_groups.set(target_groups)
    record_audit(
        actor=actor, action=AuditAction.CREATE, resident=resident, target=resident,
        summary=_("Resident record created"),
    )
    return resident


@transaction.atomic
def update_resident(
    *, actor: User | None, resident: Resident, target_groups: Iterable | None = None, **fields
) -> Resident:
    """Change a resident's data; the audit row lists the changed fields."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.is_anonymised:
        raise ResidentError(_("This resident was anonymised and can no longer be changed."))
    if "phone" in fields:
        fields["phone"] = normalise_phone(fields["phone"])
    changed = sorted(name for name, value in fields.items() if getattr(resident, name) != value)
    for name, value in fields.items():
        setattr(resident, name, value)
    resident.save()
    if target_groups is not None:
        before = set(resident.target_groups.values_list("pk", flat=True))
        after = {group.pk for group in target_groups}
        if before != after:
            changed.append("target_groups")
            resident.target_groups.set(target_groups)
    if changed:
        record_audit(
            actor=actor, action=AuditAction.CHANGE, resident=resident, target=resident,
            summary=_("Resident record changed"), detail={"fields": changed},
        )
    return resident


def touch_resident(resident: Resident, day: date | None = None) -> None:
    """Mark activity (a visit, loan, enrolment…) so retention keeps the record."""
    day = day or timezone.localdate()
    Resident.objects.filter(pk=resident.pk, last_activity__lt=day).update(last_activity=day)


# Apps register functions that, given a queryset of residents, return the
# queryset of those that still have something active (a loan, an enrolment,
# an open guidance, a referral in progress). Retention never touches them.
ActivityCheck = Callable[[models.QuerySet], models.QuerySet]
_activity_checks: list[ActivityCheck] = []


def register_activity_check(check: ActivityCheck) -> ActivityCheck:
    if check not in _activity_checks:
        _activity_checks.append(check)
    return check


def residents_due_for_anonymisation(today: date | None = None) -> models.QuerySet:
    today = today or timezone.localdate()
    cutoff = today - months(settings.RETENTION_MONTHS)
    candidates = Resident.objects.active().filter(last_activity__lt=cutoff)
    for check in _activity_checks:
        candidates = candidates.exclude(pk__in=check(candidates).values("pk"))
    return candidates


def anonymise_resident(*, actor: User | None, resident: Resident, reason: str) -> bool:
    """Blank a resident's personal data, keeping district and target groups
    for anonymous statistics. Returns False when it was already anonymised."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        if resident.is_anonymised:
            return False
        resident.first_name = resident.last_name = resident.phone = resident.email = ""
        resident.birth_year = None
        resident.anonymised_at = timezone.now()
        resident.save()
        record_audit(
            actor=actor, action=AuditAction.ANONYMISE, resident=resident, target=resident,
            summary=reason,
        )
    return True


def anonymise_inactive_residents(today: date | None = None) -> int:
    """The nightly retention job: anonymise residents inactive longer than
    ``RETENTION_MONTHS`` with nothing active. Idempotent: a second run finds
    nobody left to change. Returns how many were anonymised."""
    reason = _("Retention: inactive for more than %(months)s months") % {
        "months": settings.RETENTION_MONTHS
    }
    count = 0
    for resident in residents_due_for_anonymisation(today).iterator():
        if anonymise_resident(actor=None, resident=resident, reason=reason):
            count += 1
    return count


def beat_heartbeat(name: str = "celery") -> Heartbeat:
    beat, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now()}
    )
    return beat

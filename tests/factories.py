"""Builders for tests: plain functions with sensible defaults; pass what the
test is about explicitly."""

import itertools
import uuid

from django.contrib.auth.models import Group

from digibank.models import (
    CallTask,
    Consent,
    ConsentMethod,
    District,
    Resident,
    TargetGroup,
    User,
)
from outreach.models import Partner, PartnerKind
from points.models import Point

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_district(name: str | None = None, **fields) -> District:
    name = name or f"District {_n()}"
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    return District.objects.create(name=name, slug=slug, **fields)


def make_target_group(name: str | None = None) -> TargetGroup:
    name = name or f"Group {_n()}"
    return TargetGroup.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_partner(name: str | None = None, **fields) -> Partner:
    name = name or f"Partner {_n()}"
    fields.setdefault("kind", PartnerKind.SOCIAL_SERVICES)
    return Partner.objects.create(name=name, slug=name.lower().replace(" ", "-"), **fields)


def make_point(name: str | None = None, *, district: District | None = None, **fields) -> Point:
    name = name or f"Point {_n()}"
    district = district or make_district()
    return Point.objects.create(
        name=name, slug=fields.pop("slug", name.lower().replace(" ", "-")), district=district,
        **fields,
    )


def make_user(
    role: str | None = "host",
    *,
    username: str | None = None,
    points=(),
    partner: Partner | None = None,
    password: str = "correct horse battery",
    **fields,
) -> User:
    username = username or f"{role or 'user'}{_n()}"
    if role == "partner" and partner is None:
        partner = make_partner()
    user = User.objects.create_user(
        username=username, password=password, partner=partner,
        is_staff=fields.pop("is_staff", role == "coordinator"), **fields,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for point in points:
        point.staff.add(user)
    return user


def make_resident(first_name: str = "Maria", last_name: str | None = None, **fields) -> Resident:
    last_name = last_name if last_name is not None else f"Peeters{_n()}"
    return Resident.objects.create(first_name=first_name, last_name=last_name, **fields)


def make_consent(resident: Resident, purpose: str, **fields) -> Consent:
    fields.setdefault("method", ConsentMethod.VERBAL)
    return Consent.objects.create(resident=resident, purpose=purpose, **fields)


def make_call_task(resident: Resident | None = None, *, point: Point | None = None,
                   **fields) -> CallTask:
    fields.setdefault("kind", "test")
    fields.setdefault("subject", "Reminder")
    fields.setdefault("message", "Tomorrow at 10:00")
    return CallTask.objects.create(
        resident=resident or make_resident(phone="0470000000"), point=point, **fields
    )


def new_form_key() -> str:
    """A one-time submit key, as the counter form renders one."""
    return str(uuid.uuid4())

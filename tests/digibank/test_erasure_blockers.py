"""A refused erasure lists each record that is still running, with a link
to it and what to do, for every kind of blocking record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.models import DeviceKind, LoanSlot, LoanStatus, Reservation, SubscriptionStatus
from digibank.models import Resident
from digibank.services import ErasureError, erase_resident, erasure_blockers, has_active_records
from outreach.models import ReferralStatus
from points.models import VisitStatus
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user
from tests.outreach.factories import make_referral
from tests.points.factories import make_visit
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import EnrolmentStatus

pytestmark = pytest.mark.django_db


def _kinds(resident) -> list[str]:
    return sorted(blocker.kind for blocker in erasure_blockers(resident))


def _only(resident, kind: str):
    blockers = [b for b in erasure_blockers(resident) if b.kind == kind]
    assert len(blockers) == 1
    return blockers[0]


def _refused_with(resident) -> list:
    with pytest.raises(ErasureError) as refused:
        erase_resident(actor=None, resident=resident, reason="Vraag van de inwoner")
    return refused.value.blockers


def test_an_open_visit_blocks_with_what_to_do():
    resident = make_resident("Maria")
    make_visit(make_point("Bib"), status=VisitStatus.WAITING, resident=resident)
    blocker = _only(resident, "visit")
    assert "Bib" in blocker.what
    assert blocker.url == reverse("residents:detail", args=[resident.pk])
    assert "Rond het bezoek af" in blocker.todo
    assert [b.kind for b in _refused_with(resident)] == ["visit"]


@pytest.mark.parametrize(("status", "words"), [
    (EnrolmentStatus.ENROLLED, "Ingeschreven voor"),
    (EnrolmentStatus.WAITING, "Op de wachtlijst voor"),
])
def test_an_enrolment_to_come_blocks_and_links_to_its_session(status, words):
    resident = make_resident("Maria")
    session = make_session(starts_at=timezone.now() + timedelta(days=5))
    make_enrolment(session, resident, status=status)
    blocker = _only(resident, "enrolment")
    assert blocker.what.startswith(words)
    assert blocker.url == reverse("trainings:session-detail", args=[session.pk])
    assert [b.kind for b in _refused_with(resident)] == ["enrolment"]


def test_an_active_loan_blocks_and_links_to_the_device():
    resident = make_resident("Maria")
    subscription = make_subscription(resident)
    device = make_device()
    make_loan(device, subscription, status=LoanStatus.ISSUED, handed_out_at=timezone.now())
    blocker = _only(resident, "loan")
    assert device.asset_tag in blocker.what
    assert blocker.url == reverse("devices:device-detail", args=[device.asset_tag])
    assert "Neem het toestel terug" in blocker.todo
    assert set(_kinds(resident)) == {"loan", "subscription"}


def test_an_open_subscription_blocks_and_links_to_it():
    resident = make_resident("Maria")
    subscription = make_subscription(resident, status=SubscriptionStatus.ACTIVE)
    blocker = _only(resident, "subscription")
    assert blocker.url == reverse("devices:subscription-change", args=[subscription.pk])
    assert [b.kind for b in _refused_with(resident)] == ["subscription"]


def test_an_open_reservation_blocks_and_links_to_the_reservations():
    resident = make_resident("Maria")
    subscription = make_subscription(resident, status=SubscriptionStatus.ACTIVE)
    Reservation.objects.create(subscription=subscription, resident=resident,
                               kind=DeviceKind.LAPTOP, slot=LoanSlot.LAPTOP,
                               pickup_point=make_point())
    blocker = _only(resident, "reservation")
    assert blocker.url == reverse("devices:reservations")
    assert "laptop" in blocker.what


def test_an_open_repair_of_a_lent_device_blocks_and_links_to_the_ticket():
    resident = make_resident("Maria")
    loan = make_loan(make_device(), make_subscription(resident, status=SubscriptionStatus.ENDED),
                     status=LoanStatus.RETURNED)
    ticket = make_ticket(loan=loan)
    blocker = _only(resident, "repair")
    assert blocker.url == reverse("atelier:ticket-detail", args=[ticket.pk])
    assert [b.kind for b in _refused_with(resident)] == ["repair"]


def test_an_open_referral_blocks_and_links_to_it():
    resident = make_resident("Maria", phone="0470000001")
    referral = make_referral(resident=resident, status=ReferralStatus.REQUESTED)
    blocker = _only(resident, "referral")
    assert referral.partner.name in blocker.what
    assert blocker.url == reverse("outreach:referral-detail", args=[referral.pk])
    assert [b.kind for b in _refused_with(resident)] == ["referral"]


def test_every_resident_kept_by_an_activity_check_has_a_blocker_listed():
    """The two lists say the same: what keeps a resident from retention
    and erasure is what the erasure page lists."""
    resident = make_resident("Maria", phone="0470000001")
    make_visit(make_point(), status=VisitStatus.WAITING, resident=resident)
    make_referral(resident=resident)
    make_enrolment(make_session(starts_at=timezone.now() + timedelta(days=5)), resident)
    subscription = make_subscription(resident)
    make_loan(make_device(), subscription, handed_out_at=timezone.now())
    assert has_active_records(resident)
    assert _kinds(resident) == ["enrolment", "loan", "referral", "subscription", "visit"]
    nothing = make_resident("Jan")
    assert not has_active_records(nothing) and erasure_blockers(nothing) == []


def test_the_erasure_page_lists_each_blocker_with_its_link_and_what_to_do(client):
    resident = make_resident("Maria", phone="0470000001")
    referral = make_referral(resident=resident)
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("residents:erase", args=[resident.pk]),
                           {"reason": "Vraag", "confirm": "on"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Sluit eerst af wat nog loopt (1 ding)" in text
    assert f'href="{reverse("outreach:referral-detail", args=[referral.pk])}"' in text
    assert "Wat te doen: Sluit de doorverwijzing af" in text
    assert "bijvoorbeeld" not in text
    assert Resident.objects.get(pk=resident.pk).anonymised_at is None


def test_the_erasure_page_shows_the_blockers_before_anyone_tries(client):
    resident = make_resident("Maria", phone="0470000001")
    make_referral(resident=resident)
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("residents:erase", args=[resident.pk])).content.decode()
    assert "Sluit eerst af wat nog loopt (1 ding)" in text

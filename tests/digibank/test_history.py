"""History rows (digibank.models.HistoryEvent and its subclasses): their
order, and the admin showing them read-only under their record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.models import DeviceEvent, DeviceStatus
from outreach.models import OfferAction, OfferEvent, ReferralEvent, ReferralStatus
from points.models import VisitEvent, VisitStatus
from tests.devices.factories import make_device
from tests.factories import make_point, make_user
from tests.outreach.factories import make_offer, make_referral
from tests.points.factories import make_visit

pytestmark = pytest.mark.django_db


def test_a_referrals_history_reads_oldest_first():
    referral = make_referral()  # writes its "requested" row now
    requested = referral.events.get()
    earlier = ReferralEvent.objects.create(referral=referral, at=requested.at - timedelta(hours=1),
                                           to_status=ReferralStatus.REQUESTED)
    assert list(referral.events.all()) == [earlier, requested]


def test_a_devices_history_reads_newest_first():
    device = make_device()
    now = timezone.now()
    earlier = DeviceEvent.objects.create(device=device, at=now - timedelta(hours=1),
                                         to_status=DeviceStatus.RECEIVED)
    later = DeviceEvent.objects.create(device=device, at=now, to_status=DeviceStatus.READY)
    assert list(device.events.all()) == [later, earlier]


def test_a_history_row_without_a_moment_is_stamped_now():
    before = timezone.now()
    event = ReferralEvent.objects.create(referral=make_referral(),
                                         to_status=ReferralStatus.REQUESTED)
    assert before <= event.at <= timezone.now()


def _visit_with_history():
    visit = make_visit(make_point())  # with its "waiting" row
    VisitEvent.objects.create(visit=visit, at=timezone.now(), from_status=VisitStatus.WAITING,
                              to_status=VisitStatus.LEFT, note="Wachtte te lang")
    return "points_visit", visit.pk, 2


def _referral_with_history():
    referral = make_referral()  # with its "requested" row
    ReferralEvent.objects.create(referral=referral, to_status=ReferralStatus.REQUESTED,
                                 note="Wachtte te lang")
    return "outreach_referral", referral.pk, 2


def _offer_with_history():
    offer = make_offer()
    OfferEvent.objects.create(offer=offer, action=OfferAction.CHANGED,
                              changes="Wachtte te lang")
    return "outreach_offer", offer.pk, 1


def _device_with_history():
    device = make_device()
    DeviceEvent.objects.create(device=device, to_status=DeviceStatus.READY,
                               note="Wachtte te lang")
    return "devices_device", device.pk, 1


@pytest.mark.parametrize("build", [
    _visit_with_history, _referral_with_history, _offer_with_history, _device_with_history,
])
def test_admin_shows_a_records_history_without_adding_or_deleting_rows(client, build):
    client.force_login(make_user("coordinator", is_superuser=True))
    model, pk, rows = build()
    response = client.get(reverse(f"admin:{model}_change", args=[pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wachtte te lang" in page
    assert f'name="events-TOTAL_FORMS" value="{rows}"' in page
    assert "events-0-DELETE" not in page
    assert "events-empty" not in page  # the blank row "add another" copies

"""Hand-out and return show what the person has before the host types or
saves anything (issue 14, problem 6)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.models import DeviceKind, Loan, LoanStatus, Reservation
from digibank.models import AuditEvent
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def host_client(client, point):
    client.force_login(make_user("host", points=[point]))
    return client


def test_the_hand_out_shows_the_device_they_have_and_a_reservation_elsewhere(
        host_client, point):
    subscription = make_subscription(make_resident("Olena", "Kovalenko"))
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00042"), subscription,
              handed_out_at=timezone.now())
    Reservation.objects.create(subscription=subscription, resident=subscription.resident,
                               kind=DeviceKind.TABLET, slot="mobile",
                               pickup_point=make_point("Bib Noord"))
    response = host_client.get(reverse("devices:hand-out"),
                               {"inwoner": subscription.resident_id})
    content = response.content.decode()
    has_now = content[content.index('data-testid="has-now"'):content.index("2. Toestel")]
    assert "DB-00042" in has_now
    assert "Bib Noord" in has_now and "op een andere plaats" in has_now


def test_a_second_laptop_is_refused_naming_the_laptop_they_have(host_client, point):
    subscription = make_subscription()
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00042"), subscription,
              handed_out_at=timezone.now())
    device = make_device(point=point)
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": point.pk, "device": device.asset_tag,
        "agreement": "paper"})
    error = str(response.context["form"].errors["device"])
    assert "Laptop DB-00042" in error and timezone.localdate().strftime("%d/%m/%Y") in error


def test_a_laptop_reserved_elsewhere_is_named_when_a_second_is_refused(host_client, point):
    subscription = make_subscription()
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00050"), subscription,
              status=LoanStatus.RESERVED, pickup_point=make_point("Bib Noord"))
    device = make_device(point=point)
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": point.pk, "device": device.asset_tag,
        "agreement": "paper"})
    error = str(response.context["form"].errors["device"])
    assert "DB-00050" in error and "Bib Noord" in error


def test_the_return_shows_whose_device_it_is_before_saving(host_client, point):
    device = make_device(DeviceKind.TABLET, asset_tag="DB-00077")
    loan = make_loan(device, make_subscription(make_resident("Olena", "Kovalenko")),
                     handed_out_at=timezone.now())
    response = host_client.get(reverse("devices:return"), {"device": "db-00077"}, **HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "is uitgeleend aan Olena Kovalenko" in content
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ISSUED
    assert AuditEvent.objects.filter(resident=loan.resident, action="view").exists()


def test_the_return_page_looks_up_the_borrower_without_javascript(host_client, point):
    make_loan(make_device(DeviceKind.TABLET, asset_tag="DB-00077"),
              make_subscription(make_resident("Olena", "Kovalenko")))
    response = host_client.get(reverse("devices:return"),
                               {"device": "DB-00077", "place": point.pk})
    content = response.content.decode()
    assert "is uitgeleend aan Olena Kovalenko" in content
    assert 'value="DB-00077"' in content
    assert Loan.objects.get().status == LoanStatus.ISSUED


def test_the_return_says_when_a_device_is_not_lent(host_client, point):
    make_device(point=point, asset_tag="DB-00099")
    content = host_client.get(reverse("devices:return"), {"device": "DB-00099"},
                              **HTMX).content.decode()
    assert "DB-00099 is niet uitgeleend" in content

"""A host's device page offers only what the host may open: every link on
it answers, every form on it posts to a screen hosts may use, and loans at
other points show neither the borrower nor an agreement button."""

from html.parser import HTMLParser

import pytest
from django.urls import resolve, reverse

from devices.models import DeviceKind, DeviceStatus, LoanStatus
from devices.services import report_defect, send_to_point
from tests.access import PUBLIC
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user
from tests.test_access_matrix import ACCESS

pytestmark = pytest.mark.django_db


class _Targets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("action") or "").startswith("/"):
            self.forms.append(attrs["action"])


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def elsewhere():
    return make_point("Sociaal Huis")


@pytest.fixture
def host_client(client, point):
    client.force_login(make_user("host", points=[point]))
    return client


def _devices(point, elsewhere):
    """A device in each state a host meets, lent here and elsewhere."""
    here = make_device(DeviceKind.LAPTOP)
    make_loan(here, make_subscription(make_resident("Rita", "Claes")),
              handed_out_at_point=point)
    there = make_device(DeviceKind.LAPTOP)
    make_loan(there, make_subscription(make_resident("Olena", "Kovalenko")),
              handed_out_at_point=elsewhere)
    reserved = make_device(DeviceKind.TABLET, status=DeviceStatus.RESERVED, point=elsewhere)
    make_loan(reserved, make_subscription(make_resident("Jan", "Peeters")),
              status=LoanStatus.RESERVED, pickup_point=elsewhere)
    coming = make_device(DeviceKind.TABLET, status=DeviceStatus.READY)
    send_to_point(actor=None, device=coming, point=point)
    broken = make_device(DeviceKind.TABLET, point=point)
    report_defect(actor=None, device=broken, point=point, problem="Scherm gebarsten")
    return [here, there, reserved, coming, broken,
            make_device(DeviceKind.LAPTOP, point=point)]


def test_every_link_on_a_hosts_device_page_opens_for_the_host(host_client, point, elsewhere):
    for device in _devices(point, elsewhere):
        page = host_client.get(reverse("devices:device-detail", args=[device.asset_tag]))
        assert page.status_code == 200
        targets = _Targets()
        targets.feed(page.content.decode())
        for href in targets.links:
            response = host_client.get(href)
            assert response.status_code not in (403, 404), (device.asset_tag, href)
        for action in targets.forms:
            roles = ACCESS[resolve(action).view_name].roles
            assert roles == PUBLIC or "host" in roles, (device.asset_tag, action)


def test_host_sees_no_agreement_or_borrower_of_a_loan_at_another_point(
        host_client, point, elsewhere):
    device = make_device()
    loan = make_loan(device, make_subscription(make_resident("Olena", "Kovalenko")),
                     handed_out_at_point=elsewhere)
    content = host_client.get(reverse("devices:device-detail",
                                      args=[device.asset_tag])).content.decode()
    assert reverse("devices:loan-agreement", args=[loan.pk]) not in content
    assert "Kovalenko" not in content
    assert "iemand van een ander punt" in content


def test_host_opens_the_agreement_of_a_loan_at_their_point(host_client, point):
    device = make_device()
    loan = make_loan(device, make_subscription(make_resident("Rita", "Claes")),
                     handed_out_at_point=point)
    content = host_client.get(reverse("devices:device-detail",
                                      args=[device.asset_tag])).content.decode()
    agreement = reverse("devices:loan-agreement", args=[loan.pk])
    assert agreement in content and "Rita Claes" in content
    assert host_client.get(agreement).status_code == 200


def test_coordinator_sees_the_borrower_of_any_loan(client, elsewhere):
    client.force_login(make_user("coordinator"))
    device = make_device()
    make_loan(device, make_subscription(make_resident("Olena", "Kovalenko")),
              handed_out_at_point=elsewhere)
    content = client.get(reverse("devices:device-detail",
                                 args=[device.asset_tag])).content.decode()
    assert "Olena Kovalenko" in content

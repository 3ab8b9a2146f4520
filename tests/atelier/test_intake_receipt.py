"""The counter's repair intake prints a receipt for the resident: their
words, the repair number, what happens next and whom to ask; a replacement
handed out on the spot gets its own loan agreement."""

import pytest
from django.urls import reverse

from atelier.models import RepairTicket
from devices.models import DeviceKind, Loan
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Digibank Sociaal Huis", phone="015 29 42 00", street="Lange Schipstraat 27",
                      postcode="2800")


@pytest.fixture
def host_client(client, point):
    client.force_login(make_user("host", points=[point]))
    return client


@pytest.fixture
def lent_tablet():
    device = make_device(DeviceKind.TABLET, brand="Samsung", model_name="Galaxy Tab A7")
    make_loan(device, make_subscription(make_resident("Fatima", "El Amrani")))
    return device


def test_intake_leads_to_the_residents_receipt(host_client, point, lent_tablet):
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": lent_tablet.asset_tag,
        "problem": "Het scherm blijft zwart als ik hem opzet"})
    ticket = RepairTicket.objects.get()
    assert response["Location"] == reverse("atelier:intake-receipt", args=[ticket.pk])


def test_receipt_tells_the_residents_words_number_next_step_and_phone(
        host_client, point, lent_tablet):
    host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": lent_tablet.asset_tag,
        "problem": "Het scherm blijft zwart als ik hem opzet"})
    ticket = RepairTicket.objects.get()
    content = host_client.get(reverse("atelier:intake-receipt",
                                      args=[ticket.pk])).content.decode()
    assert "Het scherm blijft zwart als ik hem opzet" in content
    assert f"Herstelnummer: <strong>{ticket.pk}</strong>" in content
    assert "Fatima El Amrani" in content
    assert "wacht het op je in Digibank Sociaal Huis" in content
    assert "015 29 42 00" in content


def test_replacement_on_the_spot_gets_its_own_loan_agreement(host_client, point, lent_tablet):
    spare = make_device(DeviceKind.TABLET, point=point)
    host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": lent_tablet.asset_tag, "problem": "Laadt niet op",
        "replacement": spare.asset_tag})
    ticket = RepairTicket.objects.get()
    new_loan = Loan.objects.get(device=spare)
    receipt = host_client.get(reverse("atelier:intake-receipt",
                                      args=[ticket.pk])).content.decode()
    agreement_url = reverse("devices:loan-agreement", args=[new_loan.pk])
    assert agreement_url in receipt and spare.asset_tag in receipt
    agreement = host_client.get(agreement_url).content.decode()
    assert spare.asset_tag in agreement and "Fatima El Amrani" in agreement
    assert f"{lent_tablet.asset_tag}, binnengebracht voor herstelling" in agreement


def test_host_of_another_point_cannot_open_the_receipt(client, point):
    ticket = make_ticket(point=point)
    client.force_login(make_user("host", points=[make_point("Elders")]))
    response = client.get(reverse("atelier:intake-receipt", args=[ticket.pk]))
    assert response.status_code == 403

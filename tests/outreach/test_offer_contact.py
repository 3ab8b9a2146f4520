"""Offers get a phone or a reason why not (form, database), and the
"still correct?" job and list flag offers that give residents no way to
reach anyone."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from outreach.models import Offer, OfferAction, OfferEvent
from outreach.services import OfferError, ask_to_check_offers, check_offer
from tests.factories import make_partner, make_user
from tests.outreach.factories import make_offer

pytestmark = pytest.mark.django_db


def _post(client, user, **overrides):
    client.force_login(user)
    data = {"title": "Vragenuur", "description": "Hulp.", "kind": "helpdesk",
            "address": "Melaan 20, 2800 Mechelen", "price_kind": "free", "languages": ["nl"],
            "is_published": "on"}
    data.update(overrides)
    return client.post(reverse("outreach:offer-create"), data)


def _unreachable_partner_user():
    user = make_user("partner")
    user.partner.phone = user.partner.email = ""
    user.partner.save()
    return user


def test_offer_without_phone_or_reason_is_refused_next_to_the_phone(client):
    response = _post(client, make_user("coordinator"))
    assert "contact_phone" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_offer_with_a_phone_and_a_reason_is_refused(client):
    response = _post(client, make_user("coordinator"), contact_phone="015 21 22 23",
                     no_phone_reason="Alleen online.")
    assert "no_phone_reason" in response.context["form"].errors


def test_offer_with_a_phone_of_too_few_digits_is_refused(client):
    response = _post(client, make_user("coordinator"), contact_phone="1234")
    assert "contact_phone" in response.context["form"].errors


def test_offer_with_a_reason_is_saved(client):
    response = _post(client, make_user("coordinator"), no_phone_reason="Alleen online.")
    assert response.status_code == 302
    assert Offer.objects.get().no_phone_reason == "Alleen online."


def test_partner_without_contact_must_give_a_way_to_reach_someone(client):
    user = _unreachable_partner_user()
    response = _post(client, user, no_phone_reason="Alleen online.")
    assert "contact_email" in response.context["form"].errors
    response = _post(client, user, no_phone_reason="Alleen online.",
                     website="https://aanbod.example/")
    assert response.status_code == 302


def test_database_refuses_a_phone_and_a_reason():
    with pytest.raises(IntegrityError):
        make_offer(contact_phone="015 21 22 23", no_phone_reason="Alleen online.")


def test_offer_page_says_why_there_is_no_phone(client):
    offer = make_offer("Wifi", no_phone_reason="Kies het netwerk ‘Mechelen-gratis’.")
    body = client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()
    assert "Geen telefoon: Kies het netwerk ‘Mechelen-gratis’." in body


# --- the "still correct?" job and list ---


@time_machine.travel("2026-11-26 06:40 +01:00", tick=False)
def test_job_flags_an_offer_nobody_can_be_reached_for_and_says_why(
        mailoutbox, django_capture_on_commit_callbacks):
    user = _unreachable_partner_user()
    user.email = "pieter@zorgzaam.example"
    user.save()
    lost = make_offer("Zonder contact", provider=user.partner, contact_phone="",
                      no_phone_reason="Alleen online.", last_checked_on=date(2026, 11, 1))
    make_offer("Met telefoon", provider=user.partner, last_checked_on=date(2026, 11, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_to_check_offers() == 1
    lost.refresh_from_db()
    assert lost.check_requested_on == date(2026, 11, 26)
    assert OfferEvent.objects.get(action=OfferAction.CHECK_REQUESTED).changes == (
        "no way to reach the provider")
    [mail] = mailoutbox
    assert mail.to == ["pieter@zorgzaam.example"] and "geen telefoonnummer" in mail.body


@time_machine.travel("2026-11-26 06:40 +01:00", tick=False)
def test_job_does_not_flag_an_offer_whose_provider_can_be_reached():
    make_offer("Via de partner", provider=make_partner(phone="015 29 41 00"), contact_phone="",
               no_phone_reason="Bel de bib.", last_checked_on=date(2026, 11, 1))
    make_offer("Van de digibank", contact_phone="", no_phone_reason="Kom langs.",
               last_checked_on=date(2026, 11, 1))
    assert ask_to_check_offers() == 0


def test_still_correct_is_refused_while_nobody_can_be_reached(client):
    user = _unreachable_partner_user()
    offer = make_offer("Zonder contact", provider=user.partner, contact_phone="",
                       no_phone_reason="Alleen online.", last_checked_on=date(2025, 1, 1))
    with pytest.raises(OfferError):
        check_offer(offer=offer, actor=user)
    client.force_login(user)
    response = client.post(reverse("outreach:offer-check", args=[offer.pk]), follow=True)
    assert "Inwoners kunnen niemand bereiken" in response.content.decode()
    offer.refresh_from_db()
    assert offer.last_checked_on == date(2025, 1, 1)


def test_list_to_check_shows_offers_nobody_can_be_reached_for(client):
    user = _unreachable_partner_user()
    make_offer("Zonder contact", provider=user.partner, contact_phone="",
               no_phone_reason="Alleen online.")
    make_offer("Met telefoon", provider=user.partner)
    client.force_login(user)
    response = client.get(reverse("outreach:offer-manage"), {"controle": "1"})
    assert [offer.title for offer in response.context["page"]] == ["Zonder contact"]
    assert 'data-testid="no-contact"' in response.content.decode()

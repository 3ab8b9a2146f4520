"""The offer guide's screens: the public guide and its open data, and the
owners' editing screens (the counter's panel and slip: tests/counter/)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import GivenOffer, Offer, OfferKind
from tests.factories import (
    make_district,
    make_partner,
    make_point,
    make_target_group,
    make_user,
)
from tests.outreach.factories import make_offer, make_visit
from tests.points.factories import make_topic

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point():
    return make_point("Balie")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


def _titles(response) -> list[str]:
    return [offer.title for offer in response.context["page"].object_list]


# --- the public guide ---


def test_public_guide_is_open_to_anonymous_visitors(client):
    make_offer("Vragenuurtje")
    response = client.get(reverse("outreach:offer-list"))
    assert response.status_code == 200 and _titles(response) == ["Vragenuurtje"]


def test_public_guide_filters_by_topic(client):
    itsme = make_topic("itsme")
    make_offer("Itsme-les", topics=[itsme])
    make_offer("Bankles", topics=[make_topic("bank")])
    response = client.get(reverse("outreach:offer-list"), {"thema": itsme.slug})
    assert _titles(response) == ["Itsme-les"]


def test_public_guide_filters_free_offers(client):
    make_offer("Gratis")
    make_offer("Betalend", cost_eur=30)
    response = client.get(reverse("outreach:offer-list"), {"gratis": "on"})
    assert _titles(response) == ["Gratis"]


def test_public_guide_district_filter_keeps_online_offers(client):
    battel, walem = make_district("Battel"), make_district("Walem")
    make_offer("In Battel", district=battel)
    make_offer("In Walem", district=walem)
    make_offer("Hulplijn", is_online=True)
    response = client.get(reverse("outreach:offer-list"), {"wijk": battel.slug})
    assert _titles(response) == ["In Battel", "Hulplijn"]


def test_public_guide_target_group_filter_keeps_offers_for_everybody(client):
    elderly = make_target_group("Ouderen")
    make_offer("Voor ouderen", target_groups=[elderly])
    make_offer("Voor iedereen")
    make_offer("Voor ouders", target_groups=[make_target_group("Ouders")])
    response = client.get(reverse("outreach:offer-list"), {"doelgroep": elderly.slug})
    assert sorted(_titles(response)) == ["Voor iedereen", "Voor ouderen"]


def test_public_guide_filters_by_language(client):
    make_offer("In het Arabisch", languages="ar,nl")
    make_offer("Alleen Nederlands")
    response = client.get(reverse("outreach:offer-list"), {"taal": "ar"})
    assert _titles(response) == ["In het Arabisch"]


def test_cheapest_internet_comes_first_when_filtering_internet(client):
    make_offer("Duur", kind=OfferKind.INTERNET, monthly_price=40)
    make_offer("Goedkoop", kind=OfferKind.INTERNET, monthly_price=10)
    make_offer("Sociaal", kind=OfferKind.INTERNET, monthly_price=19, is_social_tariff=True)
    make_offer("Geen internet")
    response = client.get(reverse("outreach:offer-list"), {"soort": "internet"})
    assert _titles(response) == ["Goedkoop", "Sociaal", "Duur"]
    social = client.get(reverse("outreach:offer-list"), {"sociaal": "on"})
    assert _titles(social) == ["Sociaal"]


def test_public_guide_hides_expired_offers(client):
    make_offer("Voorbij", valid_until=timezone.localdate() - timedelta(days=1))
    assert _titles(client.get(reverse("outreach:offer-list"))) == []



def test_offer_page_shows_how_to_enrol_and_a_map_link(client):
    offer = make_offer("Itsme-les", how_to_enrol="Bel de bib.")
    body = client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()
    assert "Bel de bib." in body and "openstreetmap.org/search" in body


def test_public_guide_filter_by_htmx_returns_the_results_fragment(client):
    make_offer("Vragenuurtje")
    body = client.get(reverse("outreach:offer-list"), **HTMX).content.decode()
    assert "<html" not in body and 'id="offer-results"' in body


@pytest.mark.parametrize("rows", [5, 60])
def test_public_guide_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    topic, group = make_topic("itsme"), make_target_group()
    for number in range(rows):
        make_offer(f"Aanbod {number}", topics=[topic], target_groups=[group],
                   provider=make_partner())
    with django_assert_max_num_queries(8):
        client.get(reverse("outreach:offer-list"))


@pytest.mark.parametrize("rows", [5, 60])
def test_open_data_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    topic = make_topic("itsme")
    for number in range(rows):
        make_offer(f"Aanbod {number}", topics=[topic], provider=make_partner())
    with django_assert_max_num_queries(6):
        response = client.get(reverse("outreach:offer-open-data"))
    assert len(response.json()["offers"]) == rows


def test_open_data_lists_internet_fields_of_current_offers(client):
    make_offer("Sociaal", kind=OfferKind.INTERNET, monthly_price=19, is_social_tariff=True,
               proof_needed="Attest")
    make_offer("Voorbij", valid_until=date(2020, 1, 1))
    offers = client.get(reverse("outreach:offer-open-data")).json()["offers"]
    assert [o["title"] for o in offers] == ["Sociaal"]
    assert offers[0]["internet"]["monthly_price_eur"] == "19.00"
    assert offers[0]["internet"]["proof_needed"] == "Attest"


# --- keeping offers true ---


def _offer_post(**overrides) -> dict:
    data = {"title": "Vragenuurtje", "description": "Hulp met je smartphone.",
            "kind": OfferKind.HELP_DESK, "address": "Melaan 20, 2800 Mechelen",
            "price_kind": "free", "languages": ["nl"], "is_published": "on",
            "contact_phone": "015 21 22 23"}
    data.update(overrides)
    return data


def test_partner_creates_an_offer_for_its_own_organisation(client):
    partner = make_user("partner")
    client.force_login(partner)
    response = client.post(reverse("outreach:offer-create"),
                           _offer_post(provider=make_partner().pk))
    assert response.status_code == 302
    assert Offer.objects.get().provider == partner.partner


def test_partner_sees_only_its_own_offers(client):
    partner = make_user("partner")
    make_offer("Eigen", provider=partner.partner)
    make_offer("Van een ander", provider=make_partner())
    client.force_login(partner)
    assert _titles(client.get(reverse("outreach:offer-manage"))) == ["Eigen"]


@pytest.mark.parametrize("name,method", [("outreach:offer-edit", "get"),
                                         ("outreach:offer-edit", "post"),
                                         ("outreach:offer-check", "post")])
def test_partner_gets_404_for_another_partners_offer(client, name, method):
    other = make_offer("Van een ander", provider=make_partner(), last_checked_on=date(2025, 1, 1))
    client.force_login(make_user("partner"))
    response = getattr(client, method)(reverse(name, args=[other.pk]), _offer_post())
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title == "Van een ander" and other.last_checked_on == date(2025, 1, 1)


def test_offer_form_without_a_place_shows_an_error_and_saves_nothing(client):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"), _offer_post(address=""))
    assert "address" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_coordinator_sees_the_offers_not_checked_for_six_months(client):
    make_offer("Oud", last_checked_on=timezone.localdate() - timedelta(days=200))
    make_offer("Recent")
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("outreach:offer-manage"), {"controle": "1"})
    assert _titles(response) == ["Oud"]


@pytest.mark.parametrize("rows", [5, 60])
def test_manage_list_query_count_does_not_grow(client, rows, django_assert_max_num_queries):
    coordinator = make_user("coordinator")
    for number in range(rows):
        make_offer(f"Aanbod {number}", provider=make_partner(), last_checked_by=coordinator)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        client.get(reverse("outreach:offer-manage"))


def test_still_correct_button_marks_the_offer_checked_today(client):
    partner = make_user("partner")
    offer = make_offer(provider=partner.partner, last_checked_on=date(2025, 1, 1))
    client.force_login(partner)
    client.post(reverse("outreach:offer-check", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.last_checked_on == timezone.localdate()


def test_manage_list_shows_how_often_an_offer_was_given(client, point):
    coordinator = make_user("coordinator")
    offer = make_offer("Vragenuurtje")
    for _number in range(3):
        GivenOffer.objects.create(visit=make_visit(point), offer=offer)
    client.force_login(coordinator)
    response = client.get(reverse("outreach:offer-manage"))
    assert response.context["page"].object_list[0].given_count == 3


def test_an_ended_offers_page_answers_gone_with_similar_offers(client):
    topic = make_topic("Bankapp")
    ended = make_offer("Oude bankles", topics=[topic],
                       valid_until=timezone.localdate() - timedelta(days=3))
    make_offer("Nieuwe bankles", topics=[topic])
    response = client.get(reverse("outreach:offer-detail", args=[ended.pk]))
    body = response.content.decode()
    assert response.status_code == 410
    assert "Dit aanbod is afgelopen" in body and "Nieuwe bankles" in body


def test_an_unpublished_offers_page_is_not_found(client):
    offer = make_offer("Verborgen", is_published=False)
    assert client.get(reverse("outreach:offer-detail", args=[offer.pk])).status_code == 404

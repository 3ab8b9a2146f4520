"""What the public guide says around a search: the count near the box after
a search, a zero result without blaming filters nobody chose, a search of
only small words, a typo's "Did you mean"; and where residents find it."""

import pytest
from django.urls import reverse

from outreach.models import OfferKind
from tests.outreach.factories import make_offer

pytestmark = pytest.mark.django_db


def test_htmx_search_answers_the_count_and_a_link_to_the_results_for_the_box(client):
    make_offer("Sociaal tarief internet", kind=OfferKind.INTERNET, monthly_price=19,
               is_social_tariff=True, description="Goedkoop internet.")
    response = client.get(reverse("outreach:offer-list"), {"zoek": "internet"},
                          headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="offer-status"' in body and 'data-hx-swap-oob="innerHTML"' in body
    assert "1 resultaat" in body and "Naar de resultaten" in body


def test_a_search_without_filters_that_finds_nothing_does_not_ask_for_fewer_filters(client):
    make_offer("Vragenuur")
    body = client.get(reverse("outreach:offer-list"), {"zoek": "zzzzqqq"}).content.decode()
    assert "minder filters" not in body
    assert "Probeer andere woorden" in body


def test_a_filter_that_finds_nothing_asks_for_fewer_filters(client):
    make_offer("Vragenuur")
    body = client.get(reverse("outreach:offer-list"), {"gratis": "on", "soort": "device"}
                      ).content.decode()
    assert "minder filters" in body


@pytest.mark.parametrize("text", ["de", "?"])
def test_a_search_of_only_small_words_or_signs_says_so(client, text):
    make_offer("Vragenuur")
    body = client.get(reverse("outreach:offer-list"), {"zoek": text}).content.decode()
    assert 'data-testid="search-notice"' in body


def test_a_typo_offers_the_word_it_probably_meant(client):
    make_offer("Goedkoop internet thuis", kind=OfferKind.INTERNET, monthly_price=19)
    response = client.get(reverse("outreach:offer-list"), {"zoek": "interent"})
    body = response.content.decode()
    assert "Bedoelde je" in body and "?zoek=internet" in body
    assert response.context["page"].paginator.count == 1


def test_home_page_and_public_menu_link_to_the_guide_and_the_trainings(client):
    body = client.get("/").content.decode()
    assert body.count('href="/aanbod/"') >= 2
    assert body.count('href="/opleidingen/"') >= 2
    assert "Lessen en hulp (digikaart)" in body

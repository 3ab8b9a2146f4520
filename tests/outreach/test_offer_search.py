"""Search in residents' words (outreach.search) with the PostgreSQL text
search and the simple fallback SQLite uses: words and synonyms, synonyms
kept as data, the stored text kept current, and the guide and the counter
panel using the same search. (The phrasing table on the demo's offers:
test_offer_search_phrasings.py.)"""

import pytest
from django.urls import reverse

from outreach.models import Offer, SearchSynonym
from outreach.search import parse, search_offers
from outreach.services import update_offer
from tests.factories import make_partner, make_point, make_target_group, make_user
from tests.outreach.conftest import search_titles
from tests.outreach.factories import make_offer
from tests.points.factories import make_topic

pytestmark = pytest.mark.django_db

def test_search_of_some_words_shows_offers_matching_some_when_none_matches_all(search_backend):
    make_offer("Smartphone voor beginners")
    search = parse("smartphone zwemles", {})
    assert [o.title for o in search_offers(Offer.objects.all(), search, search_backend)] == [
        "Smartphone voor beginners"]
    assert not search.matched_all


def test_offers_matching_every_word_are_the_results(search_backend):
    make_offer("Internet thuis")
    make_offer("Goedkoop internet thuis")
    search = parse("goedkoop internet", {})
    assert [o.title for o in search_offers(Offer.objects.all(), search, search_backend)] == [
        "Goedkoop internet thuis"]
    assert search.matched_all


def test_of_partial_matches_those_matching_more_words_come_first(search_backend):
    make_offer("Internet thuis")
    make_offer("Goedkoop internet thuis")
    search = parse("goedkoop internet zwemles", {})
    assert [o.title for o in search_offers(Offer.objects.all(), search, search_backend)] == [
        "Goedkoop internet thuis", "Internet thuis"]


def test_search_reads_provider_topics_and_target_groups(search_backend):
    make_offer("Vragenuurtje", provider=make_partner("Buurtwerk Nekkerspoel"),
               topics=[make_topic("Schoolinschrijving")],
               target_groups=[make_target_group("Werkzoekenden")])
    for text in ("nekkerspoel", "schoolinschrijving", "werkzoekende"):
        assert search_titles(text, search_backend) == ["Vragenuurtje"], text


def test_a_synonym_added_by_a_coordinator_works_at_once(search_backend):
    make_offer("Smartphone voor beginners")
    assert search_titles("gsm", search_backend) == []
    SearchSynonym.objects.create(term="GSM", alternatives="smartphone, mobiel")
    assert search_titles("gsm", search_backend) == ["Smartphone voor beginners"]


def test_only_stop_words_is_no_search(client):
    make_offer("Vragenuurtje")
    response = client.get(reverse("outreach:offer-list"), {"zoek": "de en het"})
    assert [o.title for o in response.context["page"]] == ["Vragenuurtje"]


# --- the stored text follows the offer and what it shows ---


def test_changed_offer_is_found_by_its_new_words(search_backend):
    coordinator = make_user("coordinator")
    offer = make_offer("Vragenuurtje", topics=[make_topic("Bankapp")])
    update_offer(offer=offer, actor=coordinator, data={"title": "Spreekuur"},
                 topics=[make_topic("Veilig online")])
    assert search_titles("spreekuur veilig", search_backend) == ["Spreekuur"]
    assert search_titles("bankapp", search_backend) == []


def test_renamed_topic_is_found_by_its_new_name(search_backend):
    topic = make_topic("Bankapp")
    make_offer("Vragenuurtje", topics=[topic])
    topic.name = "Bankieren op je gsm"
    topic.save()
    assert search_titles("bankieren", search_backend) == ["Vragenuurtje"]


def test_offer_saved_in_the_admin_is_found_by_its_new_title(client, search_backend):
    client.force_login(make_user("coordinator", is_superuser=True))
    offer = make_offer("Vragenuurtje")
    client.post(reverse("admin:outreach_offer_change", args=[offer.pk]), {
        "title": "Spreekuur", "description": "Hulp.", "kind": "helpdesk",
        "price_kind": "free", "cost_eur": "0", "languages": "nl", "venue": "Bib",
        "is_published": "on", "schedule_interval": "1",
        "last_checked_on": "2026-01-01", "created_at_0": "2026-01-01",
        "created_at_1": "10:00", "updated_at_0": "2026-01-01", "updated_at_1": "10:00",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    assert search_titles("spreekuur", search_backend) == ["Spreekuur"]


# --- the guide and the counter panel use it ---


def test_public_guide_search_ranks_and_shows_the_matching_words(client):
    SearchSynonym.objects.create(term="gsm", alternatives="smartphone")
    make_offer("Smartphone voor beginners")
    make_offer("Les over je smartphone en je abonnement")
    response = client.get(reverse("outreach:offer-list"), {"zoek": "gsm abonnement"})
    body = response.content.decode()
    assert [o.title for o in response.context["page"]] == [
        "Les over je smartphone en je abonnement"]
    assert "Gevonden op: gsm (smartphone), abonnement" in body


def test_public_guide_says_when_results_match_only_some_words(client):
    make_offer("Smartphone voor beginners")
    body = client.get(reverse("outreach:offer-list"), {"zoek": "smartphone zwemles"}
                      ).content.decode()
    assert 'data-testid="partial-match"' in body and "Smartphone voor beginners" in body


def test_counter_panel_searches_the_guide_in_the_visitors_words(client):
    SearchSynonym.objects.create(term="gsm", alternatives="smartphone")
    make_offer("Smartphone voor beginners")
    make_offer("Bankieren met de app")
    client.force_login(make_user("host", points=[make_point("Balie")]))
    response = client.get(reverse("counter:offers"), {"zoek": "gsm"})
    assert [o.title for o in response.context["offers"]] == ["Smartphone voor beginners"]
    panel = client.get(reverse("counter:offers"), {"zoek": "gsm"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel and "Gevonden op: gsm (smartphone)" in panel


def test_counter_panel_keeps_ticked_offers_while_searching(client):
    ticked = make_offer("Bankieren met de app")
    make_offer("Smartphone voor beginners")
    client.force_login(make_user("host", points=[make_point("Balie")]))
    response = client.get(reverse("counter:offers"), {"zoek": "smartphone",
                                                      "aanbod": [ticked.pk]})
    assert [o.title for o in response.context["offers"]] == [
        "Bankieren met de app", "Smartphone voor beginners"]


@pytest.mark.parametrize("rows", [5, 60])
def test_guide_search_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    SearchSynonym.objects.create(term="gsm", alternatives="smartphone")
    for number in range(rows):
        make_offer(f"Smartphone {number}", provider=make_partner(), topics=[make_topic()])
    # 11: the check that every word matches something, and here ("les"
    # matches nothing) the known words and synonyms for the repair.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("outreach:offer-list"), {"zoek": "gsm les"})
    assert response.context["page"].paginator.count == rows

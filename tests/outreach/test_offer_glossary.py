"""Plain words (outreach.glossary): the public offer page marks the known
terms of the glossary and explains each in one short sentence, described
for screen readers, without inline scripts."""

import re

import pytest
from django.urls import reverse

from outreach.glossary import Glossary
from outreach.models import GlossaryTerm, OfferKind
from tests.outreach.factories import make_offer

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<button type="button" class="term-button" aria-describedby="([^"]+)">'
                    r'([^<]+)</button><span class="term-tip" role="tooltip" id="([^"]+)">'
                    r'([^<]+)</span>')


@pytest.fixture
def leefloon():
    return GlossaryTerm.objects.create(
        term="leefloon", variants="leeflonen",
        explanation="Een leefloon is een minimuminkomen van het OCMW.")


def _page(client, offer) -> str:
    return client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()


def test_offer_page_explains_a_known_term_to_screen_readers(client, leefloon):
    offer = make_offer("Cursus", description="Korting met een Leefloon.")
    [(described_by, shown, tip_id, explanation)] = BUTTON.findall(_page(client, offer))
    assert described_by == tip_id and shown == "Leefloon"
    assert explanation == "Een leefloon is een minimuminkomen van het OCMW."


def test_a_term_is_marked_once_where_it_first_appears(client, leefloon):
    offer = make_offer("Cursus", description="Met een leefloon.", who_qualifies="Wie leeflonen "
                       "krijgt, en ook wie een leefloon aanvraagt.")
    assert [shown for _, shown, _, _ in BUTTON.findall(_page(client, offer))] == ["leefloon"]


def test_every_known_term_gets_its_own_explanation(client, leefloon):
    GlossaryTerm.objects.create(term="Mbps", explanation="Hoe snel je internet is.")
    offer = make_offer("Internet", kind=OfferKind.INTERNET, monthly_price=19,
                       is_social_tariff=True, download_mbps=50,
                       social_tariff_for="Mensen met een leefloon.")
    marks = BUTTON.findall(_page(client, offer))
    assert [(shown, explanation) for _, shown, _, explanation in marks] == [
        ("leefloon", leefloon.explanation), ("Mbps", "Hoe snel je internet is.")]
    assert len({tip for _, _, tip, _ in marks}) == 2


def test_a_term_inside_another_word_is_not_marked(client, leefloon):
    offer = make_offer("Cursus", description="Leefloonaanvraag en leefloners.")
    assert BUTTON.findall(_page(client, offer)) == []


def test_a_term_added_by_a_coordinator_shows_at_once(client):
    offer = make_offer("Laptop", description="Met een attest van het OCMW.")
    assert BUTTON.findall(_page(client, offer)) == []
    GlossaryTerm.objects.create(term="OCMW", explanation="Het OCMW helpt je met geld.")
    assert [shown for _, shown, _, _ in BUTTON.findall(_page(client, offer))] == ["OCMW"]


def test_offer_text_around_a_term_stays_escaped():
    glossary = Glossary([GlossaryTerm(term="OCMW", explanation="Sociaal <b>Huis</b>.")])
    html = glossary.mark("<script>x</script> OCMW & co\nvolgende", linebreaks=True)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Sociaal &lt;b&gt;Huis&lt;/b&gt;." in html and "&amp; co<br>volgende" in html


def test_offer_page_has_no_inline_script(client, leefloon):
    offer = make_offer("Cursus", description="Met een leefloon.")
    page = _page(client, offer)
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "onclick" not in page and "/static/js/glossary.js" in page


def test_offer_page_query_count_does_not_grow_with_the_glossary(
        client, django_assert_max_num_queries):
    for number in range(40):
        GlossaryTerm.objects.create(term=f"term{number}", explanation="Uitleg.")
    offer = make_offer("Cursus", description=" ".join(f"term{n}" for n in range(40)))
    with django_assert_max_num_queries(6):
        assert len(BUTTON.findall(_page(client, offer))) == 40


def test_demo_glossary_explains_the_words_residents_asked_about():
    import io

    from digibank import demo as digibank_demo
    from outreach import demo as outreach_demo

    digibank_demo.seed(stdout=io.StringIO())
    outreach_demo.seed(stdout=io.StringIO())
    terms = {term.term for term in GlossaryTerm.objects.all()}
    assert {"leefloon", "verhoogde tegemoetkoming", "inkomensgarantie voor ouderen", "OCMW",
            "Mbps", "GB data"} <= terms

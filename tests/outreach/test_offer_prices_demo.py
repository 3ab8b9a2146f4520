"""Price truth on the demo's offers: the guide's free filter, its cards and
pages, the counter's panel and the feed show the same price for every one
(outreach.prices). The demo is seeded once for the module."""

import html
import re

import pytest
from django.urls import reverse

from outreach.models import Offer, OfferKind
from tests.factories import make_point, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_offers_module")]

PRICE = re.compile(r'data-testid="price">(.*?)</dd>', re.S)
CARD = re.compile(r'<li class="offer" data-testid="offer">.*?<a href="/aanbod/(\d+)/">'
                  r'.*?data-testid="price">(.*?)</dd>', re.S)
PANEL = re.compile(r'name="aanbod" value="(\d+)".*?data-testid="price">(.*?)</span>', re.S)


@pytest.fixture
def demo_offers():
    return list(Offer.objects.current().order_by("pk"))


def _text(fragment: str) -> str:
    """The text a reader sees: without the glossary's explanations and tags."""
    fragment = re.sub(r'<span class="term-tip".*?</span>', "", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]+>", "", fragment)
    return html.unescape(re.sub(r"\s+", " ", fragment)).strip()


def _shown(offer: Offer) -> str:
    """What every screen shows as the offer's cost."""
    return f"{offer.price} ({offer.cost_note})" if offer.cost_note else str(offer.price)


def _guide_cards(client, **filters) -> dict[int, str]:
    cards, page = {}, 1
    while True:
        response = client.get(reverse("outreach:offer-list"), {**filters, "page": page})
        cards.update({int(pk): _text(text) for pk, text in CARD.findall(
            response.content.decode())})
        if not response.context["page"].has_next():
            return cards
        page += 1


def test_filter_card_page_panel_and_feed_agree_on_the_price_of_every_demo_offer(
        client, demo_offers):
    free_ids = set(_guide_cards(client, gratis="on"))
    cards = _guide_cards(client)
    feed = {row["id"]: row for row in client.get(
        reverse("outreach:offer-open-data")).json()["offers"]}
    client.force_login(make_user("host", points=[make_point("Balie")]))
    panel = dict(PANEL.findall(client.get(reverse("counter:offers"), {
        "aanbod": [offer.pk for offer in demo_offers]}).content.decode()))
    client.logout()
    for offer in demo_offers:
        price = offer.price
        page = client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()
        assert (offer.pk in free_ids) == price.is_free, offer.title
        assert offer.price_line.startswith(_shown(offer)), offer.title
        # One line for both, with the mobile data (Offer.price_line).
        assert cards[offer.pk] == offer.price_line, offer.title
        assert _text(PRICE.search(page).group(1)) == offer.price_line, offer.title
        assert _text(panel[str(offer.pk)]) == offer.price_line, offer.title
        assert feed[offer.pk]["price"] == price.as_data(), offer.title
        assert (feed[offer.pk]["cost_eur"] == "0.00") == price.is_free, offer.title


def test_only_free_in_the_demo_lists_no_subscription(client, demo_offers):
    free = Offer.objects.filter(pk__in=_guide_cards(client, gratis="on"))
    assert free.exists()
    assert not free.filter(monthly_price__isnull=False).exists()
    assert not free.exclude(cost_eur=0).exists()


def test_demo_internet_subscriptions_carry_a_monthly_price(demo_offers):
    internet = [offer for offer in demo_offers if offer.kind == OfferKind.INTERNET]
    paid = [offer for offer in internet if not offer.price.is_free]
    assert len(paid) == 5 and [o.title for o in internet if o.price.is_free] == [
        "Gratis wifi in de stad"]
    assert all(offer.price.is_monthly and offer.price.amount >= 10 for offer in paid)

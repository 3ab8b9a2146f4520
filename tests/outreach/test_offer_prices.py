"""Price truth: one price model per offer (outreach.prices), read by the
guide's free filter, its cards and pages, the counter's panel and the feed;
contradictory price fields refused by the form and by the database."""

import html
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from outreach.models import Offer, OfferKind
from outreach.prices import PriceKind
from tests.factories import make_user
from tests.outreach.factories import make_offer

pytestmark = pytest.mark.django_db

PRICE = re.compile(r'data-testid="price">(.*?)</(?:dd|span)>', re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", fragment)).strip()


def test_only_free_leaves_out_a_subscription_without_a_one_off_cost(client):
    make_offer("Gratis vragenuur")
    make_offer("Abonnement", kind=OfferKind.INTERNET, monthly_price=22)
    make_offer("Sociaal tarief", kind=OfferKind.INTERNET, monthly_price=19,
               is_social_tariff=True)
    make_offer("Cursus", cost_eur=45)
    response = client.get(reverse("outreach:offer-list"), {"gratis": "on"})
    assert [offer.title for offer in response.context["page"]] == ["Gratis vragenuur"]


def test_offer_page_shows_one_price_for_a_subscription(client):
    offer = make_offer("Internet thuis", kind=OfferKind.INTERNET, monthly_price=22)
    body = client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()
    assert _text(PRICE.search(body).group(1)) == "€ 22,00 per maand"
    assert "gratis" not in body.lower()


@pytest.mark.parametrize("fields,text", [
    ({"price_kind": PriceKind.FREE}, "gratis"),
    ({"price_kind": PriceKind.ONE_OFF, "cost_eur": Decimal("45")}, "€ 45,00 eenmalig"),
    ({"price_kind": PriceKind.MONTHLY, "monthly_price": Decimal("9.5")}, "€ 9,50 per maand"),
    ({"price_kind": PriceKind.SOCIAL_TARIFF, "monthly_price": Decimal("19"),
      "social_tariff_for": "Met een leefloon."}, "sociaal tarief: € 19,00 per maand"),
])
def test_price_reads_in_dutch(fields, text):
    assert str(make_offer(kind=OfferKind.INTERNET, **fields).price) == text


def test_feed_shows_a_subscription_as_paid_per_month_not_as_free(client):
    make_offer("Abonnement", kind=OfferKind.INTERNET, monthly_price=22)
    [row] = client.get(reverse("outreach:offer-open-data")).json()["offers"]
    assert row["price"] == {"kind": "monthly", "free": False, "amount_eur": "22.00",
                            "per": "month", "currency": "EUR", "conditions": "", "note": ""}
    assert row["cost_eur"] is None and row["internet"]["monthly_price_eur"] == "22.00"


# --- contradictions refused ---

CONTRADICTIONS = [
    ("free with a one-off amount", {"price_kind": "free", "cost_eur": "5"}, "cost_eur"),
    ("free with a monthly amount", {"price_kind": "free", "monthly_price": "22"},
     "monthly_price"),
    ("one-off without an amount", {"price_kind": "one_off"}, "cost_eur"),
    ("one-off with a monthly amount",
     {"price_kind": "one_off", "cost_eur": "5", "monthly_price": "22"}, "monthly_price"),
    ("monthly without an amount", {"price_kind": "monthly"}, "monthly_price"),
    ("monthly at zero", {"price_kind": "monthly", "monthly_price": "0"}, "monthly_price"),
    ("monthly with a one-off amount",
     {"price_kind": "monthly", "monthly_price": "22", "cost_eur": "5"}, "cost_eur"),
    ("social tariff without conditions", {"price_kind": "social", "monthly_price": "19"},
     "social_tariff_for"),
    ("social tariff without an amount",
     {"price_kind": "social", "social_tariff_for": "Leefloon"}, "monthly_price"),
    ("conditions without the social tariff",
     {"price_kind": "monthly", "monthly_price": "22", "social_tariff_for": "Leefloon"},
     "social_tariff_for"),
]


def _offer_post(**overrides) -> dict:
    data = {"title": "Internet", "description": "Internet thuis.", "kind": OfferKind.INTERNET,
            "is_online": "on", "languages": ["nl"], "is_published": "on",
            "no_phone_reason": "Alleen online aan te vragen."}
    data.update(overrides)
    return data


@pytest.mark.parametrize("case,fields,field", CONTRADICTIONS, ids=[c[0] for c in CONTRADICTIONS])
def test_offer_form_refuses_contradictory_prices_next_to_the_field(client, case, fields, field):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"), _offer_post(**fields))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Offer.objects.exists()


def test_offer_form_refuses_the_social_tariff_for_a_training(client):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"), _offer_post(
        kind=OfferKind.TRAINING, price_kind="social", monthly_price="19",
        social_tariff_for="Leefloon"))
    assert "price_kind" in response.context["form"].errors


@pytest.mark.parametrize("price_kind,fields", [
    ("free", {}), ("one_off", {"cost_eur": "45"}), ("monthly", {"monthly_price": "22"}),
    ("social", {"monthly_price": "19", "social_tariff_for": "Met een leefloon."}),
])
def test_offer_form_saves_each_price_model(client, price_kind, fields):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"),
                           _offer_post(price_kind=price_kind, **fields))
    assert response.status_code == 302
    assert Offer.objects.get().price_kind == price_kind


@pytest.mark.parametrize("case,fields,field", CONTRADICTIONS, ids=[c[0] for c in CONTRADICTIONS])
def test_database_refuses_contradictory_prices(case, fields, field):
    values = {name: Decimal(value) if name in ("cost_eur", "monthly_price") else value
              for name, value in fields.items()}
    values.setdefault("cost_eur", Decimal(0))
    with pytest.raises(IntegrityError):
        Offer.objects.create(title="Tegenstrijdig", description="-", kind=OfferKind.INTERNET,
                             is_online=True, **values)


def test_admin_refuses_contradictory_prices_with_a_message(client):
    client.force_login(make_user("coordinator", is_superuser=True))
    offer = make_offer("Abonnement", kind=OfferKind.INTERNET, monthly_price=22)
    response = client.post(reverse("admin:outreach_offer_change", args=[offer.pk]), {
        "title": "Abonnement", "description": "-", "kind": "internet", "price_kind": "free",
        "cost_eur": "0", "monthly_price": "22", "languages": "nl",
        "last_checked_on": "2026-01-01", "created_at_0": "2026-01-01",
        "created_at_1": "10:00", "updated_at_0": "2026-01-01", "updated_at_1": "10:00",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    offer.refresh_from_db()
    assert offer.price_kind == PriceKind.MONTHLY


@pytest.mark.parametrize("note", ["€ 5 per maand", "5 euro per maand", "3,50 EUR"])
def test_offer_form_refuses_an_amount_in_the_cost_note_of_a_free_offer(client, note):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"),
                           _offer_post(price_kind="free", cost_note=note))
    assert response.status_code == 200
    assert "Een gratis aanbod kost niets" in str(response.context["form"].errors["cost_note"])
    assert not Offer.objects.exists()


def test_offer_form_keeps_a_cost_note_without_an_amount_on_a_free_offer(client):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"), _offer_post(
        price_kind="free", cost_note="Gratis met een verhoogde tegemoetkoming"))
    assert response.status_code == 302


def test_edit_form_leaves_the_one_off_price_empty_for_a_monthly_offer(client):
    offer = make_offer("Mobiel", monthly_price=Decimal("15"))
    client.force_login(make_user("coordinator"))
    form = client.get(reverse("outreach:offer-edit", args=[offer.pk])).context["form"]
    assert 'value="0' not in str(form["cost_eur"])


def test_offer_page_and_card_show_the_same_price_line_with_the_mobile_data(client):
    offer = make_offer("Mobiel", kind=OfferKind.INTERNET, monthly_price=Decimal("15"),
                       data_gb=5, is_online=True)
    card = PRICE.search(client.get(reverse("outreach:offer-list")).content.decode()).group(1)
    page = PRICE.search(client.get(reverse("outreach:offer-detail", args=[offer.pk])
                                   ).content.decode()).group(1)
    assert _text(card) == _text(page) == "€ 15,00 per maand · 5 GB data"


def test_offer_page_without_a_place_says_online_or_by_phone(client):
    offer = make_offer("Hulplijn", venue="", address="", is_online=True)
    body = client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()
    where = re.search(r'data-testid="where">(.*?)</dd>', body, re.S).group(1)
    assert _text(where) == "Online of telefonisch"

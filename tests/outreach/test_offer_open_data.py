"""The offer guide's open data feed (/open-data/aanbod.json): what it shows,
that it is built in a constant few queries, served from the cache without
any, and rebuilt as soon as an offer or what it shows of one changes."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outreach.models import Offer, OfferKind
from outreach.opendata import MAX_AGE_SECONDS, feed_version
from outreach.services import check_offer, create_offer, update_offer
from tests.factories import make_district, make_partner, make_point, make_target_group, make_user
from tests.outreach.factories import make_offer
from tests.points.factories import make_topic

pytestmark = pytest.mark.django_db
URL = reverse("outreach:offer-open-data")


@pytest.fixture
def coordinator():
    return make_user("coordinator")


def _offers(client, **headers) -> list[dict]:
    return client.get(URL, **headers).json()["offers"]


def _titles(client) -> list[str]:
    return [offer["title"] for offer in _offers(client)]


def test_open_data_shows_an_offer_as_the_guide_does(client):
    point = make_point("Bib Mechelen", street="Blokstraat 1", postcode="2800")
    later, first = make_topic("Werk", order=2), make_topic("Itsme", order=1)
    offer = make_offer("Vragenuur", topics=[later, first], target_groups=[make_target_group()],
                       point=point, address="", venue="", languages="nl, fr",
                       district=point.district)
    [data] = _offers(client)
    assert data["url"] == f"http://testserver{reverse('outreach:offer-detail', args=[offer.pk])}"
    assert (data["provider"], data["place"], data["address"]) == (
        "Digibank", "Bib Mechelen", point.address)
    assert data["topics"] == ["itsme", "werk"]
    assert data["target_groups"] == [offer.target_groups.get().slug]
    assert (data["languages"], data["district"]) == (["nl", "fr"], point.district.slug)


def test_open_data_shows_a_partner_offer_at_its_own_address(client):
    make_offer("Repair", provider=make_partner("Buurtwerk"), venue="Zaal", address="Markt 1")
    [data] = _offers(client)
    assert (data["provider"], data["place"], data["address"]) == ("Buurtwerk", "Zaal", "Markt 1")
    assert data["internet"] is None and data["topics"] == [] and data["district"] is None


@pytest.mark.parametrize("rows", [5, 60])
def test_open_data_built_anew_uses_a_constant_few_queries(
        client, django_assert_max_num_queries, rows):
    topic = make_topic("itsme")
    for number in range(rows):
        make_offer(f"Aanbod {number}", topics=[topic], target_groups=[make_target_group()],
                   provider=make_partner(), point=make_point())
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert len(response.json()["offers"]) == rows


@pytest.mark.parametrize("rows", [5, 60])
def test_open_data_asked_again_runs_no_query(client, django_assert_num_queries, rows):
    for number in range(rows):
        make_offer(f"Aanbod {number}", topics=[make_topic()], provider=make_partner())
    first = client.get(URL)
    with django_assert_num_queries(0):
        again = client.get(URL)
    assert again.content == first.content


def test_open_data_may_be_kept_briefly_by_browsers_and_proxies(client):
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert f"max-age={MAX_AGE_SECONDS}" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_open_data_answers_not_modified_to_its_own_etag(client, django_assert_num_queries):
    make_offer("Vragenuur")
    etag = client.get(URL)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and "max-age" in response["Cache-Control"]


def test_offer_changed_by_its_owner_shows_in_the_next_response(
        client, coordinator, django_capture_on_commit_callbacks):
    offer = make_offer("Vragenuur")
    before = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(offer=offer, actor=coordinator,
                     data={"title": "Vragenuurtje", "price_kind": "one_off", "cost_eur": 2})
    after = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert [(o["title"], o["cost_eur"]) for o in after.json()["offers"]] == [
        ("Vragenuurtje", "2.00")]


def test_new_offer_shows_in_the_next_response(client, coordinator,
                                              django_capture_on_commit_callbacks):
    assert _titles(client) == []
    with django_capture_on_commit_callbacks(execute=True):
        create_offer(actor=coordinator, data={
            "title": "Nieuw", "description": "Hulp.", "kind": OfferKind.HELP_DESK,
            "venue": "Zaal"})
    assert _titles(client) == ["Nieuw"]


def test_checked_offer_shows_its_new_check_date_in_the_next_response(
        client, coordinator, django_capture_on_commit_callbacks):
    offer = make_offer("Vragenuur", last_checked_on=date(2024, 1, 1))
    assert _offers(client)[0]["last_checked_on"] == "2024-01-01"
    with django_capture_on_commit_callbacks(execute=True):
        check_offer(offer=offer, actor=coordinator)
    assert _offers(client)[0]["last_checked_on"] == timezone.localdate().isoformat()


def test_unpublished_offer_leaves_the_next_response(client, coordinator,
                                                    django_capture_on_commit_callbacks):
    offer = make_offer("Vragenuur")
    assert _titles(client) == ["Vragenuur"]
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(offer=offer, actor=coordinator, data={"is_published": False})
    assert _titles(client) == []


def _rename_point(offer):
    offer.point.name = "Nieuwe naam"
    offer.point.save()


def _rename_partner(offer):
    offer.provider.name = "Nieuwe naam"
    offer.provider.save()


def _rename_topic(offer):
    topic = offer.topics.get()
    topic.slug = "nieuwe-naam"
    topic.save()


def _rename_target_group(offer):
    group = offer.target_groups.get()
    group.slug = "nieuwe-naam"
    group.save()


def _rename_district(offer):
    offer.district.slug = "nieuwe-naam"
    offer.district.save()


@pytest.mark.parametrize("change", [_rename_point, _rename_partner, _rename_topic,
                                    _rename_target_group, _rename_district])
def test_change_to_what_the_feed_shows_of_an_offer_shows_in_the_next_response(
        client, change, django_capture_on_commit_callbacks):
    offer = make_offer("Vragenuur", point=make_point("Oude naam"), provider=make_partner(),
                       topics=[make_topic()], target_groups=[make_target_group()],
                       district=make_district(), address="")
    before = client.get(URL).content
    with django_capture_on_commit_callbacks(execute=True):
        change(offer)
    after = client.get(URL).content
    assert after != before and "nieuwe" in after.decode().lower()


def test_deleted_point_leaves_its_offers_in_the_next_response_without_it(
        client, django_capture_on_commit_callbacks):
    point = make_point("Weg")
    make_offer("Vragenuur", point=point, venue="Zaal")
    assert _offers(client)[0]["place"] == "Weg"
    with django_capture_on_commit_callbacks(execute=True):
        point.delete()
    assert _offers(client)[0]["place"] == "Zaal"


def test_offer_deleted_in_the_admin_leaves_the_next_response(
        client, django_capture_on_commit_callbacks):
    offer = make_offer("Vragenuur")
    assert _titles(client) == ["Vragenuur"]
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:outreach_offer_delete", args=[offer.pk]),
                               {"post": "yes"})
    assert response.status_code == 302 and not Offer.objects.exists()
    client.logout()
    assert _titles(client) == []


def test_feed_version_stays_when_the_change_is_rolled_back(coordinator,
                                                          django_capture_on_commit_callbacks):
    offer = make_offer("Vragenuur")
    version = feed_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                update_offer(offer=offer, actor=coordinator, data={"title": "Anders"})
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and feed_version() == version


def test_offer_ending_today_leaves_the_feed_at_midnight_without_a_write(client):
    today = timezone.localdate()
    make_offer("Vandaag nog", valid_until=today)
    make_offer("Blijft")
    first = client.get(URL)
    assert _titles(client) == ["Blijft", "Vandaag nog"]
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        response = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 200
        assert [o["title"] for o in response.json()["offers"]] == ["Blijft"]

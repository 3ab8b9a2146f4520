"""The offer guide's screens: the public guide and its open data, the
counter panel, the slip, and the owners' editing screens."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import CallTask
from outreach.models import GivenOffer, Offer, OfferKind
from points.models import Visit
from tests.factories import (
    make_district,
    make_partner,
    make_point,
    make_resident,
    make_target_group,
    make_user,
)
from tests.outreach.factories import make_offer, make_visit
from tests.points.factories import make_topic
from tests.trainings.factories import make_course, make_enrolment, make_session

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


def test_expired_offer_page_is_not_found(client):
    offer = make_offer(valid_until=timezone.localdate() - timedelta(days=1))
    assert client.get(reverse("outreach:offer-detail", args=[offer.pk])).status_code == 404


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


# --- the counter panel ---


def test_counter_panel_shows_own_trainings_first_then_partner_offers(client, host, point):
    itsme = make_topic("itsme")
    session = make_session(make_course("Itsme-les"), point=point)
    session.course.topics.set([itsme])
    desk = make_offer("Vragenuurtje", topics=[itsme], provider=make_partner())
    client.force_login(host)
    response = client.get(reverse("outreach:counter-offers"), {"topics": [itsme.pk]})
    body = response.content.decode()
    assert response.context["sessions"] == [session] and response.context["offers"] == [desk]
    assert body.index("Itsme-les") < body.index("Vragenuurtje")


def test_counter_panel_by_htmx_returns_only_the_panel(client, host):
    itsme = make_topic("itsme")
    make_offer("Vragenuurtje", topics=[itsme])
    client.force_login(host)
    body = client.get(reverse("outreach:counter-offers"), {"topics": [itsme.pk]},
                      **HTMX).content.decode()
    assert "<html" not in body and "Vragenuurtje" in body and 'name="aanbod"' in body


def test_counter_panel_leaves_out_full_cancelled_and_partner_sessions(client, host, point):
    itsme = make_topic("itsme")
    full = make_session(make_course("Vol"), point=point, capacity=1)
    make_enrolment(full, make_resident())
    cancelled = make_session(make_course("Afgelast"), point=point, status="cancelled")
    by_partner = make_session(make_course("Elders", provider=make_partner(
        is_training_partner=True)), point=point)
    for session in (full, cancelled, by_partner):
        session.course.topics.set([itsme])
    client.force_login(host)
    response = client.get(reverse("outreach:counter-offers"), {"topics": [itsme.pk]})
    assert response.context["sessions"] == []


def test_counter_panel_without_topics_asks_to_tick_one(client, host):
    client.force_login(host)
    response = client.get(reverse("outreach:counter-offers"), **HTMX)
    assert 'data-testid="panel-empty"' in response.content.decode()


@pytest.mark.parametrize("rows", [5, 40])
def test_counter_panel_query_count_does_not_grow(client, host, point, rows,
                                                 django_assert_max_num_queries):
    itsme = make_topic("itsme")
    course = make_course("Itsme-les")
    course.topics.set([itsme])
    for number in range(rows):
        make_session(course, point=point, starts_at=timezone.now() + timedelta(days=number + 1))
        make_offer(f"Aanbod {number}", topics=[itsme], provider=make_partner())
    client.force_login(host)
    with django_assert_max_num_queries(12):
        client.get(reverse("outreach:counter-offers"), {"topics": [itsme.pk]}, **HTMX)


def test_counter_records_the_ticked_offers_on_the_new_visit(client, host, point):
    itsme = make_topic("itsme")
    offer, session = make_offer(topics=[itsme]), make_session(point=point)
    client.force_login(host)
    response = client.post(reverse("points:counter"), {
        "topics": [itsme.pk], "next_step": "solved", "aanbod": [offer.pk],
        "sessie": [session.pk]})
    assert response.status_code == 302
    visit = Visit.objects.get()
    given = GivenOffer.objects.filter(visit=visit)
    assert {(g.offer_id, g.session_id) for g in given} == {(offer.pk, None), (None, session.pk)}
    assert all(g.given_by == host for g in given)


def test_counter_panel_keeps_ticked_offers_and_sessions_ticked(client, host, point):
    itsme = make_topic("itsme")
    desk = make_offer("Vragenuurtje", topics=[itsme])
    make_offer("Andere hulp", topics=[itsme])
    client.force_login(host)
    response = client.get(reverse("outreach:counter-offers"),
                          {"topics": [itsme.pk], "aanbod": [desk.pk]}, **HTMX)
    body = response.content.decode()
    assert f'value="{desk.pk}" form="new-visit" checked' in body and "Andere hulp" in body
    assert body.count(" checked") == 1


def test_counter_panel_keeps_a_ticked_offer_whose_topic_was_unticked(client, host, point):
    itsme, bank = make_topic("itsme"), make_topic("bank")
    desk = make_offer("Vragenuurtje", topics=[itsme])
    session = make_session(make_course("Itsme-les"), point=point)
    session.course.topics.set([itsme])
    client.force_login(host)
    response = client.get(reverse("outreach:counter-offers"), {
        "topics": [bank.pk], "aanbod": [desk.pk], "sessie": [session.pk]})
    assert response.context["offers"] == [desk] and response.context["sessions"] == [session]
    body = response.content.decode()
    assert f'value="{desk.pk}" form="new-visit" checked' in body
    assert f'value="{session.pk}" form="new-visit" checked' in body


def test_counter_panel_refreshes_only_when_the_topics_change(client, host):
    client.force_login(host)
    body = client.get(reverse("points:counter")).content.decode()
    assert 'hx-trigger="change from:#visit-topics"' in body
    assert 'id="visit-topics"' in body


def test_counter_reopened_with_its_address_shows_the_topics_and_ticked_offer(client, host):
    itsme = make_topic("itsme")
    desk = make_offer("Vragenuurtje", topics=[itsme])
    client.force_login(host)
    response = client.get(reverse("points:counter"), {"topics": [itsme.pk],
                                                      "aanbod": [desk.pk]})
    body = response.content.decode()
    assert f'value="{desk.pk}" form="new-visit" checked' in body
    assert f'name="topics" value="{itsme.pk}"' in body and response.context["topics"] == [itsme]
    assert response.context["form"]["topics"].value() == [itsme.pk]


def test_counter_posted_back_with_an_error_keeps_the_ticked_offer(client, host):
    itsme = make_topic("itsme")
    desk = make_offer("Vragenuurtje", topics=[itsme])
    client.force_login(host)
    response = client.post(reverse("points:counter"), {
        "topics": [itsme.pk], "aanbod": [desk.pk], "note": "x" * 301, "next_step": "solved"})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert f'value="{desk.pk}" form="new-visit" checked' in response.content.decode()
    assert not Visit.objects.exists()


def test_slip_for_the_counter_dialog_is_the_slip_alone(client, host):
    offer = make_offer("Vragenuurtje", how_to_enrol="Kom gewoon langs.")
    client.force_login(host)
    body = client.get(reverse("outreach:offer-slip"), {"aanbod": offer.pk},
                      **HTMX).content.decode()
    assert "<html" not in body and 'id="slip-title"' in body and "Kom gewoon langs." in body


def test_slip_sent_from_the_counter_dialog_answers_with_the_slip_and_its_message(
    client, host, point, mailoutbox, django_capture_on_commit_callbacks
):
    visit = make_visit(point, resident=make_resident(email="jos@example.org"))
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outreach:visit-slip-send", args=[visit.pk]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Vragenuurtje" in body
    assert "verstuurd" in body and len(mailoutbox) == 1


def test_counter_page_includes_the_offer_panel(client, host):
    client.force_login(host)
    body = client.get(reverse("points:counter")).content.decode()
    assert reverse("outreach:counter-offers") in body


# --- the slip ---


def test_slip_lists_the_chosen_offer_with_how_to_enrol(client, host, point):
    offer = make_offer("Vragenuurtje", how_to_enrol="Kom gewoon langs.")
    session = make_session(make_course("Itsme-les"), point=point)
    client.force_login(host)
    response = client.post(reverse("outreach:offer-slip"),
                           {"aanbod": [offer.pk], "sessie": [session.pk]})
    body = response.content.decode()
    assert "Vragenuurtje" in body and "Kom gewoon langs." in body and "Itsme-les" in body
    assert "data-print" in body


def test_slip_ignores_expired_offers(client, host):
    offer = make_offer("Voorbij", valid_until=date(2020, 1, 1))
    client.force_login(host)
    response = client.get(reverse("outreach:offer-slip"), {"aanbod": offer.pk})
    assert list(response.context["offers"]) == []


def test_slip_is_sent_by_e_mail_once(client, host, point, mailoutbox,
                                     django_capture_on_commit_callbacks):
    resident = make_resident(email="maria@example.com")
    visit = make_visit(point, resident=resident)
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    url = reverse("outreach:visit-slip-send", args=[visit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert len(mailoutbox) == 1 and "Vragenuurtje" in mailoutbox[0].body


def test_slip_for_a_visitor_without_e_mail_goes_on_the_call_list(client, host, point):
    visit = make_visit(point, resident=make_resident(phone="0470112233"))
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    client.post(reverse("outreach:visit-slip-send", args=[visit.pk]))
    assert CallTask.objects.get().point == point


def test_slip_cannot_be_sent_for_an_anonymous_visit(client, host, point):
    visit = make_visit(point)
    client.force_login(host)
    response = client.post(reverse("outreach:visit-slip-send", args=[visit.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not CallTask.objects.exists()


def test_host_cannot_see_the_slip_of_a_visit_at_another_point(client, host):
    visit = make_visit(make_point())
    client.force_login(host)
    assert client.get(reverse("outreach:visit-slip", args=[visit.pk])).status_code == 404


# --- keeping offers true ---


def _offer_post(**overrides) -> dict:
    data = {"title": "Vragenuurtje", "description": "Hulp met je smartphone.",
            "kind": OfferKind.HELP_DESK, "address": "Melaan 20, 2800 Mechelen",
            "cost_eur": "0", "languages": ["nl"], "is_published": "on"}
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


def test_monthly_price_on_a_non_internet_offer_is_refused_next_to_the_field(client):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:offer-create"), _offer_post(monthly_price="10"))
    assert "monthly_price" in response.context["form"].errors


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

"""The counter's panels of the offer guide (digikaart) over HTTP: the offers
that fit the ticked topics, the ticks kept, and the "where to go" slip."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import CallTask
from outreach.models import GivenOffer
from points.models import Visit
from tests.factories import make_partner, make_point, make_resident, make_user, new_form_key
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


def test_counter_panel_shows_own_trainings_first_then_partner_offers(client, host, point):
    itsme = make_topic("itsme")
    session = make_session(make_course("Itsme-les"), point=point)
    session.course.topics.set([itsme])
    desk = make_offer("Vragenuurtje", topics=[itsme], provider=make_partner())
    client.force_login(host)
    response = client.get(reverse("counter:offers"), {"topics": [itsme.pk]})
    body = response.content.decode()
    assert response.context["sessions"] == [session] and response.context["offers"] == [desk]
    assert body.index("Itsme-les") < body.index("Vragenuurtje")


def test_counter_panel_by_htmx_returns_only_the_panel(client, host):
    itsme = make_topic("itsme")
    make_offer("Vragenuurtje", topics=[itsme])
    client.force_login(host)
    body = client.get(reverse("counter:offers"), {"topics": [itsme.pk]},
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
    response = client.get(reverse("counter:offers"), {"topics": [itsme.pk]})
    assert response.context["sessions"] == []


def test_counter_panel_without_topics_asks_to_tick_one(client, host):
    client.force_login(host)
    response = client.get(reverse("counter:offers"), **HTMX)
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
    # 13: one more than before, the count of all offers ("6 of 40").
    with django_assert_max_num_queries(13):
        client.get(reverse("counter:offers"), {"topics": [itsme.pk]}, **HTMX)


def test_counter_records_the_ticked_offers_on_the_new_visit(client, host, point):
    itsme = make_topic("itsme")
    offer, session = make_offer(topics=[itsme]), make_session(point=point)
    client.force_login(host)
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(),
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
    response = client.get(reverse("counter:offers"),
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
    response = client.get(reverse("counter:offers"), {
        "topics": [bank.pk], "aanbod": [desk.pk], "sessie": [session.pk]})
    assert response.context["offers"] == [desk] and response.context["sessions"] == [session]
    body = response.content.decode()
    assert f'value="{desk.pk}" form="new-visit" checked' in body
    assert f'value="{session.pk}" form="new-visit" checked' in body


def test_counter_panel_refreshes_only_when_the_topics_change(client, host):
    client.force_login(host)
    body = client.get(reverse("counter:counter")).content.decode()
    assert 'data-hx-trigger="change from:#visit-topics"' in body
    assert 'id="visit-topics"' in body


def test_counter_reopened_with_its_address_shows_the_topics_and_ticked_offer(client, host):
    itsme = make_topic("itsme")
    desk = make_offer("Vragenuurtje", topics=[itsme])
    client.force_login(host)
    response = client.get(reverse("counter:counter"), {"topics": [itsme.pk],
                                                      "aanbod": [desk.pk]})
    body = response.content.decode()
    assert f'value="{desk.pk}" form="new-visit" checked' in body
    assert f'name="topics" value="{itsme.pk}"' in body and response.context["topics"] == [itsme]
    assert response.context["form"]["topics"].value() == [itsme.pk]


def test_counter_posted_back_with_an_error_keeps_the_ticked_offer(client, host):
    itsme = make_topic("itsme")
    desk = make_offer("Vragenuurtje", topics=[itsme])
    client.force_login(host)
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(),
        "topics": [itsme.pk], "aanbod": [desk.pk], "note": "x" * 301, "next_step": "solved"})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert f'value="{desk.pk}" form="new-visit" checked' in response.content.decode()
    assert not Visit.objects.exists()


def test_slip_for_the_counter_dialog_is_the_slip_alone(client, host):
    offer = make_offer("Vragenuurtje", how_to_enrol="Kom gewoon langs.")
    client.force_login(host)
    body = client.get(reverse("counter:offer-slip"), {"aanbod": offer.pk},
                      **HTMX).content.decode()
    assert "<html" not in body and 'id="slip-title"' in body and "Kom gewoon langs." in body


def test_slip_sent_from_the_counter_dialog_answers_with_the_slip_and_its_message(
    client, host, point, mailoutbox, django_capture_on_commit_callbacks
):
    visit = make_visit(point, resident=make_resident(email="jos@example.org"))
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("counter:visit-slip-send", args=[visit.pk]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Vragenuurtje" in body
    assert "verstuurd" in body and len(mailoutbox) == 1


def test_counter_page_includes_the_offer_panel(client, host):
    client.force_login(host)
    body = client.get(reverse("counter:counter")).content.decode()
    assert reverse("counter:offers") in body


def test_slip_lists_the_chosen_offer_with_how_to_enrol(client, host, point):
    offer = make_offer("Vragenuurtje", how_to_enrol="Kom gewoon langs.")
    session = make_session(make_course("Itsme-les"), point=point)
    client.force_login(host)
    response = client.post(reverse("counter:offer-slip"),
                           {"aanbod": [offer.pk], "sessie": [session.pk]})
    body = response.content.decode()
    assert "Vragenuurtje" in body and "Kom gewoon langs." in body and "Itsme-les" in body
    assert "data-print" in body


def test_slip_ignores_expired_offers(client, host):
    offer = make_offer("Voorbij", valid_until=date(2020, 1, 1))
    client.force_login(host)
    response = client.get(reverse("counter:offer-slip"), {"aanbod": offer.pk})
    assert list(response.context["offers"]) == []


def test_slip_is_sent_by_e_mail_once(client, host, point, mailoutbox,
                                     django_capture_on_commit_callbacks):
    resident = make_resident(email="maria@example.com")
    visit = make_visit(point, resident=resident)
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    url = reverse("counter:visit-slip-send", args=[visit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert len(mailoutbox) == 1 and "Vragenuurtje" in mailoutbox[0].body


def test_slip_for_a_visitor_without_e_mail_goes_on_the_call_list(client, host, point):
    visit = make_visit(point, resident=make_resident(phone="0470112233"))
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    client.post(reverse("counter:visit-slip-send", args=[visit.pk]))
    assert CallTask.objects.get().point == point


def test_slip_cannot_be_sent_for_an_anonymous_visit(client, host, point):
    visit = make_visit(point)
    client.force_login(host)
    response = client.post(reverse("counter:visit-slip-send", args=[visit.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not CallTask.objects.exists()


def test_host_cannot_see_the_slip_of_a_visit_at_another_point(client, host):
    visit = make_visit(make_point())
    client.force_login(host)
    assert client.get(reverse("counter:visit-slip", args=[visit.pk])).status_code == 404


def test_the_slip_of_a_visit_with_nothing_chosen_offers_no_print(client, host, point):
    visit = make_visit(point, resident=make_resident(email="jos@example.org"),
                       status="done", outcome="solved", finished_at=timezone.now())
    client.force_login(host)
    body = client.get(reverse("counter:visit-slip", args=[visit.pk])).content.decode()
    assert "Er is niets gekozen" in body
    assert "data-print" not in body and "Briefje afdrukken" not in body
    assert "Naar de bezoeker sturen" not in body


def test_the_slip_of_a_visit_with_an_offer_can_be_printed(client, host, point):
    visit = make_visit(point, resident=make_resident(email="jos@example.org"))
    GivenOffer.objects.create(visit=visit, offer=make_offer("Vragenuurtje"), given_by=host)
    client.force_login(host)
    body = client.get(reverse("counter:visit-slip", args=[visit.pk])).content.decode()
    assert "Vragenuurtje" in body and "Briefje afdrukken" in body


def test_counter_panel_search_says_how_many_of_how_many_it_shows(client, host):
    for number in range(9):
        make_offer(f"Gsm-abonnement {number}", description="Een abonnement voor je gsm.")
    client.force_login(host)
    response = client.get(reverse("counter:offers"), {"zoek": "gsm"})
    body = response.content.decode()
    assert len(response.context["offers"]) == 6
    assert "6 van 9" in body and "alles tonen" in body
    assert "/aanbod/?zoek=gsm" in body


def test_counter_panel_shows_all_offers_when_asked(client, host):
    for number in range(9):
        make_offer(f"Gsm-abonnement {number}", description="Een abonnement voor je gsm.")
    client.force_login(host)
    response = client.get(reverse("counter:offers"), {"zoek": "gsm", "alle": "1"})
    assert len(response.context["offers"]) == 9
    assert "6 van 9" not in response.content.decode()


def test_counter_page_renders_the_panel_search_from_the_address(client, host):
    make_offer("Gsm-abonnement", description="Een abonnement voor je gsm.")
    client.force_login(host)
    body = client.get(reverse("counter:counter"), {"zoek": "gsm"}).content.decode()
    assert 'name="zoek" value="gsm"' in body and "Gsm-abonnement" in body


def test_counter_panel_suggests_the_word_for_a_typo_and_shows_the_price_note_as_the_guide(
        client, host):
    from outreach.models import Offer, PriceKind
    from outreach.search import index_offers

    make_offer("Sociaal tarief voor internet", price_kind=PriceKind.ONE_OFF, cost_eur=10,
               cost_note="Korting met een leefloon", description="Goedkoop internet.")
    index_offers(Offer.objects.all())
    client.force_login(host)
    panel = client.get(reverse("counter:offers"), {"zoek": "interent"}, **HTMX).content.decode()
    guide = client.get(reverse("outreach:offer-list"), {"zoek": "interent"}).content.decode()
    for body in (panel, guide):
        assert 'data-testid="did-you-mean"' in body and ">internet</a>?" in body
        assert "(Korting met een leefloon)" in body

"""The counter and the coach queue over HTTP."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from points.models import Visit, VisitOutcome, VisitStatus
from tests.factories import make_point, make_resident, make_user, new_form_key
from tests.points.factories import make_topic, make_visit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point():
    return make_point("Balie")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _count_at_5_and_200(client, url: str, add_rows) -> tuple[int, int]:
    add_rows(5)
    small = _query_count(client, url)
    add_rows(195)
    return small, _query_count(client, url)


def test_host_registers_an_anonymous_solved_visit_with_one_post(client, point, host):
    client.force_login(host)
    topic = make_topic()
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(), "topics": [topic.pk], "next_step": "solved"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.DONE and visit.point == point


def test_new_visit_without_next_step_shows_an_error_and_saves_nothing(client, host):
    client.force_login(host)
    response = client.post(reverse("counter:counter"), {"submit_key": new_form_key()})
    assert response.status_code == 200
    assert "next_step" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_new_resident_that_already_exists_is_refused_next_to_the_field(client, host):
    make_resident("Rita", "Claes", phone="0470112233")
    client.force_login(host)
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(),
        "first_name": "Rita", "last_name": "Claes", "phone": "0470112233", "next_step": "queue"})
    assert "last_name" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_counter_polling_returns_the_queue_fragment(client, point, host):
    make_visit(point)
    client.force_login(host)
    response = client.get(reverse("counter:counter"), **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'id="queue"' in body and "waiting-visit" in body


def test_resident_search_needs_two_characters_and_returns_at_most_ten(client, host):
    for n in range(12):
        make_resident("Marie", f"Janssens{n}")
    client.force_login(host)
    url = reverse("counter:resident-search")
    assert "Marie" not in client.get(url, {"q": "M"}, **HTMX).content.decode()
    body = client.get(url, {"q": "Mar"}, **HTMX).content.decode()
    assert "<html" not in body and body.count('name="resident"') == 10


def test_resident_search_without_javascript_renders_on_the_counter(client, host):
    make_resident("Marie", "Peeters")
    client.force_login(host)
    response = client.get(reverse("counter:counter"), {"q": "Pee"})
    assert "Marie Peeters" in response.content.decode()


def test_counter_opened_with_a_chosen_visitor_has_them_ticked(client, host):
    josee = make_resident("Josée", "Van den Bossche")
    client.force_login(host)
    body = client.get(reverse("counter:counter"), {"bezoeker": josee.pk}).content.decode()
    assert f'value="{josee.pk}" form="new-visit" autocomplete="off" checked' in body
    assert "Josée Van den Bossche" in body


def test_counter_ignores_a_chosen_visitor_who_was_anonymised(client, host):
    gone = make_resident("Josée", "Van den Bossche", anonymised_at=timezone.now())
    client.force_login(host)
    response = client.get(reverse("counter:counter"), {"bezoeker": gone.pk})
    assert response.context["chosen"] is None


def test_counter_posted_back_with_an_error_keeps_the_chosen_visitor(client, host):
    josee = make_resident("Josée", "Van den Bossche")
    client.force_login(host)
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(),
        "resident": josee.pk, "note": "x" * 301, "next_step": "solved"})
    assert response.status_code == 200 and response.context["chosen"] == josee
    assert f'value="{josee.pk}" form="new-visit" autocomplete="off" checked' in (
        response.content.decode())
    assert not Visit.objects.exists()


def test_new_search_keeps_the_chosen_visitor_first_and_ticked(client, host):
    josee = make_resident("Josée", "Van den Bossche")
    make_resident("Marie", "Peeters")
    client.force_login(host)
    body = client.get(reverse("counter:resident-search"),
                      {"q": "Pee", "resident": josee.pk}, **HTMX).content.decode()
    assert body.index("Josée Van den Bossche") < body.index("Marie Peeters")
    assert f'value="{josee.pk}" form="new-visit" autocomplete="off" checked' in body


def test_host_cannot_take_a_visit_at_another_point(client, host):
    visit = make_visit(make_point("Elders"))
    client.force_login(host)
    response = client.post(reverse("counter:visit-take", args=[visit.pk]))
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING


def test_partner_cannot_see_the_counter(client, point):
    client.force_login(make_user("partner"))
    assert client.get(reverse("counter:counter")).status_code == 403


def test_take_visit_by_htmx_returns_the_refreshed_queue(client, point, host):
    visit = make_visit(point)
    client.force_login(host)
    response = client.post(reverse("counter:visit-take", args=[visit.pk]), **HTMX)
    assert "<html" not in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_HOST


def test_taking_an_already_taken_visit_shows_a_message_not_an_error(client, point, host):
    visit = make_visit(point, status=VisitStatus.WITH_HOST, host=host)
    client.force_login(make_user("host", points=[point]))
    response = client.post(reverse("counter:visit-take", args=[visit.pk]), follow=True)
    assert response.status_code == 200
    assert len(response.context["messages"]) == 1


def test_coach_sees_only_handovers_of_their_points(client, point):
    mine = make_visit(point, status=VisitStatus.WAITING_FOR_COACH, host=make_user("host"))
    other = make_visit(make_point(), status=VisitStatus.WAITING_FOR_COACH,
                       host=make_user("host"))
    client.force_login(make_user("coach", points=[point]))
    response = client.get(reverse("counter:coach-queue"))
    handovers = response.context["handovers"]
    assert mine in handovers and other not in handovers


def test_coach_finishes_from_the_coach_queue(client, point):
    coach = make_user("coach", points=[point])
    visit = make_visit(point, status=VisitStatus.WITH_COACH, coach=coach, host=coach)
    client.force_login(coach)
    response = client.post(reverse("counter:visit-finish", args=[visit.pk]),
                           {"outcome": "device", "back": "counter:coach-queue"})
    assert response.url == reverse("counter:coach-queue")
    visit.refresh_from_db()
    assert visit.outcome == VisitOutcome.DEVICE_LOAN


def test_counter_queue_query_count_is_the_same_at_5_and_200_visits(client, point, host):
    topic = make_topic()
    statuses = [VisitStatus.WAITING, VisitStatus.WITH_HOST, VisitStatus.WAITING_FOR_COACH]

    def add(rows):
        for n in range(rows):
            make_visit(point, status=statuses[n % 3], host=host,
                       resident=make_resident()).topics.add(topic)

    client.force_login(host)
    small, large = _count_at_5_and_200(client, reverse("counter:counter"), add)
    assert small == large


def test_coach_queue_query_count_is_the_same_at_5_and_200_handovers(client, point, host):
    def add(rows):
        for _ in range(rows):
            make_visit(point, status=VisitStatus.WAITING_FOR_COACH, host=host,
                       resident=make_resident())

    client.force_login(make_user("coach", points=[point]))
    small, large = _count_at_5_and_200(client, reverse("counter:coach-queue"), add)
    assert small == large


def test_host_finishes_a_new_visit_at_once_with_a_chosen_outcome(client, point, host):
    client.force_login(host)
    client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(), "next_step": "solved", "outcome": "training"})
    assert Visit.objects.get().outcome == VisitOutcome.TRAINING_PROPOSED


def test_counter_action_never_redirects_outside_the_counter(client, point, host):
    visit = make_visit(point)
    client.force_login(host)
    response = client.post(reverse("counter:visit-take", args=[visit.pk]),
                           {"back": "https://example.org/"})
    assert response.url == reverse("counter:counter")


def test_finish_now_with_only_an_offer_ticked_is_a_visit(client, host):
    # Giving the visitor an offer from the digikaart is help given, not an
    # empty click: the visit is saved with the offer on it.
    from tests.outreach.factories import make_offer

    client.force_login(host)
    offer = make_offer()
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(), "next_step": "solved", "aanbod": [offer.pk]})
    assert response.status_code == 302
    assert Visit.objects.get().given_offers.get().offer == offer


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_finishing_a_new_visit_names_the_resident_in_the_message(client, host):
    josee = make_resident("Josée", "Peeters")
    client.force_login(host)
    with translation.override("nl"):
        response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(),
            "topics": [make_topic().pk], "resident": josee.pk, "next_step": "solved"},
            follow=True)
    assert "Bezoek geregistreerd en afgerond: Josée Peeters." in _messages(response)


def test_finishing_an_anonymous_visit_names_it_plainly_by_its_arrival(client, point, host):
    arrived = timezone.localtime().replace(hour=10, minute=42)
    visit = make_visit(point, status=VisitStatus.WITH_HOST, arrived_at=arrived,
                       served_at=arrived, host=host)
    client.force_login(host)
    with translation.override("nl"):
        response = client.post(reverse("counter:visit-finish", args=[visit.pk]),
                               {"outcome": VisitOutcome.SOLVED}, follow=True)
    assert ("Bezoek van een anonieme bezoeker (aangekomen om 10:42) afgerond."
            in _messages(response))


def test_finishing_from_the_queue_names_the_resident_in_the_htmx_message(client, point, host):
    visit = make_visit(point, status=VisitStatus.WITH_HOST, host=host,
                       resident=make_resident("Josée", "Peeters"), served_at=timezone.now())
    client.force_login(host)
    with translation.override("nl"):
        response = client.post(reverse("counter:visit-finish", args=[visit.pk]),
                               {"outcome": VisitOutcome.SOLVED}, **HTMX)
    assert "Bezoek van Josée Peeters afgerond." in response.content.decode()

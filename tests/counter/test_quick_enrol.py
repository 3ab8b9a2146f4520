"""The counter's quick enrolment in a training over HTTP."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from points.models import QuestionTopic, Visit
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import make_course, make_enrolment, make_session
from trainings.models import EnrolmentStatus, InterestEntry, Nearness

pytestmark = pytest.mark.django_db


def _topic(name: str) -> QuestionTopic:
    return QuestionTopic.objects.create(name=name, slug=name.lower())


def _login(client, role: str, **kwargs):
    user = make_user(role, **kwargs)
    client.force_login(user)
    return user


def test_quick_enrolment_shows_sessions_for_the_visits_topics_first(client):
    point = make_point()
    host = _login(client, "host", points=[point])
    itsme = _topic("itsme")
    resident = make_resident()
    visit = Visit.objects.create(point=point, resident=resident, host=host,
                                 arrived_at=timezone.now())
    visit.topics.add(itsme)
    other = make_session(make_course("Mails sturen"), point=point,
                         starts_at=timezone.now() + timedelta(days=1))
    course = make_course("Werken met itsme")
    course.topics.add(itsme)
    suited = make_session(course, point=point)
    response = client.get(reverse("counter:quick-enrol"), {"bezoek": visit.pk})
    assert response.context["resident"] == resident
    assert response.context["suggested"] == [suited]
    assert other in response.context["others"]


def test_quick_enrolment_enrols_in_one_click(client):
    point = make_point()
    host = _login(client, "host", points=[point])
    resident = make_resident()
    session = make_session(point=point)
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    response = client.post(url, {"action": "enrol", "session": session.pk}, follow=True)
    enrolment = session.enrolments.get()
    assert enrolment.resident == resident and enrolment.enrolled_by == host
    assert enrolment.point == point
    assert session.pk in response.context["taken"]


def test_quick_enrolment_puts_on_the_waiting_list_when_full(client):
    _login(client, "host")
    resident = make_resident()
    session = make_session(capacity=1)
    make_enrolment(session, make_resident())
    client.post(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}",
                {"action": "enrol", "session": session.pk})
    assert session.enrolments.get(resident=resident).status == EnrolmentStatus.WAITING


def test_quick_enrolment_twice_shows_a_message_and_keeps_one_enrolment(client):
    _login(client, "host")
    resident = make_resident()
    session = make_session()
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    client.post(url, {"action": "enrol", "session": session.pk})
    response = client.post(url, {"action": "enrol", "session": session.pk}, follow=True)
    assert any("already" in str(m) or "al ingeschreven" in str(m)
               for m in response.context["messages"])
    assert session.enrolments.count() == 1


def test_quick_enrolment_puts_on_the_interest_list(client):
    _login(client, "host")
    resident = make_resident()
    course = make_course()
    client.post(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}",
                {"action": "interest", "course": course.pk})
    assert InterestEntry.objects.get().course == course


def test_quick_enrolment_ignores_a_visit_at_another_point(client):
    _login(client, "host", points=[make_point()])
    visit = Visit.objects.create(point=make_point(), resident=make_resident(),
                                 arrived_at=timezone.now())
    response = client.get(reverse("counter:quick-enrol"), {"bezoek": visit.pk})
    assert response.context["visit"] is None and response.context["resident"] is None


def test_quick_enrolment_finds_residents_by_name(client):
    _login(client, "host")
    make_resident("Olena", "Kovalenko")
    response = client.get(reverse("counter:quick-enrol"), {"q": "Koval"})
    assert [str(r) for r in response.context["found"]] == ["Olena Kovalenko"]


def test_quick_enrol_url_carries_resident_visit_and_way_back():
    from counter.panels import quick_enrol_url

    resident = make_resident()
    url = quick_enrol_url(resident=resident, back="/balie/")
    assert url == f"/opleidingen/inschrijven/?inwoner={resident.pk}&terug=%2Fbalie%2F"


def test_quick_enrolment_lists_sessions_at_the_hosts_point_first(client):
    here, elsewhere = make_point(), make_point()
    _login(client, "host", points=[here])
    soon_elsewhere = make_session(point=elsewhere, starts_at=timezone.now() + timedelta(days=1))
    later_here = make_session(point=here, starts_at=timezone.now() + timedelta(days=5))
    resident = make_resident()
    response = client.get(reverse("counter:quick-enrol"), {"inwoner": resident.pk, "alle": "1"})
    assert response.context["others"] == [later_here, soon_elsewhere]


def _grouped_fixture(client):
    """A visit at Mechelen with sessions of its topic here, in a wijk of
    Mechelen, online (organised here and far away) and in Leest."""
    from digibank.models import District

    area = District.objects.create(name="Mechelen", slug="mechelen")
    here = make_point("Bib Mechelen", district=area)
    nearby = make_point("Nekkerspoel", district=District.objects.create(
        name="Nekkerspoel", slug="nek", parent=area))
    leest = make_point("Leest", district=District.objects.create(name="Leest", slug="leest"))
    # The host's current point is another one: "this point" is the visit's.
    host = _login(client, "host", points=[leest, here])
    topic = _topic("itsme")
    course = make_course("Werken met itsme")
    course.topics.add(topic)
    soon = timezone.now() + timedelta(days=1)
    sessions = {
        "online_far": make_session(course, point=leest, is_online=True, starts_at=soon),
        "online_here": make_session(course, point=here, is_online=True,
                                    starts_at=soon + timedelta(hours=2)),
        "leest": make_session(course, point=leest, starts_at=soon),
        "near": make_session(course, point=nearby, starts_at=soon + timedelta(hours=1)),
        "here": make_session(course, point=here, starts_at=soon + timedelta(days=6)),
        "full_here": make_session(course, point=here, capacity=1, starts_at=soon),
    }
    make_enrolment(sessions["full_here"], make_resident())
    visit = Visit.objects.create(point=here, resident=make_resident(), host=host,
                                 arrived_at=timezone.now())
    visit.topics.add(topic)
    return visit, sessions


def test_quick_enrolment_orders_the_visits_topics_here_then_nearby_then_online(client):
    visit, s = _grouped_fixture(client)
    response = client.get(reverse("counter:quick-enrol"), {"bezoek": visit.pk})
    assert response.context["suggested"] == [
        s["here"], s["full_here"], s["near"], s["online_far"], s["online_here"]]
    groups = [(nearness.label, sessions)
              for nearness, sessions in response.context["suggested_groups"]]
    assert groups == [("In dit punt", [s["here"], s["full_here"]]),
                      ("In de buurt", [s["near"]]),
                      ("Online", [s["online_far"], s["online_here"]])]
    page = response.content.decode()
    assert page.index("<h3>In dit punt</h3>") < page.index("<h3>In de buurt</h3>") \
        < page.index("<h3>Online</h3>")
    assert "8 plaatsen vrij" in page and "Online, vanuit" in page


def test_quick_enrolment_shows_a_session_in_another_deelgemeente_only_on_request(client):
    visit, s = _grouped_fixture(client)
    url = reverse("counter:quick-enrol")
    response = client.get(url, {"bezoek": visit.pk})
    assert s["leest"] not in response.context["suggested"]
    assert "Andere sessies" in response.content.decode()
    response = client.get(url, {"bezoek": visit.pk, "alle": "1"})
    assert response.context["suggested_groups"][-1] == (Nearness.FARTHER, [s["leest"]])


def test_other_sessions_stay_near_unless_the_host_asks_for_every_point(client):
    here = make_point()
    _login(client, "host", points=[here])
    mine = make_session(point=here)
    far = make_session()
    online = make_session(is_online=True)
    url = reverse("counter:quick-enrol")
    resident = make_resident()
    assert client.get(url, {"inwoner": resident.pk}).context["others"] == [mine, online]
    assert far in client.get(url, {"inwoner": resident.pk, "alle": "1"}).context["others"]


def test_enrolment_by_a_coach_records_the_coach_channel(client):
    _login(client, "coach")
    session = make_session()
    client.post(reverse("counter:quick-enrol") + f"?inwoner={make_resident().pk}",
                {"action": "enrol", "session": session.pk})
    assert session.enrolments.get().channel == "coach"


def test_quick_enrolment_panel_with_htmx_is_a_fragment_the_counter_can_embed(client):
    _login(client, "host")
    resident = make_resident("Irina", "Popescu")
    session = make_session(make_course("Werken met itsme"))
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    response = client.post(url, {"action": "enrol", "session": session.pk},
                           HTTP_HX_REQUEST="true", follow=True)
    content = response.content.decode()
    assert "<html" not in content and 'id="quick-enrol"' in content
    assert "Irina Popescu" in content and "message-success" in content
    assert session.enrolments.get().resident == resident


def test_host_cancels_a_residents_enrolment_from_the_quick_enrolment_page(client):
    point = make_point()
    _login(client, "host", points=[point])
    resident = make_resident()
    session = make_session(point=point)
    enrolment = make_enrolment(session, resident)
    here = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    assert client.get(here).context["current"] == [enrolment]
    response = client.post(reverse("trainings:enrolment-cancel", args=[enrolment.pk]),
                           {"next": here})
    assert response["Location"] == here
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED
    assert client.get(here).context["current"] == []


def test_quick_enrolment_tells_a_host_of_another_point_who_cancels_instead(client):
    _login(client, "host", points=[make_point()])
    resident = make_resident()
    elsewhere = make_point("Punt Nekkerspoel", phone="015 00 00 00")
    make_enrolment(make_session(point=elsewhere), resident)
    response = client.get(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}")
    assert response.context["cancellable"] == set()
    content = response.content.decode()
    assert "015 00 00 00" in content and "Punt Nekkerspoel" in content


def test_quick_enrolment_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    _login(client, "host")
    resident = make_resident()
    for _ in range(5):
        make_enrolment(make_session(), resident)
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(40):
        make_enrolment(make_session(course=make_course()), make_resident())
        make_enrolment(make_session(), resident)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_quick_enrolment_puts_on_the_interest_list_for_a_topic_without_a_training(client):
    _login(client, "host")
    resident = make_resident()
    topic = _topic("taxonweb")
    client.post(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}",
                {"action": "interest", "topic": topic.pk})
    assert InterestEntry.objects.get().topic == topic
    client.force_login(make_user("coordinator"))
    topics = list(client.get(reverse("trainings:figures")).context["topics"])
    assert [(row["topic__name"], row["n"], row["free"]) for row in topics] == [
        ("taxonweb", 1, 0)]


def test_interest_needs_a_training_or_a_topic(client):
    _login(client, "host")
    resident = make_resident()
    client.post(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}",
                {"action": "interest"})
    assert not InterestEntry.objects.exists()


def test_quick_enrolment_for_a_session_that_started_says_why_and_points_to_walk_ins(client):
    _login(client, "coordinator")
    session = make_session(make_course("Werken met itsme"),
                           starts_at=timezone.now() - timedelta(minutes=10))
    response = client.get(reverse("counter:quick-enrol") + f"?sessie={session.pk}"
                          f"&inwoner={make_resident().pk}")
    content = response.content.decode()
    assert "is begonnen: inschrijven kan niet meer" in content
    assert reverse("trainings:session-detail", args=[session.pk]) + "#walk-in" in content


def test_quick_enrolment_points_to_walk_ins_only_for_who_can_add_them(client):
    # A host cannot add walk-ins, so the session page has no control for them.
    _login(client, "host")
    session = make_session(make_course("Werken met itsme"),
                           starts_at=timezone.now() - timedelta(minutes=10))
    response = client.get(reverse("counter:quick-enrol") + f"?sessie={session.pk}"
                          f"&inwoner={make_resident().pk}")
    content = response.content.decode()
    assert "is begonnen: inschrijven kan niet meer" in content
    assert "#walk-in" not in content


def test_quick_enrolment_refreshing_itself_does_not_repeat_its_heading(client):
    point = make_point()
    _login(client, "host", points=[point])
    resident = make_resident()
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    own = client.get(url, HTTP_HX_REQUEST="true",
                     HTTP_HX_CURRENT_URL=f"http://testserver{url}").content.decode()
    assert "Inschrijven voor een opleiding" not in own
    counter = client.get(url, HTTP_HX_REQUEST="true",
                         HTTP_HX_CURRENT_URL="http://testserver/balie/").content.decode()
    assert counter.count("Inschrijven voor een opleiding") == 1

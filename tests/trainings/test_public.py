from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from digibank.models import Consent, ConsentMethod, ConsentPurpose, Resident
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import make_course, make_enrolment, make_session
from trainings.models import Enrolment, EnrolmentChannel, EnrolmentStatus
from trainings.public import ICAL_CACHE_SECONDS
from trainings.services import cancel_session, feeds_changed, feeds_version, update_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _form(**overrides):
    data = {"first_name": "Josée", "last_name": "Claes", "phone": "0470 12 34 56",
            "consent": "on"}
    data.update(overrides)
    return data


def test_public_list_shows_upcoming_planned_sessions_with_free_places(client):
    session = make_session(make_course("Werken met itsme"), capacity=3)
    make_enrolment(session, make_resident())
    make_session(make_course("Afgelast"), status="cancelled")
    make_session(make_course("Voorbij"), starts_at=timezone.now() - timedelta(days=1))
    response = client.get(reverse("trainings:public-list"))
    content = response.content.decode()
    assert "Werken met itsme" in content
    assert "2 places free" in content or "2 plaatsen vrij" in content
    assert "Afgelast" not in content and "Voorbij" not in content


def test_public_list_filters_by_point(client):
    here, there = make_point(), make_point()
    make_session(make_course("Hier"), point=here)
    make_session(make_course("Daar"), point=there)
    content = client.get(reverse("trainings:public-list"), {"point": here.slug}).content.decode()
    assert "Hier" in content and "Daar" not in content


def test_public_list_htmx_returns_the_results_fragment(client):
    make_session(make_course("Werken met itsme"))
    response = client.get(reverse("trainings:public-list"), HTTP_HX_REQUEST="true")
    assert "Werken met itsme" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_public_list_query_count_does_not_grow_with_sessions(client, django_assert_max_num_queries):
    point = make_point()
    for _ in range(5):
        make_session(point=point)
    with django_assert_max_num_queries(6):
        client.get(reverse("trainings:public-list"))
    for _ in range(30):
        session = make_session(point=point)
        make_enrolment(session, make_resident())
    with django_assert_max_num_queries(6):
        client.get(reverse("trainings:public-list"))


def test_public_detail_of_a_cancelled_session_says_why_and_offers_the_other_sessions(client):
    course = make_course("Werken met itsme")
    session = make_session(course, status="cancelled", cancel_reason="Kerstmis")
    other = make_session(course)
    response = client.get(reverse("trainings:public-detail", args=[session.pk]))
    body = response.content.decode()
    assert response.status_code == 410
    assert "Deze sessie is geannuleerd" in body and "Kerstmis" in body
    assert '<meta name="robots" content="noindex">' in body
    assert reverse("trainings:public-detail", args=[other.pk]) in body


def test_public_detail_of_a_session_that_never_existed_is_not_found(client):
    assert client.get(reverse("trainings:public-detail", args=[999999])).status_code == 404


def test_public_detail_offers_the_contact_number_when_the_point_has_none(client, settings):
    settings.CONTACT_PHONE = "015 29 40 00"
    session = make_session(point=make_point(phone=""))
    body = client.get(reverse("trainings:public-detail", args=[session.pk])).content.decode()
    assert "tel:+3215294000" in body


def test_public_form_creates_resident_consent_and_enrolment(client):
    session = make_session()
    response = client.post(reverse("trainings:public-enrol", args=[session.pk]), _form())
    assert response.status_code == 302
    resident = Resident.objects.get(last_name="Claes")
    assert resident.phone == "0470123456" and resident.email == ""
    consent = Consent.objects.get(resident=resident)
    assert consent.purpose == ConsentPurpose.CONTACT
    assert consent.method == ConsentMethod.DIGITAL
    enrolment = Enrolment.objects.get(resident=resident)
    assert enrolment.channel == EnrolmentChannel.PUBLIC_FORM
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_public_form_finds_a_known_resident_instead_of_a_duplicate(client):
    known = make_resident("Josée", "Claes", phone="0470123456")
    session = make_session()
    client.post(reverse("trainings:public-enrol", args=[session.pk]), _form())
    assert Resident.objects.count() == 1
    assert Enrolment.objects.get().resident == known


def test_public_form_on_a_full_session_confirms_the_waiting_list(client):
    session = make_session(capacity=1)
    make_enrolment(session, make_resident())
    response = client.post(reverse("trainings:public-enrol", args=[session.pk]), _form(),
                           follow=True)
    assert Enrolment.objects.get(resident__last_name="Claes").status == EnrolmentStatus.WAITING
    assert response.context["state"] == EnrolmentStatus.WAITING


@pytest.mark.parametrize("field", ["first_name", "last_name", "phone", "consent"])
def test_public_form_saves_nothing_when_a_field_is_missing(client, field):
    session = make_session()
    data = _form()
    del data[field]
    response = client.post(reverse("trainings:public-enrol", args=[session.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Resident.objects.exists() and not Consent.objects.exists()


def test_public_form_refuses_a_bad_phone_number_with_a_message_next_to_the_field(client):
    session = make_session()
    response = client.post(reverse("trainings:public-enrol", args=[session.pk]),
                           _form(phone="12"))
    assert response.context["form"].errors["phone"] == [
        "Geef een volledig telefoonnummer, bijvoorbeeld 0470 12 34 56 of +31 6 12 34 56 78."]
    assert not Resident.objects.exists()


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_public_form_refuses_a_too_long_name_instead_of_cutting_it(client, field):
    session = make_session()
    url = reverse("trainings:public-enrol", args=[session.pk])
    # No maxlength in the page: a browser would cut a pasted name silently.
    assert "maxlength" not in str(client.get(url).context["form"][field])
    response = client.post(url, _form(**{field: "x" * 300}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        "Zorg dat deze waarde niet meer dan 80 tekens bevat (het zijn er nu 300)."]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Resident.objects.exists() and not Enrolment.objects.exists()


def test_public_form_enrolling_twice_saves_no_second_consent(client):
    session = make_session()
    url = reverse("trainings:public-enrol", args=[session.pk])
    client.post(url, _form())
    response = client.post(url, _form())
    assert response.status_code == 200
    assert "al ingeschreven" in response.context["problem"]
    assert "Verbeter" not in response.content.decode()
    assert Consent.objects.count() == 1 and Enrolment.objects.count() == 1


def test_three_distinct_valid_enrolments_from_one_device_all_succeed(client):
    session = make_session()
    url = reverse("trainings:public-enrol", args=[session.pk])
    for first_name in ("Josée", "Marcel", "Lien"):
        response = client.post(url, _form(first_name=first_name))
        assert response.status_code == 302
    assert session.enrolments.count() == 3


def test_a_flood_of_valid_enrolments_from_one_address_is_limited(client):
    session = make_session(capacity=50)
    url = reverse("trainings:public-enrol", args=[session.pk])
    for index in range(20):
        response = client.post(url, _form(last_name=f"Claes{index}",
                                          phone=f"0470 12 34 {index:02}"))
        assert response.status_code == 302, response.context["problem"]
    response = client.post(url, _form(last_name="Claes-extra"))
    assert response.status_code == 429 and "60 minuten" in response.content.decode()
    assert not Resident.objects.filter(last_name="Claes-extra").exists()


def test_repeated_invalid_posts_are_limited_strictly(client):
    session = make_session()
    url = reverse("trainings:public-enrol", args=[session.pk])
    for _ in range(5):
        assert client.post(url, _form(phone="12")).status_code == 400
    response = client.post(url, _form())
    assert response.status_code == 429
    assert not Resident.objects.exists()


def test_rate_limit_is_explained_as_such_without_blaming_the_fields(client):
    session = make_session(point=make_point(phone="015 11 22 33"))
    url = reverse("trainings:public-enrol", args=[session.pk])
    for _ in range(5):
        client.post(url, _form(phone="12"))
    response = client.post(url, _form(last_name="Claes-extra", phone="12"))
    content = response.content.decode()
    assert response.status_code == 429
    assert "Verbeter de velden" not in content and "9 tot 13 cijfers" not in content
    assert "Om misbruik te voorkomen" in content and "15 minuten" in content
    assert "015 11 22 33" in content
    assert 'value="Claes-extra"' in content  # what they typed stays


def _enrol_and_confirm(client, session, **form):
    response = client.post(reverse("trainings:public-enrol", args=[session.pk]), _form(**form),
                           follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("trainings:public-confirmation", args=[session.pk]) + "?bewijs=")
    return response


def test_confirmation_says_how_to_cancel_by_phone_or_at_any_point(client):
    session = make_session(point=make_point(phone="015 11 22 33"))
    content = _enrol_and_confirm(client, session).content.decode()
    assert "Je bent ingeschreven" in content
    assert "Kan je niet komen?" in content
    assert 'href="tel:+3215112233"' in content
    assert "in eender welk digibankpunt" in content


def test_confirmation_at_a_partners_venue_gives_the_digibanks_number(client, settings):
    from tests.factories import make_partner

    settings.CONTACT_PHONE = "015 99 88 77"
    session = make_session(point=None, venue=make_partner(is_training_partner=True))
    assert "015 99 88 77" in _enrol_and_confirm(client, session).content.decode()


def test_waiting_list_confirmation_for_a_series_says_only_what_is_true(client):
    from tests.trainings.factories import make_run, make_run_enrolment

    run = make_run(weeks=4, capacity=1, point=make_point(phone="015 11 22 33"))
    make_run_enrolment(run, make_resident())
    session = run.sessions.order_by("starts_at").first()
    content = _enrol_and_confirm(client, session).content.decode()
    assert "Je staat op de wachtlijst" in content
    assert "plaats vrij, dan bellen we je" in content
    assert "Heb je geen plaats meer nodig?" in content and "tel:+3215112233" in content
    assert "de dag ervoor" not in content
    assert "Je bent ingeschreven" not in content


def test_confirmation_ignores_an_address_that_claims_the_waiting_list(client):
    session = make_session(capacity=1)
    make_enrolment(session, make_resident())
    url = reverse("trainings:public-confirmation", args=[session.pk])
    response = client.get(url, {"wachtlijst": "0"})
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:public-detail", args=[session.pk])
    assert client.get(url, {"bewijs": "seat:1"}).status_code == 302


def test_confirmation_follows_the_enrolment_when_it_is_cancelled_later(client):
    session = make_session()
    response = _enrol_and_confirm(client, session)
    Enrolment.objects.update(status=EnrolmentStatus.CANCELLED)
    content = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "Inschrijving geannuleerd" in content and "Je bent ingeschreven" not in content


def test_ical_feed_parses_back_with_every_upcoming_session(client):
    point = make_point()
    session = make_session(make_course("Werken met itsme"), point=point)
    make_session(make_course("Afgelast"), status="cancelled",
                 starts_at=session.starts_at + timedelta(days=1))
    make_session(make_course("Gegeven"), status="held")
    response = client.get(reverse("trainings:ical"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in events] == [
        ("Werken met itsme", "CONFIRMED"), ("Afgelast", "CANCELLED")]
    event = events[0]
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert point.name in str(event["LOCATION"])
    assert str(event["UID"]).startswith(f"training-session-{session.pk}@")


def test_point_ical_feed_holds_only_that_points_sessions(client):
    here, there = make_point(), make_point()
    make_session(make_course("Hier"), point=here)
    make_session(make_course("Daar"), point=there)
    response = client.get(reverse("trainings:point-ical", args=[here.slug]))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Hier"]


@pytest.mark.parametrize("name", ["trainings:ical", "trainings:point-ical"])
def test_ical_feed_query_count_does_not_grow(client, django_assert_max_num_queries, name):
    point = make_point()
    url = reverse(name, kwargs={"slug": point.slug} if name == "trainings:point-ical" else {})
    make_session(point=point)
    with django_assert_max_num_queries(2) as few:
        client.get(url)
    for _ in range(20):
        make_session(make_course(), point=point)
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 21


def test_ical_feed_tells_clients_how_long_it_may_be_behind(client):
    response = client.get(reverse("trainings:ical"))
    assert f"max-age={ICAL_CACHE_SECONDS}" in response["Cache-Control"]


def test_public_list_filters_by_topic(client):
    from points.models import QuestionTopic

    itsme = QuestionTopic.objects.create(name="itsme", slug="itsme")
    course = make_course("Werken met itsme")
    course.topics.add(itsme)
    make_session(course)
    make_session(make_course("Mails sturen"))
    content = client.get(reverse("trainings:public-list"), {"topic": "itsme"}).content.decode()
    assert "Werken met itsme" in content and "Mails sturen" not in content


def test_public_list_filtered_on_a_point_offers_that_points_calendar(client):
    point = make_point()
    make_session(point=point)
    content = client.get(reverse("trainings:public-list"), {"point": point.slug}).content.decode()
    assert reverse("trainings:point-ical", args=[point.slug]) in content


def test_an_online_session_shows_no_street_on_its_page_nor_in_the_feed(client):
    point = make_point("Bibliotheek", street="Onze-Lieve-Vrouwestraat 11")
    session = make_session(make_course("Videobellen"), point=point, is_online=True)
    page = client.get(reverse("trainings:public-detail", args=[session.pk])).content.decode()
    assert "Online, vanuit Bibliotheek" in page and "Onze-Lieve-Vrouwestraat" not in page
    event = Calendar.from_ical(client.get(reverse("trainings:ical")).content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Online, vanuit Bibliotheek"


@pytest.mark.parametrize("name", ["trainings:ical", "trainings:point-ical"])
def test_a_cancelled_session_shows_as_cancelled_in_the_cached_feed_at_once(
        client, django_capture_on_commit_callbacks, name):
    point = make_point()
    session = make_session(make_course("Werken met itsme"), point=point)
    url = reverse(name, kwargs={"slug": point.slug} if name == "trainings:point-ical" else {})
    event = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(actor=make_user("coordinator"), session=session, reason="Ziek")
    event = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_changed_session_shows_its_new_time_in_the_cached_feed_at_once(
        client, django_capture_on_commit_callbacks):
    # Online: the new time need not fit the point's opening hours.
    session = make_session(make_course("Werken met itsme"), is_online=True)
    client.get(reverse("trainings:ical"))
    later = session.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        update_session(actor=make_user("coordinator"), session=session,
                       starts_at=later, ends_at=later + timedelta(hours=1))
    event = Calendar.from_ical(client.get(reverse("trainings:ical")).content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == later


def test_a_feed_change_rolled_back_keeps_the_feeds_version(django_capture_on_commit_callbacks):
    version = feeds_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        feeds_changed()
    assert len(callbacks) == 1 and feeds_version() == version

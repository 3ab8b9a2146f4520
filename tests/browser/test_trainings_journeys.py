"""Trainings journeys in Chromium: the counter's quick enrolment, taking
attendance, the public enrolment form, and axe-core on the key pages."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from digibank.models import Resident
from digibank.roles import sync_role_permissions
from points.models import QuestionTopic, Visit
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_resident, make_user
from tests.trainings.factories import make_course, make_enrolment, make_open_point, make_session
from trainings.models import EnrolmentStatus

PASSWORD = "correct horse battery"


@pytest.fixture
def point(transactional_db):
    # A transactional test's flush also removes the role groups of the migrations.
    sync_role_permissions()
    cache.clear()
    # Open every day from 08:00 to 20:00: the calendar accepts a session then.
    return make_open_point("Digibank Huis van de Mechelaar", street="Grote Markt 21",
                           postcode="2800")


def test_host_enrols_a_visitor_from_the_counter_in_a_few_clicks(page, point):
    host = make_user("host", username="hanne", password=PASSWORD, points=[point])
    topic = QuestionTopic.objects.create(name="itsme", slug="itsme")
    resident = make_resident("Maria", "Peeters")
    visit = Visit.objects.create(point=point, resident=resident, host=host,
                                 arrived_at=timezone.now())
    visit.topics.add(topic)
    course = make_course("Werken met itsme")
    course.topics.add(topic)
    session = make_session(course, point=point)
    make_session(make_course("E-mail voor beginners"), point=point)
    login(page, "hanne", PASSWORD)
    page.goto(f"/opleidingen/inschrijven/?bezoek={visit.pk}&terug=/balie/")
    expect(page.get_by_role("heading", name="Voorgestelde sessies")).to_be_visible()
    expect(page.get_by_role("heading", name="In dit punt").first).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Inschrijven\W+Werken met itsme")).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Maria Peeters is ingeschreven")
    assert session.enrolments.get().resident == resident
    # The panel refreshed itself in place: its heading is still there once.
    expect(page.get_by_role("heading", name="Inschrijven voor een opleiding")).to_have_count(1)
    expect(page.get_by_role("link", name="Terug naar de balie")).to_be_visible()


def test_host_puts_a_visitor_on_the_interest_list(page, point):
    make_user("host", username="hanne", password=PASSWORD, points=[point])
    resident = make_resident("Luc", "Janssens")
    make_course("Online bankieren")
    login(page, "hanne", PASSWORD)
    page.goto(f"/opleidingen/inschrijven/?inwoner={resident.pk}")
    page.get_by_label("Opleiding").select_option(label="Online bankieren")
    page.get_by_role("button", name="Op de interesselijst zetten").click()
    page.wait_for_load_state()
    assert "interesselijst" in page.locator(".messages").inner_text()
    assert resident.training_interests.count() == 1


def test_coach_takes_attendance_on_the_session_page(page, point):
    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    session = make_session(make_course("Je smartphone veilig gebruiken"), point=point,
                           trainer=coach, starts_at=timezone.now() - timedelta(minutes=15))
    present = make_enrolment(session, make_resident("Olena", "Kovalenko"))
    absent = make_enrolment(session, make_resident("Ahmed", "El Amrani"))
    login(page, "karim", PASSWORD)
    page.goto(f"/opleidingen/sessies/{session.pk}/")
    page.get_by_role("button", name=re.compile(r"^Aanwezig\W+Olena Kovalenko")).click()
    page.get_by_role("button", name=re.compile(r"^Afwezig\W+Ahmed El Amrani")).click()
    row = page.locator(f"#enrolment-{absent.pk}")
    row.get_by_test_id("attendance-status").filter(has_text="Niet gekomen").wait_for()
    assert page.locator(f"#enrolment-{present.pk}").get_by_test_id(
        "attendance-status").inner_text() == "Aanwezig"
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.status == EnrolmentStatus.ATTENDED
    assert absent.status == EnrolmentStatus.NO_SHOW
    assert_no_serious_axe_violations(page)


def test_resident_enrols_through_the_public_form(phone_page, point):
    session = make_session(make_course("Online een bus- of treinticket kopen"), point=point)
    page = phone_page
    page.goto("/opleidingen/")
    page.get_by_role("link", name="Online een bus- of treinticket kopen").click()
    page.get_by_role("link", name="Inschrijven met het korte formulier").click()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_text("Vul je voornaam in.")).to_be_visible()
    assert not Resident.objects.exists()
    page.get_by_label("Voornaam").fill("Josée")
    page.get_by_label("Achternaam").fill("Claes")
    page.get_by_label("Telefoonnummer").fill("0470 12 34 56")
    page.get_by_label("De digibank mag mij bellen over deze opleiding.").check()
    page.get_by_role("button", name="Inschrijven").click()
    page.get_by_role("heading", name="Je bent ingeschreven").wait_for()
    assert session.enrolments.get().resident.last_name == "Claes"


def test_resident_on_the_waiting_list_reads_only_what_is_true(phone_page, point):
    session = make_session(make_course("Online een bus- of treinticket kopen"), point=point,
                           capacity=1)
    make_enrolment(session, make_resident())
    page = phone_page
    page.goto(f"/opleidingen/{session.pk}/inschrijven/")
    page.get_by_label("Voornaam").fill("Josée")
    page.get_by_label("Achternaam").fill("Claes")
    page.get_by_label("Telefoonnummer").fill("0470 12 34 56")
    page.get_by_label("De digibank mag mij bellen over deze opleiding.").check()
    page.get_by_role("button", name="Inschrijven").click()
    page.get_by_role("heading", name="Je staat op de wachtlijst").wait_for()
    expect(page.get_by_role("heading", name="Heb je geen plaats meer nodig?")).to_be_visible()
    expect(page.get_by_text("de dag ervoor")).to_have_count(0)
    expect(page.get_by_text("Je bent ingeschreven")).to_have_count(0)


def test_public_form_refuses_a_pasted_name_that_is_too_long_next_to_the_field(page, point):
    make_session(make_course("Online een bus- of treinticket kopen"), point=point)
    page.goto("/opleidingen/")
    page.get_by_role("link", name="Online een bus- of treinticket kopen").click()
    page.get_by_role("link", name="Inschrijven met het korte formulier").click()
    page.get_by_label("Voornaam").fill("J" * 300)
    assert len(page.get_by_label("Voornaam").input_value()) == 300  # not cut by the browser
    page.get_by_label("Achternaam").fill("Claes")
    page.get_by_label("Telefoonnummer").fill("0470 12 34 56")
    page.get_by_label("De digibank mag mij bellen over deze opleiding.").check()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.locator("#id_first_name_error")).to_contain_text("niet meer dan 80 tekens")
    assert not Resident.objects.exists()


def test_public_training_pages_have_no_serious_accessibility_violations(page, point):
    session = make_session(make_course("Werken met itsme"), point=point, capacity=1,
                           accessibility="Rolstoeltoegankelijk")
    make_enrolment(session, make_resident())
    for url in ("/opleidingen/", f"/opleidingen/{session.pk}/",
                f"/opleidingen/{session.pk}/inschrijven/"):
        page.goto(url)
        assert_no_serious_axe_violations(page)


def test_staff_training_pages_have_no_serious_accessibility_violations(page, point):
    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    session = make_session(make_course("Werken met itsme"), point=point, trainer=coach,
                           capacity=1)
    make_enrolment(session, make_resident())
    make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    login(page, "karim", PASSWORD)
    for url in (f"/opleidingen/sessies/{session.pk}/", "/opleidingen/sessies/",
                "/opleidingen/inschrijven/?q=Maria", "/begeleiding/"):
        page.goto(url)
        assert_no_serious_axe_violations(page)


def test_coach_plans_a_session_and_cancels_it(page, point):
    make_user("coach", username="karim", password=PASSWORD, points=[point])
    make_course("Werken met itsme", default_capacity=6)
    day = timezone.localdate() + timedelta(days=10)
    login(page, "karim", PASSWORD)
    page.goto("/opleidingen/sessies/")
    page.get_by_role("link", name="Sessie plannen").click()
    page.get_by_label(re.compile(r"^Opleiding\b")).select_option(label="Werken met itsme")
    page.get_by_label("Dag").fill(day.isoformat())
    page.locator("#id_start_time").fill("14:00")
    page.get_by_label("Tot").fill("16:00")
    page.get_by_label("In digibankpunt").select_option(label=point.name)
    page.get_by_label("Aantal weken").fill("2")
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_role("heading", name="Werken met itsme").wait_for()
    assert "2 sessies gepland" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Sessie annuleren").click()
    page.get_by_label("Reden").fill("De lesgever is ziek")
    page.get_by_role("button", name="Deze sessie annuleren").click()
    page.get_by_text("Deze sessie is geannuleerd: De lesgever is ziek").wait_for()


def test_coach_starts_guidance_and_records_a_meeting(page, point):
    make_user("coach", username="karim", password=PASSWORD, points=[point])
    make_resident("Fatima", "Bouzid", phone="0488776655")
    login(page, "karim", PASSWORD)
    page.goto("/begeleiding/")
    page.get_by_role("link", name="Begeleiding starten").click()
    page.get_by_label("Wie? Naam of telefoonnummer").fill("Bouzid")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=re.compile("Fatima Bouzid")).click()
    page.get_by_label("Doel").fill("Zelf de schoolinschrijving doen")
    page.get_by_role("button", name="Begeleiding starten").click()
    page.get_by_label("Korte notitie").fill("Aanmeldsite samen bekeken.")
    page.get_by_role("button", name="Gesprek toevoegen").click()
    page.get_by_text("Aanmeldsite samen bekeken.").wait_for()
    assert_no_serious_axe_violations(page)


def test_coordinator_reads_training_figures(page, point):
    make_user("coordinator", username="kamala", password=PASSWORD)
    session = make_session(make_course("Werken met itsme"), point=point, capacity=1)
    make_enrolment(session, make_resident())
    make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    login(page, "kamala", PASSWORD)
    page.goto("/opleidingen/cijfers/")
    page.get_by_role("heading", name="Cijfers opleidingen").wait_for()
    row = page.get_by_role("row", name=re.compile("Werken met itsme"))
    assert "1 / 1" in row.inner_text()
    assert_no_serious_axe_violations(page)


def test_public_training_pages_reflow_at_320_pixels(phone_page, point):
    session = make_session(make_course("Je smartphone veilig gebruiken met een lange titel"),
                           point=point, accessibility="Rolstoeltoegankelijk, ringleiding")
    phone_page.set_viewport_size({"width": 320, "height": 640})
    for url in ("/opleidingen/", f"/opleidingen/{session.pk}/",
                f"/opleidingen/{session.pk}/inschrijven/"):
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways at 320px ({width}px)"


def test_a_very_long_word_in_a_goal_or_note_keeps_the_guidance_page_at_375_pixels(
    phone_page, point
):
    from tests.trainings.factories import make_guidance
    from trainings.models import GuidanceMeeting

    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    guidance = make_guidance(make_resident("Anna", "Wouters"), coach, goal="x" * 300)
    GuidanceMeeting.objects.create(guidance=guidance, coach=coach,
                                   held_on=timezone.localdate(), note="y" * 1000)
    login(phone_page, "karim", PASSWORD)
    phone_page.goto(f"/begeleiding/{guidance.pk}/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the guidance page scrolls sideways at 375px ({width}px)"

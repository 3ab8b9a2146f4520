"""Walk-ins in Chromium: during a session the coach adds someone who is
there as present, found by name or new, over the places when they say so."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import make_course, make_enrolment, make_session
from trainings.models import EnrolmentChannel, EnrolmentStatus

PASSWORD = "correct horse battery"


@pytest.fixture
def point(transactional_db):
    sync_role_permissions()
    cache.clear()
    return make_point("Digibank Huis van de Mechelaar", street="Grote Markt 21",
                      postcode="2800")


def _running_session(point, coach, capacity=8):
    return make_session(make_course("Je smartphone veilig gebruiken"), point=point,
                        trainer=coach, capacity=capacity,
                        starts_at=timezone.now() - timedelta(minutes=15))


def test_coach_finds_someone_who_walked_in_and_adds_them_as_present(page, point):
    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    session = _running_session(point, coach)
    resident = make_resident("Olena", "Kovalenko")
    login(page, "karim", PASSWORD)
    page.goto(f"/opleidingen/sessies/{session.pk}/")
    page.get_by_role("link", name="Binnenloper toevoegen").click()
    search = page.get_by_role("searchbox", name="Wie? Naam of telefoonnummer")
    search.fill("Kovalenko")
    search.press("Enter")
    page.get_by_role("button", name="Olena Kovalenko toevoegen als aanwezig").click()
    expect(page.locator(".messages")).to_contain_text("Olena Kovalenko is aanwezig (binnenloper)")
    enrolment = session.enrolments.get(resident=resident)
    expect(page.locator(f"#enrolment-{enrolment.pk}").get_by_test_id(
        "attendance-status")).to_have_text("Aanwezig")
    assert enrolment.channel == EnrolmentChannel.WALK_IN
    assert_no_serious_axe_violations(page)


def test_coach_adds_a_new_person_over_the_places_after_saying_so(page, point):
    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    session = _running_session(point, coach, capacity=1)
    make_enrolment(session, make_resident("Ahmed", "El Amrani"))
    login(page, "karim", PASSWORD)
    page.goto(f"/opleidingen/sessies/{session.pk}/#walk-in")
    page.get_by_label("Voornaam").fill("Mira")
    page.get_by_label("Achternaam").fill("Janssens")
    page.get_by_role("button", name="Toevoegen als aanwezig").click()
    expect(page.get_by_role("alert")).to_contain_text("De enige plaats is bezet")
    assert not session.enrolments.filter(resident__last_name="Janssens").exists()
    page.get_by_label("Toch toevoegen, ook al zijn alle plaatsen bezet").check()
    page.get_by_role("button", name="Toevoegen als aanwezig").click()
    expect(page.locator(".messages")).to_contain_text("Mira Janssens is aanwezig (binnenloper)")
    enrolment = session.enrolments.get(resident__last_name="Janssens")
    assert enrolment.status == EnrolmentStatus.ATTENDED
    assert session.enrolments.seated().count() == 2


def test_coach_adds_a_found_person_to_a_full_session_in_one_step(page, point):
    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    session = _running_session(point, coach, capacity=1)
    make_enrolment(session, make_resident("Ahmed", "El Amrani"))
    resident = make_resident("Olena", "Kovalenko")
    login(page, "karim", PASSWORD)
    page.goto(f"/opleidingen/sessies/{session.pk}/")
    page.get_by_role("link", name="Binnenloper toevoegen").click()
    search = page.get_by_role("searchbox", name="Wie? Naam of telefoonnummer")
    search.fill("Kovalenko")
    search.press("Enter")
    page.locator(f"#id_walk_in_over_{resident.pk}").check()
    page.get_by_role("button", name="Olena Kovalenko toevoegen als aanwezig").click()
    expect(page.locator(".messages")).to_contain_text("Olena Kovalenko is aanwezig (binnenloper)")
    assert session.enrolments.get(resident=resident).status == EnrolmentStatus.ATTENDED
    search = page.get_by_role("searchbox", name="Wie? Naam of telefoonnummer")
    search.fill("Olena")
    search.press("Enter")
    expect(page.get_by_text("Olena Kovalenko is al aanwezig.")).to_be_visible()
    expect(page.get_by_text("Niemand gevonden")).to_have_count(0)

"""Series and interest in Chromium: a coach plans a four-week course and
fills it with one enrolment per person; someone on the interest list is
enrolled from the call list in one click."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_resident, make_user
from tests.trainings.factories import make_course, make_open_point, make_session
from trainings.models import InterestEntry, RunEnrolment
from trainings.services import tell_interest_about_places

PASSWORD = "correct horse battery"


@pytest.fixture
def point(transactional_db):
    sync_role_permissions()
    cache.clear()
    return make_open_point("Digibank Huis van de Mechelaar", street="Grote Markt 21",
                           postcode="2800")


def test_coach_plans_a_four_week_course_and_enrols_each_person_once(page, point):
    make_user("coach", username="karim", password=PASSWORD, points=[point])
    make_course("Je smartphone veilig gebruiken", default_capacity=6)
    make_resident("Olena", "Kovalenko")
    day = timezone.localdate() + timedelta(days=8)
    login(page, "karim", PASSWORD)
    page.goto("/opleidingen/sessies/nieuw/")
    page.get_by_label(re.compile(r"^Opleiding\b")).select_option(
        label="Je smartphone veilig gebruiken")
    page.get_by_label("Dag").fill(day.isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.get_by_label("Tot").fill("12:00")
    page.get_by_label("In digibankpunt").select_option(label=point.name)
    page.get_by_label("Aantal weken").fill("4")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("link", name="Sessie 1 van 4")).to_be_visible()
    page.get_by_role("link", name="Iemand inschrijven voor de reeks").click()
    search = page.get_by_role("searchbox", name="Wie? Naam of telefoonnummer")
    search.fill("Kovalenko")
    search.press("Enter")
    page.get_by_role("link", name=re.compile("Olena Kovalenko")).click()
    page.get_by_role("button", name=re.compile(r"^Inschrijven voor de reeks")).click()
    expect(page.locator(".messages")).to_contain_text(
        "Olena Kovalenko is ingeschreven voor elke sessie")
    [run_enrolment] = RunEnrolment.objects.all()
    assert run_enrolment.session_enrolments.filter(status="enrolled").count() == 4
    page.goto(f"/opleidingen/reeksen/{run_enrolment.run_id}/")
    expect(page.get_by_role("row", name=re.compile("Olena Kovalenko"))).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_coordinator_sees_the_series_waiting_list_on_a_session_and_cancels_from_a_later_one(
    page, point
):
    from tests.trainings.factories import make_run
    from trainings.services import enrol_in_run

    make_user("coordinator", username="els", password=PASSWORD)
    run = make_run(make_course("Werken met itsme"), weeks=4, capacity=1, point=point)
    enrol_in_run(actor=None, run=run, resident=make_resident("An", "Peeters"))
    enrol_in_run(actor=None, run=run, resident=make_resident("Karim", "Haddou"))
    first, *_middle, last = run.sessions.order_by("starts_at")
    login(page, "els", PASSWORD)
    page.goto(f"/opleidingen/sessies/{first.pk}/")
    expect(page.get_by_role("button", name=re.compile(r"^Van de wachtlijst halen\s*: Karim Haddou")
                            )).to_be_visible()
    expect(page.get_by_text("Niemand wacht.")).to_have_count(0)
    page.goto(f"/opleidingen/sessies/{last.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Annuleren voor de reeks\s*: An Peeters")).click()
    expect(page.locator(".messages")).to_contain_text("Karim Haddou")
    page.goto(f"/opleidingen/sessies/{first.pk}/")
    participants = page.locator(".attendance-list").first
    expect(participants).to_contain_text("Karim Haddou")
    expect(participants).not_to_contain_text("An Peeters")
    assert_no_serious_axe_violations(page)


def test_host_enrols_someone_from_the_interest_list_in_one_click(page, point):
    make_user("host", username="hanne", password=PASSWORD, points=[point])
    course = make_course("Online bankieren")
    resident = make_resident("Luc", "Janssens", phone="0470111222")
    InterestEntry.objects.create(resident=resident, course=course, point=point)
    session = make_session(course, point=point)
    tell_interest_about_places()
    login(page, "hanne", PASSWORD)
    page.goto("/bel-lijst/")
    page.get_by_role("button", name=re.compile(r"^Inschrijven voor Online bankieren")).click()
    expect(page.locator(".messages")).to_contain_text("Luc Janssens is ingeschreven")
    assert session.enrolments.get().resident == resident


def test_coach_reads_each_participants_dates_and_status_on_a_phone(phone_page, point):
    from tests.trainings.factories import make_run, make_run_enrolment

    make_user("coach", username="karim", password=PASSWORD, points=[point])
    run = make_run(weeks=4, point=point)
    make_run_enrolment(run, make_resident("Olena", "Kovalenko"))
    first = run.sessions.order_by("starts_at").first()
    login(phone_page, "karim", PASSWORD)
    phone_page.goto(f"/opleidingen/reeksen/{run.pk}/")
    cell = phone_page.locator(".run-cell").first
    expect(cell).to_be_visible()
    day = timezone.localtime(first.starts_at).strftime("%d/%m")
    expect(cell).to_contain_text(day)
    expect(cell.locator(".cell-status")).to_have_text("nog niet")
    assert cell.locator(".cell-status").bounding_box()["width"] > 20
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

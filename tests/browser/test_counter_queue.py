"""Counter journeys in Chromium: a quick anonymous visit, a returning
resident handed to the coach, the coach closing it."""

import pytest
from django.core.management import call_command

from points.models import Visit, VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic

PASSWORD = "correct horse battery"


@pytest.fixture
def counter(transactional_db):
    # transactional_db empties the tables between tests, roles included.
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    make_topic("itsme en eID")
    make_topic("Bankapp")
    return {
        "point": point,
        "host": make_user("host", username="hanne", points=[point]),
        "coach": make_user("coach", username="karim", points=[point]),
    }


def test_host_registers_an_anonymous_visit_in_at_most_three_clicks(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()  # click 1
    page.get_by_role("button", name="Nu afronden", exact=True).click()  # click 2
    page.get_by_text("Bezoek geregistreerd").wait_for()
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.DONE and visit.resident is None
    assert [topic.name for topic in visit.topics.all()] == ["itsme en eID"]


def test_returning_resident_goes_to_the_coach_who_takes_over_and_closes(page, browser,
                                                                        live_server, counter):
    resident = make_resident("Josée", "Van den Bossche", phone="015201020")
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_label("Zoek een bezoeker die al eens kwam").press_sequentially("Jos")
    page.get_by_label("Josée Van den Bossche").check()
    page.get_by_text("Bankapp", exact=True).click()
    page.get_by_role("button", name="Naar de coach", exact=True).first.click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    visit = Visit.objects.get()
    assert visit.resident == resident and visit.status == VisitStatus.WAITING_FOR_COACH

    coach_context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    coach_page = coach_context.new_page()
    login(coach_page, "karim", PASSWORD)
    coach_page.goto("/balie/coach/")
    coach_page.get_by_role("button", name="Overnemen").click()
    coach_page.get_by_test_id("with-me").get_by_role("button", name="Opgelost", exact=True).click()
    coach_page.get_by_text("Niemand wacht op een coach.").wait_for()
    coach_page.get_by_text("Je helpt nu niemand.").wait_for()
    coach_context.close()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.outcome == VisitOutcome.SOLVED
    assert visit.coach.username == "karim"


def test_waiting_visitor_is_taken_from_the_queue_without_reloading(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_role("button", name="Wacht in de rij").click()
    page.get_by_test_id("waiting-visit").get_by_role("button", name="Nu helpen").click()
    page.get_by_test_id("visit-with-host").wait_for()
    assert Visit.objects.get().status == VisitStatus.WITH_HOST


def test_counter_has_no_serious_accessibility_violations(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    assert_no_serious_axe_violations(page)


def test_counter_works_on_a_phone_without_sideways_scrolling(phone_page, counter):
    login(phone_page, "hanne", PASSWORD)
    phone_page.goto("/balie/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.get_by_text("Bankapp", exact=True).click()
    phone_page.get_by_role("button", name="Nu afronden", exact=True).click()
    phone_page.get_by_test_id("closed-visit").wait_for()

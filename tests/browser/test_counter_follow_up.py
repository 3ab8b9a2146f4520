"""From the counter to the next step: a visit that ends with "training
proposed", "device loan" or "referred" opens its follow-up right under the
visit, with the focus on it and a spoken announcement, on the counter and
on the coach queue (issue 14, problem 4)."""

import re
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from points.models import Visit, VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit
from tests.trainings.factories import make_course, make_session
from trainings.models import Enrolment

PASSWORD = "correct horse battery"


@pytest.fixture
def counter(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    topic = make_topic("itsme en eID")
    course = make_course("Werken met itsme")
    course.topics.add(topic)
    session = make_session(course, point=point)
    make_user("host", username="hanne", points=[point])
    return {"point": point, "session": session}


def _wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_host_enrols_a_visitor_in_the_proposed_training_without_leaving_the_counter(
    page, counter
):
    resident = make_resident("Maria", "Peeters", phone="0470123456")
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_label("Zoek een bezoeker die al eens kwam").press_sequentially("Pee")
    page.get_by_label("Maria Peeters").check()
    page.get_by_text("itsme en eID", exact=True).click()
    page.get_by_label("Resultaat als je nu afrondt").select_option(label="Opleiding voorgesteld")
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    visit = Visit.objects.get()
    assert visit.outcome == VisitOutcome.TRAINING_PROPOSED

    page.get_by_test_id("followup-training").click()
    panel = page.get_by_test_id("closed-visit").get_by_test_id("followup-slot")
    panel.get_by_role("button", name=re.compile(r"^Inschrijven\W+Werken met itsme")).click()
    assert _wait_for(lambda: Enrolment.objects.filter(resident=resident).exists())
    assert Enrolment.objects.get(resident=resident).session == counter["session"]
    assert page.url.endswith("/balie/")
    assert_no_serious_axe_violations(page)


def _finished(point, outcome, resident):
    return make_visit(point, status=VisitStatus.DONE, outcome=outcome, resident=resident,
                      finished_at=timezone.now())


@pytest.mark.parametrize(("outcome", "link", "title", "said"), [
    (VisitOutcome.TRAINING_PROPOSED, "followup-training", "Inschrijven voor een opleiding",
     "Inschrijven voor een opleiding geopend onder het bezoek van"),
    (VisitOutcome.DEVICE_LOAN, "followup-device", "Toestel uitlenen",
     "Toestel uitlenen geopend onder het bezoek van"),
    (VisitOutcome.REFERRED, "followup-referral", "Maria Peeters doorverwijzen",
     "Doorverwijzen naar een partner geopend onder het bezoek van"),
])
def test_a_follow_up_opens_under_its_visit_with_the_focus_and_is_announced(
        page, counter, outcome, link, title, said):
    _finished(counter["point"], outcome, make_resident("Maria", "Peeters"))
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    visit = page.get_by_test_id("closed-visit")
    visit.get_by_test_id(link).click()
    slot = visit.get_by_test_id("followup-slot")
    heading = slot.locator(".followup-title, h2").first
    expect(heading).to_contain_text(title)
    expect(heading).to_be_focused()
    expect(page.get_by_test_id("announcer")).to_contain_text(said)
    # Right under the visit, not a screen further down.
    link_box = visit.get_by_test_id(link).bounding_box()
    assert 0 <= heading.bounding_box()["y"] - link_box["y"] < 200
    assert_no_serious_axe_violations(page)


def test_an_open_follow_up_survives_the_queue_refresh(page, counter):
    _finished(counter["point"], VisitOutcome.TRAINING_PROPOSED, make_resident("Maria", "Peeters"))
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_test_id("followup-training").click()
    slot = page.get_by_test_id("followup-slot")
    expect(slot.get_by_text("Werken met itsme").first).to_be_visible()
    # What the 15-second poll does.
    with page.expect_response(lambda response: response.url.endswith("/balie/")):
        page.evaluate("htmx.ajax('GET', '/balie/', {target: '#queue', swap: 'outerHTML'})")
    page.wait_for_timeout(300)
    expect(slot.get_by_text("Werken met itsme").first).to_be_visible()


def test_the_coach_enrols_from_the_coach_queue(page, counter):
    resident = make_resident("Maria", "Peeters")
    make_user("coach", username="karim", points=[counter["point"]])
    visit = make_visit(counter["point"], status=VisitStatus.WAITING_FOR_COACH, resident=resident,
                       handed_over_at=timezone.now())
    visit.topics.add(counter["session"].course.topics.first())
    login(page, "karim", PASSWORD)
    page.goto("/balie/coach/")
    page.get_by_role("button", name="Overnemen").click()
    page.get_by_test_id("with-me").get_by_role(
        "button", name="Opleiding voorgesteld").click()
    done = page.get_by_test_id("finished-by-me")
    done.get_by_test_id("followup-training").click()
    slot = done.get_by_test_id("followup-slot")
    expect(slot.locator(".followup-title, h2").first).to_be_focused()
    slot.get_by_role("button", name=re.compile(r"^Inschrijven\W+Werken met itsme")).click()
    assert _wait_for(lambda: Enrolment.objects.filter(resident=resident).exists())
    assert page.url.endswith("/balie/coach/")
    assert_no_serious_axe_violations(page)

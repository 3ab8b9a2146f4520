"""From the counter to the next step: a visit that ends with "training
proposed" leads to the quick enrolment, inside the counter screen."""

import re
import time

import pytest
from django.core.management import call_command

from points.models import Visit, VisitOutcome
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic
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
    panel = page.locator("#followup-panel")
    panel.get_by_role("button", name=re.compile(r"^Inschrijven\W+Werken met itsme")).click()
    assert _wait_for(lambda: Enrolment.objects.filter(resident=resident).exists())
    assert Enrolment.objects.get(resident=resident).session == counter["session"]
    assert page.url.endswith("/balie/")
    assert_no_serious_axe_violations(page)

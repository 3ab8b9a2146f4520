"""Issue 14 follow-up: after "Overnemen" in the coach queue the keyboard
focus is on the visit just taken (its next step), not on a heading."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from points.models import VisitStatus
from tests.browser.conftest import login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_visit

PASSWORD = "correct horse battery"


@pytest.fixture
def queue(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    make_user("coach", username="karim", points=[point])
    first = make_visit(point, resident=make_resident("Maria", "Peeters"),
                       status=VisitStatus.WAITING_FOR_COACH)
    second = make_visit(point, resident=make_resident("Jan", "Janssens"),
                        status=VisitStatus.WAITING_FOR_COACH)
    return {"first": first, "second": second}


def test_after_take_over_the_focus_is_on_the_visit_just_taken(page, queue):
    login(page, "karim", PASSWORD)
    page.goto("/balie/coach/")
    jan = page.get_by_test_id("handover").filter(has_text="Jan Janssens")
    jan.get_by_role("button", name="Overnemen").focus()
    page.keyboard.press("Enter")
    taken = page.get_by_test_id("with-me").filter(has_text="Jan Janssens")
    expect(taken).to_have_count(1)
    expect(taken.locator(":focus")).to_have_count(1)
    expect(page.locator("h2:focus")).to_have_count(0)

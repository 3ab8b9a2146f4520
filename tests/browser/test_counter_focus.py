"""Issue 14 leftovers in Chromium: after every step at the counter and in the
coach queue the keyboard focus lands on something sensible, never on
<body>; the message after a step names the visitor."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from points.models import Visit, VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit

PASSWORD = "correct horse battery"


@pytest.fixture
def counter(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    make_topic("Bankapp")
    now = timezone.now()
    # Maria has waited longest; four visitors who came after her were helped
    # already, so once she is gone her visit folds under "finished earlier".
    maria = make_visit(point, resident=make_resident("Maria", "Peeters"),
                       arrived_at=now - timedelta(minutes=50))
    for minutes in (10, 20, 30, 40):
        make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                   arrived_at=now - timedelta(minutes=minutes), finished_at=now)
    return {"point": point, "maria": maria,
            "host": make_user("host", username="hanne", points=[point]),
            "coach": make_user("coach", username="karim", points=[point])}


def _body_has_focus(page) -> bool:
    return page.evaluate("document.activeElement === document.body")


def test_after_left_without_help_the_focus_is_on_the_message_that_names_the_visitor(
        page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.locator(f"#left-{counter['maria'].pk}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("waiting-visit")).to_have_count(0)
    message = page.locator("#queue .messages")
    expect(message).to_contain_text("Bezoek van Maria Peeters: vertrokken zonder hulp.")
    expect(message).to_be_focused()
    assert not _body_has_focus(page)
    assert Visit.objects.get(pk=counter["maria"].pk).status == VisitStatus.LEFT
    assert_no_serious_axe_violations(page)


def test_after_a_save_that_failed_the_focus_is_on_the_error_summary(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    summary = page.locator("#new-visit .form-errors")
    expect(summary).to_contain_text("Verbeter de velden")
    expect(summary).to_be_focused()
    assert Visit.objects.count() == 5  # nothing saved


def test_finishing_from_the_queue_names_the_visitor_in_the_message(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_test_id("waiting-visit").get_by_role("button", name="Nu helpen").click()
    page.get_by_test_id("visit-with-host").get_by_role(
        "button", name="Opgelost", exact=True).click()
    expect(page.locator("#queue .messages")).to_contain_text("Bezoek van Maria Peeters afgerond.")


def test_the_coach_keeps_the_focus_in_the_queue_after_taking_over_and_finishing(
        page, counter):
    maria = counter["maria"]
    Visit.objects.filter(pk=maria.pk).update(
        status=VisitStatus.WAITING_FOR_COACH, served_at=timezone.now(),
        handed_over_at=timezone.now())
    login(page, "karim", PASSWORD)
    page.goto("/balie/coach/")
    page.locator(f"#take-over-{maria.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("with-me")).to_have_count(1)
    # Taken over: the focus is on that visit's first outcome.
    expect(page.locator(f"#finish-{maria.pk}-solved")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("with-me")).to_have_count(0)
    expect(page.locator("#handovers .messages")).to_contain_text(
        "Bezoek van Maria Peeters afgerond.")
    expect(page.locator("#handovers :focus")).to_have_count(1)
    assert not _body_has_focus(page)
    assert Visit.objects.get(pk=maria.pk).status == VisitStatus.DONE

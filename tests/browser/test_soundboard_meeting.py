import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from digibank.models import Role
from soundboard.models import Attendance, FeedbackItem
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_resident, make_user
from tests.soundboard.factories import make_board, make_meeting, make_member

PASSWORD = "correct horse battery"
SAID = [
    "De bus naar het digibankpunt rijdt te weinig",
    "Wij willen hulp op zaterdag",
    "De uitleg over itsme is te snel",
]


@pytest.fixture
def meeting_now(transactional_db):
    # A transactional test flushes the role groups the migration made.
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    facilitator = make_user("coach", username="fien", password=PASSWORD)
    board = make_board("Klankbordgroep ouderen", facilitator=facilitator)
    make_member(board, make_resident("Maria", "Peeters"))
    return make_meeting(board, timezone.now() - timedelta(minutes=30))


def test_facilitator_records_three_items_during_a_meeting_and_the_next_digest_lists_them(
    page, meeting_now
):
    login(page, "fien", PASSWORD)
    page.goto(f"/klankbordgroepen/vergaderingen/{meeting_now.pk}/")
    # The member's name is visually hidden in the button, for screen readers.
    page.get_by_role("button", name=re.compile(r"^Niet aanwezig\W+Maria Peeters")).click()
    page.get_by_role("button", name=re.compile(r"^Aanwezig\W+Maria Peeters"),
                     pressed=True).wait_for()
    for words in SAID:
        page.get_by_label("Wat de groep zei").fill(words)
        page.get_by_role("button", name="Opschrijven").click()
        page.locator("#capture").get_by_role("link", name=words).wait_for()
        # The form comes back empty with the cursor in it, ready for the next item.
        expect(page.get_by_label("Wat de groep zei")).to_be_focused()
    assert FeedbackItem.objects.filter(raised_at=meeting_now).count() == 3
    assert Attendance.objects.filter(meeting=meeting_now).count() == 1

    page.get_by_role("link", name="Klankbordgroep ouderen").click()
    page.get_by_role("button", name="Plan de volgende vergadering").click()
    page.get_by_role("button", name="Terugkoppeling nu maken").click()
    new_feedback = page.get_by_role("heading", name="Nieuwe feedback")
    new_feedback.wait_for()
    for words in SAID:
        expect(page.get_by_role("link", name=words)).to_be_visible()

    page.get_by_role("link", name="Blad in eenvoudige taal voor de leden").click()
    page.get_by_role("heading", name="Jullie zeiden — wij deden").wait_for()
    # Three items, and what comes next time.
    assert page.locator(".easy-block").count() == 4
    assert_no_serious_axe_violations(page)


def test_board_page_has_no_serious_accessibility_violations(page, meeting_now):
    login(page, "fien", PASSWORD)
    page.goto(f"/klankbordgroepen/groep/{meeting_now.board.slug}/")
    page.get_by_role("heading", name="Klankbordgroep ouderen").wait_for()
    assert_no_serious_axe_violations(page)


def test_meeting_page_works_on_a_phone(phone_page, meeting_now):
    login(phone_page, "fien", PASSWORD)
    phone_page.goto(f"/klankbordgroepen/vergaderingen/{meeting_now.pk}/")
    phone_page.get_by_label("Wat de groep zei").fill("Te weinig plaatsen")
    phone_page.get_by_role("button", name="Opschrijven").click()
    phone_page.locator("#capture").get_by_role("link", name="Te weinig plaatsen").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert_no_serious_axe_violations(phone_page)

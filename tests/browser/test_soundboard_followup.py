import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from digibank.models import Role
from soundboard.models import FeedbackStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_partner, make_resident, make_user
from tests.soundboard.factories import make_board, make_item

PASSWORD = "correct horse battery"


@pytest.fixture
def board(transactional_db):
    # A transactional test flushes the role groups the migration made.
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    facilitator = make_user("coach", username="fien", password=PASSWORD)
    return make_board("Klankbordgroep ouders", facilitator=facilitator,
                      partners=[make_partner("Basisschool De Regenboog")])


def test_facilitator_answers_feedback_and_not_taken_up_asks_for_the_reason(page, board):
    item = make_item(board, "Wij begrijpen Smartschool niet")
    login(page, "fien", PASSWORD)
    page.goto(f"/klankbordgroepen/feedback/{item.pk}/")
    page.get_by_label("Niet opgenomen").check()
    page.get_by_role("button", name="Antwoord bewaren").click()
    expect(page.locator("#id_answer_error")).to_contain_text("Zeg waarom")
    page.get_by_label("Gepland").check()
    page.get_by_label("Ons antwoord").fill("Er komt een avondopleiding Smartschool.")
    page.get_by_role("button", name="Antwoord bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Antwoord bewaard")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Beantwoord: Gepland")
    item.refresh_from_db()
    assert item.status == FeedbackStatus.PLANNED
    assert_no_serious_axe_violations(page)


def test_facilitator_adds_a_member_found_by_name_with_access_needs(page, board):
    make_resident("Olena", "Kovalenko", phone="0492334455")
    login(page, "fien", PASSWORD)
    page.goto(f"/klankbordgroepen/groep/{board.slug}/")
    page.get_by_role("link", name="Lid toevoegen").click()
    page.get_by_label("Zoek de inwoner").fill("Kovalenko")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_label(re.compile("Olena Kovalenko")).check()
    page.get_by_label("Heeft een tolk nodig voor").select_option(label="Oekraïens")
    page.get_by_label("Teksten in eenvoudige taal").check()
    page.get_by_role("button", name="Lid toevoegen").click()
    members = page.locator("table.members")
    expect(members).to_contain_text("Olena Kovalenko")
    expect(members).to_contain_text("teksten in eenvoudige taal")


def test_facilitator_records_a_step_that_answers_feedback(page, board):
    item = make_item(board, "Overdag werken wij, is er hulp 's avonds?")
    login(page, "fien", PASSWORD)
    page.goto(f"/klankbordgroepen/groep/{board.slug}/stappen/nieuw/")
    page.get_by_label("Wat we deden").fill("Digibankpunt op donderdagavond open")
    page.get_by_label(item.words).check()
    page.get_by_role("button", name="Stap bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Stap genoteerd")
    page.get_by_role("link", name=item.words).click()
    expect(page.locator(".timeline")).to_contain_text("Digibankpunt op donderdagavond open")


def test_coordinator_sees_feedback_that_waits_too_long(page, board):
    with time_machine.travel(timezone.now() - timedelta(weeks=8), tick=False):
        make_item(board, "De wachtzaal is te klein")
    make_user("coordinator", username="kamala", password=PASSWORD)
    login(page, "kamala", PASSWORD)
    page.locator("nav.main-nav").get_by_role("link", name="Opvolging feedback").click()
    overdue = page.get_by_role("link", name="De wachtzaal is te klein")
    expect(overdue).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_partner_user_reads_the_board_of_their_organisation(page, board):
    make_item(board, "Meer uitleg aan de schoolpoort")
    make_user("partner", username="school", password=PASSWORD, partner=board.partners.get())
    login(page, "school", PASSWORD)
    page.goto("/klankbordgroepen/")
    page.get_by_role("link", name="Klankbordgroep ouders").click()
    expect(page.get_by_role("link", name="Meer uitleg aan de schoolpoort")).to_be_visible()
    expect(page.get_by_role("link", name="Lid toevoegen")).to_have_count(0)

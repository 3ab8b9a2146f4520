"""The digest's way back to the members, in a real browser: the coordinator
builds it and sees how each member hears it; the sheet names next time."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from digibank.models import Role
from soundboard.models import ContactBy
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.soundboard.factories import make_board, make_item, make_meeting, make_member

PASSWORD = "correct horse battery"


@pytest.fixture
def board(transactional_db):
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    make_user("coordinator", username="cora", password=PASSWORD)
    board = make_board("Klankbordgroep ouderen")
    joined = timezone.localdate() - timedelta(days=60)
    make_member(board, make_resident("Maria", "Peeters", email="maria@example.org"),
                contact_by=ContactBy.EMAIL, joined_on=joined)
    make_member(board, make_resident("Jan", "Claes", phone="0470000002"),
                contact_by=ContactBy.PHONE, joined_on=joined)
    make_member(board, make_resident("Rik", "Wouters"), contact_by=ContactBy.POST,
                joined_on=joined)
    point = make_point("Bib")
    last = make_meeting(board, timezone.now() - timedelta(days=40), point=point)
    make_item(board, "De deur is te zwaar", meeting=last)
    make_meeting(board, timezone.now() + timedelta(days=2), point=point)
    make_meeting(board, timezone.now() + timedelta(days=44), point=point)
    return board


def test_coordinator_builds_the_digest_and_sees_how_each_member_hears_it(page, board):
    login(page, "cora", PASSWORD)
    page.goto(f"/klankbordgroepen/groep/{board.slug}/")
    expect(page.get_by_role("heading", name="Vergaderingen die komen")).to_be_visible()
    page.get_by_role("heading", name="Vergaderingen die komen").locator(
        "xpath=following-sibling::ul[1]").get_by_role("link").first.click()
    page.get_by_role("button", name="Terugkoppeling nu maken").click()
    members = page.get_by_role("table").filter(has_text="Maria Peeters")
    expect(members.get_by_role("row", name="Maria Peeters E-mail")).to_be_visible()
    expect(members.get_by_role("row", name="Jan Claes Bel-lijst")).to_be_visible()
    expect(members.get_by_role("row", name="Rik Wouters Afgedrukt blad in eenvoudige taal")
           ).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Blad in eenvoudige taal voor de leden").click()
    expect(page.get_by_text("Volgende keer:")).to_be_visible()

"""The header's bar holds what a role uses every day; the start page holds
everything the user may open, in sections."""

import pytest
from django.urls import reverse

from digibank.models import Role
from digibank.navigation import NavItem, nav_items_for, start_sections_for
from tests.factories import make_point, make_user

pytestmark = pytest.mark.django_db


def _bar(user) -> list[str]:
    return [item["url_name"] for item in nav_items_for(user) if item["in_bar"]]


def _start_page(user) -> list[str]:
    return [item["url_name"] for _title, items in start_sections_for(user) for item in items]


@pytest.mark.parametrize("role", Role.values)
def test_the_bar_holds_at_most_ten_entries_for_every_role(role):
    assert len(_bar(make_user(role))) <= 10


@pytest.mark.parametrize("role", Role.values)
def test_every_entry_a_role_may_open_is_on_its_start_page(role):
    user = make_user(role)
    everything = {item["url_name"] for item in nav_items_for(user)} - {"workspace"}
    assert set(_start_page(user)) == everything


def test_an_entry_left_out_of_the_coordinators_bar_is_on_their_start_page(client):
    coordinator = make_user("coordinator")
    assert "outreach:campaign" not in _bar(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("workspace")).content.decode()
    assert reverse("outreach:campaign") in page
    assert "Partners, feedback en bereik" in page


def test_a_coach_has_the_coach_queue_in_the_bar_and_a_coordinator_does_not():
    assert "counter:coach-queue" in _bar(make_user("coach"))
    assert "counter:coach-queue" not in _bar(make_user("coordinator"))


def test_a_host_never_sees_coordinator_entries_on_the_start_page():
    host = make_user("host", points=[make_point()])
    assert "admin:index" not in _start_page(host)
    assert "demand" not in _start_page(host)


def test_sections_without_entries_are_left_out():
    partner = make_user("partner")
    titles = [str(title) for title, _items in start_sections_for(partner)]
    assert "Toestellen en atelier" not in titles


def test_an_entry_with_an_unknown_section_is_refused():
    with pytest.raises(ValueError, match="Unknown navigation group"):
        NavItem("x", "workspace", frozenset({"host"}), group="nowhere")

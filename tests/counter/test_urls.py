"""The counter's screens moved from points/, outreach/ and trainings/ into
counter/ under new names; their addresses did not move, so bookmarks and
open browser tabs keep working."""

import pytest
from django.urls import resolve, reverse

ADDRESSES = [
    ("counter:counter", {}, "/balie/"),
    ("counter:resident-search", {}, "/balie/inwoners/"),
    ("counter:coach-queue", {}, "/balie/coach/"),
    ("counter:visit-take", {"pk": 7}, "/balie/bezoek/7/nemen/"),
    ("counter:visit-hand-over", {"pk": 7}, "/balie/bezoek/7/naar-coach/"),
    ("counter:visit-take-over", {"pk": 7}, "/balie/bezoek/7/overnemen/"),
    ("counter:visit-finish", {"pk": 7}, "/balie/bezoek/7/afronden/"),
    ("counter:visit-left", {"pk": 7}, "/balie/bezoek/7/vertrokken/"),
    ("counter:visit-correct", {"pk": 7}, "/balie/bezoek/7/corrigeren/"),
    # Added after the move: undo and cancel.
    ("counter:visit-cancel", {"pk": 7}, "/balie/bezoek/7/annuleren/"),
    ("counter:visit-undo-left", {"pk": 7}, "/balie/bezoek/7/toch-niet-vertrokken/"),
    ("counter:visit-take-back", {"pk": 7}, "/balie/bezoek/7/terugnemen/"),
    ("counter:offers", {}, "/balie/aanbod/"),
    ("counter:offer-slip", {}, "/balie/aanbod/briefje/"),
    ("counter:visit-slip", {"pk": 7}, "/balie/bezoek/7/wegwijzer/"),
    ("counter:visit-slip-send", {"pk": 7}, "/balie/bezoek/7/wegwijzer/sturen/"),
    ("counter:quick-enrol", {}, "/opleidingen/inschrijven/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ADDRESSES)
def test_counter_screen_keeps_its_address(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_every_counter_url_is_in_the_table():
    from counter.urls import urlpatterns

    assert {f"counter:{pattern.name}" for pattern in urlpatterns} == {
        name for name, _kwargs, _path in ADDRESSES}

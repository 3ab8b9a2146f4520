"""The counter records a visitor code as a keyed hash, never the word."""

import pytest
from django.urls import reverse

from digibank.pseudonyms import visitor_key
from points.models import Visit
from tests.factories import make_point, make_user, new_form_key

pytestmark = pytest.mark.django_db


def test_host_records_a_visitor_code_at_the_counter_and_only_its_key_is_kept(client):
    point = make_point()
    host = make_user("host", points=[point])
    client.force_login(host)
    response = client.post(reverse("counter:counter"), {
        "submit_key": new_form_key(),
        "next_step": "solved", "outcome": "solved", "visitor_word": "Minou 1950"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.visitor_key == visitor_key("minou1950")
    assert "Minou" not in str(Visit.objects.values().get())

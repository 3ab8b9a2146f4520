"""A search longer than any name or phone number says so next to the field
(never "type at least 2 letters"), on the residents list and at the counter."""

import pytest
from django.urls import reverse

from tests.factories import make_point, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LONG = "Peeters " * 40  # 320 characters


@pytest.fixture
def host(client):
    user = make_user("host", points=[make_point("Balie")])
    client.force_login(user)
    return user


def test_a_too_long_search_on_the_residents_list_says_it_is_too_long(client, host):
    response = client.get(reverse("residents:list"), {"q": LONG})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dat is te lang om te zoeken: typ hoogstens 80 tekens" in page
    assert 'aria-invalid="true"' in page and 'id="id_q_error"' in page


def test_a_too_long_search_at_the_counter_says_it_is_too_long(client, host):
    response = client.get(reverse("counter:resident-search"), {"q": LONG}, **HTMX)
    assert response.status_code == 200
    assert "Dat is te lang om te zoeken: typ hoogstens 80 tekens" in response.content.decode()
    page = client.get(reverse("counter:counter"), {"q": LONG}).content.decode()
    assert "Dat is te lang om te zoeken" in page and 'aria-invalid="true"' in page

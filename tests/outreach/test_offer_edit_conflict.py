"""Two tabs or two people editing one offer: the second save, read before the
first, is refused with the current values (optimistic locking, update_offer)."""

import pytest
from django.urls import reverse

from outreach.models import Offer, OfferAction
from tests.factories import make_user
from tests.outreach.factories import make_offer

pytestmark = pytest.mark.django_db


def _form_data(client, offer) -> dict:
    """What the edit form holds when it is opened, as a browser would send it."""
    form = client.get(reverse("outreach:offer-edit", args=[offer.pk])).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        elif value is True:
            data[name] = "on"
        elif hasattr(value, "strftime") and hasattr(value, "year"):
            data[name] = value.strftime("%d/%m/%Y")
        else:
            data[name] = str(value)
    return data


def test_second_save_of_a_form_read_before_the_first_is_refused(client):
    offer = make_offer("Vragenuur")
    client.force_login(make_user("coordinator"))
    first, second = _form_data(client, offer), _form_data(client, offer)
    first["title"] = "Vragenuur in de bib"
    assert client.post(reverse("outreach:offer-edit", args=[offer.pk]), first).status_code == 302
    second["title"] = "Vragenuurtje"
    response = client.post(reverse("outreach:offer-edit", args=[offer.pk]), second,
                           follow=True)
    assert response.status_code == 200
    assert "Iemand anders wijzigde dit aanbod intussen" in response.content.decode()
    assert response.context["form"]["title"].value() == "Vragenuur in de bib"
    offer.refresh_from_db()
    assert offer.title == "Vragenuur in de bib" and offer.version == 2
    assert offer.events.filter(action=OfferAction.CHANGED).count() == 1


def test_a_save_after_reading_the_current_version_goes_through(client):
    offer = make_offer("Vragenuur")
    client.force_login(make_user("coordinator"))
    first = _form_data(client, offer)
    first["title"] = "Vragenuur in de bib"
    client.post(reverse("outreach:offer-edit", args=[offer.pk]), first)
    again = _form_data(client, Offer.objects.get(pk=offer.pk))
    again["title"] = "Vragenuurtje"
    assert client.post(reverse("outreach:offer-edit", args=[offer.pk]), again).status_code == 302
    assert Offer.objects.get(pk=offer.pk).title == "Vragenuurtje"


def test_a_refused_save_lists_what_the_user_typed_for_each_changed_field(client):
    offer = make_offer("Vragenuur")
    client.force_login(make_user("coordinator"))
    first, second = _form_data(client, offer), _form_data(client, offer)
    first["title"] = "Vragenuur in de bib"
    client.post(reverse("outreach:offer-edit", args=[offer.pk]), first)
    second["title"] = "Vragenuurtje"
    second["schedule"] = "Elke woensdag"
    response = client.post(reverse("outreach:offer-edit", args=[offer.pk]), second)
    changes = {change["name"]: str(change["typed"]) for change in response.context["conflict"]}
    assert changes == {"title": "Vragenuurtje", "schedule": "Elke woensdag"}
    html = response.content.decode()
    assert "Jij typte: Vragenuurtje" in html and "Jij typte: Elke woensdag" in html
    assert response.context["form"]["title"].value() == "Vragenuur in de bib"

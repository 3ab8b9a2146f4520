"""Issue 14's smaller things: the visit history in Dutch with full names,
no "not finished yet" where it is refused, the call list says a contact
request once and links no phone it does not have, a favicon on every page,
and one form of address (je) in every Dutch text."""

import glob
import re
from pathlib import Path

import polib
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation

from counter.forms import CorrectVisitForm
from digibank.models import CallTask
from outreach.services import ContactPerson, submit_contact_request
from points.models import VisitOutcome, VisitStatus
from points.services import correct_visit
from tests.factories import make_call_task, make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_the_visit_history_names_the_corrected_fields_in_dutch():
    point = make_point()
    host = make_user("host", points=[point])
    visit = make_visit(point)
    with translation.override("nl"):
        correct_visit(visit=visit, actor=host, topics=[make_topic()], channel=None,
                      resident=None, outcome="", note="Komt terug")
    note = visit.events.order_by("-pk").first().note
    assert note == "Verbeterd: onderwerpen, notitie"


@pytest.mark.django_db
def test_the_visit_history_shows_full_names_not_usernames(client):
    point = make_point()
    host = make_user("host", username="hjanssens", points=[point], first_name="Hanne",
                     last_name="Janssens")
    visit = make_visit(point)
    correct_visit(visit=visit, actor=host, topics=[], channel=None, resident=None,
                  outcome="", note="Komt terug")
    client.force_login(host)
    page = client.get(reverse("counter:visit-correct", args=[visit.pk])).content.decode()
    history = page[page.index("<table"):]
    assert "Hanne Janssens" in history and "hjanssens" not in history


@pytest.mark.django_db
def test_a_finished_visit_offers_its_outcomes_without_not_finished_yet():
    visit = make_visit(make_point(), status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                       finished_at=timezone.now())
    choices = dict(CorrectVisitForm(visit=visit).fields["outcome"].choices)
    assert "" not in choices and set(choices) == set(VisitOutcome.values)


@pytest.mark.django_db
def test_an_open_visit_offers_no_outcome_to_correct():
    assert "outcome" not in CorrectVisitForm(visit=make_visit(make_point())).fields


@pytest.mark.django_db
def test_a_finished_visit_corrected_without_outcome_is_refused_next_to_the_field(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    visit = make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                       finished_at=timezone.now())
    response = client.post(reverse("counter:visit-correct", args=[visit.pk]),
                           {"outcome": "", "note": ""})
    assert response.context["form"].errors["outcome"] == ["Kies hoe het bezoek afliep."]


@pytest.mark.django_db
def test_the_call_list_says_a_contact_request_once(client):
    partner_user = make_user("partner")
    point = make_point()
    submit_contact_request(
        actor=partner_user, partner=partner_user.partner,
        person=ContactPerson(first_name="Rita", last_name="Claes", phone="0470112233"),
        reason="Wil leren bankieren", consent_method="verbal",
        consent_given_on=timezone.localdate(), preferred_point=point)
    client.force_login(make_user("host", points=[point]))
    page = client.get(reverse("call-list")).content.decode()
    assert page.count("Contactaanvraag van") == 1
    assert CallTask.objects.get().message == "Wil leren bankieren"


@pytest.mark.django_db
def test_the_call_list_links_no_phone_it_does_not_have(client):
    point = make_point()
    make_call_task(make_resident("Rita", "Claes", email=""), point=point)
    client.force_login(make_user("host", points=[point]))
    page = client.get(reverse("call-list")).content.decode()
    assert 'href="tel:' not in page
    assert "geen telefoonnummer" in page


@pytest.mark.django_db
def test_every_page_names_the_favicon_and_it_is_there(client):
    page = client.get(reverse("home")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg"', page)
    assert finders.find("favicon.svg")


FORMAL = re.compile(r"\b(u|uw|uzelf|U|Uw)\b")


def test_every_dutch_text_says_je_not_u():
    formal = []
    for path in glob.glob(str(ROOT / "*" / "locale" / "nl" / "LC_MESSAGES" / "django.po")) + [
            str(ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po")]:
        for entry in polib.pofile(path):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if FORMAL.search(text):
                    formal.append(f"{Path(path).relative_to(ROOT)}: {text[:60]}")
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    for path in templates:
        text = re.sub(r"{%.*?%}|{{.*?}}", " ", path.read_text(encoding="utf-8"), flags=re.S)
        if ".venv" not in path.parts and FORMAL.search(re.sub(r"<[^>]+>", " ", text)):
            formal.append(str(path.relative_to(ROOT)))
    assert formal == []

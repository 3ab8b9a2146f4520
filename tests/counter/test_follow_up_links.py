"""The counter and the info screen reach into the other apps: follow-up
links by outcome, and the coordinators' rotating screen messages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import ScreenMessage
from points.models import Visit, VisitOutcome, VisitStatus
from tests.factories import make_point, make_resident, make_user
from tests.outreach.factories import make_poster

pytestmark = pytest.mark.django_db


def _finished_visit(point, outcome, resident=None):
    now = timezone.now()
    return Visit.objects.create(point=point, resident=resident, status=VisitStatus.DONE,
                                outcome=outcome, arrived_at=now, finished_at=now)


@pytest.mark.parametrize(("outcome", "url_name"), [
    (VisitOutcome.TRAINING_PROPOSED, "counter:quick-enrol"),
    (VisitOutcome.DEVICE_LOAN, "devices:hand-out"),
    (VisitOutcome.REFERRED, "outreach:referral-create"),
])
def test_finished_visit_links_to_the_next_step_of_its_outcome(client, outcome, url_name):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    resident = make_resident()
    visit = _finished_visit(point, outcome, resident)
    body = client.get(reverse("counter:counter")).content.decode()
    assert f"{reverse(url_name)}?inwoner={resident.pk}&amp;bezoek={visit.pk}" in body


def test_solved_visit_has_no_next_step_link(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    _finished_visit(point, VisitOutcome.SOLVED, make_resident())
    body = client.get(reverse("counter:counter")).content.decode()
    assert 'data-testid="followup-training' not in body
    assert 'data-testid="followup-device' not in body


def test_info_screen_shows_the_current_screen_messages(client):
    ScreenMessage.objects.create(title="Belastingaangifte", text="Hulp in mei en juni")
    body = client.get(reverse("points:screen")).content.decode()
    assert "Belastingaangifte" in body


def test_poster_qr_target_is_the_points_public_page_with_the_channel():
    poster = make_poster()
    expected = reverse("points:detail", kwargs={"slug": poster.point.slug})
    assert poster.target_path == f"{expected}?kanaal={poster.channel.slug}"


def test_resident_page_offers_training_device_and_referral_actions(client):
    client.force_login(make_user("host"))
    resident = make_resident()
    body = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert f"{reverse('counter:quick-enrol')}?inwoner={resident.pk}" in body
    assert reverse("devices:resident-devices", args=[resident.pk]) in body
    assert f"{reverse('outreach:referral-create')}?inwoner={resident.pk}" in body


def test_finished_visit_links_to_its_where_to_go_slip(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    visit = _finished_visit(point, VisitOutcome.SOLVED)
    body = client.get(reverse("counter:counter")).content.decode()
    assert reverse("counter:visit-slip", args=[visit.pk]) in body


def test_counter_takes_broken_devices_in_through_the_atelier_intake(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    body = client.get(reverse("devices:return")).content.decode()
    assert reverse("atelier:intake") in body

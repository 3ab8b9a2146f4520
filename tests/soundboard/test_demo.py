import io

import pytest
from django.core.management import call_command

from soundboard.models import Digest, FeedbackItem, FeedbackStatus, Meeting, SoundingBoard

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_demo_has_six_boards_a_year_of_meetings_and_feedback_in_every_state():
    _seed()
    assert SoundingBoard.objects.count() == 6
    assert Meeting.objects.filter(board__slug="adviesraad-senioren").count() == 9
    assert set(FeedbackItem.objects.values_list("status", flat=True)) == set(FeedbackStatus)
    assert Digest.objects.count() == 6


def test_demo_seeding_twice_adds_nothing():
    _seed()
    counts = (Meeting.objects.count(), FeedbackItem.objects.count(), Digest.objects.count())
    _seed()
    assert (Meeting.objects.count(), FeedbackItem.objects.count(),
            Digest.objects.count()) == counts


def test_the_demo_coach_reads_the_boards_but_gets_403_on_their_forms(client):
    """Coaches read sounding boards; the coordinator facilitates the demo's."""
    from django.urls import reverse

    from digibank.models import User

    _seed()
    client.force_login(User.objects.get(username="coach"))
    for board in SoundingBoard.objects.all():
        assert client.get(reverse("soundboard:board-detail", args=[board.slug])
                          ).status_code == 200
        for name in ("soundboard:member-add", "soundboard:meeting-create",
                     "soundboard:step-create"):
            url = reverse(name, args=[board.slug])
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url

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

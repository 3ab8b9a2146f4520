"""Links and buttons repeated per visit are told apart by screen readers:
their hidden part names the person (or the visit's number), not only the
minute, which several visits share."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from points.models import VisitOutcome, VisitStatus
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_visit

pytestmark = pytest.mark.django_db


def _names(page: str, prefix: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in
            re.findall(rf'id="{prefix}-\d+">(.*?)</a>', page, flags=re.S)]


def test_correct_or_cancel_links_of_visits_in_the_same_minute_have_different_names(client):
    point = make_point("Balie")
    at = timezone.now().replace(second=0, microsecond=0)
    make_visit(point, resident=make_resident("Maria", "Peeters"), arrived_at=at)
    make_visit(point, resident=make_resident("Jan", "Janssens"), arrived_at=at)
    make_visit(point, arrived_at=at)
    make_visit(point, arrived_at=at)
    make_visit(point, resident=make_resident("Rita", "Claes"), arrived_at=at,
               status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED, finished_at=at)
    client.force_login(make_user("host", points=[point]))
    page = client.get(reverse("counter:counter")).content.decode()
    names = _names(page, "correct")
    assert len(names) == 5 and len(set(names)) == 5
    assert any("Maria Peeters" in name for name in names)
    assert any("Rita Claes" in name for name in names)

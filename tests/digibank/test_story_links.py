"""Every link in a resident's story is one the reader may open: the same
check as the page it leads to (role and scope), plain text otherwise."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.models import DeviceKind, DeviceStatus, LoanStatus
from digibank.models import CallResult, CallStatus, CallTask
from outreach.models import Direction
from points.models import VisitOutcome, VisitStatus
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_partner, make_point, make_resident, make_user
from tests.outreach.factories import make_referral
from tests.points.factories import make_topic, make_visit
from tests.trainings.factories import make_course, make_enrolment, make_guidance, make_session
from trainings.models import EnrolmentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """A person with a record of every kind, at the viewer's point and another."""
    here, there = make_point("Digibank Huis"), make_point("Digibank Nekkerspoel")
    resident = make_resident("Maria", "Peeters")
    now = timezone.now()
    visits = {}
    for point in (here, there):
        visit = make_visit(point, resident=resident, status=VisitStatus.DONE,
                           outcome=VisitOutcome.SOLVED, finished_at=now,
                           arrived_at=now - timedelta(days=3))
        visit.topics.add(make_topic(f"Bankapp {point.name}"))
        visits[point.name] = visit
    session = make_session(make_course("Werken met itsme"), point=here,
                           starts_at=now - timedelta(days=2))
    make_enrolment(session, resident, status=EnrolmentStatus.ATTENDED)
    own_coach, other_coach = make_user("coach", points=[here]), make_user("coach", points=[here])
    own = make_guidance(resident, own_coach, goal="Zelf belastingaangifte doen")
    other = make_guidance(resident, other_coach, goal="Zelf online bankieren")
    subscription = make_subscription(resident)
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00042"), subscription,
              handed_out_at=now)
    make_referral(resident=resident, partner=make_partner("OCMW Mechelen"),
                  direction=Direction.OUT)
    make_ticket(make_device(DeviceKind.TABLET, asset_tag="DB-00077",
                            status=DeviceStatus.IN_REPAIR),
                loan=make_loan(make_device(DeviceKind.SMARTPHONE), subscription,
                               status=LoanStatus.CLOSED))
    CallTask.objects.create(resident=resident, kind="test", subject="Bellen over de laptop",
                            message="…", status=CallStatus.DONE, result=CallResult.REACHED,
                            handled_at=now)
    return {"resident": resident, "here": here, "visits": visits, "own_coach": own_coach,
            "own": own, "other": other}


def _story_links(client, resident) -> list[str]:
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    story = page[page.index('aria-labelledby="story-title"'):]
    story = story[:story.index("</section>")]
    now = page[page.index("story-now"):page.index('aria-labelledby="story-title"')] \
        if "story-now" in page else ""
    return sorted(set(re.findall(r'<a href="([^"#]+)[^"]*"', now + story)))


@pytest.mark.parametrize("role", ["host", "coach", "coordinator"])
def test_every_link_in_the_story_opens_for_the_reader(client, story, role):
    if role == "coach":
        user = story["own_coach"]
    else:
        user = make_user(role, points=[story["here"]] if role != "coordinator" else [])
    client.force_login(user)
    links = _story_links(client, story["resident"])
    assert links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_host_reads_a_visit_at_another_point_and_a_coachs_guidance_as_plain_text(
        client, story):
    client.force_login(make_user("host", points=[story["here"]]))
    links = _story_links(client, story["resident"])
    here = story["visits"]["Digibank Huis"]
    there = story["visits"]["Digibank Nekkerspoel"]
    assert reverse("counter:visit-correct", args=[here.pk]) in links
    assert reverse("counter:visit-correct", args=[there.pk]) not in links
    assert not [url for url in links if url.startswith("/begeleiding/")]
    page = client.get(reverse("residents:detail", args=[story["resident"].pk])).content.decode()
    assert "Bankapp Digibank Nekkerspoel" in page and "Zelf online bankieren" in page


def test_a_coach_gets_a_link_to_their_own_guidance_only(client, story):
    client.force_login(story["own_coach"])
    links = _story_links(client, story["resident"])
    assert reverse("trainings:guidance-detail", args=[story["own"].pk]) in links
    assert reverse("trainings:guidance-detail", args=[story["other"].pk]) not in links

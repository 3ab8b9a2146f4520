"""The resident's story on their page: visits, enrolments and attendance,
guidance, loans and devices they have now, reservations, referrals,
repairs, consents, messages sent and calls made; newest first, each linked,
in a number of queries that does not grow with the history."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atelier.models import RepairTicket, TicketStatus
from devices.models import (
    DeviceKind,
    DeviceStatus,
    Loan,
    LoanStatus,
    Reservation,
    ReservationStatus,
    SubscriptionStatus,
)
from digibank.models import (
    CallResult,
    CallStatus,
    CallTask,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Notification,
    NotificationChannel,
)
from digibank.story import PER_KIND
from outreach.models import Direction, Referral, ReferralStatus
from points.models import Visit, VisitOutcome, VisitStatus
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_plan, make_subscription
from tests.factories import make_partner, make_point, make_resident, make_user
from tests.outreach.factories import make_referral
from tests.points.factories import make_topic, make_visit
from tests.trainings.factories import make_course, make_enrolment, make_guidance, make_session
from trainings.models import Enrolment, EnrolmentStatus, Guidance, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(client):
    user = make_user("host")
    client.force_login(user)
    return user


def _page(client, resident) -> str:
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_kind_of_record_is_in_the_story_with_its_link(client):
    # A coordinator may open every record (the links per role: test_story_links).
    client.force_login(make_user("coordinator"))
    resident = make_resident("Maria", "Peeters", phone="0470123456")
    point = make_point("Digibank Huis")
    now = timezone.now()
    visit = make_visit(point, resident=resident, status=VisitStatus.DONE,
                       outcome=VisitOutcome.SOLVED, finished_at=now)
    visit.topics.add(make_topic("Bankapp"))
    session = make_session(make_course("Werken met itsme"), point=point,
                           starts_at=now - timedelta(days=2))
    make_enrolment(session, resident, status=EnrolmentStatus.ATTENDED)
    guidance = make_guidance(resident, make_user("coach"), goal="Zelf belastingaangifte doen")
    subscription = make_subscription(resident)
    laptop = make_device(DeviceKind.LAPTOP, asset_tag="DB-00042")
    make_loan(laptop, subscription, handed_out_at=now)
    reservation = Reservation.objects.create(subscription=subscription, resident=resident,
                                             kind=DeviceKind.TABLET, slot="mobile",
                                             pickup_point=point)
    referral = make_referral(resident=resident, partner=make_partner("OCMW Mechelen"),
                             direction=Direction.OUT)
    ticket = make_ticket(make_device(DeviceKind.TABLET, asset_tag="DB-00077",
                                     status=DeviceStatus.IN_REPAIR),
                         loan=make_loan(make_device(DeviceKind.SMARTPHONE), subscription,
                                        status=LoanStatus.CLOSED))
    Notification.objects.create(
        resident=resident, kind="test", source_type=ContentType.objects.get_for_model(session),
        source_id=session.pk, channel=NotificationChannel.CALL, subject="Morgen: itsme",
        message="Tot morgen")
    CallTask.objects.create(resident=resident, kind="test", subject="Bellen over de laptop",
                            message="…", status=CallStatus.DONE, result=CallResult.REACHED,
                            handled_at=now)

    page = _page(client, resident)
    for text, url in [
        ("Bankapp", reverse("counter:visit-correct", args=[visit.pk])),
        ("Werken met itsme", reverse("trainings:session-detail", args=[session.pk])),
        ("Zelf belastingaangifte doen", reverse("trainings:guidance-detail", args=[guidance.pk])),
        ("DB-00042", reverse("devices:device-detail", args=["DB-00042"])),
        ("Tablet", reverse("devices:resident-devices", args=[resident.pk])),
        ("OCMW Mechelen", reverse("outreach:referral-detail", args=[referral.pk])),
        ("DB-00077", reverse("atelier:ticket-detail", args=[ticket.pk])),
        ("Morgen: itsme", ""),
        ("Bellen over de laptop", reverse("call-list")),
    ]:
        assert text in page, text
        assert not url or f'href="{url}"' in page, url
    assert "Aanwezig" in page  # the enrolment's attendance
    assert reservation.get_status_display() in page


def test_what_the_person_has_now_is_on_top(client, host):
    resident = make_resident("Maria", "Peeters")
    subscription = make_subscription(resident)
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00042"), subscription,
              handed_out_at=timezone.now())
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00001"), subscription,
              status=LoanStatus.CLOSED, handed_out_at=timezone.now() - timedelta(days=400))
    page = _page(client, resident)
    now = page[page.index('data-testid="story-now"'):page.index('data-testid="story"')]
    assert "DB-00042" in now and "DB-00001" not in now


def test_the_story_is_newest_first(client, host):
    resident = make_resident("Maria", "Peeters")
    point = make_point()
    now = timezone.now()
    for days, name in [(30, "Oud bezoek"), (1, "Nieuw bezoek"), (10, "Midden bezoek")]:
        visit = make_visit(point, resident=resident, status=VisitStatus.DONE,
                           outcome=VisitOutcome.SOLVED, arrived_at=now - timedelta(days=days))
        visit.topics.add(make_topic(name))
    page = _page(client, resident)
    assert page.index("Nieuw bezoek") < page.index("Midden bezoek") < page.index("Oud bezoek")


def _history(resident, count: int) -> None:
    """``count`` records of every kind of the story for ``resident``."""
    now = timezone.now()
    point, partner, coach = make_point(), make_partner(), make_user("coach")
    course = make_course()
    Visit.objects.bulk_create([
        Visit(point=point, resident=resident, status=VisitStatus.DONE, outcome="solved",
              arrived_at=now - timedelta(hours=n), finished_at=now) for n in range(count)])
    sessions = Session.objects.bulk_create([
        Session(course=course, point=point, starts_at=now - timedelta(days=n + 1),
                ends_at=now - timedelta(days=n + 1) + timedelta(hours=2), capacity=8)
        for n in range(count)])
    Enrolment.objects.bulk_create([
        Enrolment(session=session, resident=resident, status=EnrolmentStatus.ATTENDED)
        for session in sessions])
    Guidance.objects.bulk_create([
        Guidance(resident=resident, coach=coach, goal=f"Doel {n}", status="closed",
                 closed_on=now.date(), opened_on=now.date() - timedelta(days=n))
        for n in range(count)])
    subscription = make_subscription(resident, plan=make_plan(),
                                     status=SubscriptionStatus.ACTIVE)
    devices = [make_device(DeviceKind.LAPTOP) for _ in range(count)]
    loans = Loan.objects.bulk_create([
        Loan(device=device, subscription=subscription, resident=resident, slot="laptop",
             status=LoanStatus.CLOSED, handed_out_at=now - timedelta(days=n))
        for n, device in enumerate(devices)])
    RepairTicket.objects.bulk_create([
        RepairTicket(device=loan.device, loan=loan, problem="Start niet",
                     status=TicketStatus.RESOLVED, outcome="fixed", resolved_at=now)
        for loan in loans])
    Reservation.objects.bulk_create([
        Reservation(subscription=subscription, resident=resident, kind=DeviceKind.LAPTOP,
                    slot="laptop", status=ReservationStatus.COLLECTED,
                    requested_at=now - timedelta(days=n)) for n in range(count)])
    consent = Consent.objects.create(resident=resident, purpose=ConsentPurpose.REFERRAL,
                                     method=ConsentMethod.VERBAL)
    Consent.objects.bulk_create([
        Consent(resident=resident, purpose=ConsentPurpose.CONTACT, method=ConsentMethod.VERBAL,
                given_on=now.date() - timedelta(days=n)) for n in range(count)])
    Referral.objects.bulk_create([
        Referral(direction=Direction.OUT, resident=resident, partner=partner, consent=consent,
                 reason="Hulp", status=ReferralStatus.COMPLETED) for _ in range(count)])
    kind = ContentType.objects.get_for_model(Visit)
    Notification.objects.bulk_create([
        Notification(resident=resident, kind="test", source_type=kind, source_id=n,
                     channel=NotificationChannel.CALL, subject=f"Bericht {n}", message="…")
        for n in range(count)])
    CallTask.objects.bulk_create([
        CallTask(resident=resident, kind="test", subject=f"Bellen {n}", message="…",
                 status=CallStatus.DONE, result=CallResult.REACHED, handled_at=now)
        for n in range(count)])


def _queries(client, resident) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, resident)
    return len(queries)


def test_the_page_takes_the_same_queries_at_5_and_200_records_of_each_kind(client, host):
    few, many = make_resident("Maria", "Peeters"), make_resident("Jan", "Janssens")
    _history(few, 5)
    _history(many, 200)
    assert _queries(client, few) == _queries(client, many)
    page = _page(client, many)
    assert page.count('data-testid="story-entry"') == 10 * PER_KIND
    assert "Alleen de nieuwste" in page


def test_an_enrolment_to_come_is_on_top_and_not_again_in_the_story(client, host):
    resident = make_resident("Maria", "Peeters")
    session = make_session(make_course("Werken met itsme"), point=make_point(),
                           starts_at=timezone.now() + timedelta(days=3))
    make_enrolment(session, resident, status=EnrolmentStatus.ENROLLED)
    page = _page(client, resident)
    assert page.count("Werken met itsme") == 1
    now = page[page.index('data-testid="story-now"'):page.index('id="story-title"')]
    assert "Werken met itsme" in now


def test_a_frequent_visitors_older_lines_fold_under_show_all(client, host):
    from digibank.story import SHOWN

    resident = make_resident("Maria", "Peeters")
    point, now = make_point(), timezone.now()
    Visit.objects.bulk_create([
        Visit(point=point, resident=resident, status=VisitStatus.DONE, outcome="solved",
              arrived_at=now - timedelta(days=n + 1), finished_at=now) for n in range(60)])
    page = _page(client, resident)
    story = page[page.index('data-testid="story"'):page.index('data-testid="story-older"')]
    older = page[page.index('data-testid="story-older"'):]
    assert story.count('data-testid="story-entry"') == SHOWN
    assert older.count('data-testid="story-entry"') == 60 - SHOWN
    assert "Toon alles (40 oudere regels)" in page
    assert '<details class="story-older" data-testid="story-older">' in page  # folded


def test_a_cancelled_visit_stays_in_the_story_with_its_reason(client):
    from points.services import cancel_visit

    point = make_point("Digibank Huis")
    host = make_user("host", points=[point], first_name="Hanne", last_name="Janssens")
    resident = make_resident("Maria", "Peeters")
    visit = make_visit(point, resident=resident)
    visit.topics.add(make_topic("Bankapp"))
    cancel_visit(visit=visit, actor=host, reason="Twee keer geregistreerd")
    client.force_login(host)
    page = _page(client, resident)
    story = page[page.index('id="story-title"'):]
    assert "Bezoek geannuleerd: Twee keer geregistreerd" in story
    assert "geannuleerd door Hanne Janssens" in story and "Bankapp" in story


def test_a_host_of_another_point_does_not_read_why_a_visit_was_cancelled(client):
    from points.services import cancel_visit

    point = make_point("Digibank Huis")
    resident = make_resident("Maria", "Peeters")
    cancel_visit(visit=make_visit(point, resident=resident),
                 actor=make_user("host", points=[point]), reason="Twee keer geregistreerd")
    client.force_login(make_user("host", points=[make_point("Elders")]))
    assert "Twee keer geregistreerd" not in _page(client, resident)

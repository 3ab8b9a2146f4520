"""The reach report (``/bereik/``, ``dashboard.reach``): visits per channel
read from the channel roll-up for built days and the raw visits for the
others give the same figures as a count over the raw visits, for any
period; the page, its CSV exports and its query count."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from dashboard.reach import reach_per_channel
from dashboard.rollup import build_rollup, invalidate_days
from outreach.models import QrScan, Roadshow
from outreach.reports import in_period
from points.models import Channel, Visit, VisitOutcome, VisitStatus
from tests.factories import make_partner, make_point, make_user
from tests.outreach.factories import make_poster, make_referral
from tests.points.factories import brussels, make_channel, make_visit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _tenth_of_march():
    with time_machine.travel(brussels(2026, 3, 10, 14), tick=False):
        yield


def _raw_reach(start: date | None, end: date | None) -> dict[str, tuple[int, int]]:
    """The reach per channel counted over the raw visits and scans, as the
    report did before it read the roll-up: channel name -> (visits, scans)."""
    visits = dict(Visit.objects.filter(in_period("arrived_at", start, end))
                  .values("channel__name").annotate(n=Count("pk"))
                  .values_list("channel__name", "n"))
    scans = dict(QrScan.objects.filter(in_period("scanned_at", start, end))
                 .values("poster__channel__name").annotate(n=Count("pk"))
                 .values_list("poster__channel__name", "n"))
    return {name: (visits.get(name, 0), scans.get(name, 0))
            for name in Channel.objects.values_list("name", flat=True)}


def _reach(start: date | None, end: date | None) -> dict[str, tuple[int, int]]:
    return {c.name: (c.visit_count, c.scan_count) for c in reach_per_channel(start, end)}


def _done(point, channel, arrived) -> Visit:
    return make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                      channel=channel, arrived_at=arrived)


@pytest.fixture
def winter():
    """Visits through four channels (and none) at two points from January
    to today, near midnight too; the roll-up built up to yesterday, then one
    built day changed (not built again) and one visit added to a built day
    through the services' news (its day marked not built)."""
    bib, markt = make_point("Bib"), make_point("Markt")
    poster, flyer, magazine = make_channel("Affiche"), make_channel("Flyer"), make_channel("Blad")
    make_channel("Infozuil")  # never brought anyone
    plan = [  # (month, day, hour, minute, point, channel)
        (1, 5, 10, 0, bib, poster), (1, 5, 23, 50, markt, flyer), (1, 31, 0, 10, bib, None),
        (2, 1, 9, 0, bib, magazine), (2, 14, 12, 0, markt, poster), (2, 28, 23, 59, bib, flyer),
        (3, 1, 0, 0, markt, flyer), (3, 3, 11, 0, bib, poster), (3, 3, 15, 0, bib, poster),
        (3, 9, 16, 0, markt, magazine), (3, 10, 9, 0, bib, flyer), (3, 10, 13, 0, markt, None),
    ]
    for month, day, hour, minute, point, channel in plan:
        _done(point, channel, brussels(2026, month, day, hour, minute))
    posters = {channel: make_poster(bib, channel) for channel in (poster, flyer)}
    for month, day, channel in ((1, 6, poster), (2, 2, poster), (3, 10, flyer)):
        QrScan.objects.create(poster=posters[channel], scanned_at=brussels(2026, month, day, 12))
    assert build_rollup() > 0
    # A correction on 14 February after the build: that day is read raw.
    Visit.objects.filter(arrived_at__date=date(2026, 2, 14)).update(channel=flyer)
    invalidate_days([date(2026, 2, 14)])
    # A visit registered afterwards for 3 March, a built day (marked not built).
    _done(bib, magazine, brussels(2026, 3, 3, 17))
    invalidate_days([date(2026, 3, 3)])


@pytest.mark.parametrize(("start", "end"), [
    (None, None),  # all time
    (date(2026, 1, 1), TODAY),
    (date(2026, 1, 5), date(2026, 1, 5)),  # one built day, a visit at 23:50
    (date(2026, 1, 31), date(2026, 2, 28)),  # built days and a changed one
    (date(2026, 3, 1), None),  # built, changed and today's raw visits
    (None, date(2026, 2, 28)),
    (date(2026, 3, 3), date(2026, 3, 3)),  # a day marked not built
    (TODAY, TODAY),  # today only (never built)
    (date(2025, 6, 1), date(2025, 6, 30)),  # before the first visit
    (date(2026, 3, 11), date(2026, 4, 30)),  # after today
])
def test_reach_per_channel_from_the_roll_up_equals_the_count_over_raw_visits(
        winter, start, end):
    assert _reach(start, end) == _raw_reach(start, end)


def test_reach_per_channel_lists_every_channel_with_visits_and_scans(winter):
    rows = reach_per_channel(date(2026, 3, 1), TODAY)
    assert [(c.name, c.visit_count, c.scan_count) for c in rows] == [
        ("Affiche", 2, 0), ("Blad", 2, 0), ("Flyer", 2, 1), ("Infozuil", 0, 0)]


def test_reach_per_channel_reads_built_days_from_the_roll_up_not_the_visits(winter):
    """A change made outside the services (raw SQL) is not seen until the
    build: proof that a built day's figure comes from the roll-up."""
    blad = Channel.objects.get(name="Blad")
    Visit.objects.filter(arrived_at__date=date(2026, 1, 5)).update(channel=blad)
    figures = _reach(date(2026, 1, 5), date(2026, 1, 5))
    assert (figures["Affiche"], figures["Flyer"], figures["Blad"]) == ((1, 0), (1, 0), (0, 0))
    build_rollup(everything=True)
    figures = _reach(date(2026, 1, 5), date(2026, 1, 5))
    assert (figures["Affiche"], figures["Flyer"], figures["Blad"]) == ((0, 0), (0, 0), (2, 0))


def test_reach_per_channel_without_any_visit_lists_the_channels_at_zero():
    make_channel("Affiche")
    assert _reach(None, None) == {"Affiche": (0, 0)}


def test_report_page_shows_referrals_channels_and_roadshows(client):
    partner = make_partner("Familiehulp")
    make_referral(partner=partner)
    make_channel("Affiche")
    Roadshow.objects.create(partner=partner, venue="Dienstencentrum", held_on=date(2026, 2, 1),
                            people_reached=40, contact_requests=6)
    client.force_login(make_user("coordinator"))
    content = client.get(reverse("reach-report")).content.decode()
    assert "Familiehulp" in content and "Affiche" in content and "Dienstencentrum" in content


def test_report_keeps_its_address():
    assert reverse("reach-report") == "/bereik/"
    assert reverse("reach-report-export", args=["kanalen"]) == "/bereik/kanalen.csv"


def test_report_refuses_an_end_before_the_start(client):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("reach-report"), {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.context["form"].errors["end"]


def _add_visits(points: list, channels: list, count: int) -> None:
    """``count`` visits spread over the built days of winter and today."""
    for n in range(count):
        arrived = brussels(2026, 3, 10, 9) - timedelta(days=n % 60, minutes=n)
        Visit.objects.create(point=points[n % len(points)], channel=channels[n % len(channels)],
                             status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                             arrived_at=arrived)


def test_report_query_count_does_not_grow(client, django_assert_max_num_queries):
    partner, channel = make_partner(), make_channel()
    points, channels = [make_point()], [channel]
    client.force_login(make_user("coordinator"))
    make_referral(partner=partner)
    make_poster(points[0], channel)
    _add_visits(points, channels, 5)
    build_rollup()
    with django_assert_max_num_queries(16) as small:
        client.get(reverse("reach-report"))
    for _row in range(20):
        make_referral(partner=make_partner())
        points.append(make_point())
        channels.append(make_channel())
        make_poster(points[-1], channel)
    _add_visits(points, channels, 300)
    build_rollup(everything=True)
    invalidate_days([date(2026, 2, 1), date(2026, 2, 20)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("reach-report"))
    assert sum(c.visit_count for c in response.context["channel_rows"]) == 305


def test_coordinator_exports_referrals_per_partner_as_csv_and_it_is_audited(client):
    from digibank.models import AuditEvent

    make_referral(partner=make_partner("VDAB"), status="completed")
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("reach-report-export", args=["doorverwijzingen"]))
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("month;partner__name;incoming")
    assert "VDAB;1;1;0;0" in lines[1]
    assert AuditEvent.objects.filter(action="export").exists()


def test_channel_export_has_the_reports_figures(client, winter):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("reach-report-export", args=["kanalen"]),
                          {"start": "2026-03-01", "end": "2026-03-10"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["name;visits;scans", "Affiche;2;0", "Blad;2;0", "Flyer;2;1",
                     "Infozuil;0;0"]


def test_unknown_export_gives_404(client):
    client.force_login(make_user("coordinator"))
    assert client.get(reverse("reach-report-export", args=["nope"])).status_code == 404

"""Dashboard figures against hand-computed values on a small data set."""

import os
from datetime import date, timedelta

import pytest
from django.urls import reverse

from dashboard.figures import (
    Scope,
    channels,
    dashboard_tables,
    devices,
    loans,
    people_by_target_group,
    referrals,
    resolutions,
    scope_for,
    topics,
    trainings,
    unique_people,
    visit_summary,
)
from devices.models import DeviceStatus
from digibank.models import AuditAction, AuditEvent
from digibank.pseudonyms import visitor_key
from outreach.models import Direction
from points.models import VisitOutcome, VisitStatus
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_district, make_point, make_resident, make_target_group, make_user
from tests.outreach.factories import make_referral
from tests.points.factories import brussels, make_channel, make_topic, make_visit
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import EnrolmentStatus, SessionStatus

pytestmark = pytest.mark.django_db

MARCH = Scope(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _done(point, day: int, *, outcome=VisitOutcome.SOLVED, wait=10, total=30, **fields):
    arrived = brussels(2026, 3, day, 10)
    return make_visit(point, status=VisitStatus.DONE, outcome=outcome, arrived_at=arrived,
                      served_at=arrived + timedelta(minutes=wait),
                      finished_at=arrived + timedelta(minutes=total), **fields)


@pytest.fixture
def march():
    """Four visits in March at one point, one in February, one at another point."""
    point, other = make_point("Bib"), make_point("Sint-Romboutsplein")
    maria = make_resident("Maria", phone="0470000001")
    coach = make_user("coach", points=[point])
    _done(point, 2, resident=maria, wait=10, total=30)
    _done(point, 3, resident=maria, wait=20, total=50, coach=coach)
    _done(point, 4, outcome=VisitOutcome.REFERRED, wait=0, total=20,
          visitor_key=visitor_key("minou1950"))
    make_visit(point, status=VisitStatus.LEFT, arrived_at=brussels(2026, 3, 5, 9))
    make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
               arrived_at=brussels(2026, 2, 27, 9), resident=maria)
    make_visit(other, arrived_at=brussels(2026, 3, 6, 9))
    return point, other, maria


def test_visit_summary_counts_visits_people_and_average_times(march):
    point, _other, _maria = march
    figures = visit_summary(scope_for(start=MARCH.start, end=MARCH.end, point=point))
    assert figures["visits"] == 4
    assert figures["residents"] == 1
    assert figures["keys"] == 1
    assert figures["unidentified"] == 1
    assert figures["left"] == 1
    assert figures["wait"] == 10  # (10 + 20 + 0) / 3
    assert figures["total"] == round((30 + 50 + 20) / 3)


def test_visit_on_the_last_evening_of_the_period_counts_and_the_next_morning_does_not():
    point = make_point()
    make_visit(point, arrived_at=brussels(2026, 3, 31, 23, 30))
    make_visit(point, arrived_at=brussels(2026, 4, 1, 0, 5))
    assert visit_summary(MARCH)["visits"] == 1


def test_unique_people_counts_a_resident_and_a_visitor_key_once_each():
    point = make_point()
    maria = make_resident("Maria", phone="0470000001")
    for day in (2, 9, 16):
        make_visit(point, arrived_at=brussels(2026, 3, day, 10), resident=maria)
    for day in (3, 10):
        make_visit(point, arrived_at=brussels(2026, 3, day, 10),
                   visitor_key=visitor_key("Minou 1950"))
    make_visit(point, arrived_at=brussels(2026, 3, 11, 10))
    assert unique_people(MARCH) == {"residents": 1, "keys": 1, "total": 2}


def test_unique_people_include_training_attendees_and_borrowers_without_a_visit():
    point = make_point()
    session = make_session(point=point, starts_at=brussels(2026, 3, 10, 14),
                           status=SessionStatus.HELD)
    make_enrolment(session, make_resident("Ahmed", phone="0470000002"),
                   status=EnrolmentStatus.ATTENDED)
    make_enrolment(session, make_resident("Nora", phone="0470000003"),
                   status=EnrolmentStatus.NO_SHOW)
    borrower = make_resident("Jan", phone="0470000004")
    make_loan(make_device(point=point), make_subscription(borrower),
              handed_out_at=brussels(2026, 3, 12, 10), handed_out_at_point=point)
    assert unique_people(MARCH)["total"] == 2


def test_visitor_key_ignores_case_accents_and_spaces_and_never_stores_the_word():
    key = visitor_key("Minou 1950")
    assert key == visitor_key("minóu1950")
    assert len(key) == 64 and "minou" not in key
    assert visitor_key("  ") == ""


def test_people_by_target_group_counts_reached_residents_per_group(march):
    _point, _other, maria = march
    elderly, newcomers = make_target_group("Ouderen"), make_target_group("Nieuwkomers")
    maria.target_groups.add(elderly)
    make_resident("Idle", phone="0470000009").target_groups.add(elderly, newcomers)
    # Maria and one visitor key: the key has no target group, Maria has one.
    assert people_by_target_group(MARCH) == [("Nieuwkomers", 0), ("Ouderen", 1),
                                             ("Geen doelgroep", 0)]


def test_resolutions_split_solved_by_host_and_by_coach(march):
    point, _other, _maria = march
    rows = dict(resolutions(scope_for(start=MARCH.start, end=MARCH.end, point=point)))
    assert rows["Opgelost door de host"] == 1
    assert rows["Opgelost door een coach"] == 1
    assert rows[str(VisitOutcome.REFERRED.label)] == 1
    assert rows[str(VisitStatus.LEFT.label)] == 1


def test_topics_and_channels_are_counted_per_visit():
    point = make_point()
    itsme, tax = make_topic("itsme"), make_topic("Tax-on-web")
    poster = make_channel("Affiche")
    first = make_visit(point, arrived_at=brussels(2026, 3, 2, 10), channel=poster)
    first.topics.set([itsme, tax])
    make_visit(point, arrived_at=brussels(2026, 3, 3, 10), channel=poster).topics.set([itsme])
    make_visit(point, arrived_at=brussels(2026, 3, 4, 10))
    assert topics(MARCH) == [("itsme", 2), ("Tax-on-web", 1)]
    assert channels(MARCH) == [("Affiche", 2), ("Niet gevraagd", 1)]


def test_trainings_fill_rate_and_attendance():
    point = make_point()
    held = make_session(point=point, starts_at=brussels(2026, 3, 10, 14), capacity=4,
                        status=SessionStatus.HELD)
    for n, status in enumerate([EnrolmentStatus.ATTENDED, EnrolmentStatus.ATTENDED,
                                EnrolmentStatus.NO_SHOW]):
        make_enrolment(held, make_resident(phone=f"047000010{n}"), status=status)
    make_session(point=point, starts_at=brussels(2026, 3, 17, 14), capacity=8,
                 status=SessionStatus.CANCELLED)
    figures = trainings(MARCH)
    assert figures["held"] == 1 and figures["cancelled"] == 1
    assert figures["places"] == 4
    assert figures["fill_rate"] == 75
    assert figures["attendance"] == 67


def test_devices_by_status_and_loans_are_scoped_to_the_point():
    point, other = make_point(), make_point()
    make_device(point=point)
    make_device(point=other)
    borrower = make_resident("Jan", phone="0470000004")
    make_loan(make_device(point=point), make_subscription(borrower),
              handed_out_at=brussels(2026, 3, 12, 10), handed_out_at_point=point,
              check_due_on=date(2026, 3, 20))
    scope = scope_for(start=MARCH.start, end=MARCH.end, point=point)
    assert dict(devices(scope))[str(DeviceStatus.AT_POINT.label)] == 1
    assert dict(devices(MARCH))[str(DeviceStatus.AT_POINT.label)] == 2
    assert loans(scope) == {"handed_out": 1, "active": 1, "checks_due": 1}


def test_referrals_in_and_out_of_the_period():
    make_referral(direction=Direction.IN, created_at=brussels(2026, 3, 2, 10))
    make_referral(direction=Direction.OUT, created_at=brussels(2026, 3, 3, 10))
    make_referral(direction=Direction.OUT, created_at=brussels(2026, 4, 3, 10))
    assert referrals(MARCH) == {"incoming": 1, "outgoing": 1}


def test_reach_table_compares_with_the_previous_period(march):
    point, _other, _maria = march
    scope = scope_for(start=date(2026, 3, 1), end=date(2026, 3, 5), point=point)
    reach = dashboard_tables(scope)[0]
    assert reach.rows[0][1:] == [4, 1, "+3"]


def test_district_scope_covers_only_its_points():
    battel = make_district("Battel")
    inside, outside = make_point(district=battel), make_point()
    make_visit(inside, arrived_at=brussels(2026, 3, 2, 10))
    make_visit(outside, arrived_at=brussels(2026, 3, 2, 10))
    scope = scope_for(start=MARCH.start, end=MARCH.end, district=battel)
    assert visit_summary(scope)["visits"] == 1


def test_district_scope_covers_the_points_in_its_wijken():
    battel = make_district("Battel")
    wijk = make_district("Battel-Centrum", parent=battel)
    make_visit(make_point(district=wijk), arrived_at=brussels(2026, 3, 2, 10))
    scope = scope_for(start=MARCH.start, end=MARCH.end, district=battel)
    assert visit_summary(scope)["visits"] == 1


def test_wijk_scope_leaves_out_the_rest_of_its_deelgemeente():
    battel = make_district("Battel")
    wijk = make_district("Battel-Centrum", parent=battel)
    make_visit(make_point(district=battel), arrived_at=brussels(2026, 3, 2, 10))
    make_visit(make_point(district=wijk), arrived_at=brussels(2026, 3, 2, 10))
    scope = scope_for(start=MARCH.start, end=MARCH.end, district=wijk)
    assert visit_summary(scope)["visits"] == 1


def test_host_sees_only_the_figures_of_their_points(client, march):
    point, other, _maria = march
    host = make_user("host", points=[point])
    client.force_login(host)
    response = client.get(reverse("dashboard"), {"start": "2026-03-01", "end": "2026-03-31",
                                                 "point": other.pk})
    assert response.status_code == 200
    assert "point" in response.context["form"].errors
    response = client.get(reverse("dashboard"), {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.context["scope"].points == (point.pk,)
    assert response.context["tables"][0].rows[0][1] == 4


def test_host_cannot_choose_a_district(client):
    client.force_login(make_user("host", points=[make_point()]))
    response = client.get(reverse("dashboard"))
    assert "district" not in response.context["form"].fields


def test_atelier_staff_and_partners_are_refused(client):
    for role in ("atelier", "partner"):
        client.force_login(make_user(role))
        assert client.get(reverse("dashboard")).status_code == 403


def test_end_before_start_is_refused_next_to_the_field(client):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard"), {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert response.context["tables"] == []


def test_dashboard_shows_each_chart_with_a_title_and_the_table(client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard"), {"start": "2026-03-01", "end": "2026-03-31"})
    html = response.content.decode()
    assert '<svg class="bar-chart" role="img"' in html
    assert "<title id=\"chart-afhandeling-title\">" in html


def test_csv_export_of_a_table_is_audited(client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard-export", args=["bereik"]),
                          {"start": "2026-03-01", "end": "2026-03-05"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "Bezoeken;4;1;+3"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_export_of_an_unknown_table_is_not_found(client):
    client.force_login(make_user("coordinator"))
    assert client.get(reverse("dashboard-export", args=["nope"])).status_code == 404


def _grow(point, n: int) -> None:
    itsme, channel = make_topic(), make_channel()
    group = make_target_group()
    for i in range(n):
        resident = make_resident(phone=f"0471{i:06d}")
        resident.target_groups.add(group)
        visit = _done(point, 1 + i % 28, resident=resident, channel=channel)
        visit.topics.add(itsme)
        make_device(point=point)
        _grow_atelier(point, i)


def _grow_atelier(point, i: int) -> None:
    """A repair, a refurbishing job and a donation per row, in March."""
    from atelier.models import JobStatus, RepairOutcome, TicketStatus
    from tests.atelier.factories import make_donation, make_job, make_ticket

    make_ticket(point=point, status=TicketStatus.RESOLVED, outcome=RepairOutcome.FIXED,
                opened_at=brussels(2026, 3, 1, 9), resolved_at=brussels(2026, 3, 1 + i % 28, 9))
    make_ticket(point=point, opened_at=brussels(2026, 3, 1 + i % 28, 9))
    make_job(status=JobStatus.DONE, finished_at=brussels(2026, 3, 1 + i % 28, 9))
    make_donation(received_on=date(2026, 3, 1 + i % 28), expected_count=i)


# The whole page: 44 queries, 47 when built and unbuilt days mix, plus 11
# for the first screen (people this year, the weeks, unanswered demand,
# trainings not planned, feedback that waits, the mobile points to plan with).
QUERY_CEILING = 47 + 11


@pytest.mark.parametrize("rollup", ["none", "built", "mixed"])
@pytest.mark.parametrize("rows", [3, 40])
def test_dashboard_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries,
                                                           rows, rollup):
    from dashboard.rollup import build_rollup, invalidate_days

    point = make_point()
    _grow(point, rows)
    if rollup != "none":
        build_rollup()
    if rollup == "mixed":  # every third day changed since the build
        invalidate_days(date(2026, 3, day) for day in range(1, 32, 3))
    client.force_login(make_user("coordinator"))
    # Each visit figure costs up to three queries (which days are built, the
    # roll-up of those, the raw visits of the others), whatever the data.
    with django_assert_max_num_queries(QUERY_CEILING):
        response = client.get(reverse("dashboard"), {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200


def test_register_visit_stores_only_the_key_of_the_visitors_word():
    from points.services import register_visit

    point = make_point()
    host = make_user("host", points=[point])
    visit = register_visit(point=point, actor=host, visitor_word="Minou 1950")
    assert visit.visitor_key == visitor_key("minou1950")
    named = register_visit(point=point, actor=host, visitor_word="Minou 1950",
                           resident=make_resident(phone="0470000001"))
    assert named.visitor_key == ""


def test_unsolved_questions_are_grouped_by_e_service_and_month():
    from dashboard.figures import unsolved_by_service

    point = make_point()
    itsme = make_topic("itsme", external_service="itsme")
    school = make_topic("Schoolinschrijving", external_service="Meldpunt school")
    basics = make_topic("Smartphone")
    for day, topic in ((2, itsme), (3, itsme), (4, school), (5, basics)):
        _done(point, day, outcome=VisitOutcome.NOT_SOLVED).topics.add(topic)
    _done(point, 6, outcome=VisitOutcome.SOLVED).topics.add(itsme)
    spring = Scope(start=date(2026, 3, 1), end=date(2026, 4, 30))
    # The order of the services follows the database's collation.
    assert sorted(unsolved_by_service(spring)) == [["Meldpunt school", "03/2026", 1],
                                                   ["itsme", "03/2026", 2]]


def test_an_unsolved_visit_counts_once_for_each_e_service_among_its_topics():
    from dashboard.figures import unsolved_by_service

    point = make_point()
    itsme = make_topic("itsme", external_service="itsme")
    eid = make_topic("eID", external_service="itsme")
    tax = make_topic("Tax-on-web", external_service="Tax-on-web")
    basics = make_topic("Smartphone")
    _done(point, 2, outcome=VisitOutcome.NOT_SOLVED).topics.set([itsme, eid, basics])
    _done(point, 3, outcome=VisitOutcome.NOT_SOLVED).topics.set([itsme, tax])
    assert sorted(unsolved_by_service(MARCH)) == [["Tax-on-web", "03/2026", 1],
                                                  ["itsme", "03/2026", 2]]


def test_funder_report_shows_reach_and_target_groups_for_the_period(client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("funder-report"), {"start": "2026-03-01", "end": "2026-03-05"})
    slugs = [table.slug for table in response.context["tables"]]
    assert slugs == ["bereik", "drempels", "weken", "doelgroepen", "opleidingen", "uitleningen",
                     "doorverwijzingen", "impact"]
    assert response.context["tables"][0].rows[1][1] == 2  # Maria and one visitor key


def test_hosts_do_not_get_the_funder_report(client):
    client.force_login(make_user("host", points=[make_point()]))
    assert client.get(reverse("funder-report")).status_code == 403


def test_dashboard_demand_and_funder_pages_render_on_the_demo_data(client):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", force=True, stdout=devnull)
    client.force_login(get_user_model().objects.get(username="coordinator"))
    for name in ("dashboard", "demand", "funder-report"):
        assert client.get(reverse(name)).status_code == 200
    client.force_login(get_user_model().objects.get(username="host"))
    assert client.get(reverse("dashboard")).status_code == 200


def test_devices_by_place_leave_out_retired_devices():
    from dashboard.figures import devices_by_place

    point = make_point("Bib")
    make_device(point=point)
    make_device(point=point)
    make_device()  # ready at the atelier
    make_device(status=DeviceStatus.RETIRED)
    assert devices_by_place(MARCH) == [("Bib", 2), ("Atelier of uitgeleend", 1)]


def test_hosts_find_their_figures_in_the_navigation(client):
    client.force_login(make_user("host", points=[make_point()]))
    response = client.get(reverse("workspace"))
    assert reverse("dashboard") in response.content.decode()


def test_an_unknown_district_is_refused_next_to_the_filter_with_no_figures(client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard"), {"district": "heffen"})
    assert response.status_code == 200
    assert "Kies een deelgemeente of wijk uit de lijst" in str(
        response.context["form"].errors["district"])
    assert response.context["scope"] is None and response.context["tables"] == []
    assert response.context["glance"] is None


def test_an_unknown_point_is_refused_next_to_the_filter_with_no_figures(client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard"), {"point": "99999"})
    assert "Kies een punt uit de lijst" in str(response.context["form"].errors["point"])
    assert response.context["scope"] is None and response.context["glance"] is None


def test_csv_export_with_an_unknown_district_is_a_plain_refusal_not_the_whole_city(
        client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard-export", args=["bereik"]),
                          {"start": "2026-03-01", "end": "2026-03-05", "district": "heffen"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Content-Disposition" not in response
    text = response.content.decode()
    assert "Geen bestand" in text and "Deelgemeente" in text
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_workbook_with_an_unknown_point_is_a_plain_refusal(client, march):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("dashboard-workbook"), {"point": "99999"})
    assert response.status_code == 400
    assert "Kies een punt uit de lijst" in response.content.decode()


def test_a_district_asked_for_by_a_host_is_refused_not_dropped(client, march):
    point, _other, _maria = march
    client.force_login(make_user("host", points=[point]))
    response = client.get(reverse("dashboard"), {"district": make_district("Heffen").pk})
    assert "Alleen een coördinator" in str(response.context["form"].non_field_errors())
    assert response.context["scope"] is None and response.context["tables"] == []


def test_the_demand_page_refuses_an_unknown_topic_next_to_the_filter(client):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("demand"), {"topic": "99999"})
    assert "Kies een onderwerp uit de lijst" in str(response.context["form"].errors["topic"])
    assert response.context["rows"] == [] and response.context["heat"] is None

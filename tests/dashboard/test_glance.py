"""The dashboard's first screen: the four questions, against values worked
out by hand on small data sets."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from dashboard.figures import Scope, people_by_target_group
from dashboard.glance import (
    project,
    threshold_progress,
    trainings_not_planned,
    waiting_feedback,
    weekly_trend,
)
from points.models import Visit, VisitOutcome, VisitStatus
from soundboard.models import FeedbackStatus
from soundboard.services import answer_feedback
from tests.factories import (
    make_district,
    make_point,
    make_resident,
    make_target_group,
    make_user,
)
from tests.points.factories import brussels, make_mobile_point, make_topic, make_visit
from tests.soundboard.factories import make_board, make_item
from tests.trainings.factories import make_course, make_session
from trainings.models import InterestEntry, SessionStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)  # the 90th day of 2026


def _visitors(point, count: int, day: date) -> None:
    """``count`` visitors without a record, each with a visitor key of their own."""
    arrived = brussels(day.year, day.month, day.day, 10)
    Visit.objects.bulk_create([
        Visit(point=point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
              arrived_at=arrived, visitor_key=f"key-{day:%Y%m%d}-{n}") for n in range(count)])


# --- 1. Unique people against the funding thresholds ----------------------


def test_600_people_by_31_march_reach_1000_on_30_may_at_this_pace():
    point = make_point()
    _visitors(point, 600, date(2026, 2, 10))
    progress = threshold_progress(TODAY)
    assert progress.people == 600
    assert progress.next_threshold == 1000
    assert progress.to_go == 400
    # 600 people in 90 days: 1,000 after 1000 × 90 / 600 = 150 days, the 150th day is 30 May.
    assert progress.projected_on == date(2026, 5, 30)
    assert progress.projected_this_year
    assert progress.per_week == 46.7  # 600 × 7 / 90
    assert [(mark.people, mark.reached, mark.to_go) for mark in progress.thresholds] == [
        (1000, False, 400), (1500, False, 900), (1750, False, 1150)]


def test_a_resident_and_a_visitor_key_count_once_each_however_often_they_come():
    point = make_point()
    maria = make_resident("Maria")
    for day in (5, 6, 7):
        make_visit(point, arrived_at=brussels(2026, 1, day, 10), resident=maria)
        make_visit(point, arrived_at=brussels(2026, 1, day, 11), visitor_key="minou1950")
    assert threshold_progress(TODAY).people == 2


def test_people_of_last_year_do_not_count_for_this_year():
    point = make_point()
    _visitors(point, 3, date(2025, 12, 31))
    _visitors(point, 2, date(2026, 1, 1))
    assert threshold_progress(TODAY).people == 2


def test_the_next_threshold_after_the_ones_reached_is_projected():
    point = make_point()
    _visitors(point, 3, date(2026, 1, 3))
    progress = threshold_progress(date(2026, 1, 10), thresholds=(2, 4, 6))
    assert [mark.reached for mark in progress.thresholds] == [True, False, False]
    assert progress.next_threshold == 4
    # 3 people in 10 days: 4 after 4 × 10 / 3 = 13.3, so on the 14th day.
    assert progress.projected_on == date(2026, 1, 14)


def test_a_pace_too_slow_for_this_year_projects_into_a_later_year(client):
    point = make_point()
    _visitors(point, 100, date(2026, 2, 10))
    progress = threshold_progress(TODAY)
    # 100 people in 90 days: 1,000 only on the 900th day.
    assert progress.projected_on == date(2026, 1, 1) + timedelta(days=899)
    assert progress.projected_on == project(100, date(2026, 1, 1), TODAY, 1000)
    assert not progress.projected_this_year
    client.force_login(make_user("coordinator"))
    with time_machine.travel(brussels(2026, 3, 31, 12), tick=False):
        text = client.get(reverse("dashboard")).content.decode()
    assert "Bij dit tempo wordt ze dit jaar niet bereikt (pas op 18/06/2028)." in text


def test_with_nobody_reached_there_is_no_pace_to_project():
    progress = threshold_progress(TODAY)
    assert progress.people == 0
    assert progress.projected_on is None


def test_every_threshold_reached_leaves_nothing_to_project():
    point = make_point()
    _visitors(point, 7, date(2026, 1, 3))
    progress = threshold_progress(TODAY, thresholds=(2, 4, 6))
    assert progress.next_threshold is None
    assert progress.projected_on is None
    assert progress.percent == 100


# --- 2. Visits and people per week against the year before -----------------


def test_weeks_count_visits_and_different_people_beside_the_same_week_a_year_before():
    point = make_point()
    maria = make_resident("Maria")
    # The week of Monday 23 March 2026: Maria twice, one visitor key, one anonymous visit.
    make_visit(point, arrived_at=brussels(2026, 3, 23, 10), resident=maria)
    make_visit(point, arrived_at=brussels(2026, 3, 25, 10), resident=maria)
    make_visit(point, arrived_at=brussels(2026, 3, 26, 10), visitor_key="minou1950")
    make_visit(point, arrived_at=brussels(2026, 3, 29, 23, 30))  # Sunday evening, same week
    # 52 weeks earlier: the week of Monday 24 March 2025, one visit by Maria.
    make_visit(point, arrived_at=brussels(2025, 3, 24, 10), resident=maria)
    trend = weekly_trend(TODAY)
    assert len(trend.weeks) == 52
    # The last complete week before Tuesday 31 March is that of Monday 23 March.
    week = trend.weeks[-1]
    assert week.start == date(2026, 3, 23)
    assert (week.visits, week.people, week.visits_before, week.people_before) == (4, 2, 1, 1)
    assert trend.visits_total == 4
    assert trend.visits_before_total == 1
    assert (trend.first, trend.last) == (date(2025, 3, 31), date(2026, 3, 29))
    assert (trend.first_before, trend.last_before) == (date(2024, 4, 1), date(2025, 3, 30))


def test_the_week_under_way_is_left_out():
    point = make_point()
    make_visit(point, arrived_at=brussels(2026, 3, 30, 10))  # Monday of the week of today
    assert weekly_trend(TODAY).visits_total == 0


def test_a_point_sees_only_its_own_weeks():
    bib, other = make_point("Bib"), make_point("Markt")
    make_visit(bib, arrived_at=brussels(2026, 3, 23, 10))
    make_visit(other, arrived_at=brussels(2026, 3, 23, 10))
    assert weekly_trend(TODAY, (bib.pk,)).visits_total == 1


# --- 3. Demand we did not answer -------------------------------------------


def test_trainings_asked_for_without_a_planned_session_are_listed_most_people_first():
    point = make_point()
    banking, email, planned = make_course("Bankieren"), make_course("E-mail"), make_course("Itsme")
    make_session(planned, point=point, starts_at=brussels(2026, 4, 20, 10),
                 status=SessionStatus.PLANNED)
    # A session that was held does not answer the interest of today.
    make_session(email, point=point, starts_at=brussels(2026, 3, 2, 10),
                 status=SessionStatus.HELD)
    with time_machine.travel(brussels(2026, 3, 31, 12), tick=False):
        for course, created in ((banking, (2026, 2, 3)), (banking, (2026, 1, 20)),
                                (email, (2026, 3, 1)), (planned, (2026, 3, 1))):
            InterestEntry.objects.create(resident=make_resident(), course=course, point=point,
                                         created_at=brussels(*created, 9))
        missing = trainings_not_planned()
    assert [(m.title, m.people, m.since) for m in missing] == [
        ("Bankieren", 2, date(2026, 1, 20)), ("E-mail", 1, date(2026, 3, 1))]


def test_interest_in_a_topic_counts_as_planned_when_a_course_about_it_is_planned():
    point = make_point()
    tax, eid = make_topic("Belastingen"), make_topic("eID")
    course = make_course("Tax-on-web")
    course.topics.add(tax)
    with time_machine.travel(brussels(2026, 3, 31, 12), tick=False):
        make_session(course, point=point, starts_at=brussels(2026, 4, 20, 10))
        InterestEntry.objects.create(resident=make_resident(), topic=tax, point=point)
        InterestEntry.objects.create(resident=make_resident(), topic=eid, point=point)
        missing = trainings_not_planned()
    assert [(m.title, m.people) for m in missing] == [("eID", 1)]


def test_the_first_screen_lists_unanswered_demand_with_a_form_to_plan_it(client):
    mechelen = make_district("Mechelen")
    point = make_point("Bib", district=mechelen)
    make_mobile_point("Digibus")
    tax = make_topic("Belastingen")
    for hour in (9, 10, 11):
        visit = make_visit(point, status=VisitStatus.LEFT, arrived_at=brussels(2026, 3, 3, hour))
        visit.topics.add(tax)
    client.force_login(make_user("coordinator"))
    with time_machine.travel(brussels(2026, 3, 31, 12), tick=False):
        page = client.get(reverse("dashboard"))
    text = page.content.decode()
    assert ("<tr><th scope=\"row\" lang=\"nl\">Belastingen</th><td>Mechelen</td><td>3</td>"
            in " ".join(text.split()).replace("> <", "><"))
    assert "Plan een mobiel punt in Mechelen" in text
    assert f'action="{reverse("plan-suggestion")}"' in text


# --- 4. Feedback that waits -----------------------------------------------


def test_feedback_waiting_for_an_answer_or_a_step_is_counted():
    board = make_board("Senioren")
    coordinator = make_user("coordinator")
    with time_machine.travel(brussels(2026, 1, 5, 12), tick=False):
        late = make_item(board, "Het punt is moeilijk te vinden")  # answer due one cycle on
    with time_machine.travel(brussels(2026, 3, 30, 12), tick=False):
        make_item(board, "Meer uren op zaterdag")
        planned = make_item(board, "Een lift")
        answer_feedback(actor=coordinator, item=planned, status=FeedbackStatus.PLANNED,
                        answer="We vragen het aan de stad.")
        done = make_item(board, "Een bord aan de deur")
        answer_feedback(actor=coordinator, item=done, status=FeedbackStatus.PLANNED,
                        answer="Komt eraan.")
        answer_feedback(actor=coordinator, item=done, status=FeedbackStatus.DONE,
                        answer="Hangt er.")
    waiting = waiting_feedback(TODAY)
    assert (waiting.unanswered, waiting.overdue, waiting.waiting_for_step) == (2, 1, 1)
    assert waiting.oldest[0] == late


# --- The detailed tables -----------------------------------------------------


def test_target_groups_have_a_row_for_residents_in_no_group():
    point = make_point()
    seniors = make_target_group("Senioren")
    with_group, without = make_resident("Maria"), make_resident("Jan")
    with_group.target_groups.add(seniors)
    for resident in (with_group, without, make_resident("Els")):
        make_visit(point, arrived_at=brussels(2026, 3, 3, 10), resident=resident)
    rows = dict(people_by_target_group(Scope(start=date(2026, 3, 1), end=TODAY)))
    assert rows == {"Senioren": 1, "Geen doelgroep": 2}


def test_the_page_spells_out_both_periods_and_folds_the_tables(client):
    client.force_login(make_user("coordinator"))
    page = client.get(reverse("dashboard"), {"start": "2026-03-01", "end": "2026-03-31"})
    text = page.content.decode()
    assert ("Cijfers voor heel de stad van 01/03/2026 tot en met 31/03/2026, vergeleken "
            "met de periode ervoor van evenveel dagen: 29/01/2026 tot en met 28/02/2026.") in text
    assert text.count('<section class="dashboard-table"') >= 10
    assert text.count("<details") >= text.count('<section class="dashboard-table"')


def test_the_first_screen_answers_with_the_numbers_and_the_projected_day(client):
    point = make_point()
    _visitors(point, 600, date(2026, 2, 10))
    client.force_login(make_user("coordinator"))
    with time_machine.travel(brussels(2026, 3, 31, 12), tick=False):
        text = client.get(reverse("dashboard")).content.decode()
    assert "Unieke mensen in 2026" in text
    assert ("Volgende drempel: 1.000 mensen, nog 400 te gaan. Bij dit tempo bereikt op "
            "30/05/2026.") in text
    assert "ongeveer 46,7 per week" in text


def test_the_funder_pdf_holds_the_thresholds_and_the_weeks(client):
    point = make_point()
    _visitors(point, 600, date(2026, 2, 10))
    client.force_login(make_user("coordinator"))
    with time_machine.travel(brussels(2026, 3, 31, 12), tick=False):
        response = client.get(reverse("funder-report-pdf"),
                              {"start": "2026-01-01", "end": "2026-03-31"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Unieke mensen dit jaar tegenover de subsidiedrempels" in text
    assert "verwacht op 30/05/2026" in text
    assert "Bezoeken en unieke mensen per week" in text

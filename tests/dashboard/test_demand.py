"""Demand mapping, recurring peaks, unanswered demand and suggested mobile
deployments on a constructed seasonal data set over three years.

The data set (``seasons``), by ISO week:
- Schoolinschrijving: 2023 week 11 one visit from Battel; 2024 weeks 10-12
  3, 4 and 3 visits from Battel; 2025 weeks 10-12 3, 4 and 2 from Battel
  plus one anonymous visit at the Bib (so Mechelen) in weeks 11 and 12.
- Tax-on-web: weeks 20-22 of 2023, 2024 and 2025, three anonymous visits
  each (Mechelen).
- Busticket: 2025 week 11 five visits from Muizen (a peak of one year).
Battel has 2,000 inhabitants, Mechelen 50,000 with the only fixed point (the
Bib), Muizen 5,000.

Every test that reads visit figures runs three times (``rolled_up``): with
the roll-up not built (raw visits), built, and mixed (every other day read
raw again): the figures are the same hand-computed values each time.
"""

from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.demand import (
    HeatMeasure,
    busiest_district,
    district_demand,
    recurring_peaks,
    suggest_deployments,
    unanswered_demand,
    weekly_heat,
)
from dashboard.figures import Scope
from dashboard.models import RollupDay
from dashboard.rollup import build_rollup, invalidate_days, invalidate_visit
from digibank.services import update_resident
from points.models import MobileDeployment, PointKind, Visit, VisitStatus
from soundboard.models import FeedbackStatus, FeedbackTopic
from soundboard.services import answer_feedback
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import (
    brussels,
    make_deployment,
    make_mobile_point,
    make_topic,
    make_visit,
)
from tests.soundboard.factories import at, make_board, make_item, make_meeting
from tests.trainings.factories import make_course
from trainings.models import InterestEntry

pytestmark = pytest.mark.django_db

FEB_20 = date(2026, 2, 20)  # a Friday: the horizon starts Monday 23/02/2026 (week 9)


def visits_in_week(city, topic, year: int, week: int, n: int, *, district=None,
                   status: str = VisitStatus.WAITING) -> None:
    """``n`` visits about ``topic`` in ISO week ``week`` of ``year`` (Monday to
    Friday, 10:00), by residents of ``district`` or anonymous at the Bib."""
    for i in range(n):
        day = date.fromisocalendar(year, week, 1 + i % 5)
        resident = make_resident(district=district) if district else None
        make_visit(city.bib, resident=resident, status=status,
                   arrived_at=brussels(day.year, day.month, day.day, 10)).topics.add(topic)


def interest(resident, *, course=None, topic=None, closed: bool = False) -> InterestEntry:
    return InterestEntry.objects.create(resident=resident, course=course, topic=topic,
                                        closed_at=timezone.now() if closed else None)


def ranking(suggestions) -> list[tuple[str, str, date, int]]:
    return [(s.district.name, s.topic.name, s.week_start, s.score) for s in suggestions]


@pytest.fixture(params=["raw", "built", "mixed"])
def rolled_up(request):
    """Call once the test's visits are made: builds the roll-up (``built``),
    then marks every other day not built again (``mixed``), or leaves it
    unbuilt (``raw``). ``rolled_up.state`` says which."""
    def settle() -> None:
        if request.param == "raw":
            return
        build_rollup()
        if request.param == "mixed":
            invalidate_days(day for day in RollupDay.objects.values_list("day", flat=True)
                            if day.toordinal() % 2)
            assert RollupDay.objects.filter(built_at__isnull=False).exists()
    settle.state = request.param
    return settle


@pytest.fixture
def seasons():
    battel = make_district("Battel", population=2000)
    mechelen = make_district("Mechelen", population=50000)
    muizen = make_district("Muizen", population=5000)
    city = SimpleNamespace(
        battel=battel, mechelen=mechelen, muizen=muizen,
        bib=make_point("Bib", district=mechelen), school=make_topic("Schoolinschrijving"),
        tax=make_topic("Tax-on-web"), bus=make_topic("Busticket"))
    visits_in_week(city, city.school, 2023, 11, 1, district=battel)
    for week, n in ((10, 3), (11, 4), (12, 3)):
        visits_in_week(city, city.school, 2024, week, n, district=battel)
    for week, n in ((10, 3), (11, 4), (12, 2)):
        visits_in_week(city, city.school, 2025, week, n, district=battel)
    visits_in_week(city, city.school, 2025, 11, 1)
    visits_in_week(city, city.school, 2025, 12, 1)
    for year in (2023, 2024, 2025):
        for week in (20, 21, 22):
            visits_in_week(city, city.tax, year, week, 3)
    visits_in_week(city, city.bus, 2025, 11, 5, district=muizen)
    return city


# --- Demand per district and week -----------------------------------------


def test_district_demand_counts_where_people_live_and_per_inhabitant(seasons, rolled_up):
    rolled_up()
    rows = district_demand(Scope(start=date(2025, 3, 1), end=date(2025, 3, 31)), seasons.school)
    assert [(r["district"], r["visits"], r["per_1000"], r["has_point"]) for r in rows] == [
        (seasons.battel, 9, 4.5, False), (seasons.mechelen, 2, 0.0, True),
        (seasons.muizen, 0, 0.0, False)]


def test_busiest_district_for_school_registrations_last_march(seasons, rolled_up):
    rolled_up()
    march = Scope(start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert busiest_district(march, seasons.school) == seasons.battel


def test_heat_map_counts_visits_by_district_and_week_of_the_year(seasons, rolled_up):
    rolled_up()
    heat = weekly_heat(Scope(start=date(2025, 1, 1), end=date(2025, 12, 31)))
    assert heat.weeks == [10, 11, 12, 20, 21, 22]
    rows = dict(heat.rows)
    assert rows[seasons.battel] == [(3, 3), (4, 3), (2, 2), (0, 0), (0, 0), (0, 0)]
    assert [n for n, _level in rows[seasons.mechelen]] == [0, 1, 1, 3, 3, 3]
    assert rows[seasons.muizen][1] == (5, 4)


def test_heat_map_per_1000_inhabitants_puts_a_small_districts_rush_on_the_citys_scale(
        seasons, rolled_up):
    rolled_up()
    heat = weekly_heat(Scope(start=date(2025, 1, 1), end=date(2025, 12, 31)),
                       measure=HeatMeasure.PER_1000)
    rows = dict(heat.rows)
    # Battel (2,000 inhabitants): 4 visits in week 11 are 2 per 1,000, the
    # darkest cell; Muizen's 5 of 5,000 are 1 per 1,000; Mechelen's tax
    # returns, 3 a week of 50,000, are pale.
    assert rows[seasons.battel] == [(1.5, 3), (2.0, 4), (1.0, 2), (0, 0), (0, 0), (0, 0)]
    assert rows[seasons.muizen][1] == (1.0, 2)
    assert rows[seasons.mechelen][3:] == [(0.06, 1)] * 3


def test_heat_map_against_each_districts_own_busiest_week_shows_every_peak_darkest(
        seasons, rolled_up):
    rolled_up()
    heat = weekly_heat(Scope(start=date(2025, 1, 1), end=date(2025, 12, 31)),
                       measure=HeatMeasure.OWN_PEAK)
    rows = dict(heat.rows)
    assert rows[seasons.battel][:3] == [(3, 3), (4, 4), (2, 2)]
    assert rows[seasons.mechelen] == [(0, 0), (1, 2), (1, 2), (3, 4), (3, 4), (3, 4)]
    assert rows[seasons.muizen][1] == (5, 4)


def test_a_district_without_inhabitants_shows_no_rate(seasons, rolled_up):
    seasons.muizen.population = None
    seasons.muizen.save()
    rolled_up()
    heat = weekly_heat(Scope(start=date(2025, 1, 1), end=date(2025, 12, 31)),
                       measure=HeatMeasure.PER_1000)
    assert dict(heat.rows)[seasons.muizen][1] == (None, 0)


@time_machine.travel("2026-02-20 09:00 +0100")
def test_the_demand_page_colours_the_heat_map_as_asked(client, seasons):
    client.force_login(make_user("coordinator"))
    page = client.get(reverse("demand"), {"start": "2025-01-01", "end": "2025-12-31",
                                          "measure": "per_1000"})
    assert page.context["heat"].measure == HeatMeasure.PER_1000
    body = page.content.decode()
    assert "Bezoeken per 1.000 inwoners per deelgemeente en week van het jaar" in body
    assert '<td class="heat-4">2,0</td>' in body


def test_a_resident_who_moved_counts_in_the_new_district_at_once_and_after_the_build(
        seasons):
    build_rollup()
    march = Scope(start=date(2025, 3, 1), end=date(2025, 3, 31))
    resident = Visit.objects.filter(topics=seasons.school, arrived_at__year=2025,
                                    resident__district=seasons.battel).first().resident
    update_resident(actor=None, resident=resident, district=seasons.muizen)
    expected = {seasons.battel: 8, seasons.muizen: 1}
    assert {r["district"]: r["visits"] for r in district_demand(march, seasons.school)
            if r["visits"] and r["district"] != seasons.mechelen} == expected
    build_rollup()
    assert {r["district"]: r["visits"] for r in district_demand(march, seasons.school)
            if r["visits"] and r["district"] != seasons.mechelen} == expected


def test_a_topic_corrected_after_the_build_moves_in_the_heat_map_at_once_and_after(seasons):
    build_rollup()
    year = Scope(start=date(2025, 1, 1), end=date(2025, 12, 31))
    visit = Visit.objects.filter(topics=seasons.bus).first()
    with transaction.atomic():  # as a correction service does
        visit.topics.set([seasons.school])
        invalidate_visit(visit)
    # Muizen's five visits in week 11: four about bus tickets, one about school.
    assert dict(weekly_heat(year, seasons.bus).rows)[seasons.muizen] == [(4, 4)]
    assert dict(weekly_heat(year, seasons.school).rows)[seasons.muizen][1] == (1, 1)
    build_rollup()
    assert dict(weekly_heat(year, seasons.bus).rows)[seasons.muizen] == [(4, 4)]
    assert dict(weekly_heat(year, seasons.school).rows)[seasons.muizen][1] == (1, 1)


# --- Wijken count under their deelgemeente ----------------------------------


@pytest.fixture
def wijk(seasons):
    """Nekkerspoel, a wijk of Mechelen without inhabitants of its own."""
    return make_district("Nekkerspoel", parent=seasons.mechelen)


def test_a_resident_in_a_wijk_counts_under_its_deelgemeente(seasons, wijk, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 11, 3, district=wijk)
    rolled_up()
    rows = district_demand(Scope(start=date(2025, 3, 1), end=date(2025, 3, 31)), seasons.school)
    # Mechelen: one anonymous visit in weeks 11 and 12, three from Nekkerspoel.
    assert [(r["district"], r["visits"], r["per_1000"]) for r in rows] == [
        (seasons.battel, 9, 4.5), (seasons.mechelen, 5, 0.1), (seasons.muizen, 0, 0.0)]


def test_a_resident_in_a_wijk_counts_under_its_deelgemeente_in_the_heat_map(
        seasons, wijk, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 11, 3, district=wijk)
    rolled_up()
    heat = weekly_heat(Scope(start=date(2025, 3, 1), end=date(2025, 3, 31)), seasons.school)
    assert [district for district, _cells in heat.rows] == [
        seasons.battel, seasons.mechelen, seasons.muizen]
    assert [n for n, _level in dict(heat.rows)[seasons.mechelen]] == [0, 4, 1]


def test_a_resident_in_a_wijk_who_left_without_help_counts_under_its_deelgemeente(
        seasons, wijk, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 45, 2, district=wijk, status=VisitStatus.LEFT)
    rolled_up()
    unanswered = unanswered_demand(Scope(start=date(2025, 3, 1), end=date(2026, 2, 28)))
    assert [(r["district"], r["topic"], r["people"]) for r in unanswered.left] == [
        (seasons.mechelen, seasons.school, 2)]
    assert ("2 mensen gingen weg zonder hulp in het voorbije jaar."
            in [s for s in suggest_deployments(FEB_20) if s.district == seasons.mechelen
                and s.topic == seasons.school][0].evidence)


def test_last_years_visits_from_a_wijk_suggest_its_deelgemeente(seasons, rolled_up):
    dorp = make_district("Battel-Dorp", parent=seasons.battel)
    visits_in_week(seasons, seasons.school, 2025, 11, 2, district=dorp)
    rolled_up()
    suggestions = suggest_deployments(FEB_20)
    # Battel in week 11: 4 + 2 visits in 2025, 4 in 2024, 1 in 2023.
    assert ranking(suggestions)[0] == ("Battel", "Schoolinschrijving", date(2026, 3, 9), 11)
    assert suggestions[0].evidence[0] == (
        "Bezoeken over Schoolinschrijving vanuit Battel in dezelfde week: 6 in 2025, 4 in 2024 "
        "en 1 in 2023.")


def test_a_wijk_on_an_interest_list_counts_under_its_deelgemeente(seasons, wijk):
    course = make_course("Online inschrijven")
    interest(make_resident(district=wijk), course=course)
    interest(make_resident(district=seasons.mechelen), course=course)
    unanswered = unanswered_demand(Scope(start=date(2025, 3, 1), end=date(2026, 2, 28)))
    assert [(r["district"], r["course"], r["people"]) for r in unanswered.interest] == [
        (seasons.mechelen, "Online inschrijven", 2)]


def test_a_fixed_point_in_a_wijk_is_a_fixed_point_of_its_deelgemeente(seasons):
    make_point("Wijkpunt Battel-Dorp", district=make_district("Battel-Dorp",
                                                              parent=seasons.battel))
    rows = district_demand(Scope(start=date(2025, 3, 1), end=date(2025, 3, 31)))
    assert {r["district"]: r["has_point"] for r in rows}[seasons.battel] is True


def test_a_deployment_planned_in_a_wijk_counts_as_planned_in_its_deelgemeente(seasons):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 3, 10, 10), brussels(2026, 3, 10, 16),
                    district=make_district("Battel-Dorp", parent=seasons.battel),
                    topic=seasons.school)
    assert ("Battel", "Schoolinschrijving") not in {
        (s.district.name, s.topic.name) for s in suggest_deployments(FEB_20)}


# --- Recurring peaks ----------------------------------------------------------


def test_peaks_that_came_back_in_two_or_more_years_are_recurring(seasons, rolled_up):
    rolled_up()
    peaks = recurring_peaks(FEB_20)
    # School: the single visit of 2023 is no peak; bus tickets peaked in 2025 only.
    assert [(p.topic, p.first_week, p.last_week, p.years) for p in peaks] == [
        (seasons.school, 10, 12, [2024, 2025]), (seasons.tax, 20, 22, [2023, 2024, 2025])]
    assert (peaks[0].weeks, peaks[0].years_text) == ("weken 10–12", "2024 en 2025")


def test_a_week_with_the_usual_demand_is_no_peak(seasons, rolled_up):
    # Two more tax visits in every other week of 2024 raise its average week
    # to (9 + 49 x 2) / 52 ≈ 2.1: three visits are no longer twice that.
    for week in set(range(1, 53)) - {20, 21, 22}:
        visits_in_week(seasons, seasons.tax, 2024, week, 2)
    rolled_up()
    peak = [p for p in recurring_peaks(FEB_20) if p.topic == seasons.tax][0]
    assert peak.years == [2023, 2025]


# --- Suggestions ------------------------------------------------------------------


def test_a_recurring_peak_weighs_more_than_a_one_year_peak(seasons, rolled_up):
    # Twelve months ahead, each from the same week of the last three years.
    # Battel: week 11 had 4 visits in 2025, 4 in 2024 and 1 in 2023: 9.
    # Mechelen: tax returns in weeks 20-22, 3 visits in each of three years:
    # 9 in May (a fixed point there: after Battel).
    # Muizen: 5 bus-ticket visits in week 11 of one year.
    # Mechelen: one visit in weeks 11 and 12 of 2025; the earliest wins.
    rolled_up()
    assert ranking(suggest_deployments(FEB_20)) == [
        ("Battel", "Schoolinschrijving", date(2026, 3, 9), 9),
        ("Mechelen", "Tax-on-web", date(2026, 5, 11), 9),
        ("Muizen", "Busticket", date(2026, 3, 9), 5),
        ("Mechelen", "Schoolinschrijving", date(2026, 3, 9), 1),
    ]


def test_each_piece_of_evidence_is_a_sentence(seasons, rolled_up):
    rolled_up()
    battel = suggest_deployments(FEB_20)[0]
    assert battel.evidence == [
        "Bezoeken over Schoolinschrijving vanuit Battel in dezelfde week: 4 in 2025, 4 in 2024 "
        "en 1 in 2023.",
        "Piek keert terug: ook in 2024.",
        "4,5 bezoeken per 1.000 inwoners in het voorbije jaar.",  # 9 visits / 2,000
        "In deze deelgemeente is geen vast punt open.",
    ]


def test_in_april_tax_returns_come_first_and_next_march_is_already_suggested(
        seasons, rolled_up):
    rolled_up()
    suggestions = suggest_deployments(date(2026, 4, 24))
    assert ranking(suggestions) == [
        ("Mechelen", "Tax-on-web", date(2026, 5, 11), 9),
        # Next March, from March 2025 and 2024 (4 + 4 visits in week 11).
        ("Battel", "Schoolinschrijving", date(2027, 3, 15), 8),
        ("Muizen", "Busticket", date(2027, 3, 15), 5),
        ("Mechelen", "Schoolinschrijving", date(2027, 3, 15), 1),
    ]
    assert suggestions[0].evidence == [
        "Bezoeken over Tax-on-web vanuit Mechelen in dezelfde week: 3 in 2025, 3 in 2024 en "
        "3 in 2023.",
        "Piek keert terug: ook in 2023 en 2024.",
        "0,2 bezoeken per 1.000 inwoners in het voorbije jaar.",  # 9 visits / 50,000
    ]


def test_people_who_left_without_help_in_the_past_year_raise_a_suggestion(seasons, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 45, 2, district=seasons.mechelen,
                   status=VisitStatus.LEFT)
    visits_in_week(seasons, seasons.school, 2025, 2, 1, district=seasons.mechelen,
                   status=VisitStatus.LEFT)  # more than a year ago
    rolled_up()
    suggestions = suggest_deployments(FEB_20)
    # Mechelen: the two who left in week 45 came in that week of 2025 too.
    assert ranking(suggestions)[2:] == [
        ("Mechelen", "Schoolinschrijving", date(2026, 11, 2), 2 + 2 * 2),
        ("Muizen", "Busticket", date(2026, 3, 9), 5),
    ]
    assert "2 mensen gingen weg zonder hulp in het voorbije jaar." in suggestions[2].evidence


def test_open_interest_lists_raise_a_suggestion_where_the_residents_live(seasons, rolled_up):
    course = make_course("Online inschrijven")
    course.topics.add(seasons.school)
    for _n in range(3):
        interest(make_resident(district=seasons.muizen), course=course)
    interest(make_resident(district=seasons.muizen), course=course, closed=True)
    interest(make_resident(district=seasons.muizen), topic=seasons.bus)
    rolled_up()
    suggestions = suggest_deployments(FEB_20)
    assert ranking(suggestions) == [
        ("Battel", "Schoolinschrijving", date(2026, 3, 9), 9),
        ("Mechelen", "Tax-on-web", date(2026, 5, 11), 9),
        ("Muizen", "Busticket", date(2026, 3, 9), 5 + 2),
        # No visits in earlier years: the first week of the horizon.
        ("Muizen", "Schoolinschrijving", date(2026, 2, 23), 3 * 2),
        ("Mechelen", "Schoolinschrijving", date(2026, 3, 9), 1),
    ]
    assert "3 inwoners staan op een interesselijst." in suggestions[3].evidence


def test_an_open_request_for_a_missing_service_raises_a_suggestion(seasons, rolled_up):
    course = make_course("Online inschrijven")
    course.topics.add(seasons.school)
    board = make_board("Klankbord ouders")
    meeting = make_meeting(board, starts_at=at(2026, 1, 15))
    make_item(board, "Hulp bij inschrijven in de Bib", meeting=meeting, course=course,
              point=seasons.bib, about="inschrijfhulp", topic=FeedbackTopic.MISSING_SERVICE)
    done = make_item(board, "Ook dit", meeting=meeting, course=course, point=seasons.bib,
                     topic=FeedbackTopic.MISSING_SERVICE)
    answer_feedback(actor=make_user("coordinator"), item=done, status=FeedbackStatus.DONE,
                    answer="Gedaan")
    make_item(board, "De Bib is moeilijk te vinden", meeting=meeting, point=seasons.bib,
              topic=FeedbackTopic.PLACE)
    rolled_up()
    suggestions = suggest_deployments(FEB_20)
    assert ranking(suggestions)[:3] == [
        ("Battel", "Schoolinschrijving", date(2026, 3, 9), 9),
        ("Mechelen", "Tax-on-web", date(2026, 5, 11), 9),
        ("Mechelen", "Schoolinschrijving", date(2026, 3, 9), 1 + 5),
    ]
    assert ("Klankbord ouders vroeg om inschrijfhulp op 15/01/2026."
            in suggestions[2].evidence)


def test_a_request_naming_a_training_counts_in_every_district_and_one_naming_a_point_only_not(
        seasons, rolled_up):
    course = make_course("Online inschrijven")
    course.topics.add(seasons.school)
    board = make_board("Klankbord ouders")
    make_item(board, "Een opleiding over inschrijven", course=course,
              topic=FeedbackTopic.MISSING_SERVICE)
    make_item(board, "Een scanner in de Bib", point=seasons.bib,
              topic=FeedbackTopic.MISSING_SERVICE)
    rolled_up()
    assert ranking(suggest_deployments(FEB_20)) == [
        ("Battel", "Schoolinschrijving", date(2026, 3, 9), 9 + 5),
        ("Mechelen", "Tax-on-web", date(2026, 5, 11), 9),
        ("Mechelen", "Schoolinschrijving", date(2026, 3, 9), 1 + 5),
        ("Muizen", "Busticket", date(2026, 3, 9), 5),
    ]


def test_a_week_with_a_deployment_planned_in_the_district_is_not_suggested_again(
        seasons, rolled_up):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 3, 10, 10), brussels(2026, 3, 10, 16),
                    district=seasons.battel, theme="Repair café")
    rolled_up()
    suggestions = suggest_deployments(FEB_20)
    # Battel's next best week: week 10, 3 visits in 2025 and 3 in 2024.
    assert [s for s in ranking(suggestions) if s[0] == "Battel"] == [
        ("Battel", "Schoolinschrijving", date(2026, 3, 2), 6)]
    assert ("Battel", date(2026, 3, 9)) not in {
        (s.district.name, s.week_start) for s in suggestions}


def test_a_topic_already_planned_in_the_district_is_not_suggested_again(seasons, rolled_up):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 3, 17, 10), brussels(2026, 3, 17, 16),
                    district=seasons.battel, theme="Schoolinschrijvingen: hulp bij aanmelden")
    rolled_up()
    assert ranking(suggest_deployments(FEB_20)) == [
        ("Mechelen", "Tax-on-web", date(2026, 5, 11), 9),
        ("Muizen", "Busticket", date(2026, 3, 9), 5),
        ("Mechelen", "Schoolinschrijving", date(2026, 3, 9), 1),
    ]


def test_a_deployment_about_the_topic_in_the_district_counts_as_planned_whatever_its_theme(
        seasons):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 3, 17, 10), brussels(2026, 3, 17, 16),
                    district=seasons.battel, theme="Hulp bij aanmelden", topic=seasons.school)
    assert ("Battel", "Schoolinschrijving") not in {
        (s.district.name, s.topic.name) for s in suggest_deployments(FEB_20)}


def test_a_deployment_about_another_topic_does_not_count_even_if_its_theme_names_it(seasons):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 3, 17, 10), brussels(2026, 3, 17, 16),
                    district=seasons.battel, theme="Schoolinschrijving en busticket",
                    topic=seasons.bus)
    assert ranking(suggest_deployments(FEB_20))[0] == (
        "Battel", "Schoolinschrijving", date(2026, 3, 9), 9)


def test_a_deployment_about_the_topic_elsewhere_does_not_count(seasons):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 3, 17, 10), brussels(2026, 3, 17, 16),
                    district=seasons.muizen, topic=seasons.school)
    assert ranking(suggest_deployments(FEB_20))[0] == (
        "Battel", "Schoolinschrijving", date(2026, 3, 9), 9)


def test_on_a_tie_districts_without_a_fixed_point_and_then_per_inhabitant_come_first(rolled_up):
    leest = make_district("Leest", population=1000)
    hombeek = make_district("Hombeek", population=1000)
    walem = make_district("Walem", population=4000)
    city = SimpleNamespace(bib=make_point("Leest centrum", district=leest))
    topic = make_topic("itsme")
    for district in (leest, walem, hombeek):
        visits_in_week(city, topic, 2025, 11, 3, district=district)
    rolled_up()
    assert [(s.district, s.has_point, s.per_1000) for s in suggest_deployments(FEB_20)] == [
        (hombeek, False, 3.0), (walem, False, 0.8), (leest, True, 3.0)]


def test_no_suggestions_without_demand():
    assert suggest_deployments(FEB_20) == []


# --- Unanswered demand --------------------------------------------------------


def test_unanswered_demand_lists_who_left_the_open_interest_and_missing_services(
        seasons, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 45, 2, district=seasons.battel,
                   status=VisitStatus.LEFT)
    visits_in_week(seasons, seasons.bus, 2025, 46, 1, status=VisitStatus.LEFT)
    visits_in_week(seasons, seasons.bus, 2024, 46, 1, status=VisitStatus.LEFT)  # before
    course = make_course("Online inschrijven")
    interest(make_resident(district=seasons.muizen), course=course)
    interest(make_resident(district=seasons.muizen), course=course)
    interest(make_resident(), topic=seasons.bus, closed=True)
    board = make_board("Klankbord ouders")
    wish = make_item(board, "Een cursus over de gsm", topic=FeedbackTopic.MISSING_SERVICE)
    rolled_up()
    unanswered = unanswered_demand(Scope(start=date(2025, 3, 1), end=date(2026, 2, 28)))
    assert [(r["district"], r["topic"], r["people"]) for r in unanswered.left] == [
        (seasons.battel, seasons.school, 2), (seasons.mechelen, seasons.bus, 1)]
    assert [(r["district"], r["course"], r["people"]) for r in unanswered.interest] == [
        (seasons.muizen, "Online inschrijven", 2)]
    assert unanswered.feedback == [wish]


def test_unanswered_demand_follows_the_chosen_topic(seasons, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 45, 2, district=seasons.battel,
                   status=VisitStatus.LEFT)
    visits_in_week(seasons, seasons.bus, 2025, 46, 1, status=VisitStatus.LEFT)
    rolled_up()
    unanswered = unanswered_demand(Scope(start=date(2025, 3, 1), end=date(2026, 2, 28)),
                                   seasons.bus)
    assert [(r["district"], r["topic"], r["people"]) for r in unanswered.left] == [
        (seasons.mechelen, seasons.bus, 1)]


# --- The page -----------------------------------------------------------------------


@time_machine.travel("2026-02-20 09:00 +0100")
def test_demand_page_shows_peaks_unanswered_demand_and_evidence(client, seasons, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 45, 2, district=seasons.battel,
                   status=VisitStatus.LEFT)
    course = make_course("Online inschrijven")
    interest(make_resident(district=seasons.muizen), course=course)
    wish = make_item(make_board("Klankbord ouders"), "Een cursus over de gsm",
                     topic=FeedbackTopic.MISSING_SERVICE)
    rolled_up()
    client.force_login(make_user("coordinator"))
    page = client.get(reverse("demand")).content.decode()
    assert "Onbeantwoorde vraag" in page
    assert f'href="{reverse("trainings:interest-list")}" lang="nl">Online inschrijven' in page
    assert reverse("soundboard:item-detail", args=[wish.pk]) in page
    assert "<td>weken 10–12</td><td>2024 en 2025</td>" in page
    assert "<li>Piek keert terug: ook in 2024.</li>" in page
    assert "<li>2 mensen gingen weg zonder hulp in het voorbije jaar.</li>" in page


@time_machine.travel("2026-02-20 09:00 +0100")
def test_coordinator_plans_a_suggested_deployment_in_one_click(client, seasons, rolled_up):
    bus = make_mobile_point("Digibus")
    _stopped_in_battel_before(bus, seasons)
    rolled_up()
    client.force_login(make_user("coordinator"))
    page = client.get(reverse("demand"))
    suggestion, plan = page.context["suggestions"][0]
    response = client.post(reverse("plan-suggestion"), {
        "district": suggestion.district.pk, "topic": suggestion.topic.pk,
        "day": plan.initial["day"].isoformat(), "point": bus.pk})
    assert response.status_code == 302
    deployment = MobileDeployment.objects.get(starts_at__year=2026)
    assert (deployment.point, deployment.district, deployment.topic, deployment.theme) == (
        bus, seasons.battel, seasons.school, "Schoolinschrijving")
    assert deployment.starts_at == brussels(2026, 3, 9, 10)
    assert (deployment.place, deployment.address) == (
        "Dorpsplein Battel", "Battelsesteenweg 400, 2800 Mechelen")
    # Planned: school registrations in Battel are not suggested again.
    again = client.get(reverse("demand")).context["suggestions"]
    assert [(s.district.name, s.topic.name) for s, _plan in again] == [
        ("Mechelen", "Tax-on-web"), ("Muizen", "Busticket"), ("Mechelen", "Schoolinschrijving")]


def _stopped_in_battel_before(bus, seasons):
    """A stop in Battel last year: a suggestion for Battel stops there."""
    make_deployment(bus, brussels(2025, 3, 10, 10), brussels(2025, 3, 10, 16),
                    district=seasons.battel, place="Dorpsplein Battel",
                    street="Battelsesteenweg 400")


@time_machine.travel("2026-02-20 09:00 +0100")
def test_a_suggestion_where_no_stop_is_known_opens_the_filled_in_deployment_form(
        client, seasons):
    bus = make_mobile_point("Digibus")
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("plan-suggestion"), {
        "district": seasons.battel.pk, "topic": seasons.school.pk, "day": "2026-03-09",
        "point": bus.pk})
    assert not MobileDeployment.objects.exists()
    assert response.url.startswith(reverse("points:manage-deployments", args=[bus.pk]))
    form = client.get(response.url).context["form"]
    assert form.initial["district"] == str(seasons.battel.pk)
    assert form.initial["starts_at"] == "2026-03-09T10:00"
    assert form.initial["theme"] == "Schoolinschrijving"


@time_machine.travel("2026-02-20 09:00 +0100")
def test_planning_on_an_overlapping_day_is_refused_with_a_message(client, seasons):
    bus = make_mobile_point("Digibus")
    _stopped_in_battel_before(bus, seasons)
    client.force_login(make_user("coordinator"))
    data = {"district": seasons.battel.pk, "topic": seasons.school.pk, "day": "2026-03-09",
            "point": bus.pk}
    client.post(reverse("plan-suggestion"), data)
    response = client.post(reverse("plan-suggestion"), data, follow=True)
    assert MobileDeployment.objects.filter(starts_at__year=2026).count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["success", "error"]


def test_only_mobile_points_can_be_chosen(client, seasons):
    fixed = make_point("Vast", kind=PointKind.FIXED)
    client.force_login(make_user("coordinator"))
    client.post(reverse("plan-suggestion"), {"district": seasons.battel.pk,
                                             "topic": seasons.school.pk,
                                             "day": "2026-03-09", "point": fixed.pk})
    assert not MobileDeployment.objects.exists()


@pytest.mark.parametrize("role", ["host", "coach", "atelier", "partner"])
def test_only_coordinators_see_the_demand_page_and_plan_from_it(client, seasons, role):
    bus = make_mobile_point("Digibus")
    client.force_login(make_user(role))
    assert client.get(reverse("demand")).status_code == 403
    response = client.post(reverse("plan-suggestion"), {
        "district": seasons.battel.pk, "topic": seasons.school.pk, "day": "2026-03-09",
        "point": bus.pk})
    assert response.status_code == 403
    assert not MobileDeployment.objects.exists()


@time_machine.travel("2026-02-20 09:00 +0100")
def test_the_page_reads_who_left_without_help_once(client, seasons, rolled_up):
    visits_in_week(seasons, seasons.school, 2025, 45, 2, district=seasons.battel,
                   status=VisitStatus.LEFT)
    rolled_up()
    client.force_login(make_user("coordinator"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("demand"), {"start": "2025-02-21", "end": "2026-02-20",
                                              "topic": seasons.school.pk})
    left = [query for query in queries if """"status" = 'left'""" in query["sql"]]
    assert len(left) == 1
    assert "2 mensen gingen weg zonder hulp in het voorbije jaar." in page.content.decode()


@pytest.mark.parametrize("rows", [2, 12])
@time_machine.travel("2026-02-20 09:00 +0100")
def test_demand_page_query_count_does_not_grow(client, django_assert_max_num_queries, rows,
                                               seasons, rolled_up):
    make_mobile_point("Digibus")
    board = make_board("Klankbord ouders")
    for n in range(rows):
        district = make_district(f"Wijk {n}", population=100 + n)
        topic = make_topic(f"Onderwerp {n}")
        course = make_course(f"Cursus {n}")
        course.topics.add(topic)
        point = make_point(district=district)
        make_visit(point, arrived_at=brussels(2025, 3, 1 + n % 28, 9)).topics.add(topic)
        make_visit(point, status=VisitStatus.LEFT,
                   arrived_at=brussels(2025, 11, 1 + n % 28, 9)).topics.add(topic)
        interest(make_resident(district=district), course=course)
        make_item(board, f"Vraag {n}", point=point, course=course,
                  topic=FeedbackTopic.MISSING_SERVICE)
        make_deployment(make_mobile_point(), brussels(2026, 3, 2 + n % 20, 10),
                        brussels(2026, 3, 2 + n % 20, 16), district=district)
    rolled_up()
    client.force_login(make_user("coordinator"))
    # A visit count costs up to three queries (which days are built, once
    # per period; the roll-up of those; the raw visits of the others),
    # whatever the data; the past year's counts serve the table and the
    # suggestions, and the five suggestions' forms share their mobile points.
    # One more: the city-wide holidays of the year ahead, so a suggested
    # day is no holiday. Four more, however many suggestions: the free slot
    # each form offers (the mobile points' closures and hours, the
    # holidays and their deployments around the suggested days).
    ceiling = {"raw": 35, "built": 39, "mixed": 39}[rolled_up.state]
    with django_assert_max_num_queries(ceiling):
        response = client.get(reverse("demand"))
    assert response.status_code == 200
    assert len(response.context["suggestions"]) == 5


# --- The demo: next March planned in December -------------------------------------


def test_in_december_the_demo_suggests_next_marchs_school_registrations_and_plans_them(client):
    from digibank import demo as core_demo
    from outreach import demo as outreach_demo
    from points import demo as points_demo

    with time_machine.travel("2026-12-07 09:00 +0100"):
        core_demo.seed()
        outreach_demo.seed()
        points_demo.seed()
        march = [s for s in suggest_deployments(date(2026, 12, 7))
                 if s.topic.slug == "schoolinschrijving" and s.week_start.year == 2027
                 and s.week_start.month == 3]
        assert march and march[0].district.slug == "battel"
        suggestion = march[0]
        assert suggestion.seasonal >= 2 * 15  # the rush of the earlier Marches
        client.force_login(make_user("coordinator"))
        bus = MobileDeployment.objects.filter(district__slug="battel").first().point
        response = client.post(reverse("plan-suggestion"), {
            "district": suggestion.district.pk, "topic": suggestion.topic.pk,
            "day": suggestion.day.isoformat(), "point": bus.pk}, follow=True)
    planned = MobileDeployment.objects.get(topic=suggestion.topic)
    assert planned.starts_at.date() == suggestion.day
    assert (planned.place, planned.street) == ("Dorpsplein Battel", "Battelsesteenweg 400")
    assert [m.level_tag for m in response.context["messages"]] == ["success"]

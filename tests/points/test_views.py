"""Coordinator screens and public pages over HTTP (the counter's are in tests/counter/)."""

import json
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from points.models import OpeningPeriod
from tests.factories import make_district, make_point, make_user
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
    make_service,
    make_topic,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point():
    return make_point("Balie")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


@pytest.fixture
def coordinator():
    return make_user("coordinator")


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _count_at_5_and_200(client, url: str, add_rows) -> tuple[int, int]:
    add_rows(5)
    small = _query_count(client, url)
    add_rows(195)
    return small, _query_count(client, url)


@pytest.mark.parametrize("url_name", ["home", "points:screen", "points:open-data"])
def test_public_list_query_count_is_the_same_at_5_and_200_points(client, url_name):
    district, service = make_district(), make_service()
    make_closure(None, date(2026, 12, 25))

    def add(rows):
        for n in range(rows):
            point = make_point(district=district)
            point.services.add(service)
            make_period(point, n % 7, "09:00", "12:00")
            make_closure(point, date(2026, 12, 1))
        mobile = make_mobile_point(district=district)
        make_deployment(mobile, brussels(2026, 11, 27, 9), brussels(2026, 11, 27, 12))

    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        small, large = _count_at_5_and_200(client, reverse(url_name), add)
    assert small == large


# --- coordinator screens ---


def _hours_data(rows):
    data = {"opening_periods-TOTAL_FORMS": str(len(rows)), "opening_periods-INITIAL_FORMS": "0"}
    for index, (weekday, opens, closes) in enumerate(rows):
        data.update({f"opening_periods-{index}-weekday": weekday,
                     f"opening_periods-{index}-opens": opens,
                     f"opening_periods-{index}-closes": closes})
    return data


def test_period_that_closes_before_it_opens_is_refused(client, point, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-hours", args=[point.pk]),
                           _hours_data([(0, "12:00", "09:00")]))
    assert "closes" in response.context["formset"].forms[0].errors
    assert not OpeningPeriod.objects.exists()


def test_overlapping_periods_on_one_day_are_refused(client, point, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-hours", args=[point.pk]),
                           _hours_data([(0, "09:00", "12:00"), (0, "11:00", "14:00")]))
    assert "09:00–12:00" in str(response.context["formset"].forms[1].errors["opens"])
    assert not OpeningPeriod.objects.exists()


def test_changed_hours_show_on_the_public_page_at_once(client, point, coordinator):
    client.force_login(coordinator)
    client.post(reverse("points:manage-hours", args=[point.pk]),
                _hours_data([(3, "09:00", "12:00"), (3, "13:00", "16:00")]))
    client.logout()
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        body = client.get(reverse("points:detail", args=[point.slug])).content.decode()
    assert "09:00–12:00" in body and "13:00–16:00" in body


# Before the deployments of 1 March 2027: the calendar refuses a past one.
@time_machine.travel("2026-12-01 08:00 +0100")
def test_deployment_that_ends_before_it_starts_is_refused(client, coordinator):
    mobile = make_mobile_point()
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-deployments", args=[mobile.pk]), {
        "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": mobile.district.pk,
        "starts_at": "2027-03-01T12:00", "ends_at": "2027-03-01T09:00"})
    assert "ends_at" in response.context["form"].errors
    assert not mobile.deployments.exists()


# Before the deployments of 1 March 2027: the calendar refuses a past one.
@time_machine.travel("2026-12-01 08:00 +0100")
def test_overlapping_deployment_of_the_same_mobile_point_is_refused(client, coordinator):
    mobile = make_mobile_point()
    make_deployment(mobile, brussels(2027, 3, 1, 9), brussels(2027, 3, 1, 12), place="School")
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-deployments", args=[mobile.pk]), {
        "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": mobile.district.pk,
        "starts_at": "2027-03-01T11:00", "ends_at": "2027-03-01T15:00"})
    assert "School" in str(response.context["form"].errors["starts_at"])
    assert mobile.deployments.count() == 1


def test_closure_that_ends_before_it_starts_is_refused(client, point, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-closures", args=[point.pk]), {
        "starts_on": "2026-12-10", "ends_on": "2026-12-01", "reason": "Werken"})
    assert "ends_on" in response.context["form"].errors
    assert not point.closures.exists()


def test_opening_hours_import_reports_a_bad_row_and_imports_nothing(point):
    import tablib

    from points.admin import OpeningPeriodResource

    dataset = tablib.Dataset(headers=["id", "point", "weekday", "opens", "closes"])
    dataset.append(["", point.slug, 0, "09:00", "12:00"])
    dataset.append(["", point.slug, 1, "12:00", "09:00"])
    result = OpeningPeriodResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors() or result.has_errors()
    assert not OpeningPeriod.objects.exists()


# --- public pages ---


def test_finder_filters_by_district_and_service(client):
    district, service = make_district("Heffen"), make_service("Lenen")
    wanted = make_point("Gezocht", district=district)
    wanted.services.add(service)
    make_point("Ander", district=district)
    make_point("Elders")
    response = client.get(reverse("home"), {"district": district.slug, "service": service.slug})
    states = response.context["open_states"] + response.context["closed_states"]
    assert [state.point for state in states] == [wanted]


def test_point_page_carries_json_ld_with_opening_hours(client, point):
    make_period(point, 0, "09:00", "12:00")
    body = client.get(reverse("points:detail", args=[point.slug])).content.decode()
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">')
    data = json.loads(body[start:body.index("</script>", start)])
    assert data["@type"] == "GovernmentOffice"
    assert data["openingHoursSpecification"][0]["dayOfWeek"] == "Monday"


def test_info_screen_filters_by_point_and_refreshes_as_a_fragment(client, point):
    make_period(point, 3, "09:00", "12:00")
    other = make_point("Ander")
    make_period(other, 3, "09:00", "12:00")
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        response = client.get(reverse("points:screen"), {"punt": point.slug}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and "Balie" in body and "Ander" not in body


def test_open_data_lists_active_points_with_osm_hours(client, point):
    make_period(point, 0, "09:00", "12:00")
    make_point("Weg", is_active=False)
    data = client.get(reverse("points:open-data")).json()
    assert [p["slug"] for p in data["points"]] == [point.slug]
    assert data["points"][0]["opening_hours"] == "Mo 09:00-12:00"


def test_deployments_feed_is_icalendar(client):

    start = timezone.now() + timezone.timedelta(days=1)
    make_deployment(make_mobile_point("Digibus"), start, start + timezone.timedelta(hours=2),
                    theme="Schoolinschrijvingen")
    response = client.get(reverse("points:deployments-ics"))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"Schoolinschrijvingen" in response.content


# Before the deployments of 1 March 2027: the calendar refuses a past one.
@time_machine.travel("2026-12-01 08:00 +0100")
def test_deployment_can_be_moved_without_clashing_with_itself(client, coordinator):
    mobile = make_mobile_point()
    deployment = make_deployment(mobile, brussels(2027, 3, 1, 9), brussels(2027, 3, 1, 12))
    client.force_login(coordinator)
    response = client.post(reverse("points:deployment-edit", args=[deployment.pk]), {
        "place": "School", "street": "Pasbrug 2", "postcode": "2800",
        "city": "Mechelen", "district": mobile.district.pk,
        "starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T13:00"})
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.place == "School" and deployment.ends_at == brussels(2027, 3, 1, 13)


def test_city_wide_holiday_added_by_the_coordinator_closes_the_public_page(client, point,
                                                                           coordinator):
    make_period(point, 3, "09:00", "12:00")
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-holidays"), {
        "starts_on": "26/11/2026", "ends_on": "26/11/2026", "reason": "Stadsfeest"})
    assert response.status_code == 302
    client.logout()
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        response = client.get(reverse("points:detail", args=[point.slug]))
    assert not response.context["state"].is_open
    assert "Stadsfeest" in response.content.decode()


def test_finder_tells_where_a_mobile_point_comes_next(client):
    mobile = make_mobile_point("Digibus")
    make_deployment(mobile, brussels(2026, 11, 27, 9), brussels(2026, 11, 27, 12),
                    place="Vrijbroekpark")
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        response = client.get(reverse("home"))
    state = response.context["closed_states"][0]
    assert state.next_opening == brussels(2026, 11, 27, 9)
    assert state.deployment.place == "Vrijbroekpark"
    assert "Vrijbroekpark" in response.content.decode()


def test_coordinator_removes_one_period_and_keeps_the_other(client, point, coordinator):
    keep = make_period(point, 0, "09:00", "12:00")
    drop = make_period(point, 0, "13:00", "16:00")
    data = {"opening_periods-TOTAL_FORMS": "2", "opening_periods-INITIAL_FORMS": "2"}
    for index, period in enumerate([keep, drop]):
        data.update({f"opening_periods-{index}-id": period.pk,
                     f"opening_periods-{index}-point": point.pk,
                     f"opening_periods-{index}-weekday": period.weekday,
                     f"opening_periods-{index}-opens": f"{period.opens:%H:%M}",
                     f"opening_periods-{index}-closes": f"{period.closes:%H:%M}"})
    data["opening_periods-1-DELETE"] = "on"
    client.force_login(coordinator)
    response = client.post(reverse("points:manage-hours", args=[point.pk]), data)
    assert response.status_code == 302
    assert [(p.opens.hour, p.closes.hour) for p in point.opening_periods.all()] == [(9, 12)]


def test_info_screen_knows_its_own_point_for_point_specific_messages(client, point):
    response = client.get(reverse("points:screen"), {"punt": point.slug})
    assert response.context["screen_point"] == point
    assert client.get(reverse("points:screen")).context["screen_point"] is None


# Before the deployments of 1 March 2027: the calendar refuses a past one.
@time_machine.travel("2026-12-01 08:00 +0100")
def test_coordinator_sets_the_topic_of_a_deployment_and_sees_it_in_the_list(client, coordinator):
    mobile = make_mobile_point()
    itsme = make_topic("itsme")
    client.force_login(coordinator)
    form = client.get(reverse("points:manage-deployments", args=[mobile.pk])).content.decode()
    assert '<label for="id_topic">Onderwerp</label>' in form
    response = client.post(reverse("points:manage-deployments", args=[mobile.pk]), {
        "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": mobile.district.pk,
        "starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T16:00",
        "theme": "Hulp bij je gsm", "topic": itsme.pk}, follow=True)
    assert mobile.deployments.get().topic == itsme
    assert 'Onderwerp: <span lang="nl">itsme</span>' in response.content.decode()


# Before the deployments of 1 March 2027: the calendar refuses a past one.
@time_machine.travel("2026-12-01 08:00 +0100")
def test_a_deployment_needs_no_topic(client, coordinator):
    mobile = make_mobile_point()
    client.force_login(coordinator)
    client.post(reverse("points:manage-deployments", args=[mobile.pk]), {
        "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": mobile.district.pk,
        "starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T16:00"})
    assert mobile.deployments.get().topic is None


def test_a_retired_topic_cannot_be_chosen_but_stays_on_its_deployment(client, coordinator):
    mobile = make_mobile_point()
    retired = make_topic("Oude app", is_active=False)
    deployment = make_deployment(mobile, brussels(2027, 3, 1, 9), brussels(2027, 3, 1, 12),
                                 topic=retired)
    client.force_login(coordinator)
    new = client.get(reverse("points:manage-deployments", args=[mobile.pk]))
    assert retired not in new.context["form"].fields["topic"].queryset
    edit = client.get(reverse("points:deployment-edit", args=[deployment.pk]))
    assert retired in edit.context["form"].fields["topic"].queryset


@time_machine.travel("2027-02-20 09:00 +0100")
def test_the_public_point_page_shows_the_theme_and_not_the_topic(client):
    mobile = make_mobile_point()
    make_deployment(mobile, brussels(2027, 3, 1, 10), brussels(2027, 3, 1, 16),
                    theme="Hulp bij je gsm", topic=make_topic("Sociale media"))
    body = client.get(reverse("points:detail", args=[mobile.slug])).content.decode()
    assert "Hulp bij je gsm" in body
    assert "Sociale media" not in body


def test_every_info_screen_page_shows_the_points_open_now(client):
    for n in range(2):
        make_period(make_point(f"Open {n}"), 3, "09:00", "12:00")
    for n in range(9):
        make_period(make_point(f"Later {n}"), 3, "14:00", "16:00")
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        bodies = [client.get(reverse("points:screen"), {"pagina": page}, **HTMX)
                  .content.decode() for page in range(3)]
    assert all("page 3 of 3" in body or "pagina 3 van 3" in body for body in bodies[2:])
    for body in bodies:
        assert "Open 0" in body and "Open 1" in body
        assert "No point is open" not in body and "geen punt open" not in body


def _deployment_post(mobile, place: str, version) -> dict:
    return {"place": place, "street": "Pasbrug 2", "postcode": "2800", "city": "Mechelen",
            "district": mobile.district.pk, "starts_at": "2027-03-01T09:00",
            "ends_at": "2027-03-01T12:00", "version": version, "point": mobile.pk}


@time_machine.travel("2026-12-01 08:00 +0100")
def test_second_tab_cannot_put_back_the_place_the_first_tab_changed(client, coordinator):
    mobile = make_mobile_point()
    deployment = make_deployment(mobile, brussels(2027, 3, 1, 9), brussels(2027, 3, 1, 12),
                                 place="Markt")
    client.force_login(coordinator)
    url = reverse("points:deployment-edit", args=[deployment.pk])
    assert client.post(url, _deployment_post(mobile, "School", 1)).status_code == 302
    response = client.post(url, _deployment_post(mobile, "Markt", 1))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders wijzigde deze inzet intussen" in body
    assert response.context["form"]["place"].value() == "School"
    deployment.refresh_from_db()
    assert deployment.place == "School" and deployment.version == 2


def test_removing_a_deployment_removed_in_another_tab_says_so_in_dutch(client, coordinator):
    mobile = make_mobile_point()
    deployment = make_deployment(mobile, brussels(2027, 3, 1, 9), brussels(2027, 3, 1, 12))
    pk = deployment.pk
    deployment.delete()
    client.force_login(coordinator)
    response = client.post(reverse("points:deployment-delete", args=[pk]),
                           {"point": mobile.pk}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("points:manage-deployments",
                                                     args=[mobile.pk])
    assert "Deze inzet bestaat niet meer" in response.content.decode()


def test_finder_card_of_a_point_closed_today_says_why(client):
    point = make_point("Balie")
    make_period(point, 3, "09:00", "12:00")
    make_closure(point, date(2026, 11, 26), reason="Verbouwing")
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        body = client.get(reverse("home")).content.decode()
    assert "Vandaag gesloten: Verbouwing" in body


def test_point_page_says_its_seasonal_hours_in_words(client, point):
    for weekday in (0, 3):
        OpeningPeriod.objects.create(point=point, weekday=weekday, opens="10:00", closes="13:00",
                                     valid_from=date(2027, 7, 1), valid_until=date(2027, 8, 31))
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        body = client.get(reverse("points:detail", args=[point.slug])).content.decode()
    assert "Van 1 juli tot 31 augustus: maandag en donderdag 10:00–13:00" in body


def test_point_page_lists_seasonal_hours_not_in_force_this_week_after_the_week_table(
        client, point):
    OpeningPeriod.objects.create(point=point, weekday=0, opens="10:00", closes="13:00",
                                 valid_from=date(2027, 7, 1), valid_until=date(2027, 8, 31))
    OpeningPeriod.objects.create(point=point, weekday=1, opens="14:00", closes="16:00",
                                 valid_from=date(2026, 11, 1), valid_until=date(2026, 12, 31))
    with time_machine.travel(brussels(2026, 11, 26, 10), tick=False):
        body = client.get(reverse("points:detail", args=[point.slug])).content.decode()
    table, after = body.index('data-testid="week-schedule"'), body.index("Andere openingsuren")
    summer = body.index("Van 1 juli tot 31 augustus")
    assert table < after < summer
    assert body.index("Van 1 november tot 31 december") < table

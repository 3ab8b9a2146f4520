"""The calendar refuses impossible deployments at every door (the
coordinator's form, the service, the admin), with a Dutch reason next to
the field, and keeps hours and deployments from leaving a training without
a stop."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from points.models import MobileDeployment, OpeningPeriod
from points.services import (
    ScheduleError,
    plan_deployment,
    remove_deployment,
    set_opening_hours,
)
from tests.factories import make_district, make_point, make_user
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
)
from tests.trainings.factories import make_session

pytestmark = pytest.mark.django_db
NOW = brussels(2026, 12, 1, 8)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False), translation.override("nl"):
        yield


@pytest.fixture
def coordinator(client):
    user = make_user("coordinator")
    client.force_login(user)
    return user


@pytest.fixture
def bus():
    return make_mobile_point("Digibus")


def _deployment_form(bus, starts_at: str, ends_at: str) -> dict:
    return {"place": "Markt", "street": "Markt 1", "postcode": "2800", "city": "Mechelen",
            "district": bus.district.pk, "starts_at": starts_at, "ends_at": ends_at}


def _deployment(bus, starts_at, ends_at) -> MobileDeployment:
    return MobileDeployment(point=bus, place="Markt", street="Markt 1", postcode="2800",
                            district=bus.district,
                            starts_at=starts_at, ends_at=ends_at)


def test_deployment_on_a_city_holiday_is_refused_next_to_its_start(client, coordinator, bus):
    make_closure(None, date(2026, 12, 25), date(2026, 12, 26), reason="Kerstmis")
    response = client.post(reverse("points:manage-deployments", args=[bus.pk]),
                           _deployment_form(bus, "2026-12-25T09:30", "2026-12-25T12:30"))
    errors = str(response.context["form"].errors["starts_at"])
    assert "gesloten" in errors and "Kerstmis" in errors
    assert not bus.deployments.exists()


def test_deployment_in_the_past_is_refused(client, coordinator, bus):
    response = client.post(reverse("points:manage-deployments", args=[bus.pk]),
                           _deployment_form(bus, "2025-01-01T09:30", "2025-01-01T12:30"))
    assert "verleden" in str(response.context["form"].errors["starts_at"])
    assert not bus.deployments.exists()


def test_deployment_on_the_mobile_points_own_closure_is_refused(bus):
    make_closure(bus, date(2026, 12, 10), reason="Onderhoud van de bus")
    with pytest.raises(ScheduleError, match="Onderhoud van de bus"):
        plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 10, 9),
                                               brussels(2026, 12, 10, 12)))


def test_deployment_outside_the_mobile_points_own_hours_is_refused(bus):
    make_period(bus, 3, "09:00", "12:00")  # Thursdays only
    with pytest.raises(ScheduleError, match="09:00–12:00"):
        plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 3, 11),
                                               brussels(2026, 12, 3, 14)))
    with pytest.raises(ScheduleError):  # a Friday: no hours at all
        plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 4, 9),
                                               brussels(2026, 12, 4, 11)))
    plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 3, 9),
                                           brussels(2026, 12, 3, 12)))
    assert bus.deployments.count() == 1


def test_deployment_spanning_a_holiday_is_refused(bus):
    make_closure(None, date(2026, 12, 25), reason="Kerstmis")
    with pytest.raises(ScheduleError, match="Kerstmis"):
        plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 24, 9),
                                               brussels(2026, 12, 26, 12)))


def test_changing_only_the_place_of_a_past_deployment_is_allowed(bus):
    deployment = make_deployment(bus, brussels(2026, 11, 20, 9), brussels(2026, 11, 20, 12))
    deployment.place = "Bibliotheek"
    plan_deployment(deployment=deployment)
    deployment.refresh_from_db()
    assert deployment.place == "Bibliotheek"


def test_moving_a_deployment_a_training_needs_is_refused(client, coordinator, bus):
    deployment = make_deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    make_session(point=bus, starts_at=brussels(2026, 12, 10, 10))  # 10:00-12:00
    response = client.post(reverse("points:deployment-edit", args=[deployment.pk]),
                           _deployment_form(bus, "2026-12-11T09:00", "2026-12-11T12:00"))
    assert "opleiding" in str(response.context["form"].errors).lower() or "buiten" in str(
        response.context["form"].errors)
    deployment.refresh_from_db()
    assert deployment.starts_at == brussels(2026, 12, 10, 9)


def test_removing_a_deployment_a_training_needs_is_refused(client, coordinator, bus):
    deployment = make_deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    make_session(point=bus, starts_at=brussels(2026, 12, 10, 10))
    with pytest.raises(ScheduleError):
        remove_deployment(deployment=deployment)
    response = client.post(reverse("points:deployment-delete", args=[deployment.pk]),
                           follow=True)
    assert "buiten de openingsuren" in response.content.decode()
    assert MobileDeployment.objects.filter(pk=deployment.pk).exists()


def test_removing_a_deployment_no_training_needs_works(bus):
    deployment = make_deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    remove_deployment(deployment=deployment)
    assert not MobileDeployment.objects.exists()


def test_new_hours_that_leave_a_training_outside_are_refused():
    point = make_point()
    make_period(point, 3, "09:00", "16:00")
    make_session(point=point, starts_at=brussels(2026, 12, 3, 14))  # 14:00-16:00
    with pytest.raises(ScheduleError, match="Move or cancel|Verplaats of annuleer"):
        set_opening_hours(point=point, periods=[
            {"weekday": 3, "opens": brussels(2026, 1, 1, 9).time(),
             "closes": brussels(2026, 1, 1, 12).time(), "valid_from": None,
             "valid_until": None}])
    assert OpeningPeriod.objects.get(point=point).closes.hour == 16


def test_admin_refuses_a_deployment_on_a_closure_next_to_its_start(client, bus):
    make_closure(None, date(2026, 12, 25), reason="Kerstmis")
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:points_mobiledeployment_add"), {
        "point": bus.pk, "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": bus.district.pk,
        "starts_at_0": "25/12/2026", "starts_at_1": "09:30",
        "ends_at_0": "25/12/2026", "ends_at_1": "12:30", "theme": ""})
    assert response.status_code == 200
    assert "Kerstmis" in str(response.context["adminform"].form.errors["starts_at"])
    assert not MobileDeployment.objects.exists()


def test_admin_refuses_an_hours_change_that_leaves_a_training_outside(client):
    point = make_point()
    period = make_period(point, 3, "09:00", "16:00")
    make_session(point=point, starts_at=brussels(2026, 12, 3, 14))
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:points_openingperiod_change", args=[period.pk]), {
        "point": point.pk, "weekday": 3, "opens": "09:00", "closes": "12:00",
        "valid_from": "", "valid_until": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    period.refresh_from_db()
    assert period.closes.hour == 16


def test_deployment_at_night_is_refused_next_to_its_end(client, coordinator, bus):
    response = client.post(reverse("points:manage-deployments", args=[bus.pk]),
                           _deployment_form(bus, "2026-12-10T22:00", "2026-12-10T23:30"))
    assert "22:00" in str(response.context["form"].errors["ends_at"])
    assert not bus.deployments.exists()


def test_deployment_before_seven_in_the_morning_is_refused_next_to_its_start(bus):
    with pytest.raises(ScheduleError, match="07:00") as refused:
        plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 10, 6),
                                               brussels(2026, 12, 10, 9)))
    assert refused.value.field == "start"


def test_deployment_left_standing_overnight_is_refused(bus):
    with pytest.raises(ScheduleError, match="22:00"):
        plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 10, 9),
                                               brussels(2026, 12, 11, 12)))


def test_deployment_from_seven_to_ten_in_the_evening_is_planned(bus):
    plan_deployment(deployment=_deployment(bus, brussels(2026, 12, 10, 7),
                                           brussels(2026, 12, 10, 22)))
    assert bus.deployments.count() == 1


def test_admin_refuses_a_deployment_at_night_next_to_its_end(client, bus):
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:points_mobiledeployment_add"), {
        "point": bus.pk, "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": bus.district.pk,
        "starts_at_0": "10/12/2026", "starts_at_1": "22:00",
        "ends_at_0": "10/12/2026", "ends_at_1": "23:30", "theme": ""})
    assert response.status_code == 200
    assert "22:00" in str(response.context["adminform"].form.errors["ends_at"])
    assert not MobileDeployment.objects.exists()


def test_deployment_with_a_postcode_of_another_deelgemeente_is_refused_next_to_it(
        client, coordinator, bus):
    battel = make_district("Battel", postcode="2800")
    form = _deployment_form(bus, "2026-12-10T09:30", "2026-12-10T12:30")
    form.update(district=battel.pk, postcode="2812", city="Muizen")
    response = client.post(reverse("points:manage-deployments", args=[bus.pk]), form)
    errors = str(response.context["form"].errors["postcode"])
    assert "2812" in errors and "Battel" in errors and "2800" in errors
    assert not bus.deployments.exists()


def test_deployment_in_a_wijk_takes_its_deelgemeentes_postcode(bus):
    mechelen = make_district("Mechelen", postcode="2800")
    nekkerspoel = make_district("Nekkerspoel", parent=mechelen)
    deployment = _deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    deployment.district = nekkerspoel
    plan_deployment(deployment=deployment)
    deployment.postcode = "2801"
    with pytest.raises(ScheduleError, match="2801") as refused:
        plan_deployment(deployment=deployment)
    assert refused.value.field == "postcode"


def test_admin_refuses_a_deployment_whose_postcode_is_not_its_districts(client, bus):
    heffen = make_district("Heffen", postcode="2801")
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:points_mobiledeployment_add"), {
        "point": bus.pk, "place": "Markt", "street": "Markt 1", "postcode": "2800",
        "city": "Mechelen", "district": heffen.pk,
        "starts_at_0": "10/12/2026", "starts_at_1": "09:30",
        "ends_at_0": "10/12/2026", "ends_at_1": "12:30", "theme": ""})
    assert "2801" in str(response.context["adminform"].form.errors["postcode"])
    assert not MobileDeployment.objects.exists()


# --- every planning error at once -------------------------------------------


def test_deployment_form_shows_every_planning_error_at_once_next_to_its_field(
        client, coordinator, bus):
    make_closure(None, date(2026, 12, 25), reason="Kerstmis")
    make_deployment(bus, brussels(2026, 12, 25, 10), brussels(2026, 12, 25, 11),
                    place="Hof van Egmont")
    form = _deployment_form(bus, "2026-12-25T06:00", "2026-12-25T23:00")
    form.update(street="")
    response = client.post(reverse("points:manage-deployments", args=[bus.pk]), form)
    errors = response.context["form"].errors
    assert errors["street"] == ["Dit veld is verplicht."]
    starts = str(errors["starts_at"])
    assert "Kerstmis" in starts and "07:00" in starts and "Hof van Egmont" in starts
    assert "22:00" in str(errors["ends_at"])
    assert bus.deployments.count() == 1


def test_deployment_refusal_lists_the_past_and_the_night_together(bus):
    with pytest.raises(ScheduleError) as refused:
        plan_deployment(deployment=_deployment(bus, brussels(2025, 1, 1, 5),
                                               brussels(2025, 1, 1, 23)))
    fields = [field for field, _message in refused.value.problems]
    assert fields == ["day", "start", "end"]
    assert "verleden" in str(refused.value) and "22:00" in str(refused.value)


def test_admin_shows_every_planning_error_at_once(client, bus):
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:points_mobiledeployment_add"), {
        "point": bus.pk, "place": "Markt", "street": "", "postcode": "2800",
        "city": "Mechelen", "district": bus.district.pk,
        "starts_at_0": "10/12/2026", "starts_at_1": "06:00",
        "ends_at_0": "10/12/2026", "ends_at_1": "23:30", "theme": ""})
    errors = response.context["adminform"].form.errors
    assert {"street", "starts_at", "ends_at"} <= set(errors)


# --- a postcode shared by deelgemeenten ---------------------------------------


def test_deployment_in_battel_with_the_shared_postcode_2800_is_planned(bus):
    make_district("Mechelen", postcode="2800")
    battel = make_district("Battel", postcode="2800")
    deployment = _deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    deployment.district, deployment.city = battel, "Mechelen"
    plan_deployment(deployment=deployment)
    assert bus.deployments.get().district == battel


# --- stops saved at night before the rule ------------------------------------


def test_a_night_stop_saved_before_the_rule_is_marked_for_the_coordinator(
        client, coordinator, bus):
    make_deployment(bus, brussels(2026, 12, 10, 22), brussels(2026, 12, 10, 23, 30),
                    place="Nachtmarkt")
    make_deployment(bus, brussels(2026, 12, 11, 9), brussels(2026, 12, 11, 12),
                    place="Markt")
    response = client.get(reverse("points:manage-deployments", args=[bus.pk]))
    body = response.content.decode()
    assert body.count('data-testid="outside-service-hours"') == 1
    assert "buiten de diensturen" in body
    assert 'data-testid="outside-service-hours-note"' in body


def test_a_night_stop_saved_before_the_rule_still_shows_to_residents(client, bus):
    make_deployment(bus, brussels(2026, 12, 10, 21), brussels(2026, 12, 10, 23),
                    place="Nachtmarkt")
    response = client.get(reverse("points:detail", args=[bus.slug]))
    assert "Nachtmarkt" in response.content.decode()


def test_a_night_stop_saved_before_the_rule_is_marked_on_its_edit_page(client, coordinator, bus):
    night = make_deployment(bus, brussels(2026, 12, 10, 22), brussels(2026, 12, 10, 23, 30))
    response = client.get(reverse("points:deployment-edit", args=[night.pk]))
    assert 'data-testid="outside-service-hours-note"' in response.content.decode()

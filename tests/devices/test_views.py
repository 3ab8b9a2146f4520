import pytest
from django.urls import reverse

from devices.models import (
    DeviceKind,
    DeviceStatus,
    Loan,
    LoanStatus,
    ReservationStatus,
    Subscription,
    SubscriptionStatus,
)
from devices.services import request_reservation, reserve_device
from digibank.models import AuditEvent
from tests.devices.factories import make_device, make_loan, make_plan, make_subscription
from tests.factories import make_point, make_resident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


@pytest.fixture
def host_client(client, host):
    client.force_login(host)
    return client


def test_host_hands_out_a_device_by_typing_its_tag(host_client, point):
    device = make_device(point=point, asset_tag="DB-00042")
    subscription = make_subscription()
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": point.pk, "device": "db-00042",
        "agreement": "screen"})
    loan = Loan.objects.get(device=device)
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:loan-agreement", args=[loan.pk])
    assert loan.status == LoanStatus.ISSUED and loan.agreement == "screen"


def test_hand_out_page_preselects_the_resident(host_client):
    subscription = make_subscription(make_resident("Olena", "Kovalenko"))
    response = host_client.get(reverse("devices:hand-out"),
                               {"inwoner": subscription.resident_id})
    assert "Olena Kovalenko" in response.content.decode()


def test_unknown_asset_tag_is_answered_next_to_the_field(host_client, point):
    subscription = make_subscription()
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": point.pk, "device": "XX-1",
        "agreement": "paper"})
    assert response.status_code == 200
    assert response.context["form"].errors["device"]
    assert not Loan.objects.exists()


def test_quota_refusal_is_shown_as_a_form_error(host_client, point):
    subscription = make_subscription()
    make_loan(make_device(), subscription)
    device = make_device(point=point)
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": point.pk, "device": device.asset_tag,
        "agreement": "paper"})
    assert "laptop" in str(response.context["form"].errors["device"])
    device.refresh_from_db()
    assert device.status == DeviceStatus.AT_POINT


def test_host_cannot_hand_out_at_a_point_where_they_do_not_work(host_client):
    elsewhere = make_point("Elders")
    device = make_device(point=elsewhere)
    subscription = make_subscription()
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": elsewhere.pk,
        "device": device.asset_tag, "agreement": "paper"})
    assert response.context["form"].errors["place"]
    assert not Loan.objects.exists()


def test_host_cannot_hand_out_at_the_atelier(host_client):
    device = make_device(status=DeviceStatus.READY)
    subscription = make_subscription()
    response = host_client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": "atelier", "device": device.asset_tag,
        "agreement": "paper"})
    assert response.context["form"].errors["place"]


def test_atelier_staff_hand_out_at_the_atelier(client):
    client.force_login(make_user("atelier"))
    device = make_device(status=DeviceStatus.READY)
    subscription = make_subscription()
    client.post(reverse("devices:hand-out"), {
        "inwoner": subscription.resident_id, "place": "atelier", "device": device.asset_tag,
        "agreement": "paper"})
    assert Loan.objects.get(device=device).handed_out_at_point is None


def test_host_takes_a_device_back_at_their_point(host_client, point):
    device = make_device(DeviceKind.TABLET)
    loan = make_loan(device, make_subscription())
    response = host_client.post(reverse("devices:return"), {
        "place": point.pk, "device": device.asset_tag, "condition": "worn", "note": ""})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.condition_on_return == "worn"


def test_returning_a_device_that_is_not_lent_says_so(host_client, point):
    device = make_device(point=point)
    response = host_client.post(reverse("devices:return"), {
        "place": point.pk, "device": device.asset_tag, "condition": "good"})
    assert response.status_code == 200 and response.context["form"].errors["device"]


def test_device_list_filters_by_kind_and_status(host_client, point):
    make_device(point=point, asset_tag="LAP-1")
    make_device(DeviceKind.TABLET, point=point, asset_tag="TAB-1")
    make_device(DeviceKind.TABLET, status=DeviceStatus.IN_REPAIR, asset_tag="TAB-2")
    response = host_client.get(reverse("devices:device-list"),
                               {"kind": "tablet", "status": "at_point"})
    tags = [device.asset_tag for device in response.context["page"].object_list]
    assert tags == ["tab-1"] or tags == ["TAB-1"]


def test_device_list_shows_who_has_a_device(host_client):
    device = make_device()
    make_loan(device, make_subscription(make_resident("Luc", "Janssens")))
    response = host_client.get(reverse("devices:device-list"), {"place": "loan"})
    assert "Luc Janssens" in response.content.decode()


def test_device_list_answers_htmx_with_the_results_fragment(host_client, point):
    make_device(point=point)
    response = host_client.get(reverse("devices:device-list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "<table" in body


@pytest.mark.parametrize("rows", [5, 200])
def test_device_list_query_count_does_not_grow(host_client, point, rows,
                                               django_assert_max_num_queries):
    for _n in range(rows):
        device = make_device(point=point)
    make_loan(device, make_subscription())
    with django_assert_max_num_queries(14):
        host_client.get(reverse("devices:device-list"))


def test_device_page_shows_the_history(host_client, point):
    device = make_device(status=DeviceStatus.READY)
    from devices.services import send_to_point

    send_to_point(actor=None, device=device, point=point)
    response = host_client.get(reverse("devices:device-detail", args=[device.asset_tag]))
    assert "Huis" in response.content.decode()
    assert len(response.context["events"]) == 1


def test_device_page_with_a_borrower_is_audited(host_client, point):
    device = make_device()
    loan = make_loan(device, make_subscription(), handed_out_at_point=point)
    host_client.get(reverse("devices:device-detail", args=[device.asset_tag]))
    assert AuditEvent.objects.filter(resident=loan.resident, action="view").exists()


def test_label_holds_a_qr_code_to_the_device_page(host_client, point):
    device = make_device(point=point)
    response = host_client.get(reverse("devices:device-label", args=[device.asset_tag]))
    [label] = response.context["labels"]
    assert label["url"].endswith(f"/toestellen/{device.asset_tag}/")
    assert label["qr"].startswith("data:image/svg+xml")


def test_label_sheet_follows_the_device_list_filters(host_client, point):
    make_device(point=point, asset_tag="LAP-1")
    make_device(DeviceKind.TABLET, point=point, asset_tag="TAB-1")
    response = host_client.get(reverse("devices:device-labels"), {"kind": "tablet"})
    assert [label["device"].asset_tag for label in response.context["labels"]] == ["TAB-1"]


def test_host_receives_a_device_sent_to_their_point(host_client, point):
    device = make_device(status=DeviceStatus.IN_TRANSIT, point=point)
    host_client.post(reverse("devices:device-receive", args=[device.asset_tag]))
    device.refresh_from_db()
    assert device.status == DeviceStatus.AT_POINT


def test_host_cannot_receive_a_device_sent_to_another_point(host_client):
    device = make_device(status=DeviceStatus.IN_TRANSIT, point=make_point())
    response = host_client.post(reverse("devices:device-receive", args=[device.asset_tag]))
    assert response.status_code == 404


def test_reservations_page_lists_devices_waiting_at_the_point(host_client, point):
    subscription = make_subscription(make_resident("Fatima", "Bouzid"))
    reservation = request_reservation(actor=None, subscription=subscription,
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    reserve_device(actor=None, device=make_device(point=point), reservation=reservation)
    response = host_client.get(reverse("devices:reservations"))
    assert [r.pk for r in response.context["here"]] == [reservation.pk]


@pytest.mark.parametrize("rows", [5, 200])
def test_reservations_page_query_count_does_not_grow(host_client, point, rows,
                                                     django_assert_max_num_queries):
    plan = make_plan()
    for n in range(rows):
        subscription = make_subscription(make_resident(phone=f"04{n:08d}"), plan=plan)
        reservation = request_reservation(actor=None, subscription=subscription,
                                          kind=DeviceKind.TABLET, pickup_point=point)
        if n % 2:
            reserve_device(actor=None, device=make_device(DeviceKind.TABLET, point=point),
                           reservation=reservation)
    make_device(DeviceKind.TABLET, point=point)
    with django_assert_max_num_queries(14):
        host_client.get(reverse("devices:reservations"))


def test_host_assigns_a_device_to_the_first_in_the_queue(host_client, point):
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point)
    host_client.post(reverse("devices:reservation-assign", args=[reservation.pk]),
                     {f"r{reservation.pk}-device": device.pk})
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.READY and reservation.loan.device == device


def test_host_cannot_touch_a_reservation_at_another_point(host_client):
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=make_point())
    response = host_client.post(reverse("devices:reservation-cancel", args=[reservation.pk]))
    assert response.status_code == 404


def test_host_starts_a_subscription_for_a_pupil_with_a_guardian(host_client):
    resident = make_resident("Noor", "Peeters")
    school = __import__("tests.factories", fromlist=["make_partner"]).make_partner(
        "Sint-Jozef", kind="school")
    response = host_client.post(reverse("devices:subscription-create", args=[resident.pk]), {
        "plan": make_plan(monthly_fee=0).pk, "referred_by": school.pk,
        "guardian_name": "Sara Peeters", "guardian_phone": "0470998877"})
    assert response.status_code == 302
    subscription = Subscription.objects.get(resident=resident)
    assert subscription.is_school_loan and subscription.referred_by == school


def test_second_subscription_is_refused_with_a_message(host_client):
    subscription = make_subscription()
    response = host_client.post(
        reverse("devices:subscription-create", args=[subscription.resident_id]),
        {"plan": make_plan().pk})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_host_ends_a_subscription(host_client):
    subscription = make_subscription()
    host_client.post(reverse("devices:subscription-change", args=[subscription.pk]),
                     {"action": "end"})
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ENDED


def test_resident_devices_page_lists_loans_and_reservations(host_client, point):
    subscription = make_subscription()
    make_loan(make_device(asset_tag="LAP-77"), subscription)
    request_reservation(actor=None, subscription=subscription, kind=DeviceKind.TABLET,
                        pickup_point=point)
    response = host_client.get(reverse("devices:resident-devices",
                                       args=[subscription.resident_id]))
    body = response.content.decode()
    assert "LAP-77" in body.upper() and response.context["reservations"]


def test_agreement_of_a_loan_at_another_point_is_hidden_from_a_host(host_client):
    loan = make_loan(make_device(), make_subscription(), handed_out_at_point=make_point())
    response = host_client.get(reverse("devices:loan-agreement", args=[loan.pk]))
    assert response.status_code == 404


def test_checks_due_lists_loans_due_within_four_weeks(client):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(make_user("atelier"))
    today = timezone.localdate()
    due = make_loan(make_device(), make_subscription(), check_due_on=today + timedelta(days=7))
    make_loan(make_device(), make_subscription(make_resident(phone="0499")),
              check_due_on=today + timedelta(days=90))
    response = client.get(reverse("devices:checks-due"))
    assert list(response.context["page"].object_list) == [due]


def test_resident_page_offers_only_the_kinds_the_resident_may_still_reserve(host_client):
    subscription = make_subscription()
    make_loan(make_device(), subscription)
    response = host_client.get(reverse("devices:resident-devices",
                                       args=[subscription.resident_id]))
    kinds = [value for value, _label in response.context["reservation_form"].fields["kind"]
             .choices]
    assert kinds == ["tablet", "smartphone"]


@pytest.mark.parametrize("rows", [5, 200])
def test_checks_due_query_count_does_not_grow(client, rows, django_assert_max_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(make_user("atelier"))
    plan = make_plan()
    for n in range(rows):
        make_loan(make_device(), make_subscription(make_resident(phone=f"05{n:08d}"), plan=plan),
                  check_due_on=timezone.localdate() + timedelta(days=n % 20),
                  handed_out_at_point=make_point() if n < 3 else None)
    with django_assert_max_num_queries(10):
        client.get(reverse("devices:checks-due"))


@pytest.mark.parametrize("rows", [5, 200])
def test_resident_devices_page_query_count_does_not_grow(host_client, rows,
                                                         django_assert_max_num_queries):
    subscription = make_subscription()
    for _n in range(rows):
        make_loan(make_device(DeviceKind.TABLET), subscription, status=LoanStatus.RETURNED,
                  returned_at_point=make_point() if _n < 3 else None)
    with django_assert_max_num_queries(16):
        host_client.get(reverse("devices:resident-devices", args=[subscription.resident_id]))


def test_device_page_refuses_ready_without_a_proven_wipe(client):
    client.force_login(make_user("atelier"))
    device = make_device(status=DeviceStatus.REFURBISHING)
    response = client.post(reverse("devices:device-status", args=[device.asset_tag]),
                           {"status": "ready", "note": "Gewist en getest"}, follow=True)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REFURBISHING
    assert "niet bewezen gewist" in response.content.decode()


def test_atelier_cannot_skip_a_step(client):
    client.force_login(make_user("atelier"))
    device = make_device(status=DeviceStatus.RECEIVED)
    client.post(reverse("devices:device-status", args=[device.asset_tag]), {"status": "ready"})
    device.refresh_from_db()
    assert device.status == DeviceStatus.RECEIVED


def test_atelier_sees_the_reservation_queue_of_any_point(client, point):
    client.force_login(make_user("atelier"))
    request_reservation(actor=None, subscription=make_subscription(), kind=DeviceKind.LAPTOP,
                        pickup_point=point)
    response = client.get(reverse("devices:reservations"), {"plaats": point.pk})
    assert len(response.context["queue"]) == 1


def test_host_cannot_open_the_reservations_of_another_point(host_client):
    response = host_client.get(reverse("devices:reservations"), {"plaats": make_point().pk})
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_device_page_query_count_does_not_grow_with_its_history(host_client, point, rows,
                                                                django_assert_max_num_queries):
    from devices.models import DeviceEvent

    device = make_device(point=point)
    plan = make_plan()
    for n in range(rows):
        subscription = make_subscription(make_resident(phone=f"06{n:08d}"), plan=plan)
        loan = Loan.objects.create(device=device, subscription=subscription,
                                   resident=subscription.resident, slot="laptop",
                                   status=LoanStatus.RETURNED, returned_at_point=point)
        DeviceEvent.objects.create(device=device, from_status="at_point", to_status="on_loan",
                                   loan=loan, where=point, actor=make_user("host"))
    with django_assert_max_num_queries(16):
        host_client.get(reverse("devices:device-detail", args=[device.asset_tag]))


@pytest.mark.parametrize("status, offered", [
    (DeviceStatus.READY, True), (DeviceStatus.RECEIVED, False),
    (DeviceStatus.REFURBISHING, False), (DeviceStatus.IN_TRANSIT, False),
    (DeviceStatus.IN_REPAIR, False), (DeviceStatus.ON_LOAN, False),
    (DeviceStatus.RETIRED, False)])
def test_device_page_offers_send_only_when_the_device_can_be_sent(client, status, offered):
    client.force_login(make_user("atelier"))
    device = make_device(status=status)
    body = client.get(reverse("devices:device-detail", args=[device.asset_tag])
                      ).content.decode()
    assert (reverse("devices:device-send", args=[device.asset_tag]) in body) is offered

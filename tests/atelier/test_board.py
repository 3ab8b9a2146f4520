"""The atelier board: every device at the atelier in one column, the
column's count the length of its list over all its pages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from atelier import services
from atelier.models import STEPS, RefurbishJob
from atelier.views import COLUMN_SIZE
from devices.models import Device, DeviceStatus
from devices.services import change_device_status
from tests.atelier.factories import make_job, make_ticket
from tests.devices.factories import make_device
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier_client(client):
    client.force_login(make_user("atelier"))
    return client


def _every_state(n: int) -> None:
    """``n`` devices in every state a device can be in at the atelier."""
    now = timezone.now()
    for _n in range(n):
        make_device(status=DeviceStatus.RECEIVED)
        make_device(status=DeviceStatus.RETURNED)
        make_device(status=DeviceStatus.REFURBISHING)  # from before every move opened a job
        make_device(status=DeviceStatus.READY, data_state="wiped")
        make_device(status=DeviceStatus.IN_REPAIR)
        make_ticket()
        make_ticket(status="parts")
        paused = make_job(make_device(status=DeviceStatus.IN_REPAIR))
        assert paused.device.status == DeviceStatus.IN_REPAIR
        for n_steps in range(len(STEPS) + 1):
            make_job(**{f"{step}_at": now for step in STEPS[:n_steps]})


def _column_items(client, key: str) -> tuple[int, list[str]]:
    """A column's count and the tags it lists over all its pages."""
    tags, page, count = [], 1, None
    while True:
        body = client.get(reverse("atelier:board"), {f"p-{key}": page}).content.decode()
        section = re.search(rf'data-column="{key}">(.*?)</section>', body, re.S).group(1)
        count = int(re.search(r'class="count">(\d+)<', section).group(1))
        tags += re.findall(r"<li>\s*(?:<a [^>]*>)?([A-Z]+-\d+)", section)
        if f"p-{key}={page + 1}" not in section:
            return count, tags
        page += 1


def test_every_column_counts_what_it_lists_over_all_its_pages(atelier_client):
    _every_state(COLUMN_SIZE + 2)
    keys = ["start", *STEPS, "release", "ready", "reports", "assess", "parts", "repairing",
            "in-repair"]
    listed = []
    for key in keys:
        count, tags = _column_items(atelier_client, key)
        assert count == len(tags), key
        listed += tags
    at_atelier = Device.objects.filter(point__isnull=True).exclude(
        status=DeviceStatus.RETIRED).values_list("asset_tag", flat=True)
    assert sorted(listed) == sorted(at_atelier)  # each device in exactly one column


def test_to_start_shows_every_device_a_page_at_a_time(atelier_client):
    _every_state(COLUMN_SIZE)
    count, tags = _column_items(atelier_client, "start")
    assert count == len(tags) == 3 * COLUMN_SIZE


def test_a_job_with_every_step_signed_off_waits_in_ready_to_release(atelier_client):
    now = timezone.now()
    job = make_job(**{f"{step}_at": now for step in STEPS})
    count, tags = _column_items(atelier_client, "release")
    assert (count, tags) == (1, [job.device.asset_tag])


def test_a_device_in_repair_is_not_listed_with_the_refurbishing_steps(atelier_client):
    job = make_job(make_device(status=DeviceStatus.IN_REPAIR, asset_tag="DB-00777"))
    assert _column_items(atelier_client, "wipe") == (0, [])
    assert _column_items(atelier_client, "in-repair") == (1, [job.device.asset_tag])


@pytest.mark.parametrize("rows", [2, 12])
def test_board_query_count_is_flat(atelier_client, django_assert_max_num_queries, rows):
    _every_state(rows)
    with django_assert_max_num_queries(36):
        response = atelier_client.get(reverse("atelier:board"))
    assert response.status_code == 200


def test_setting_refurbishing_by_hand_opens_a_job_on_the_board(atelier_client):
    device = make_device(status=DeviceStatus.RECEIVED, asset_tag="DB-00128")
    change_device_status(actor=None, device=device, status=DeviceStatus.REFURBISHING)
    job = RefurbishJob.objects.open().get(device=device)
    assert job.reason == "donation"
    assert _column_items(atelier_client, "wipe") == (1, ["DB-00128"])


def test_a_device_back_from_repair_during_its_job_takes_that_job_up_again():
    worker = make_user("atelier")
    job = make_job()
    change_device_status(actor=worker, device=job.device, status=DeviceStatus.IN_REPAIR)
    change_device_status(actor=worker, device=job.device, status=DeviceStatus.REFURBISHING)
    assert list(RefurbishJob.objects.open().filter(device=job.device)) == [job]


def test_a_device_at_a_point_cannot_be_set_to_refurbishing_there():
    from devices.services import LoanError
    from tests.factories import make_point

    device = make_device(status=DeviceStatus.RETURNED, point=make_point("Huis"))
    with pytest.raises(LoanError):
        change_device_status(actor=None, device=device, status=DeviceStatus.REFURBISHING)
    assert not RefurbishJob.objects.filter(device=device).exists()


def test_starting_a_job_for_a_returned_device_gives_the_job_its_reason():
    device = make_device(status=DeviceStatus.RETURNED)
    job = services.start_refurbish_job(actor=None, device=device, reason="return", note="Terug")
    assert (job.reason, job.note, RefurbishJob.objects.count()) == ("return", "Terug", 1)

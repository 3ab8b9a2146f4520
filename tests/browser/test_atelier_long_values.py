"""Long unbroken values (a serial number, a long name) wrap inside their
table cells at 375 px instead of widening the table."""

import pytest

from atelier.models import WipeRecord
from digibank.roles import sync_role_permissions
from tests.atelier.factories import make_donation, make_job
from tests.browser.conftest import login
from tests.devices.factories import make_device
from tests.factories import make_user

PASSWORD = "correct horse battery"
SERIAL = "SN" + "X7Q2" * 12
NAME = "Aannemersbedrijf" + "Vandenbroucke" * 3


@pytest.fixture
def atelier_worker(transactional_db):
    sync_role_permissions()
    return make_user("atelier", username="arno", first_name="Arno", last_name="Peeters",
                     password=PASSWORD)


def _overflowing_tables(page) -> list:
    return page.evaluate("""() => [...document.querySelectorAll('table')]
        .filter(t => t.getBoundingClientRect().width > document.documentElement.clientWidth
                     || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1))
        .map(t => t.parentElement.className + ' ' + t.className)""")


def test_long_serials_and_names_wrap_in_tables_on_a_phone(phone_page, atelier_worker):
    device = make_device(asset_tag="DB-00777", serial=SERIAL, model_name=NAME)
    job = make_job(device, donation=make_donation(NAME))
    WipeRecord.objects.create(job=job, device=device, medium_serial=SERIAL, method="purge",
                              result="passed", certificate_number="W-20260101-DB-00777-1",
                              medium_model=NAME)
    login(phone_page, "arno", PASSWORD)
    for address in (f"/atelier/klussen/{job.pk}/", f"/atelier/schenkingen/{job.donation.pk}/",
                    "/atelier/schenkingen/", "/toestellen/?q=DB-00777",
                    "/toestellen/DB-00777/", "/atelier/toestellen/DB-00777/"):
        phone_page.goto(address)
        assert _overflowing_tables(phone_page) == [], address

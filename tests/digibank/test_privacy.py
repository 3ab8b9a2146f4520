"""Subject-access export, erasure and its replay after a restore."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import AuditAction, AuditEvent, CallTask, ConsentPurpose, ErasureLog, Resident
from digibank.privacy import erasure_table, resident_relations, subject_access_data
from digibank.services import (
    ErasureError,
    erase_resident,
    export_subject_access,
    replay_erasures,
)
from outreach.models import Direction, Referral, ReferralStatus
from points.models import Visit, VisitOutcome, VisitStatus
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_call_task, make_consent, make_point, make_resident, make_user
from tests.outreach.factories import make_referral
from tests.points.factories import make_visit
from tests.trainings.factories import make_guidance
from trainings.models import Guidance

pytestmark = pytest.mark.django_db


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def test_every_model_that_refers_to_a_resident_has_an_erasure_rule():
    """Fails when a new model with a foreign key to Resident is added: say in
    the app's ERASURE (its ``data_protection`` module) whether erasure deletes or keeps its rows."""
    found = {relation.key for relation in resident_relations()}
    assert found - set(erasure_table()) == set()
    assert set(erasure_table()) - found == set()


def test_subject_access_export_has_a_section_for_each_kind_of_record_held(django_user_model):
    resident = make_resident("Maria", phone="0470000001")
    point = make_point()
    make_visit(point, resident=resident, note="Hulp met itsme")
    make_consent(resident, ConsentPurpose.CONTACT)
    make_guidance(resident, make_user("coach"))
    data = subject_access_data(resident)
    titles = {relation.title for relation in resident_relations()
              if relation.rows(resident).exists()}
    assert set(data["records"]) == titles
    assert len(titles) == 3
    visit = data["records"][next(t for t in titles
                                 if str(Visit._meta.verbose_name_plural).lower() in t.lower())]
    assert visit[0][_label(Visit, "note")] == "Hulp met itsme"
    assert data["resident"][_label(Resident, "phone")] == "0470000001"


def test_subject_access_export_is_audited():
    resident = make_resident(phone="0470000001")
    coordinator = make_user("coordinator")
    export_subject_access(actor=coordinator, resident=resident)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.resident == resident and event.actor == coordinator


def test_coordinator_downloads_the_export_as_json(client):
    resident = make_resident("Maria", phone="0470000001")
    make_visit(make_point(), resident=resident)
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("residents:subject-access", args=[resident.pk]),
                          {"formaat": "json"})
    data = json.loads(response.content)
    assert data["resident"][_label(Resident, "first_name")] == "Maria"
    assert len(data["records"]) == 1


def test_coordinator_reads_the_export_as_a_page(client):
    resident = make_resident("Maria", phone="0470000001")
    make_visit(make_point(), resident=resident, note="Hulp met itsme")
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("residents:subject-access", args=[resident.pk]))
    assert "Hulp met itsme" in response.content.decode()


@pytest.mark.parametrize("role", ["host", "coach", "atelier", "partner"])
def test_only_coordinators_export_or_erase(client, role):
    resident = make_resident(phone="0470000001")
    client.force_login(make_user(role))
    assert client.get(reverse("residents:subject-access", args=[resident.pk])).status_code == 403
    response = client.post(reverse("residents:erase", args=[resident.pk]),
                           {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
    resident.refresh_from_db()
    assert not resident.is_anonymised


def test_erasure_deletes_what_is_not_needed_and_keeps_the_rest_without_personal_data():
    resident = make_resident("Maria", phone="0470000001", email="maria@example.org")
    point = make_point()
    visit = make_visit(point, resident=resident, note="Maria belt terug",
                       status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED)
    make_call_task(resident, point=point)
    make_guidance(resident, make_user("coach"))
    referral = make_referral(resident=resident, direction=Direction.OUT,
                             status=ReferralStatus.COMPLETED, contact_address="Kerkstraat 1")
    entry = erase_resident(actor=make_user("coordinator"), resident=resident,
                           reason="Vraag van de inwoner")
    resident.refresh_from_db()
    visit.refresh_from_db()
    referral.refresh_from_db()
    assert (resident.first_name, resident.phone, resident.email) == ("", "", "")
    assert resident.is_anonymised
    assert visit.resident == resident and visit.note == ""
    assert referral.contact_address == ""
    assert not CallTask.objects.filter(resident=resident).exists()
    assert not Guidance.objects.filter(resident=resident).exists()
    assert entry.summary["digibank.CallTask.resident"] == {"deleted": 1}
    assert entry.summary["points.Visit.resident"] == {"kept": 1}
    assert AuditEvent.objects.filter(action=AuditAction.ERASE, resident=resident).exists()


def test_erasure_is_refused_while_a_device_is_on_loan():
    resident = make_resident("Jan", phone="0470000004")
    make_loan(make_device(point=make_point()), make_subscription(resident),
              handed_out_at=timezone.now(), check_due_on=date.today() + timedelta(days=300))
    with pytest.raises(ErasureError):
        erase_resident(actor=None, resident=resident, reason="Vraag")
    resident.refresh_from_db()
    assert not resident.is_anonymised
    assert not ErasureLog.objects.exists()


def test_erasure_form_needs_a_reason_and_a_confirmation(client):
    resident = make_resident(phone="0470000001")
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("residents:erase", args=[resident.pk]), {"reason": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason", "confirm"}
    resident.refresh_from_db()
    assert not resident.is_anonymised


def test_erasure_is_written_to_the_log_file_and_replayed_after_a_restore(
        settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    resident = make_resident("Maria", phone="0470000001")
    with django_capture_on_commit_callbacks(execute=True):
        erase_resident(actor=None, resident=resident, reason="Vraag van de inwoner")
    lines = (tmp_path / "erasure-log.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["resident"] == resident.pk
    assert "Maria" not in lines[0]
    # A restore brings back the row as it was before the erasure.
    Resident.objects.filter(pk=resident.pk).update(first_name="Maria", phone="0470000001",
                                                   anonymised_at=None)
    assert replay_erasures(lines) == 1
    resident.refresh_from_db()
    assert resident.first_name == "" and resident.is_anonymised
    assert replay_erasures(lines) == 0
    assert ErasureLog.objects.filter(replayed=True).count() == 1


def test_referral_kept_after_erasure_still_belongs_to_its_partner():
    resident = make_resident(phone="0470000001")
    referral = make_referral(resident=resident, status=ReferralStatus.COMPLETED)
    erase_resident(actor=None, resident=resident, reason="Vraag")
    assert Referral.objects.filter(pk=referral.pk, partner=referral.partner).exists()


def test_erasure_is_refused_while_a_referral_is_in_progress_and_nothing_is_deleted():
    resident = make_resident(phone="0470000001")
    point = make_point()
    make_call_task(resident, point=point)
    make_referral(resident=resident, status=ReferralStatus.ACCEPTED)
    with pytest.raises(ErasureError):
        erase_resident(actor=None, resident=resident, reason="Vraag")
    assert CallTask.objects.filter(resident=resident).exists()


def test_a_second_erasure_of_the_same_resident_is_refused():
    resident = make_resident(phone="0470000001")
    erase_resident(actor=None, resident=resident, reason="Vraag")
    with pytest.raises(ErasureError):
        erase_resident(actor=None, resident=resident, reason="Nog eens")
    assert ErasureLog.objects.count() == 1


def test_erasure_screen_names_the_person_whose_data_is_wiped(client):
    resident = make_resident("Maria", "Janssens", phone="0470123456")
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("residents:erase", args=[resident.pk])).content.decode()
    assert "Maria Janssens" in text.split("<h1>")[1].split("</h1>")[0]
    assert "0470123456" in text
    assert f"#{resident.pk}" not in text


def test_subject_access_page_shows_words_and_names_not_codes_keys_or_logins(client):
    import uuid

    from django.contrib.contenttypes.models import ContentType

    from digibank.models import Notification, NotificationChannel
    from tests.trainings.factories import make_session
    from trainings.services import enrol

    resident = make_resident("Maria", "Janssens", phone="0470000001")
    host = make_user("host", first_name="Hilde", last_name="Hostens")
    key = uuid.uuid4()
    make_visit(make_point(), resident=resident, submit_key=key, host=host)
    enrol(actor=host, session=make_session(), resident=resident)
    Notification.objects.create(
        resident=resident, kind="device_reservation_ready",
        source_type=ContentType.objects.get_for_model(Resident), source_id=resident.pk,
        channel=NotificationChannel.CALL, subject="Je toestel ligt klaar", message="Kom langs.")
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("residents:subject-access", args=[resident.pk])).content.decode()
    assert "Je toestel ligt klaar" in text and "Hilde Hostens" in text
    for technical in ("device_reservation_ready", str(key), "Zoeknaam", "Naamsleutel",
                      host.username, "Geannuleerd"):
        assert technical not in text, technical


def test_a_new_enrolment_starts_its_history_without_a_from_status():
    from tests.trainings.factories import make_session
    from trainings.models import EnrolmentStatus
    from trainings.services import enrol

    enrolment = enrol(actor=None, session=make_session(), resident=make_resident())
    event = enrolment.events.get()
    assert (event.from_status, event.to_status) == ("", EnrolmentStatus.ENROLLED)

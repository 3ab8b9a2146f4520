"""Erasure removes the person's words everywhere: the free text of the
records it keeps and the notes in their history, one hop further too."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from atelier.models import CheckResult, RepairTicket, TicketStatus, YearlyCheck
from devices import services as device_services
from devices.models import DeviceEvent, ReturnCondition, Subscription, SubscriptionStatus
from digibank import privacy, retention
from digibank.models import ConsentPurpose, Resident
from digibank.privacy import (
    RESIDENT_FIELDS_ERASED,
    erasure_table,
    erasure_texts,
    kept_on_erasure,
)
from digibank.services import erase_resident, replay_erasures
from outreach.models import ReferralEvent, ReferralStatus
from points.models import VisitEvent, VisitOutcome, VisitStatus
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.digibank.test_retention_kinds import _records_about_residents
from tests.factories import make_consent, make_point, make_resident
from tests.outreach.factories import make_referral
from tests.points.factories import make_visit
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import EnrolmentEvent, EnrolmentStatus

pytestmark = pytest.mark.django_db
WORDS = "Mevrouw Janssens zegt dat"


def _text_fields(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices]


def _texts_erasure_leaves() -> set[str]:
    """``label.field`` of every text in a record about a resident that
    erasure neither deletes (with the rows cascading from it) nor empties."""
    texts = {f"{model._meta.label}.{field}"
             for model in _records_about_residents() for field in _text_fields(model)}
    handled = {f"digibank.Resident.{field}" for field in RESIDENT_FIELDS_ERASED}
    for label, _lookup, fields in erasure_texts():
        handled |= {f"{label}.{field}" for field in fields}
    deleted = {apps.get_model(key.rsplit(".", 1)[0]) for key, handling in erasure_table().items()
               if handling.action == privacy.DELETE}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in deleted and any(
                    field.related_model in deleted
                    and field.remote_field.on_delete is models.CASCADE
                    for field in model._meta.concrete_fields if field.is_relation):
                deleted.add(model)
                grew = True
    for model in deleted:
        handled |= {f"{model._meta.label}.{field}" for field in _text_fields(model)}
    return texts - handled - set(retention.not_about_the_person()) - set(kept_on_erasure())


def test_every_text_in_a_record_about_a_resident_is_deleted_or_emptied_by_erasure():
    assert _texts_erasure_leaves() == set()


def test_a_text_no_rule_empties_on_erasure_is_reported(monkeypatch):
    rules = tuple(dataclasses.replace(rule, erasure="") if rule.key == "device_notes" else rule
                  for rule in retention.rules())
    monkeypatch.setattr(retention, "rules", lambda: rules)
    assert _texts_erasure_leaves() == {"devices.DeviceEvent.note"}


def test_texts_kept_on_erasure_are_texts_of_records_about_a_resident():
    texts = {f"{model._meta.label}.{field}"
             for model in _records_about_residents() for field in _text_fields(model)}
    assert set(kept_on_erasure()) <= texts


def _resident_with_words() -> Resident:
    """A resident whose words are in a returned loan, a yearly check, a
    broken device's report, repair ticket and history, a visit, a referral
    and an enrolment with their history notes, and a consent's scope."""
    resident = make_resident("An", "Janssens", phone="0470000009")
    point = make_point()
    subscription = make_subscription(resident=resident)
    returned = make_device(point=point)
    loan = make_loan(returned, subscription, handed_out_at=timezone.now() - timedelta(days=400),
                     check_due_on=date.today() + timedelta(days=30))
    YearlyCheck.objects.create(loan=loan, due_on=date.today() - timedelta(days=35),
                               result=CheckResult.PASS, findings=f"{WORDS} haar zoon hem gebruikt")
    device_services.return_device(actor=None, device=returned, point=point,
                                  condition=ReturnCondition.DAMAGED,
                                  note=f"{WORDS} het scherm al gebarsten was")
    broken = make_device(point=point)
    make_loan(broken, subscription, handed_out_at=timezone.now() - timedelta(days=60),
              check_due_on=date.today() + timedelta(days=300))
    report = device_services.report_defect(actor=None, device=broken, point=point,
                                           problem=f"{WORDS} haar kleinzoon hem liet vallen")
    RepairTicket.objects.create(device=broken, defect_report=report, loan=report.loan,
                                reported_at_point=point, problem=f"{WORDS} hij niet meer opstart",
                                status=TicketStatus.RESOLVED, outcome="fixed",
                                resolved_at=timezone.now())
    visit = make_visit(point, resident=resident, status=VisitStatus.DONE,
                       outcome=VisitOutcome.SOLVED, note=f"{WORDS} ze terugbelt")
    VisitEvent.objects.create(visit=visit, at=timezone.now(), to_status=VisitStatus.DONE,
                              note=f"{WORDS} haar dochter meehelpt")
    referral = make_referral(resident=resident, status=ReferralStatus.COMPLETED,
                             reason=f"{WORDS} ze schulden heeft")
    ReferralEvent.objects.create(referral=referral, at=timezone.now(),
                                 to_status=ReferralStatus.COMPLETED,
                                 note=f"{WORDS} de afspraak goed verliep")
    enrolment = make_enrolment(make_session(starts_at=timezone.now() - timedelta(days=20)),
                               resident, status=EnrolmentStatus.NO_SHOW)
    EnrolmentEvent.objects.create(enrolment=enrolment, at=timezone.now(),
                                  to_status=EnrolmentStatus.NO_SHOW,
                                  note=f"{WORDS} haar man in het ziekenhuis ligt")
    make_consent(resident, ConsentPurpose.NEWSLETTER, scope=f"{WORDS} ze alleen mails wil")
    Subscription.objects.filter(pk=subscription.pk).update(
        status=SubscriptionStatus.ENDED, ends_on=date.today())
    return resident


def _rows_holding(words: str) -> dict[tuple[str, int, str], str]:
    """Every text in the database that holds ``words``: (model, pk, field) -> text."""
    found = {}
    for model in apps.get_models():
        fields = _text_fields(model)
        if not fields or not model._meta.managed:
            continue
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__contains": words})
        for row in model._default_manager.filter(query).values("pk", *fields):
            for field in fields:
                if words in (row[field] or ""):
                    found[(model._meta.label, row["pk"], field)] = row[field]
    return found


def test_the_residents_words_are_in_every_kind_of_record_before_erasure():
    _resident_with_words()
    models_holding = {label for label, _pk, _field in _rows_holding(WORDS)}
    assert models_holding == {
        "devices.Loan", "atelier.YearlyCheck", "devices.DeviceEvent", "devices.DefectReport",
        "atelier.RepairTicket", "points.Visit", "points.VisitEvent", "outreach.Referral",
        "outreach.ReferralEvent", "trainings.EnrolmentEvent", "digibank.Consent"}


def test_after_erasure_none_of_the_residents_words_remain_anywhere():
    resident = _resident_with_words()
    erase_resident(actor=None, resident=resident, reason="Vraag van de inwoner")
    assert _rows_holding(WORDS) == {}
    assert _rows_holding("Janssens") == {}


def test_erasure_counts_the_texts_it_emptied_per_kind_of_record():
    resident = _resident_with_words()
    device_notes = DeviceEvent.objects.filter(loan__resident=resident).exclude(note="").count()
    entry = erase_resident(actor=None, resident=resident, reason="Vraag van de inwoner")
    emptied = entry.summary["emptied"]
    assert emptied["devices.DeviceEvent"] == device_notes
    assert (emptied["devices.Loan"], emptied["atelier.YearlyCheck"], emptied["points.Visit"],
            emptied["points.VisitEvent"], emptied["outreach.ReferralEvent"],
            emptied["trainings.EnrolmentEvent"], emptied["digibank.Consent"],
            emptied["atelier.RepairTicket"], emptied["devices.DefectReport"]) == (
        2, 1, 1, 1, 1, 1, 1, 1, 1)
    assert entry.summary["points.Visit.resident"] == {"kept": 1}


def test_erasure_leaves_other_residents_words_alone():
    _resident_with_words()
    other = make_resident("Els", phone="0470000010")
    visit = make_visit(make_point(), resident=other, status=VisitStatus.DONE,
                       outcome=VisitOutcome.SOLVED, note="Els belt terug")
    erase_resident(actor=None, resident=Resident.objects.get(last_name="Janssens"),
                   reason="Vraag van de inwoner")
    visit.refresh_from_db()
    assert visit.note == "Els belt terug"


def test_replay_after_a_restore_empties_the_same_texts(settings, tmp_path,
                                                        django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    resident = _resident_with_words()
    before = _rows_holding(WORDS)
    with django_capture_on_commit_callbacks(execute=True):
        erase_resident(actor=None, resident=resident, reason="Vraag van de inwoner")
    lines = (tmp_path / "erasure-log.jsonl").read_text().splitlines()
    # A restore brings back every row as it was before the erasure.
    for (label, pk, field), text in before.items():
        apps.get_model(label).objects.filter(pk=pk).update(**{field: text})
    Resident.objects.filter(pk=resident.pk).update(last_name="Janssens", anonymised_at=None)
    assert _rows_holding(WORDS) == before
    assert replay_erasures(lines) == 1
    assert _rows_holding(WORDS) == {}
    assert _rows_holding("Janssens") == {}

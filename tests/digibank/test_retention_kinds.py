"""Retention per kind of record (digibank/retention.py): each kind past its
period is deleted or emptied, within it or still running it is kept, and a
second run changes nothing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from atelier.models import CheckResult, RepairTicket, TicketStatus, YearlyCheck
from devices import services as device_services
from devices.models import (
    DefectReport,
    Device,
    DeviceEvent,
    DeviceStatus,
    LoanStatus,
    SubscriptionStatus,
)
from digibank.env import env_months_per_kind, months
from digibank.models import (
    AuditAction,
    AuditEvent,
    CallStatus,
    CallTask,
    Consent,
    ConsentPurpose,
    Notification,
    NotificationChannel,
    Resident,
    RetentionRun,
)
from digibank.privacy import erasure_table
from digibank.retention import (
    ANONYMISE,
    BLANK,
    DELETE,
    default_months,
    not_about_the_person,
    rules,
)
from digibank.services import anonymise_resident, apply_retention
from digibank.tasks import apply_retention as retention_task
from outreach.models import Referral, ReferralEvent, ReferralStatus
from points.models import Visit, VisitEvent, VisitOutcome, VisitStatus
from soundboard.models import Member
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_call_task, make_consent, make_point, make_resident, make_user
from tests.outreach.factories import make_referral
from tests.points.factories import make_visit
from tests.soundboard.factories import make_board, make_member
from tests.trainings.factories import make_course, make_enrolment, make_guidance, make_session
from trainings.models import (
    EnrolmentEvent,
    EnrolmentStatus,
    Guidance,
    GuidanceEvent,
    GuidanceStatus,
    InterestEntry,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
BRUSSELS = ZoneInfo("Europe/Brussels")


def ended(kind: str, *, past: bool) -> date:
    """A day just past the kind's default period, or just within it."""
    cutoff = TODAY - months(default_months()[kind])
    return cutoff - timedelta(days=10) if past else cutoff + timedelta(days=10)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=BRUSSELS)


# Per kind: build(day, running) makes a record that ended on ``day`` (or,
# with running, one started on ``day`` that is still running); handled(record)
# says whether retention deleted or emptied it.

def _visit_note(day, running):
    status = VisitStatus.WAITING if running else VisitStatus.DONE
    visit = make_visit(make_point(), status=status, arrived_at=at_noon(day),
                       outcome="" if running else VisitOutcome.SOLVED,
                       resident=make_resident(), note="Maria belt terug")
    VisitEvent.objects.filter(visit=visit).update(note="Dochter helpt mee")
    return visit


def _visit_note_handled(visit):
    return (not Visit.objects.filter(pk=visit.pk).exclude(note="").exists()
            and not VisitEvent.objects.filter(visit=visit).exclude(note="").exists())


def _visitor_key(day, running):
    status = VisitStatus.WITH_HOST if running else VisitStatus.DONE
    return make_visit(make_point(), status=status, arrived_at=at_noon(day),
                      host=make_user("host"), outcome="" if running else VisitOutcome.SOLVED,
                      visitor_key="a" * 64)


def _call_task(day, running):
    task = make_call_task(make_resident(phone="0470000001"))
    if running:
        CallTask.objects.filter(pk=task.pk).update(created_at=at_noon(day))
    else:
        CallTask.objects.filter(pk=task.pk).update(status=CallStatus.DONE, result="reached",
                                                  handled_at=at_noon(day),
                                                  created_at=at_noon(day))
    return task


def _notification(day, running):
    resident = make_resident(phone="0470000002")
    notification = Notification.objects.create(
        resident=resident, kind="test", source_type=ContentType.objects.get_for_model(Resident),
        source_id=resident.pk, channel=NotificationChannel.CALL, subject="Herinnering",
        message="Beste Maria, morgen om 10 uur", created_at=at_noon(day))
    status = CallStatus.OPEN if running else CallStatus.DONE
    make_call_task(resident, notification=notification, status=status)
    return notification


def _consent(day, running):
    resident = make_resident()
    given = day - timedelta(days=400)
    return make_consent(resident, ConsentPurpose.NEWSLETTER, given_on=given,
                        withdrawn_on=None if running else day)


def _referral(day, running):
    status = ReferralStatus.ACCEPTED if running else ReferralStatus.COMPLETED
    referral = make_referral(status=status, contact_address="Kerkstraat 1", best_time="'s avonds",
                             outcome="Geholpen met itsme")
    Referral.objects.filter(pk=referral.pk).update(updated_at=at_noon(day),
                                                   created_at=at_noon(day))
    ReferralEvent.objects.filter(referral=referral).update(note="Dochter belt terug")
    return referral


def _referral_handled(referral):
    referral.refresh_from_db()
    events = ReferralEvent.objects.filter(referral=referral).exclude(note="")
    return (referral.reason, referral.contact_address, referral.best_time, referral.outcome,
            events.exists()) == ("", "", "", "", False)


def _interest(day, running):
    return InterestEntry.objects.create(resident=make_resident(), course=make_course(),
                                        created_at=at_noon(day - timedelta(days=30)),
                                        closed_at=None if running else at_noon(day))


def _guidance(day, running):
    if running:
        return make_guidance(make_resident(), make_user("coach"), opened_on=day)
    return make_guidance(make_resident(), make_user("coach"), opened_on=day - timedelta(days=60),
                         status=GuidanceStatus.CLOSED, closed_on=day)


def _repair(day, running):
    if running:
        return make_ticket(problem="Scherm stuk sinds mijn kleinzoon", opened_at=at_noon(day))
    return make_ticket(problem="Scherm stuk sinds mijn kleinzoon", opened_at=at_noon(day),
                       status=TicketStatus.RESOLVED, outcome="fixed", resolved_at=at_noon(day))


def _repair_handled(ticket):
    ticket.refresh_from_db()
    report = DefectReport.objects.get(pk=ticket.defect_report_id)
    return ticket.problem == "" and report.problem == ""


def _member(day, running):
    return make_member(make_board(), joined_on=day - timedelta(days=300),
                       left_on=None if running else day, needs_hearing_loop=True)


def _subscription(day, running):
    if running:
        return make_subscription(starts_on=day, guardian_name="Ahmed B.",
                                 guardian_phone="0470123456")
    return make_subscription(status=SubscriptionStatus.ENDED, starts_on=day - timedelta(days=400),
                             ends_on=day, guardian_name="Ahmed B.", guardian_phone="0470123456")


def _subscription_handled(subscription):
    subscription.refresh_from_db()
    return (subscription.guardian_name, subscription.guardian_phone) == ("", "")


def _audit_event(day, running):
    return AuditEvent.objects.create(action=AuditAction.VIEW, summary="Bekeken",
                                     created_at=at_noon(day))


def _consent_scope(day, running):
    # A referral rests on it, so the ``consents`` rule keeps it past its period.
    referral = make_referral(status=ReferralStatus.COMPLETED)
    Consent.objects.filter(pk=referral.consent_id).update(
        scope="over mijn schulden bij het OCMW", given_on=day - timedelta(days=400),
        withdrawn_on=None if running else day)
    return Consent.objects.get(pk=referral.consent_id)


def _enrolment_note(day, running):
    session = make_session(starts_at=at_noon(day))
    status = EnrolmentStatus.ENROLLED if running else EnrolmentStatus.NO_SHOW
    enrolment = make_enrolment(session, make_resident(), status=status)
    EnrolmentEvent.objects.create(enrolment=enrolment, at=at_noon(day), to_status=status,
                                  note="Belde af: dochter in het ziekenhuis")
    return enrolment


def _enrolment_note_handled(enrolment):
    return not EnrolmentEvent.objects.filter(enrolment=enrolment).exclude(note="").exists()


def _defect_report(day, running):
    device = make_device(status=DeviceStatus.IN_REPAIR)
    report = DefectReport.objects.create(device=device, problem="Mijn kleinzoon liet hem vallen",
                                         reported_at=at_noon(day - timedelta(days=20)))
    if not running:
        # The atelier repaired it by hand, without a ticket: the device moved on.
        DeviceEvent.objects.create(device=device, at=at_noon(day), actor=None,
                                   from_status=DeviceStatus.IN_REPAIR,
                                   to_status=DeviceStatus.READY)
        Device.objects.filter(pk=device.pk).update(status=DeviceStatus.READY, data_state="wiped")
    return report


def _returned_loan(day, running):
    subscription = make_subscription(resident=make_resident(phone="0470000003"))
    if running:
        loan = make_loan(make_device(), subscription, handed_out_at=at_noon(day))
    else:
        loan = make_loan(make_device(), subscription, status=LoanStatus.RETURNED,
                         handed_out_at=at_noon(day - timedelta(days=400)),
                         returned_at=at_noon(day),
                         return_note="Scherm gebarsten, haar zoon liet hem vallen")
    YearlyCheck.objects.create(loan=loan, due_on=day - timedelta(days=30), result=CheckResult.PASS,
                               findings="Wordt door het hele gezin gebruikt")
    return loan


def _returned_loan_handled(loan):
    loan.refresh_from_db()
    return (loan.return_note == ""
            and not YearlyCheck.objects.filter(loan=loan).exclude(findings="").exists())


def _device_note(day, running):
    device = make_device()
    subscription = make_subscription(resident=make_resident(phone="0470000004"))
    status = LoanStatus.ISSUED if running else LoanStatus.RETURNED
    loan = make_loan(device, subscription, status=status, handed_out_at=at_noon(day))
    return DeviceEvent.objects.create(device=device, at=at_noon(day), loan=loan,
                                      from_status=DeviceStatus.AT_POINT,
                                      to_status=DeviceStatus.ON_LOAN,
                                      note="Meegegeven aan de buurvrouw van mevr. Peeters")


def _gone(record):
    return not type(record).objects.filter(pk=record.pk).exists()


def _field_emptied(field):
    def handled(record):
        record.refresh_from_db()
        return getattr(record, field) == ""
    return handled


KINDS = {
    "visit_notes": (_visit_note, _visit_note_handled),
    "visitor_keys": (_visitor_key, _field_emptied("visitor_key")),
    "call_tasks": (_call_task, _gone),
    "notifications": (_notification, _field_emptied("message")),
    "consents": (_consent, _gone),
    "consent_scopes": (_consent_scope, _field_emptied("scope")),
    "referrals": (_referral, _referral_handled),
    "interest_entries": (_interest, _gone),
    "guidance": (_guidance, _gone),
    "enrolment_notes": (_enrolment_note, _enrolment_note_handled),
    "repair_words": (_repair, _repair_handled),
    "defect_reports": (_defect_report, _field_emptied("problem")),
    "loan_notes": (_returned_loan, _returned_loan_handled),
    "device_notes": (_device_note, _field_emptied("note")),
    "board_members": (_member, _gone),
    "school_guardians": (_subscription, _subscription_handled),
    "audit_events": (_audit_event, _gone),
}
RUNNING = sorted(set(KINDS) - {"audit_events"})  # audit events have no running state


def test_every_configurable_kind_has_a_test_here():
    assert set(KINDS) == set(default_months()) - {"residents"}


def test_every_relation_to_a_resident_is_covered_by_a_retention_rule():
    covered = [relation for rule in rules() for relation in rule.relations]
    assert sorted(covered) == sorted(erasure_table())


def _records_about_residents() -> set[type[models.Model]]:
    """Resident and every model that leads to it through foreign keys (a
    visit's history, a loan's device events, a repair ticket …)."""
    found = {Resident}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in found and any(
                    field.related_model in found for field in model._meta.concrete_fields
                    if field.is_relation and (field.many_to_one or field.one_to_one)):
                found.add(model)
                grew = True
    return found


def _handled_texts() -> set[str]:
    """``label.field`` of every text a rule deletes, empties or anonymises:
    a deleted record takes the rows that cascade from it along."""
    handled, deleted = set(), set()
    for rule in rules():
        model = apps.get_model(rule.model_label)
        if rule.action in (DELETE, ANONYMISE):
            deleted.add(model)
        elif rule.action == BLANK:
            handled |= {f"{rule.model_label}.{field}" for field in rule.blanked_fields}
        for label, _lookup, fields in rule.also_blank:
            handled |= {f"{label}.{field}" for field in fields}
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
        handled |= {f"{model._meta.label}.{field.name}" for field in model._meta.concrete_fields}
    return handled


def test_every_text_in_a_record_about_a_resident_is_deleted_or_emptied_by_a_rule():
    texts = {f"{model._meta.label}.{field.name}"
             for model in _records_about_residents() for field in model._meta.concrete_fields
             if isinstance(field, models.CharField | models.TextField) and not field.choices}
    assert texts - _handled_texts() - set(not_about_the_person()) == set()
    assert set(not_about_the_person()) <= texts


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_record_past_its_period_is_deleted_or_emptied(kind):
    build, handled = KINDS[kind]
    record = build(ended(kind, past=True), running=False)
    run = apply_retention(TODAY)
    assert handled(record)
    assert run.counts[kind] == 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_record_within_its_period_is_kept(kind):
    build, handled = KINDS[kind]
    record = build(ended(kind, past=False), running=False)
    run = apply_retention(TODAY)
    assert not handled(record)
    assert run.counts[kind] == 0


@pytest.mark.parametrize("kind", RUNNING)
def test_record_still_running_is_kept_however_old(kind):
    build, handled = KINDS[kind]
    record = build(ended(kind, past=True) - timedelta(days=400), running=True)
    apply_retention(TODAY)
    assert not handled(record)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_second_run_changes_nothing(kind):
    build, _handled = KINDS[kind]
    build(ended(kind, past=True), running=False)
    apply_retention(TODAY)
    events = AuditEvent.objects.count()
    second = apply_retention(TODAY)
    assert second.counts[kind] == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_period_set_in_the_settings_is_honoured(kind, settings):
    build, handled = KINDS[kind]
    record = build(ended(kind, past=False), running=False)
    settings.RETENTION = {**settings.RETENTION, kind: default_months()[kind] - 1}
    run = apply_retention(TODAY)
    assert handled(record)
    assert run.months[kind] == default_months()[kind] - 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_audited_with_its_count_and_period(kind):
    build, _handled = KINDS[kind]
    build(ended(kind, past=True), running=False)
    apply_retention(TODAY)
    event = AuditEvent.objects.get(detail__kind=kind)
    assert (event.detail["count"], event.detail["months"]) == (1, default_months()[kind])
    assert event.actor_id is None


def test_the_job_works_in_batches_with_an_audit_row_counting_each():
    for _ in range(5):
        _call_task(ended("call_tasks", past=True), running=False)
    run = apply_retention(TODAY, batch_size=2)
    assert run.counts["call_tasks"] == 5
    rows = AuditEvent.objects.filter(detail__kind="call_tasks").order_by("pk")
    assert [row.detail["count"] for row in rows] == [2, 2, 1]
    assert {(row.action, row.actor_id) for row in rows} == {(AuditAction.ERASE, None)}


def test_blanking_is_audited_as_anonymising_with_the_kind_and_period():
    _visit_note(ended("visit_notes", past=True), running=False)
    apply_retention(TODAY)
    event = AuditEvent.objects.get(detail__kind="visit_notes")
    assert event.action == AuditAction.ANONYMISE
    assert event.detail["count"] == 1 and event.detail["months"] == 12


def test_emptied_visits_still_count_in_the_figures():
    visit = _visit_note(ended("visit_notes", past=True), running=False)
    apply_retention(TODAY)
    assert Visit.objects.filter(pk=visit.pk, resident=visit.resident_id).exists()


def test_a_withdrawn_consent_to_be_contacted_stays_while_the_resident_can_be_called():
    resident = make_resident(phone="0470000009")
    day = ended("consents", past=True)
    consent = make_consent(resident, ConsentPurpose.CONTACT, given_on=day - timedelta(days=9),
                           withdrawn_on=day)
    apply_retention(TODAY)
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_a_consent_a_referral_rests_on_is_kept():
    referral = make_referral(status=ReferralStatus.COMPLETED)
    Consent.objects.filter(pk=referral.consent_id).update(
        given_on=date(2019, 1, 1), expires_on=date(2020, 1, 1))
    apply_retention(TODAY)
    assert Consent.objects.filter(pk=referral.consent_id).exists()


def test_a_resident_who_left_a_board_long_ago_but_is_member_of_another_keeps_that_membership():
    resident = make_resident()
    old = _member(ended("board_members", past=True), running=False)
    Member.objects.filter(pk=old.pk).update(resident=resident)
    current = make_member(make_board(), resident)
    apply_retention(TODAY)
    assert Member.objects.filter(pk=current.pk).exists()
    assert not Member.objects.filter(pk=old.pk).exists()


def test_a_reopened_trajectory_is_not_deleted():
    guidance = _guidance(ended("guidance", past=True), running=False)
    Guidance.objects.filter(pk=guidance.pk).update(status=GuidanceStatus.OPEN, closed_on=None)
    apply_retention(TODAY)
    assert Guidance.objects.filter(pk=guidance.pk).exists()


def test_a_note_added_to_a_visits_history_later_stays_its_own_period():
    visit = make_visit(make_point(), status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                       arrived_at=at_noon(ended("visit_notes", past=True)))
    later = VisitEvent.objects.create(visit=visit, at=at_noon(ended("visit_notes", past=False)),
                                      to_status=VisitStatus.DONE, note="Zoon belde nog terug")
    run = apply_retention(TODAY)
    later.refresh_from_db()
    assert later.note != "" and run.counts["visit_notes"] == 0


def test_a_trajectorys_history_notes_go_with_it():
    guidance = _guidance(ended("guidance", past=True), running=False)
    GuidanceEvent.objects.create(guidance=guidance, to_status=GuidanceStatus.CLOSED,
                                 note="Mevrouw verhuist naar haar zoon")
    apply_retention(TODAY)
    assert not GuidanceEvent.objects.filter(guidance_id=guidance.pk).exists()


def test_a_note_in_the_history_of_a_device_in_repair_is_kept():
    event = _device_note(ended("device_notes", past=True), running=False)
    Device.objects.filter(pk=event.device_id).update(status=DeviceStatus.IN_REPAIR)
    apply_retention(TODAY)
    event.refresh_from_db()
    assert event.note != ""


def test_a_defect_report_that_got_a_repair_ticket_is_left_to_the_repair_rule():
    report = _defect_report(ended("defect_reports", past=True), running=False)
    RepairTicket.objects.create(device=report.device, defect_report=report,
                                problem=report.problem, opened_at=report.reported_at)
    run = apply_retention(TODAY)
    report.refresh_from_db()
    assert report.problem != "" and run.counts["defect_reports"] == 0


def test_an_open_ended_consent_loses_its_scope_once_its_resident_was_anonymised_long_ago():
    resident = make_resident()
    consent = make_consent(resident, ConsentPurpose.REFERRAL, scope="over mijn schulden",
                           given_on=date(2018, 1, 1))
    with time_machine.travel(at_noon(ended("consent_scopes", past=True))):
        anonymise_resident(actor=None, resident=resident, reason="test")
    apply_retention(TODAY)
    consent.refresh_from_db()
    assert consent.scope == ""


def test_the_residents_words_about_a_broken_loan_device_are_gone_everywhere_after_the_period():
    point = make_point()
    device = make_device(point=point)
    subscription = make_subscription(resident=make_resident(phone="0470000005"))
    words = "Mijn kleinzoon liet hem in bad vallen"
    with time_machine.travel(at_noon(ended("defect_reports", past=True) - timedelta(days=30))):
        loan = make_loan(device, subscription, handed_out_at=at_noon(date(2023, 1, 1)))
        report = device_services.report_defect(actor=None, device=device, point=point,
                                               problem=words)
    with time_machine.travel(at_noon(ended("defect_reports", past=True))):
        # The device's next step after the report (it is already in repair
        # at the point, and refurbishing happens only at the atelier).
        device_services.change_device_status(actor=None, device=device,
                                             status=DeviceStatus.RETIRED, note="")
    apply_retention(TODAY)
    report.refresh_from_db()
    loan.refresh_from_db()
    assert (report.problem, loan.return_note) == ("", "")
    assert not DeviceEvent.objects.filter(device=device, note__contains="kleinzoon").exists()


def test_the_run_records_its_counts_for_every_kind_and_when_it_finished():
    run = apply_retention(TODAY)
    run.refresh_from_db()
    assert set(run.counts) == set(default_months())
    assert run.finished_at is not None
    assert RetentionRun.objects.count() == 1


def test_nightly_task_applies_every_kind():
    make_resident(last_activity=date.today() - timedelta(days=1000))
    assert retention_task.delay().get()["residents"] == 1


# The RETENTION setting, read by digibank.env.env_months_per_kind.

DEFAULTS = {"visit_notes": 12, "call_tasks": 6}


def test_retention_setting_overrides_the_named_kinds_only(monkeypatch):
    monkeypatch.setenv("RETENTION", " visit_notes = 3 ")
    assert env_months_per_kind("RETENTION", DEFAULTS) == {"visit_notes": 3, "call_tasks": 6}


def test_retention_setting_left_empty_keeps_the_defaults(monkeypatch):
    monkeypatch.setenv("RETENTION", "")
    assert env_months_per_kind("RETENTION", DEFAULTS) == DEFAULTS


@pytest.mark.parametrize(("raw", "message"), [
    ("visit_note=12", "unknown kind 'visit_note'; known kinds: call_tasks, visit_notes"),
    ("visit_notes=twelve", "visit_notes must be a whole number of months, got 'twelve'"),
    ("visit_notes=0", "visit_notes must be at least 1 month, got 0"),
    ("visit_notes", "comma-separated list of kind=months, got 'visit_notes'"),
    ("visit_notes=3,visit_notes=4", "gives 'visit_notes' twice"),
])
def test_a_bad_retention_setting_stops_start_up_with_a_clear_message(monkeypatch, raw, message):
    monkeypatch.setenv("RETENTION", raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_months_per_kind("RETENTION", DEFAULTS)

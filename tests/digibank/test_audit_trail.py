"""The audit trail: one resident's trail, filters, pagination, denials, and
the audited actions that show up in it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from atelier.models import TicketStatus
from digibank.models import AuditAction, AuditEvent
from digibank.retention import rules
from digibank.services import apply_retention, record_audit
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_visit
from tests.soundboard.factories import make_board, make_member

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def _event(resident=None, *, actor=None, action=AuditAction.VIEW, when=None, summary="Bekeken"):
    event = record_audit(actor=actor, action=action, resident=resident, summary=summary)
    if when is not None:
        AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


def _rows(response) -> list[str]:
    return [event.summary for event in response.context["page"]]


@pytest.fixture
def coordinator(client):
    user = make_user("coordinator", first_name="Ilse", last_name="Coördinator")
    client.force_login(user)
    return user


def test_coordinator_sees_who_viewed_or_changed_one_residents_record(client, coordinator):
    maria, jan = make_resident("Maria"), make_resident("Jan")
    _event(maria, summary="Maria bekeken")
    _event(jan, summary="Jan bekeken")
    response = client.get(reverse("audit-log"), {"inwoner": maria.pk})
    assert response.status_code == 200
    assert "Maria bekeken" in _rows(response)
    assert "Jan bekeken" not in _rows(response)
    assert response.context["resident"] == maria


def test_resident_page_links_coordinators_to_the_residents_audit_trail(client, coordinator):
    resident = make_resident()
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert f'{reverse("audit-log")}?inwoner={resident.pk}' in response.content.decode()


def test_resident_page_shows_no_audit_link_to_hosts(client):
    resident = make_resident()
    client.force_login(make_user("host"))
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert reverse("audit-log") not in response.content.decode()


def test_viewing_the_resident_page_then_the_trail_lists_both_views(client, coordinator):
    resident = make_resident()
    client.get(reverse("residents:detail", args=[resident.pk]))
    response = client.get(reverse("audit-log"), {"inwoner": resident.pk})
    mine = [(event.actor, event.action, event.target_id) for event in response.context["page"]]
    # Newest first: looking at the trail, then opening the resident's page.
    assert mine == [(coordinator, AuditAction.VIEW, ""),
                    (coordinator, AuditAction.VIEW, str(resident.pk))]


def test_viewing_the_audit_trail_is_audited_with_its_filters(client, coordinator):
    client.get(reverse("audit-log"), {"actie": "export"})
    event = AuditEvent.objects.get(actor=coordinator)
    assert (event.action, event.resident) == (AuditAction.VIEW, None)
    assert event.detail == {"filters": {"actie": "export"}}


def test_audit_trail_filters_on_action(client, coordinator):
    _event(action=AuditAction.EXPORT, summary="Export")
    _event(action=AuditAction.CHANGE, summary="Wijziging")
    response = client.get(reverse("audit-log"), {"actie": "export"})
    assert _rows(response) == ["Export"]


def test_audit_trail_filters_on_user(client, coordinator):
    host = make_user("host", username="gastvrouw")
    _event(actor=host, summary="Door de host")
    _event(actor=make_user("coach"), summary="Door de coach")
    response = client.get(reverse("audit-log"), {"gebruiker": host.pk})
    assert _rows(response) == ["Door de host"]


def test_audit_trail_filters_on_a_period_of_whole_brussels_days(client, coordinator):
    _event(summary="Te vroeg", when=datetime(2026, 3, 31, 23, 59, tzinfo=BRUSSELS))
    _event(summary="Eerste dag", when=datetime(2026, 4, 1, 0, 0, tzinfo=BRUSSELS))
    _event(summary="Laatste dag", when=datetime(2026, 4, 30, 23, 59, tzinfo=BRUSSELS))
    _event(summary="Te laat", when=datetime(2026, 5, 1, 0, 0, tzinfo=BRUSSELS))
    response = client.get(reverse("audit-log"), {"van": "2026-04-01", "tot": "2026-04-30"})
    assert _rows(response) == ["Laatste dag", "Eerste dag"]


def test_an_end_before_the_start_is_refused_next_to_the_field(client, coordinator):
    _event(summary="Iets")
    response = client.get(reverse("audit-log"), {"van": "2026-04-30", "tot": "2026-04-01"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["tot"]
    assert _rows(response) == []
    assert 'id="id_tot_error"' in response.content.decode()


def test_an_unknown_resident_number_is_refused_next_to_the_field(client, coordinator):
    response = client.get(reverse("audit-log"), {"inwoner": "999999"})
    assert list(response.context["form"].errors) == ["inwoner"]


def test_audit_trail_shows_day_and_time_as_dd_mm_yyyy_hh_mm(client, coordinator):
    _event(summary="Bekeken", when=datetime(2026, 11, 26, 14, 30, tzinfo=BRUSSELS))
    response = client.get(reverse("audit-log"), {"actie": "view", "tot": "2026-11-26"})
    assert "26/11/2026 14:30" in response.content.decode()


def test_audit_trail_is_paginated_and_keeps_the_filters(client, coordinator):
    resident = make_resident()
    for number in range(55):
        _event(resident, summary=f"Bekeken {number}")
    response = client.get(reverse("audit-log"), {"inwoner": resident.pk})
    assert len(_rows(response)) == 50
    assert f"inwoner={resident.pk}&amp;page=2" in response.content.decode()
    second = client.get(reverse("audit-log"), {"inwoner": resident.pk, "page": 2})
    assert len(_rows(second)) == 7  # 55, plus both views of the trail itself


@pytest.mark.parametrize("events", [3, 120])
def test_audit_trail_query_count_does_not_grow_with_the_data(
        client, coordinator, django_assert_max_num_queries, events):
    resident = make_resident()
    for number in range(events):
        _event(resident, actor=make_user("host") if number % 10 == 0 else coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit-log"), {"inwoner": resident.pk, "actie": "view"})
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["host", "coach", "atelier", "partner"])
def test_only_coordinators_open_the_audit_trail_and_the_retention_periods(client, role):
    resident = make_resident()
    client.force_login(make_user(role))
    assert client.get(reverse("audit-log"), {"inwoner": resident.pk}).status_code == 403
    assert client.get(reverse("retention")).status_code == 403
    assert not AuditEvent.objects.exists()


def test_subject_access_page_and_json_appear_in_the_trail_as_exports(client, coordinator):
    resident = make_resident()
    client.get(reverse("residents:subject-access", args=[resident.pk]))
    client.get(reverse("residents:subject-access", args=[resident.pk]), {"formaat": "json"})
    response = client.get(reverse("audit-log"), {"inwoner": resident.pk, "actie": "export"})
    assert [event.actor for event in response.context["page"]] == [coordinator, coordinator]


def test_a_change_appears_in_the_trail(client, coordinator):
    resident = make_resident("Maria", phone="0470000001")
    client.post(reverse("residents:edit", args=[resident.pk]),
                {"first_name": "Marie", "last_name": resident.last_name,
                 "phone": "0470000001", "language": "nl"})
    response = client.get(reverse("audit-log"), {"inwoner": resident.pk, "actie": "change"})
    [event] = response.context["page"]
    assert event.detail == {"fields": ["first_name"]}


def test_anonymisation_by_the_retention_job_appears_in_the_trail(client, coordinator):
    resident = make_resident(last_activity=datetime(2020, 1, 1).date())
    apply_retention()
    response = client.get(reverse("audit-log"), {"inwoner": resident.pk, "actie": "anonymise"})
    assert len(_rows(response)) == 1
    assert "system" in response.content.decode() or "systeem" in response.content.decode()


# Where a resident's record is opened outside the resident page.

def test_opening_a_visit_of_a_resident_at_the_counter_is_audited(client):
    point = make_point()
    resident = make_resident()
    visit = make_visit(point, resident=resident)
    host = make_user("host", points=[point])
    client.force_login(host)
    assert client.get(reverse("counter:visit-correct", args=[visit.pk])).status_code == 200
    assert AuditEvent.objects.filter(resident=resident, actor=host,
                                     action=AuditAction.VIEW).count() == 1


def test_opening_an_anonymous_visit_writes_no_audit_row(client):
    point = make_point()
    visit = make_visit(point)
    client.force_login(make_user("host", points=[point]))
    client.get(reverse("counter:visit-correct", args=[visit.pk]))
    assert not AuditEvent.objects.exists()


def test_opening_a_board_members_needs_is_audited(client, coordinator):
    member = make_member(make_board())
    assert client.get(reverse("soundboard:member-edit", args=[member.pk])).status_code == 200
    assert AuditEvent.objects.filter(resident=member.resident, action=AuditAction.VIEW).exists()


def test_opening_a_repair_of_a_lent_device_is_audited_for_the_borrower(client, coordinator):
    subscription = make_subscription()
    loan = make_loan(make_device(), subscription)
    ticket = make_ticket(loan=loan)
    assert client.get(reverse("atelier:ticket-detail", args=[ticket.pk])).status_code == 200
    assert AuditEvent.objects.filter(resident=subscription.resident,
                                     action=AuditAction.VIEW).exists()


def test_the_repair_records_export_is_audited(client, coordinator):
    make_ticket(status=TicketStatus.RESOLVED, outcome="fixed", resolved_at=timezone.now())
    client.get(reverse("atelier:ords-export"))
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=coordinator).exists()


# The retention periods page (Bewaartermijnen).

def test_retention_page_lists_every_kind_with_its_period_and_why(client, coordinator):
    response = client.get(reverse("retention"))
    text = response.content.decode()
    assert "Notes on visits" in text or "Notities bij bezoeken" in text
    assert "visit_notes" in text and "audit_events" in text


def test_retention_page_lists_every_rule_of_the_table(client, coordinator):
    text = client.get(reverse("retention")).content.decode()
    assert [str(rule.label) for rule in rules()
            if f'<th scope="row">{escape(rule.label)}</th>' not in text] == []
    # The setting's names, for the administrator only (configurable kinds).
    assert [rule.key for rule in rules() if rule.configurable
            and f"<code>{rule.key}</code>" not in text] == []


def test_retention_page_names_each_kind_in_dutch_not_by_its_code(client, coordinator):
    text = client.get(reverse("retention")).content.decode()
    assert '<th scope="row">Notities bij bezoeken</th>' in text
    assert "<br><code>visit_notes</code>" not in text
    for code in ("residents", "visit_notes", "call_tasks"):
        assert f'<th scope="row">{code}' not in text


def test_retention_page_shows_a_period_set_in_the_settings(client, coordinator, settings):
    settings.RETENTION = {**settings.RETENTION, "visit_notes": 7}
    response = client.get(reverse("retention"))
    row = next(row for row in response.context["rows"] if row["rule"].key == "visit_notes")
    assert row["months"] == 7


def test_retention_page_shows_the_last_runs_counts(client, coordinator):
    make_resident(last_activity=datetime(2020, 1, 1).date())
    apply_retention()
    response = client.get(reverse("retention"))
    counts = {row["rule"].key: row["count"] for row in response.context["rows"]}
    assert counts["residents"] == 1 and counts["call_tasks"] == 0
    assert counts["erasure_log"] is None

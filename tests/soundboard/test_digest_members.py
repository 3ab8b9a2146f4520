"""The digest reaches every member by their own channel, once; the sheet
names the next meeting and tells each step once; meetings are planned
ahead; the overview filters all feedback across the boards."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from digibank.models import CallTask, ConsentPurpose, Notification, NotificationChannel
from soundboard.models import ContactBy, DeliveryChannel, DigestDelivery, FeedbackStatus
from soundboard.services import (
    answer_feedback,
    build_digest,
    build_due_digests,
    record_step,
)
from tests.factories import make_consent, make_partner, make_point, make_resident, make_user
from tests.soundboard.factories import at, make_board, make_item, make_meeting, make_member

pytestmark = pytest.mark.django_db

DIGEST_DAY = "2026-03-17 06:00 +01:00"
JOINED = date(2026, 1, 1)


@pytest.fixture
def board():
    make_user("coordinator", email="coordinator@example.org")
    return make_board("Senioren", facilitator=make_user("coach", email="fac@example.org"))


@pytest.fixture
def meetings(board):
    point = make_point("Bib")
    last = make_meeting(board, at(2026, 2, 10), point=point)
    coming = make_meeting(board, at(2026, 3, 24), point=point)
    with time_machine.travel("2026-02-10 15:00 +01:00"):
        item = make_item(board, "De deur is te zwaar", meeting=last)
    with time_machine.travel("2026-02-20 10:00 +01:00"):
        answer_feedback(actor=None, item=item, status=FeedbackStatus.PLANNED,
                        answer="We vragen een automatische deur.")
    return {"last": last, "coming": coming, "point": point, "item": item}


@pytest.fixture
def members(board):
    """One member for each channel."""
    return {
        "email": make_member(board, make_resident("Els", email="els@example.org",
                                                  phone="0470000001"),
                             contact_by=ContactBy.EMAIL, joined_on=JOINED),
        "phone": make_member(board, make_resident("Jan", phone="0470000002",
                                                  email="jan@example.org"),
                             contact_by=ContactBy.PHONE, joined_on=JOINED),
        "no_email": make_member(board, make_resident("Mia", phone="0470000003"),
                                contact_by=ContactBy.EMAIL, joined_on=JOINED),
        "post": make_member(board, make_resident("Rik", phone="0470000004"),
                            contact_by=ContactBy.POST, joined_on=JOINED),
        "partner": make_member(board, partner=make_partner(), name="An (Sociaal Huis)",
                               contact_by=ContactBy.PARTNER, joined_on=JOINED),
    }


def _channels(digest) -> dict:
    return {row.member_id: row.channel for row in DigestDelivery.objects.filter(digest=digest)}


def test_every_member_hears_the_digest_by_their_own_channel(
        board, meetings, members, django_capture_on_commit_callbacks):
    with time_machine.travel(DIGEST_DAY), django_capture_on_commit_callbacks(execute=True):
        digest = build_digest(meeting=meetings["coming"])
    assert _channels(digest) == {
        members["email"].pk: DeliveryChannel.EMAIL,
        members["phone"].pk: DeliveryChannel.CALL,
        members["no_email"].pk: DeliveryChannel.CALL,
        members["post"].pk: DeliveryChannel.SHEET,
        members["partner"].pk: DeliveryChannel.SHEET,
    }
    # Els by e-mail, in easy words, with what we did with what was said.
    to_els = [message for message in mail.outbox if message.to == ["els@example.org"]]
    assert len(to_els) == 1
    assert "Jullie zeiden: De deur is te zwaar" in to_els[0].body
    assert "We gaan dit doen. We vragen een automatische deur." in to_els[0].body
    assert "Volgende keer: dinsdag 24 maart 2026 om 14:00" in to_els[0].body
    # Jan (who asked to be phoned) and Mia (no address) on the point's call list.
    calls = CallTask.objects.filter(kind="soundboard.digest")
    assert sorted(call.resident.first_name for call in calls) == ["Jan", "Mia"]
    assert {call.point for call in calls} == {meetings["point"]}
    assert "De deur is te zwaar" in calls[0].message


def test_the_job_run_twice_tells_each_member_once(
        board, meetings, members, django_capture_on_commit_callbacks):
    with time_machine.travel(DIGEST_DAY):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                build_due_digests()
        digest = meetings["coming"].digests.get()
        with django_capture_on_commit_callbacks(execute=True):
            build_digest(meeting=meetings["coming"], rebuild=True)
    assert DigestDelivery.objects.filter(digest=digest).count() == 5
    assert Notification.objects.filter(kind="soundboard.digest",
                                       channel=NotificationChannel.EMAIL).count() == 1
    assert CallTask.objects.filter(kind="soundboard.digest").count() == 2
    assert [m.to for m in mail.outbox].count(["els@example.org"]) == 1


def test_a_member_who_joined_after_the_digest_hears_the_rebuilt_one_only(
        board, meetings, members, django_capture_on_commit_callbacks):
    with time_machine.travel(DIGEST_DAY):
        with django_capture_on_commit_callbacks(execute=True):
            digest = build_digest(meeting=meetings["coming"])
        late = make_member(board, make_resident("Nora", email="nora@example.org"),
                           contact_by=ContactBy.EMAIL)
        with django_capture_on_commit_callbacks(execute=True):
            build_digest(meeting=meetings["coming"], rebuild=True)
    assert _channels(digest)[late.pk] == DeliveryChannel.EMAIL
    assert [m.to for m in mail.outbox if m.to != ["coordinator@example.org"]
            and m.to != ["fac@example.org"]] == [["els@example.org"], ["nora@example.org"]]


def test_a_member_who_withdrew_consent_to_be_called_gets_the_sheet(board, meetings):
    resident = make_resident("Piet", phone="0470000005")
    member = make_member(board, resident, contact_by=ContactBy.PHONE, joined_on=JOINED)
    make_consent(resident, ConsentPurpose.CONTACT, given_on=date(2025, 12, 1),
                 withdrawn_on=date(2026, 1, 5))
    with time_machine.travel(DIGEST_DAY):
        digest = build_digest(meeting=meetings["coming"])
    assert _channels(digest)[member.pk] == DeliveryChannel.SHEET
    assert not CallTask.objects.filter(resident=resident).exists()


def test_the_staff_digest_links_to_the_site_with_absolute_addresses(
        board, meetings, members, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://digibank.example.org"
    with time_machine.travel(DIGEST_DAY), django_capture_on_commit_callbacks(execute=True):
        digest = build_digest(meeting=meetings["coming"])
    body = next(m.body for m in mail.outbox if m.to == ["fac@example.org"])
    sheet = reverse("soundboard:digest-sheet", args=[digest.pk])
    assert f"https://digibank.example.org{sheet}" in body
    assert f"https://digibank.example.org{reverse('soundboard:digest-detail', args=[digest.pk])}" \
        in body
    assert "- E-mail: 1" in body and "- Bel-lijst: 2" in body


# --- The easy-read sheet ---------------------------------------------------------


def test_the_sheet_names_the_meeting_after_the_one_it_is_handed_out_at(client, board, meetings):
    following = make_meeting(board, at(2026, 5, 5), venue="Zaal De Kelder")
    with time_machine.travel(DIGEST_DAY):
        digest = build_digest(meeting=meetings["coming"])
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("soundboard:digest-sheet", args=[digest.pk])).content.decode()
    assert "Volgende keer: dinsdag 5 mei 2026 om 14:00. Plaats: Zaal De Kelder." in text
    assert "24 maart" not in text
    assert following


def test_the_sheet_says_the_next_meeting_is_not_planned_yet(client, board, meetings):
    with time_machine.travel(DIGEST_DAY):
        digest = build_digest(meeting=meetings["coming"])
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("soundboard:digest-sheet", args=[digest.pk])).content.decode()
    assert "We laten je snel weten wanneer we weer samenkomen." in text


def test_the_sheet_tells_each_step_once(client, board, meetings):
    with time_machine.travel("2026-03-01 10:00 +01:00"):
        record_step(actor=None, title="Een deurbel op heuphoogte", taken_on=date(2026, 3, 1),
                    items=[meetings["item"]])
        record_step(actor=None, title="Een nieuw bord", taken_on=date(2026, 3, 1),
                    boards=[board])
    with time_machine.travel(DIGEST_DAY):
        digest = build_digest(meeting=meetings["coming"])
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("soundboard:digest-sheet", args=[digest.pk])).content.decode()
    assert text.count("Een deurbel op heuphoogte") == 1
    assert text.count("Een nieuw bord") == 1


# --- Meetings ----------------------------------------------------------------------


def test_the_plan_form_starts_one_cycle_after_the_last_meeting(client, board, meetings):
    client.force_login(make_user("coordinator"))
    with time_machine.travel("2026-03-30 10:00 +02:00"):
        form = client.get(reverse("soundboard:meeting-create", args=[board.slug])).context["form"]
    assert form.initial["day"] == date(2026, 3, 24) + timedelta(weeks=6)
    assert form.initial["point"] == meetings["point"]
    assert str(form.initial["time"]) == "14:00:00"


def test_the_plan_form_of_a_new_board_starts_six_weeks_from_today(client):
    board = make_board("Nieuw")
    client.force_login(make_user("coordinator"))
    with time_machine.travel("2026-03-30 10:00 +02:00"):
        form = client.get(reverse("soundboard:meeting-create", args=[board.slug])).context["form"]
    assert form.initial["day"] == date(2026, 5, 11)


def test_a_meeting_in_the_past_is_refused_next_to_the_date(client, board):
    client.force_login(make_user("coordinator"))
    with time_machine.travel("2026-03-30 10:00 +02:00"):
        response = client.post(reverse("soundboard:meeting-create", args=[board.slug]), {
            "day": "2026-03-02", "time": "14:00", "venue": "Zaal"})
    assert response.status_code == 200
    assert "Dit moment is voorbij" in str(response.context["form"].errors["day"])
    assert not board.meetings.exists()


def test_the_board_page_lists_past_and_coming_meetings(client, board, meetings):
    later = make_meeting(board, at(2026, 5, 5), venue="Zaal De Kelder")
    client.force_login(make_user("host"))
    with time_machine.travel("2026-03-17 10:00 +01:00"):
        text = client.get(reverse("soundboard:board-detail", args=[board.slug])).content.decode()
    coming, earlier = text.index("Vergaderingen die komen"), text.index("Vorige vergaderingen")
    for meeting in (meetings["coming"], later):
        assert coming < text.index(reverse("soundboard:meeting-detail", args=[meeting.pk])) \
            < earlier
    assert text.index(reverse("soundboard:meeting-detail", args=[meetings["last"].pk])) > earlier


# --- One overview of all feedback -----------------------------------------------------


@pytest.fixture
def feedback():
    seniors, parents = make_board("Senioren"), make_board("Ouders")
    with time_machine.travel("2026-01-05 12:00 +01:00"):
        late = make_item(seniors, "Het punt is moeilijk te vinden", topic="place")
    with time_machine.travel("2026-03-25 12:00 +01:00"):
        missing = make_item(parents, "Hulp bij Smartschool", topic="missing")
        planned = make_item(parents, "Een cursus op zaterdag", topic="initiative")
        answer_feedback(actor=None, item=planned, status=FeedbackStatus.PLANNED, answer="Ja")
    return {"seniors": seniors, "parents": parents, "late": late, "missing": missing,
            "planned": planned}


@pytest.mark.parametrize(("query", "expected"), [
    ({}, {"late", "missing", "planned"}),
    ({"status": "planned"}, {"planned"}),
    ({"status": "new"}, {"late", "missing"}),
    ({"groep": "ouders"}, {"missing", "planned"}),
    ({"thema": "missing"}, {"missing"}),
    ({"te_laat": "on"}, {"late"}),
    ({"groep": "ouders", "status": "new"}, {"missing"}),
])
def test_the_overview_filters_all_feedback_across_boards(client, feedback, query, expected):
    client.force_login(make_user("coordinator"))
    with time_machine.travel("2026-03-30 12:00 +02:00"):
        page = client.get(reverse("soundboard:overview"), query).context["page"]
    assert {item.pk for item in page.object_list} == {feedback[key].pk for key in expected}


def test_the_overview_puts_unanswered_feedback_first(client, feedback):
    client.force_login(make_user("coordinator"))
    with time_machine.travel("2026-03-30 12:00 +02:00"):
        page = client.get(reverse("soundboard:overview")).context["page"]
    assert list(page.object_list)[-1] == feedback["planned"]
    assert timezone.now()

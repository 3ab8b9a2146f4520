from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from soundboard.models import Attendance, FeedbackItem, FeedbackStatus
from soundboard.services import answer_feedback, build_digest, record_step
from tests.factories import make_partner, make_point, make_user
from tests.soundboard.factories import make_board, make_item, make_meeting, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator():
    return make_user("coach")


@pytest.fixture
def board(facilitator):
    return make_board("Klankbord ouderen", facilitator=facilitator)


def _detail(board):
    return reverse("soundboard:board-detail", args=[board.slug])


# --- Role scoping -----------------------------------------------------------


def test_facilitator_who_is_atelier_staff_may_edit_their_board(client):
    atelier = make_user("atelier")
    board = make_board(facilitator=atelier)
    meeting = make_meeting(board)
    client.force_login(atelier)
    response = client.post(reverse("soundboard:feedback-create", args=[meeting.pk]),
                           {"words": "Meer uitleg over itsme", "topic": "missing"})
    assert response.status_code == 302
    assert board.items.count() == 1


def test_atelier_staff_do_not_see_boards_they_do_not_facilitate(client, board):
    client.force_login(make_user("atelier"))
    assert client.get(_detail(board)).status_code == 404
    assert client.get(reverse("soundboard:board-list")).status_code == 403


def test_coach_facilitator_edits_but_another_coach_only_reads(client, board, facilitator):
    meeting = make_meeting(board)
    url = reverse("soundboard:feedback-create", args=[meeting.pk])
    client.force_login(make_user("coach"))
    assert client.get(_detail(board)).status_code == 200
    assert client.post(url, {"words": "x", "topic": "other"}).status_code == 403
    client.force_login(facilitator)
    assert client.post(url, {"words": "x", "topic": "other"}).status_code == 302


def test_host_reads_the_board_without_edit_buttons(client, board):
    client.force_login(make_user("host"))
    response = client.get(_detail(board))
    assert response.status_code == 200
    assert "Add a member" not in response.content.decode()
    assert reverse("soundboard:member-add", args=[board.slug]) not in response.content.decode()


def test_partner_sees_only_boards_their_organisation_takes_part_in(client):
    partner = make_partner()
    theirs = make_board("Theirs", partners=[partner])
    other = make_board("Other", partners=[make_partner()])
    client.force_login(make_user("partner", partner=partner))
    listing = client.get(reverse("soundboard:board-list")).content.decode()
    assert "Theirs" in listing and "Other" not in listing
    assert client.get(_detail(theirs)).status_code == 200
    assert client.get(_detail(other)).status_code == 404
    item = make_item(other)
    assert client.get(reverse("soundboard:item-detail", args=[item.pk])).status_code == 404


def test_partner_user_does_not_see_resident_members_names(client):
    partner = make_partner()
    board = make_board(partners=[partner])
    member = make_member(board)
    client.force_login(make_user("partner", partner=partner))
    assert member.resident.last_name not in client.get(_detail(board)).content.decode()


def test_only_a_coordinator_may_rebuild_a_digest(client, board, facilitator):
    meeting = make_meeting(board, timezone.now() + timedelta(days=3))
    url = reverse("soundboard:digest-build", args=[meeting.pk])
    client.force_login(facilitator)
    assert client.post(url).status_code == 302  # building the first one is fine
    assert client.post(url).status_code == 403
    client.force_login(make_user("coordinator"))
    assert client.post(url).status_code == 302
    assert meeting.digests.get().rebuilt_count == 1


# --- Meeting page -----------------------------------------------------------


def test_attendance_toggle_over_htmx_returns_the_button_fragment(client, board, facilitator):
    meeting, member = make_meeting(board), make_member(board)
    client.force_login(facilitator)
    response = client.post(
        reverse("soundboard:attendance-toggle", args=[meeting.pk, member.pk]),
        {"present": "1"}, HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'aria-pressed="true"' in body
    assert Attendance.objects.filter(meeting=meeting, member=member).exists()


def test_feedback_captured_over_htmx_returns_the_list_and_a_fresh_form(client, board,
                                                                       facilitator):
    meeting = make_meeting(board)
    client.force_login(facilitator)
    response = client.post(
        reverse("soundboard:feedback-create", args=[meeting.pk]),
        {"words": "De bib is op zaterdag dicht", "topic": "place", "about": "Bibliotheek"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "De bib is op zaterdag dicht" in body
    assert "autofocus" in body
    item = FeedbackItem.objects.get()
    assert item.raised_at == meeting and item.about == "Bibliotheek"


def test_empty_feedback_shows_the_error_next_to_the_field_and_saves_nothing(
    client, board, facilitator
):
    meeting = make_meeting(board)
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:feedback-create", args=[meeting.pk]),
                           {"words": "", "topic": "place"})
    assert response.status_code == 400
    assert 'id="id_words_error"' in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_told_back_marks_the_ticked_items(client, board, facilitator):
    meeting = make_meeting(board)
    item = answer_feedback(actor=None, item=make_item(board), status="planned", answer="x")
    client.force_login(facilitator)
    client.post(reverse("soundboard:told-back", args=[meeting.pk]), {"items": [item.pk]})
    item.refresh_from_db()
    assert item.told_back_at == meeting


def test_meeting_on_a_holiday_is_refused_next_to_the_date(client, board, facilitator):
    from points.models import Closure

    day = timezone.localdate() + timedelta(days=30)
    Closure.objects.create(point=None, starts_on=day, ends_on=day, reason="Feestdag")
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:meeting-create", args=[board.slug]),
                           {"day": day.isoformat(), "time": "14:00", "venue": "Zaal"})
    assert response.status_code == 200
    assert 'id="id_day_error"' in response.content.decode()
    assert not board.meetings.exists()


def test_plan_next_meeting_button_plans_it(client, board, facilitator):
    make_meeting(board, timezone.now() - timedelta(days=2), point=make_point())
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:meeting-plan-next", args=[board.slug]))
    assert response.status_code == 302
    assert board.meetings.count() == 2


# --- Item page --------------------------------------------------------------


def test_not_taken_up_without_reason_shows_an_error_and_keeps_the_status(
    client, board, facilitator
):
    item = make_item(board)
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:item-answer", args=[item.pk]),
                           {"status": "not_taken_up", "answer": ""})
    assert response.status_code == 400
    assert 'id="id_answer_error"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == FeedbackStatus.NEW


def test_item_page_shows_the_timeline_with_steps(client, board, facilitator):
    item = make_item(board, "Te weinig plaatsen in Battel")
    answer_feedback(actor=facilitator, item=item, status="planned", answer="We zoeken een zaal")
    record_step(actor=facilitator, title="Nieuw digibankpunt in Battel geopend",
                taken_on=timezone.localdate(), items=[item])
    client.force_login(make_user("host"))
    body = client.get(reverse("soundboard:item-detail", args=[item.pk])).content.decode()
    assert "We zoeken een zaal" in body
    assert body.count("Nieuw digibankpunt in Battel geopend") == 2  # steps and timeline


def test_step_form_links_the_ticked_feedback(client, board, facilitator):
    item = make_item(board)
    client.force_login(facilitator)
    client.post(reverse("soundboard:step-create", args=[board.slug]), {
        "title": "Zaterdagvoormiddag open in de bibliotheek",
        "taken_on": timezone.localdate().isoformat(), "is_public": "on", "items": [item.pk],
    })
    assert item.steps.get().title == "Zaterdagvoormiddag open in de bibliotheek"


def test_member_is_added_from_a_search(client, board, facilitator):
    from tests.factories import make_resident

    resident = make_resident("Josée", "Van den Bossche")
    client.force_login(facilitator)
    url = reverse("soundboard:member-add", args=[board.slug])
    assert "Van den Bossche" in client.get(url, {"q": "Bossche"}).content.decode()
    response = client.post(url + "?q=Bossche", {
        "resident": resident.pk, "joined_on": timezone.localdate().isoformat(),
        "contact_by": "post", "needs_hearing_loop": "on",
    })
    assert response.status_code == 302
    assert board.members.get().needs_hearing_loop


def test_member_form_without_resident_or_organisation_explains_what_to_do(
    client, board, facilitator
):
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:member-add", args=[board.slug]), {
        "joined_on": timezone.localdate().isoformat(), "contact_by": "post"})
    assert response.status_code == 200
    assert 'id="id_resident_error"' in response.content.decode()
    assert not board.members.exists()


# --- Digest pages -------------------------------------------------------------


def test_easy_read_sheet_renders_you_said_we_did_without_internal_steps(client, board):
    meeting = make_meeting(board, timezone.now() + timedelta(days=5))
    item = answer_feedback(actor=None, item=make_item(board, "De bus stopt te ver"),
                           status="done", answer="De halte is verplaatst")
    record_step(actor=None, title="Intern budget gevraagd", taken_on=timezone.localdate(),
                boards=[board], is_public=False)
    digest = build_digest(meeting=meeting)
    client.force_login(make_user("host"))
    body = client.get(reverse("soundboard:digest-sheet", args=[digest.pk])).content.decode()
    assert "Jullie zeiden" in body and "Wij deden" in body
    assert item.words in body and "De halte is verplaatst" in body
    assert "Intern budget gevraagd" not in body


def test_easy_read_sheet_in_english_on_request(client, board):
    meeting = make_meeting(board, timezone.now() + timedelta(days=5))
    make_item(board)
    digest = build_digest(meeting=meeting)
    client.force_login(make_user("host"))
    url = reverse("soundboard:digest-sheet", args=[digest.pk])
    body = client.get(url, {"taal": "en"}).content.decode()
    assert "You said" in body and "We did" in body


# --- Query counts ---------------------------------------------------------------


def _grow(count: int):
    facilitator = make_user("coach")
    for n in range(count):
        board = make_board(f"Board {n} {count}", facilitator=facilitator)
        meeting = make_meeting(board, timezone.now() - timedelta(days=10))
        make_member(board)
        item = make_item(board, meeting=meeting)
        if n % 2:
            answer_feedback(actor=None, item=item, status="planned", answer="ok")
    return board, meeting


def _board_with(count: int):
    board = make_board(f"Big {count}")
    meeting = make_meeting(board, timezone.now() - timedelta(days=1))
    for n in range(count):
        make_member(board)
        item = make_item(board, f"Item {n}", meeting=meeting)
        if n % 3 == 0:
            answer_feedback(actor=None, item=item, status="planned", answer="ok")
    record_step(actor=None, title="Stap", taken_on=timezone.localdate(), boards=[board])
    return board, meeting


@pytest.mark.parametrize("count", [5, 60])
def test_board_list_query_count_stays_flat(client, django_assert_max_num_queries, count):
    _grow(count)
    client.force_login(make_user("coordinator"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("soundboard:board-list")).status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_overview_query_count_stays_flat(client, django_assert_max_num_queries, count):
    _grow(count)
    client.force_login(make_user("coordinator"))
    # Every item, filtered and 50 a page: its count and its page, two more.
    with django_assert_max_num_queries(9 + 2):
        assert client.get(reverse("soundboard:overview")).status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_board_page_query_count_stays_flat(client, django_assert_max_num_queries, count):
    board, _meeting = _board_with(count)
    client.force_login(make_user("coordinator"))
    with django_assert_max_num_queries(16):
        assert client.get(_detail(board)).status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_meeting_page_query_count_stays_flat(client, django_assert_max_num_queries, count):
    board, meeting = _board_with(count)
    client.force_login(make_user("coordinator"))
    url = reverse("soundboard:meeting-detail", args=[meeting.pk])
    # 20: two more than before for the training and loan-plan choices of the form.
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_digest_pages_query_count_stays_flat(client, django_assert_max_num_queries, count):
    board, _meeting = _board_with(count)
    digest = build_digest(meeting=make_meeting(board, timezone.now() + timedelta(days=3)))
    client.force_login(make_user("coordinator"))
    for name in ("soundboard:digest-detail", "soundboard:digest-sheet"):
        # (One more: the meeting after this one, for "next time".)
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name, args=[digest.pk])).status_code == 200


def test_member_leaving_keeps_the_history_and_is_audited(client, board, facilitator):
    from digibank.models import AuditEvent

    member = make_member(board)
    client.force_login(facilitator)
    client.post(reverse("soundboard:member-leave", args=[member.pk]))
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    assert AuditEvent.objects.filter(resident=member.resident, actor=facilitator).exists()
    assert not board.members.current().exists()


def test_empty_agenda_is_suggested_from_open_feedback(client, board, facilitator):
    meeting = make_meeting(board, timezone.now() + timedelta(days=3))
    make_item(board, "Niemand weet waar het punt is", about="Wegwijzers")
    answer_feedback(actor=None, item=make_item(board, about="Zaterdag"), status="planned",
                    answer="Vanaf maart")
    client.force_login(facilitator)
    body = client.get(reverse("soundboard:meeting-detail", args=[meeting.pk])).content.decode()
    agenda = body[body.index('name="agenda"'):]
    assert agenda.index("Zaterdag") < agenda.index("Wegwijzers")


def test_step_can_be_told_to_other_boards_too(client, board, facilitator):
    other = make_board("Klankbord ouders")
    client.force_login(facilitator)
    client.post(reverse("soundboard:step-create", args=[board.slug]), {
        "title": "Digibankpunten ook open in de kerstvakantie",
        "taken_on": timezone.localdate().isoformat(), "other_boards": [other.pk],
    })
    step = board.steps.get()
    assert set(step.boards.all()) == {board, other}
    assert not step.is_public


def test_digest_page_lists_how_each_member_hears_it(client, board):
    from tests.factories import make_resident

    by_post = make_member(board, make_resident("Jan", "Post"), contact_by="post")
    by_mail = make_member(board, make_resident("Eva", "Mail", email="eva@example.org"),
                          contact_by="email")
    no_address = make_member(board, make_resident("Piet", "Zonder"), contact_by="email")
    digest = build_digest(meeting=make_meeting(board, timezone.now() + timedelta(days=3)))
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("soundboard:digest-detail", args=[digest.pk]))
    channels = {d.member: d.get_channel_display() for d in response.context["deliveries"]}
    assert channels == {by_post: "Afgedrukt blad in eenvoudige taal", by_mail: "E-mail",
                        no_address: "Afgedrukt blad in eenvoudige taal"}
    body = " ".join(response.content.decode().split())
    assert "<td>Eva Mail</td><td>E-mail</td>" in body


def test_facilitator_moves_a_planned_meeting_to_a_partner_venue(client, board, facilitator):
    from tests.factories import make_partner

    meeting = make_meeting(board, timezone.now() + timedelta(days=10))
    partner = make_partner("Wijkcentrum De Schakel")
    day = timezone.localdate() + timedelta(days=12)
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:meeting-edit", args=[meeting.pk]), {
        "day": day.isoformat(), "time": "10:00", "venue_partner": partner.pk, "venue": ""})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).date() == day
    assert meeting.place == "Wijkcentrum De Schakel"


def test_facilitator_changes_a_members_needs_and_it_is_audited(client, board, facilitator):
    from digibank.models import AuditEvent

    member = make_member(board)
    client.force_login(facilitator)
    response = client.post(reverse("soundboard:member-edit", args=[member.pk]), {
        "contact_by": "post", "interpreter_language": "uk", "needs_hearing_loop": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.contact_by, member.interpreter_language) == ("post", "uk")
    assert member.needs_hearing_loop and not member.needs_easy_read
    event = AuditEvent.objects.get(resident=member.resident, actor=facilitator)
    assert "interpreter_language" in event.detail["fields"]


def test_feedback_can_name_the_training_and_the_loan_plan_it_is_about(client, board, facilitator):
    from devices.models import SubscriptionPlan
    from tests.trainings.factories import make_course

    course = make_course("Werken met itsme")
    plan = SubscriptionPlan.objects.create(name="Basis", monthly_fee=0, deposit=0)
    meeting = make_meeting(board)
    client.force_login(facilitator)
    client.post(reverse("soundboard:feedback-create", args=[meeting.pk]), {
        "words": "De les gaat te snel en de laptop is traag", "topic": "initiative",
        "course": course.pk, "device_plan": plan.pk,
    })
    item = board.items.get()
    assert (item.course, item.device_plan) == (course, plan)
    body = client.get(reverse("soundboard:item-detail", args=[item.pk])).content.decode()
    assert "Werken met itsme" in body and "Basis" in body

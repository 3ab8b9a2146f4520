"""Guidance: meetings within the trajectory, notes corrected with their
history, a warning (not a refusal) for a second open trajectory."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_resident, make_user
from tests.trainings.factories import make_guidance
from trainings.models import Guidance, GuidanceMeeting
from trainings.services import TrainingError, add_guidance_meeting, edit_guidance_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _guidance(days_ago=30, **fields):
    coach = make_user("coach")
    return make_guidance(make_resident(), coach,
                         opened_on=TODAY() - timedelta(days=days_ago), **fields), coach


def test_a_meeting_before_the_trajectory_started_is_refused():
    guidance, coach = _guidance(days_ago=10)
    with pytest.raises(TrainingError, match="niet vóór"):
        add_guidance_meeting(actor=coach, guidance=guidance,
                             held_on=TODAY() - timedelta(days=11), note="Te vroeg")
    assert not guidance.meetings.exists()


def test_a_meeting_on_the_first_day_of_the_trajectory_is_fine():
    guidance, coach = _guidance(days_ago=10)
    meeting = add_guidance_meeting(actor=coach, guidance=guidance,
                                   held_on=TODAY() - timedelta(days=10), note="Kennismaking")
    assert meeting.pk


def test_coach_sees_the_refusal_next_to_the_date_field(client):
    guidance, coach = _guidance(days_ago=10)
    client.force_login(coach)
    response = client.post(reverse("trainings:guidance-detail", args=[guidance.pk]), {
        "held_on": (TODAY() - timedelta(days=20)).isoformat(), "note": "Te vroeg"})
    assert response.status_code == 200
    [error] = response.context["form"].errors["held_on"]
    assert "Een gesprek valt binnen het traject" in error


def test_a_correction_keeps_the_earlier_note_in_the_history():
    guidance, coach = _guidance()
    meeting = add_guidance_meeting(actor=coach, guidance=guidance, held_on=TODAY(),
                                   note="Bankap geinstaleerd")
    other = make_user("coach")
    edit_guidance_meeting(actor=other, meeting=meeting, held_on=TODAY() - timedelta(days=1),
                          note="Bankapp geïnstalleerd.")
    meeting.refresh_from_db()
    assert meeting.note == "Bankapp geïnstalleerd."
    [edit] = meeting.edits.all()
    assert (edit.previous_note, edit.previous_held_on, edit.actor) == (
        "Bankap geinstaleerd", TODAY(), other)


def test_a_correction_that_changes_nothing_records_nothing():
    guidance, coach = _guidance()
    meeting = add_guidance_meeting(actor=coach, guidance=guidance, held_on=TODAY(), note="Goed")
    edit_guidance_meeting(actor=coach, meeting=meeting, held_on=TODAY(), note="Goed ")
    assert not meeting.edits.exists()


def test_a_correction_keeps_the_date_within_a_closed_trajectory():
    guidance, coach = _guidance(days_ago=30)
    meeting = GuidanceMeeting.objects.create(guidance=guidance, coach=coach, note="Goed",
                                             held_on=TODAY() - timedelta(days=20))
    Guidance.objects.filter(pk=guidance.pk).update(
        status="closed", outcome="reached", closed_on=TODAY() - timedelta(days=5))
    with pytest.raises(TrainingError, match="afgesloten"):
        edit_guidance_meeting(actor=coach, meeting=meeting, held_on=TODAY(), note="Goed")


def test_coach_corrects_a_note_and_the_page_shows_the_earlier_version(client):
    guidance, coach = _guidance()
    meeting = add_guidance_meeting(actor=coach, guidance=guidance, held_on=TODAY(),
                                   note="Eerste versie")
    client.force_login(coach)
    response = client.post(reverse("trainings:meeting-edit", args=[meeting.pk]), {
        "held_on": TODAY().isoformat(), "note": "Tweede versie"})
    assert response.status_code == 302
    content = client.get(reverse("trainings:guidance-detail", args=[guidance.pk])
                         ).content.decode()
    assert "Tweede versie" in content and "Eerste versie" in content
    assert "1 keer verbeterd" in content


def test_another_coach_cannot_correct_a_meeting(client):
    guidance, coach = _guidance()
    meeting = add_guidance_meeting(actor=coach, guidance=guidance, held_on=TODAY(), note="Goed")
    client.force_login(make_user("coach"))
    response = client.post(reverse("trainings:meeting-edit", args=[meeting.pk]), {
        "held_on": TODAY().isoformat(), "note": "Anders"})
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.note == "Goed"


def test_a_second_open_trajectory_is_warned_about_but_allowed(client):
    resident = make_resident("Maria", "Peeters")
    make_guidance(resident, make_user("coach", first_name="Karim", last_name="Benali"),
                  goal="Online bankieren")
    coach = make_user("coach")
    client.force_login(coach)
    url = reverse("trainings:guidance-create") + f"?inwoner={resident.pk}"
    page = client.get(url).content.decode()
    assert "Maria Peeters heeft al een open traject" in page and "Karim Benali" in page
    response = client.post(url, {"goal": "Een cv maken"}, follow=True)
    assert resident.guidances.filter(status="open").count() == 2
    assert "Maria Peeters heeft nu 2 open trajecten" in response.content.decode()


def test_guidance_page_query_count_does_not_grow_with_corrections(
    client, django_assert_max_num_queries
):
    guidance, coach = _guidance()
    client.force_login(coach)
    meeting = add_guidance_meeting(actor=coach, guidance=guidance, held_on=TODAY(), note="A")
    url = reverse("trainings:guidance-detail", args=[guidance.pk])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(10):
        edit_guidance_meeting(actor=coach, meeting=meeting, held_on=TODAY(), note=f"v{n}")
        add_guidance_meeting(actor=coach, guidance=guidance, held_on=TODAY(), note=f"m{n}")
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_text_inputs_of_the_training_forms_carry_their_maximum_length():
    from trainings.forms import GuidanceForm, MeetingForm, WalkInForm

    for form_class, field, length in ((GuidanceForm, "goal", 300), (MeetingForm, "note", 1000),
                                      (WalkInForm, "first_name", 80)):
        form = form_class(**({"user": make_user("coordinator")} if form_class is GuidanceForm
                             else {}))
        assert f'maxlength="{length}"' in str(form[field]), (form_class, field)

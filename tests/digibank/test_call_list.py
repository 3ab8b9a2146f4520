from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import CallResult, CallStatus, CallTask, Notification, NotificationChannel
from digibank.services import (
    CallError,
    cancel_call_tasks,
    notify_resident,
    record_call_result,
    register_call_handler,
)
from tests.factories import make_call_task, make_point, make_resident, make_user

pytestmark = pytest.mark.django_db


def _notify(resident, source, **kwargs):
    return notify_resident(
        resident=resident, kind="reminder", source=source,
        subject="Reminder", message="Tomorrow at 10:00", **kwargs,
    )


def test_resident_with_e_mail_gets_an_e_mail(mailoutbox, django_capture_on_commit_callbacks):
    resident = make_resident(email="maria@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(resident, source=resident)
    assert notification.channel == NotificationChannel.EMAIL
    assert [mail.to for mail in mailoutbox] == [["maria@example.org"]]
    notification.refresh_from_db()
    assert notification.sent_at is not None


def test_resident_without_e_mail_lands_on_the_points_call_list(mailoutbox):
    point = make_point()
    resident = make_resident(phone="0470123456")
    _notify(resident, source=resident, point=point)
    task = CallTask.objects.get()
    assert (task.resident, task.point, task.subject) == (resident, point, "Reminder")
    assert task.source == resident
    assert mailoutbox == []


def test_the_same_message_about_the_same_thing_is_recorded_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    resident = make_resident(email="maria@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(resident, source=resident) is not None
        assert _notify(resident, source=resident) is None
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1


def test_message_is_written_in_the_residents_language():
    from django.utils.translation import gettext_lazy as _

    resident = make_resident(language="en")
    notify_resident(resident=resident, kind="k", source=resident,
                    subject=_("Call list"), message=_("Call list"))
    assert CallTask.objects.get().subject == "Call list"
    other = make_resident(language="ar")
    notify_resident(resident=other, kind="k", source=other,
                    subject=_("Call list"), message=_("Call list"))
    assert CallTask.objects.get(resident=other).subject == "Bel-lijst"


def test_not_reached_keeps_the_call_open_for_the_chosen_day():
    task = make_call_task()
    later = timezone.localdate() + timedelta(days=3)
    record_call_result(actor=make_user("host"), task=task, result=CallResult.NOT_REACHED,
                       try_again_on=later)
    task.refresh_from_db()
    assert (task.status, task.due_on, task.attempts) == (CallStatus.OPEN, later, 1)


def test_not_reached_without_a_day_tries_again_tomorrow():
    task = make_call_task()
    record_call_result(actor=make_user("host"), task=task, result=CallResult.NOT_REACHED)
    task.refresh_from_db()
    assert task.due_on == timezone.localdate() + timedelta(days=1)


def test_reached_closes_the_call():
    task = make_call_task()
    record_call_result(actor=make_user("host"), task=task, result=CallResult.REACHED)
    task.refresh_from_db()
    assert (task.status, task.result) == (CallStatus.DONE, CallResult.REACHED)


def test_a_handled_call_cannot_be_recorded_twice():
    task = make_call_task(status=CallStatus.DONE)
    with pytest.raises(CallError):
        record_call_result(actor=make_user("host"), task=task, result=CallResult.REACHED)


def test_try_again_day_in_the_past_is_refused():
    task = make_call_task()
    with pytest.raises(CallError):
        record_call_result(actor=make_user("host"), task=task, result=CallResult.NOT_REACHED,
                           try_again_on=timezone.localdate() - timedelta(days=1))


def test_registered_handler_hears_the_result_of_its_kind():
    heard = []
    register_call_handler("test-kind", lambda task, actor: heard.append((task.pk, actor)))
    task = make_call_task(kind="test-kind")
    host = make_user("host")
    record_call_result(actor=host, task=task, result=CallResult.DECLINED)
    assert heard == [(task.pk, host)]


def test_cancelling_takes_a_resident_off_every_call_list():
    resident = make_resident()
    make_call_task(resident)
    make_call_task(resident, kind="other")
    assert cancel_call_tasks(resident=resident) == 2
    assert not CallTask.objects.open().exists()


def test_host_sees_the_calls_of_the_point_they_work_at_only(client):
    mine, other = make_point("Mine"), make_point("Other")
    client.force_login(make_user("host", points=[mine]))
    make_call_task(make_resident("Maria", "Mine"), point=mine)
    make_call_task(make_resident("Jan", "Other"), point=other)
    body = client.get(reverse("call-list")).content.decode()
    assert "Maria Mine" in body
    assert "Jan Other" not in body


def test_calls_planned_for_later_are_not_on_todays_list(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    make_call_task(make_resident("Later", "Person"), point=point,
                   due_on=timezone.localdate() + timedelta(days=2))
    assert "Later Person" not in client.get(reverse("call-list")).content.decode()


def test_host_cannot_record_a_call_of_another_point(client):
    mine, other = make_point("Mine"), make_point("Other")
    client.force_login(make_user("host", points=[mine]))
    task = make_call_task(point=other)
    response = client.post(reverse("call-record", args=[task.pk]),
                           {f"call{task.pk}-result": "reached"})
    assert response.status_code == 404


def test_recording_a_call_with_htmx_returns_the_row(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    task = make_call_task(point=point)
    response = client.post(reverse("call-record", args=[task.pk]),
                           {f"call{task.pk}-result": "reached"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'id="call-{task.pk}"' in body
    assert "<html" not in body
    task.refresh_from_db()
    assert task.status == CallStatus.DONE


def test_recording_without_a_result_explains_in_dutch(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    task = make_call_task(point=point)
    response = client.post(reverse("call-record", args=[task.pk]), {})
    assert response.status_code == 400
    assert "Kies het resultaat van de oproep." in response.content.decode()


@pytest.mark.parametrize("rows", [5, 200])
def test_call_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, rows
):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    resident = make_resident()
    CallTask.objects.bulk_create(
        CallTask(resident=resident, point=point, kind="k", subject="s", message="m")
        for _ in range(rows)
    )
    with django_assert_max_num_queries(10):
        client.get(reverse("call-list"))


def test_resident_who_withdrew_consent_to_be_contacted_is_not_put_on_a_call_list():
    from digibank.models import ConsentPurpose
    from tests.factories import make_consent

    resident = make_resident(phone="0470123456")
    make_consent(resident, ConsentPurpose.CONTACT, given_on=timezone.localdate(),
                 withdrawn_on=timezone.localdate())
    assert _notify(resident, source=resident, point=make_point()) is not None
    assert not CallTask.objects.exists()


def test_new_consent_after_a_withdrawal_allows_calls_again():
    from digibank.models import ConsentPurpose
    from tests.factories import make_consent

    resident = make_resident(phone="0470123456")
    today = timezone.localdate()
    make_consent(resident, ConsentPurpose.CONTACT, given_on=today - timedelta(days=9),
                 withdrawn_on=today - timedelta(days=5))
    make_consent(resident, ConsentPurpose.CONTACT, given_on=today - timedelta(days=1))
    _notify(resident, source=resident, point=make_point())
    assert CallTask.objects.count() == 1


def test_call_list_shows_no_english_label_of_its_hidden_field(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    CallTask.objects.create(resident=make_resident(), point=point, kind="k", subject="Bel terug",
                            message="m")
    body = client.get(reverse("call-list")).content.decode()
    assert "Bel terug" in body and "Seen attempts" not in body


def test_footer_names_each_language_in_that_language(client):
    body = client.get(reverse("home")).content.decode()
    assert '<option value="en" lang="en">English</option>' in body
    assert 'lang="nl" selected>Nederlands</option>' in body

"""Today's weekly series become series (course runs) to enrol in once.

Before, "Number of weeks: 4" planned four unrelated sessions. They are
recognised by what planning gave them: the same course, place, room,
trainer, places and hours, one week apart (same local weekday and time), and
created together (within a minute). Each such chain of two or more sessions
becomes one ``CourseRun``. A resident who holds a seat in every session of
the chain gets one series enrolment holding those seats; everyone else
keeps the places they had, as single-session enrolments.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

SEATED = ("enrolled", "attended", "no_show")
CREATED_TOGETHER = timedelta(minutes=1)


def _key(session):
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return (session.course_id, session.point_id, session.venue_id, session.room,
            session.trainer_id, session.capacity, start.weekday(), start.time(), end.time())


def _chains(sessions):
    """Group sessions into chains of one-week steps planned together."""
    groups = {}
    for session in sessions:
        groups.setdefault(_key(session), []).append(session)
    for group in groups.values():
        group.sort(key=lambda s: s.starts_at)
        chain = [group[0]]
        for session in group[1:]:
            previous = chain[-1]
            step = (timezone.localtime(session.starts_at).date()
                    - timezone.localtime(previous.starts_at).date())
            if (step == timedelta(weeks=1)
                    and abs(session.created_at - chain[0].created_at) <= CREATED_TOGETHER):
                chain.append(session)
            else:
                if len(chain) > 1:
                    yield chain
                chain = [session]
        if len(chain) > 1:
            yield chain


def forwards(apps, schema_editor):
    Session = apps.get_model("trainings", "Session")
    CourseRun = apps.get_model("trainings", "CourseRun")
    Enrolment = apps.get_model("trainings", "Enrolment")
    RunEnrolment = apps.get_model("trainings", "RunEnrolment")
    RunEnrolmentEvent = apps.get_model("trainings", "RunEnrolmentEvent")
    sessions = Session.objects.filter(run__isnull=True).order_by("starts_at", "pk")
    for chain in _chains(list(sessions)):
        run = CourseRun.objects.create(course_id=chain[0].course_id,
                                       created_at=chain[0].created_at)
        ids = [s.pk for s in chain]
        Session.objects.filter(pk__in=ids).update(run=run)
        seats = {}
        for enrolment in Enrolment.objects.filter(session__in=ids, status__in=SEATED):
            seats.setdefault(enrolment.resident_id, []).append(enrolment)
        for resident_id, held in seats.items():
            if len(held) != len(ids):
                continue
            first = min(held, key=lambda e: (e.created_at, e.pk))
            run_enrolment = RunEnrolment.objects.create(
                run=run, resident_id=resident_id, status="enrolled", channel=first.channel,
                enrolled_by_id=first.enrolled_by_id, point_id=first.point_id,
                created_at=first.created_at)
            RunEnrolmentEvent.objects.create(enrolment=run_enrolment, at=first.created_at,
                                             to_status="enrolled")
            Enrolment.objects.filter(pk__in=[e.pk for e in held]).update(
                run_enrolment=run_enrolment)


def backwards(apps, schema_editor):
    Session = apps.get_model("trainings", "Session")
    Enrolment = apps.get_model("trainings", "Enrolment")
    CourseRun = apps.get_model("trainings", "CourseRun")
    RunEnrolment = apps.get_model("trainings", "RunEnrolment")
    Enrolment.objects.update(run_enrolment=None)
    RunEnrolment.objects.all().delete()
    Session.objects.update(run=None)
    CourseRun.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("trainings", "0002_course_runs")]

    operations = [migrations.RunPython(forwards, backwards)]

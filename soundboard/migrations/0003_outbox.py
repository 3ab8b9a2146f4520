from django.db import migrations
from django.db.models import Q


def keep_sent_digests_sent(apps, schema_editor):
    # A digest e-mailed before the outbox stays "sent" (and is not sent again
    # when rebuilt): one sent outbox row per address it went to.
    Digest = apps.get_model("soundboard", "Digest")
    OutboxEmail = apps.get_model("digibank", "OutboxEmail")
    User = apps.get_model("digibank", "User")
    for digest in Digest.objects.filter(sent_at__isnull=False).select_related("meeting__board"):
        board = digest.meeting.board
        addresses = set(User.objects.filter(
            Q(pk=board.facilitator_id) | Q(groups__name="coordinator"), is_active=True,
        ).exclude(email="").values_list("email", flat=True))
        for address in addresses:
            OutboxEmail.objects.get_or_create(
                topic=f"soundboard.digest:{digest.meeting_id}", to=address,
                defaults={"subject": "", "body": "", "sent_at": digest.sent_at,
                          "next_attempt_at": digest.sent_at})


class Migration(migrations.Migration):

    dependencies = [
        ("soundboard", "0002_feedback_course_and_plan"),
        ("digibank", "0008_outbox"),
    ]

    operations = [
        migrations.RunPython(keep_sent_digests_sent, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="digest",
            name="sent_at",
        ),
    ]

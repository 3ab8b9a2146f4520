from django.conf import settings
from django.db import migrations


def merge_open_topic_duplicates(apps, schema_editor):
    """Before the database refuses them: merge each resident's open interest
    entries for the same topic (no training chosen) into the first one,
    which keeps the earliest date and takes over a preferred point and a
    "told about a place" the others had; the others are removed."""
    InterestEntry = apps.get_model("trainings", "InterestEntry")
    kept = {}
    for entry in (InterestEntry.objects.filter(closed_at__isnull=True, course__isnull=True)
                  .order_by("created_at", "pk")):
        first = kept.setdefault((entry.resident_id, entry.topic_id), entry)
        if first is entry:
            continue
        changed = []
        for field in ("point_id", "registered_by_id", "told_at", "offered_session_id"):
            if getattr(first, field) is None and getattr(entry, field) is not None:
                setattr(first, field, getattr(entry, field))
                changed.append(field.removesuffix("_id"))
        if changed:
            first.save(update_fields=changed)
        entry.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('digibank', '0009_resident_search_columns'),
        ('points', '0011_closure_no_overlap'),
        ('trainings', '0007_guidance_meeting_edits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_open_topic_duplicates, migrations.RunPython.noop),
    ]

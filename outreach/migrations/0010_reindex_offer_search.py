"""The stored search text now holds each word's key (outreach.search.dutch_key)
and hyphenated words joined and split: rebuild it for every offer."""

from django.db import migrations


def reindex(apps, schema_editor):
    from outreach.search import index_offers

    index_offers(apps.get_model("outreach", "Offer").objects.using(
        schema_editor.connection.alias).all())


class Migration(migrations.Migration):
    dependencies = [("outreach", "0009_offer_schedule_limits_and_version")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]

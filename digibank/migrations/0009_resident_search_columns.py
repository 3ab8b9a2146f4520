"""The search, name-key and E.164 phone columns of residents (see
digibank/matching.py), filled for every resident, with trigram indexes on
PostgreSQL so a search for any part of a name or number uses an index."""

from django.db import migrations, models

from digibank import matching

BATCH = 2000


def fill_columns(apps, schema_editor):
    Resident = apps.get_model("digibank", "Resident")
    batch = []
    for resident in Resident.objects.order_by("pk").iterator(chunk_size=BATCH):
        resident.search_name = matching.search_name(resident.first_name, resident.last_name)
        resident.name_key = matching.identity_name(resident.first_name, resident.last_name)[:200]
        phone = resident.phone
        # Numbers stored before as digits without their "+" (31612345678).
        resident.phone_e164 = matching.phone_e164(phone) or (
            matching.phone_e164(f"+{phone}") if phone and not phone.startswith("0") else "")
        batch.append(resident)
        if len(batch) >= BATCH:
            Resident.objects.bulk_update(batch, ["search_name", "name_key", "phone_e164"])
            batch = []
    if batch:
        Resident.objects.bulk_update(batch, ["search_name", "name_key", "phone_e164"])


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite scans; fine for a development database
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resident_search_name_trgm ON digibank_resident "
        "USING gin (search_name gin_trgm_ops)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resident_phone_e164_trgm ON digibank_resident "
        "USING gin (phone_e164 gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS resident_search_name_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS resident_phone_e164_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('digibank', '0009_rollup_moves_to_dashboard'),
    ]

    operations = [
        migrations.AddField(
            model_name='resident',
            name='name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200, verbose_name='name key'),
        ),
        migrations.AddField(
            model_name='resident',
            name='phone_e164',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=16, verbose_name='phone (E.164)'),
        ),
        migrations.AddField(
            model_name='resident',
            name='search_name',
            field=models.CharField(blank=True, editable=False, max_length=400, verbose_name='search name'),
        ),
        migrations.RunPython(fill_columns, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]

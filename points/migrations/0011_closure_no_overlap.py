from django.db import migrations

# Two closures of the same point (or two city-wide holidays, point NULL read
# as 0) may not share a day. Range types index with GiST without the
# btree_gist extension, so the point is compared as a one-value range.
# SQLite has no exclusion constraints: there add_closure's check under the
# point lock is the only guard.
ADD = """
ALTER TABLE points_closure ADD CONSTRAINT closure_days_do_not_overlap
EXCLUDE USING gist (
    int8range(COALESCE(point_id, 0), COALESCE(point_id, 0), '[]') WITH &&,
    daterange(starts_on, ends_on, '[]') WITH &&
)
"""
DROP = "ALTER TABLE points_closure DROP CONSTRAINT IF EXISTS closure_days_do_not_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("points", "0010_deployment_version")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]

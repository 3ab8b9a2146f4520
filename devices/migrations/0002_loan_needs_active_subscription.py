"""PostgreSQL guard: a loan becomes reserved or issued only under an active
subscription. A check constraint cannot look at another table, so a trigger
does it; the services also lock the subscription row, and this catches any
write that bypasses them. SQLite (development) relies on the services."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION devices_loan_needs_active_subscription() RETURNS trigger AS $$
BEGIN
    IF NEW.status IN ('reserved', 'issued')
       AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
            OR OLD.subscription_id IS DISTINCT FROM NEW.subscription_id)
       AND NOT EXISTS (SELECT 1 FROM devices_subscription
                       WHERE id = NEW.subscription_id AND status = 'active') THEN
        RAISE EXCEPTION 'loan_needs_active_subscription' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER devices_loan_needs_active_subscription
BEFORE INSERT OR UPDATE ON devices_loan
FOR EACH ROW EXECUTE FUNCTION devices_loan_needs_active_subscription();

CREATE OR REPLACE FUNCTION devices_subscription_ends_without_loans() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'ended' AND OLD.status <> 'ended'
       AND EXISTS (SELECT 1 FROM devices_loan
                   WHERE subscription_id = NEW.id AND status = 'issued') THEN
        RAISE EXCEPTION 'subscription_ends_without_loans' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER devices_subscription_ends_without_loans
BEFORE UPDATE ON devices_subscription
FOR EACH ROW EXECUTE FUNCTION devices_subscription_ends_without_loans();
"""

DROP = """
DROP TRIGGER IF EXISTS devices_loan_needs_active_subscription ON devices_loan;
DROP FUNCTION IF EXISTS devices_loan_needs_active_subscription();
DROP TRIGGER IF EXISTS devices_subscription_ends_without_loans ON devices_subscription;
DROP FUNCTION IF EXISTS devices_subscription_ends_without_loans();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

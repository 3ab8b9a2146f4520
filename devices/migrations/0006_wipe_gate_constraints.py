"""The wipe gate in the database: a device is available only when wiped
since its last use; on its way, set aside or lent also when it goes back,
repaired, to the borrower whose data it holds."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("devices", "0005_set_data_state")]

    operations = [
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['ready', 'at_point']), _negated=True), ('data_state', 'wiped'), _connector='OR'), name='device_available_only_wiped'),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['in_transit', 'reserved', 'on_loan']), _negated=True), ('data_state__in', ['wiped', 'borrower']), _connector='OR'), name='device_lent_only_wiped_or_to_its_borrower'),
        ),
    ]

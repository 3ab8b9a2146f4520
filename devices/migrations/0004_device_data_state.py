
from django.db import migrations, models


class Migration(migrations.Migration):
    """What is known of the data on a device, and how many disks it has."""

    dependencies = [
        ('devices', '0003_retention_indexes'),
        ('points', '0007_retention_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='device',
            name='data_state',
            field=models.CharField(choices=[('unproven', 'No proven wipe since it was last used'), ('wiped', 'Wiped, unused since'), ('borrower', "Holds its borrower's data")], default='unproven', help_text="Kept by the atelier's wipe records; never set by hand.", max_length=10, verbose_name='data on the device'),
        ),
        migrations.AddField(
            model_name='device',
            name='storage_media',
            field=models.PositiveSmallIntegerField(default=1, help_text='How many disks or memory chips hold data: each needs its own wipe record.', verbose_name='storage media (disks)'),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(('storage_media__gte', 1)), name='device_has_a_storage_medium'),
        ),
    ]

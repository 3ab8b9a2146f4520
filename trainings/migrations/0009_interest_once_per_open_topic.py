from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from the merge before it: PostgreSQL creates no index in a
    transaction that still has deferred checks of the rows it removed."""

    dependencies = [
        ('trainings', '0008_merge_duplicate_topic_interests'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='interestentry',
            constraint=models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True), ('course__isnull', True)), fields=('resident', 'topic'), name='interest_once_per_open_topic'),
        ),
    ]

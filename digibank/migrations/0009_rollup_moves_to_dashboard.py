from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('digibank', '0008_outbox'),
    ]

    # The roll-up tables now belong to the dashboard app (dashboard/models.py,
    # which keeps their names with db_table): only Django's picture of the
    # models moves, the tables and their rows stay as they are.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.RemoveField(
                model_name='channeldayfigures',
                name='channel',
            ),
            migrations.RemoveField(
                model_name='channeldayfigures',
                name='point',
            ),
            migrations.RemoveField(
                model_name='demanddayfigures',
                name='point',
            ),
            migrations.RemoveField(
                model_name='demanddayfigures',
                name='resident_district',
            ),
            migrations.RemoveField(
                model_name='demanddayfigures',
                name='topic',
            ),
            migrations.DeleteModel(
                name='RollupDay',
            ),
            migrations.RemoveField(
                model_name='topicdayfigures',
                name='point',
            ),
            migrations.RemoveField(
                model_name='topicdayfigures',
                name='topic',
            ),
            migrations.RemoveField(
                model_name='visitdayfigures',
                name='point',
            ),
            migrations.DeleteModel(
                name='ChannelDayFigures',
            ),
            migrations.DeleteModel(
                name='DemandDayFigures',
            ),
            migrations.DeleteModel(
                name='TopicDayFigures',
            ),
            migrations.DeleteModel(
                name='VisitDayFigures',
            ),
            ],
        ),
    ]

import datetime
import django.db.models.deletion
from django.db import migrations, models

MODELS = ("rollupday", "visitdayfigures", "channeldayfigures", "topicdayfigures",
          "demanddayfigures")


def _relabel(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def _move_content_types(apps, schema_editor) -> None:
    _relabel(apps, "digibank", "dashboard")


def _move_content_types_back(apps, schema_editor) -> None:
    _relabel(apps, "dashboard", "digibank")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('digibank', '0009_rollup_moves_to_dashboard'),
        ('points', '0007_retention_indexes'),
    ]

    # The roll-up's tables were created by digibank (0006_dashboard_rollup)
    # and keep their names (db_table): only Django's picture of the models
    # moves here. Their content types follow, so permissions given on them
    # stay with them.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='RollupDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(unique=True, verbose_name='day')),
                        ('built_at', models.DateTimeField(blank=True, null=True, verbose_name='built')),
                    ],
                    options={
                        'verbose_name': 'rolled-up day',
                        'verbose_name_plural': 'rolled-up days',
                        'db_table': 'digibank_rollupday',
                        'ordering': ['day'],
                    },
                ),
                migrations.CreateModel(
                    name='ChannelDayFigures',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('visits', models.PositiveIntegerField(default=0, verbose_name='visits')),
                        ('channel', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.channel', verbose_name='channel')),
                        ('point', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.point', verbose_name='point')),
                    ],
                    options={
                        'verbose_name': 'channel figures of a day',
                        'verbose_name_plural': 'channel figures of days',
                        'db_table': 'digibank_channeldayfigures',
                        'indexes': [models.Index(fields=['day', 'point'], name='channelday_day_point')],
                    },
                ),
                migrations.CreateModel(
                    name='DemandDayFigures',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('visits', models.PositiveIntegerField(default=0, verbose_name='visits')),
                        ('point', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.point', verbose_name='point')),
                        ('resident_district', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='digibank.district', verbose_name="resident's district")),
                        ('topic', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.questiontopic', verbose_name='topic')),
                    ],
                    options={
                        'verbose_name': 'demand figures of a day',
                        'verbose_name_plural': 'demand figures of days',
                        'db_table': 'digibank_demanddayfigures',
                        'indexes': [models.Index(fields=['day', 'point'], name='demandday_day_point')],
                    },
                ),
                migrations.CreateModel(
                    name='TopicDayFigures',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('visits', models.PositiveIntegerField(default=0, verbose_name='visits')),
                        ('not_solved', models.PositiveIntegerField(default=0, verbose_name='could not be solved')),
                        ('point', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.point', verbose_name='point')),
                        ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.questiontopic', verbose_name='topic')),
                    ],
                    options={
                        'verbose_name': 'topic figures of a day',
                        'verbose_name_plural': 'topic figures of days',
                        'db_table': 'digibank_topicdayfigures',
                        'indexes': [models.Index(fields=['day', 'point'], name='topicday_day_point')],
                    },
                ),
                migrations.CreateModel(
                    name='VisitDayFigures',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('visits', models.PositiveIntegerField(default=0, verbose_name='visits')),
                        ('unidentified', models.PositiveIntegerField(default=0, verbose_name='without identification')),
                        ('left', models.PositiveIntegerField(default=0, verbose_name='left without help')),
                        ('solved_host', models.PositiveIntegerField(default=0, verbose_name='solved by the host')),
                        ('solved_coach', models.PositiveIntegerField(default=0, verbose_name='solved by a coach')),
                        ('training', models.PositiveIntegerField(default=0, verbose_name='training proposed')),
                        ('referred', models.PositiveIntegerField(default=0, verbose_name='referred to a partner')),
                        ('device', models.PositiveIntegerField(default=0, verbose_name='device loan')),
                        ('come_back', models.PositiveIntegerField(default=0, verbose_name='come back later')),
                        ('not_solved', models.PositiveIntegerField(default=0, verbose_name='could not be solved')),
                        ('wait_total', models.DurationField(default=datetime.timedelta, verbose_name='total wait for the host')),
                        ('wait_count', models.PositiveIntegerField(default=0, verbose_name='visits with a wait for the host')),
                        ('coach_wait_total', models.DurationField(default=datetime.timedelta, verbose_name='total wait for a coach')),
                        ('coach_wait_count', models.PositiveIntegerField(default=0, verbose_name='visits with a wait for a coach')),
                        ('duration_total', models.DurationField(default=datetime.timedelta, verbose_name='total time from arrival to done')),
                        ('duration_count', models.PositiveIntegerField(default=0, verbose_name='finished visits with a duration')),
                        ('point', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='points.point', verbose_name='point')),
                    ],
                    options={
                        'verbose_name': 'visit figures of a day',
                        'verbose_name_plural': 'visit figures of days',
                        'db_table': 'digibank_visitdayfigures',
                        'indexes': [models.Index(fields=['day', 'point'], name='visitday_day_point')],
                    },
                ),
            ],
        ),
        migrations.RunPython(_move_content_types, _move_content_types_back),
    ]

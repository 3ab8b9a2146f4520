"""The dashboard's nightly roll-up (see ``dashboard.rollup``): per local
day and point, only counts and sums. The tables were created by the
``digibank`` app and keep their names (``db_table``)."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.models import District


class RollupDay(models.Model):
    """A local (Europe/Brussels) day of visits and whether its roll-up rows
    are current. ``built_at`` None: not built, or changed since it was built;
    the figures then read that day's raw visits."""

    day = models.DateField(_("day"), unique=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)

    class Meta:
        db_table = "digibank_rollupday"
        ordering = ["day"]
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class DayFigures(models.Model):
    """What every roll-up table holds: a local day, a point and how many
    visits; each table adds the columns its reader needs."""

    day = models.DateField(_("day"))
    point = models.ForeignKey("points.Point", verbose_name=_("point"), on_delete=models.CASCADE,
                              related_name="+")
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        abstract = True


class VisitDayFigures(DayFigures):
    """The visits of one day at one point. Every column is a count or a
    sum, so any period adds up exactly; averages are sums divided by counts."""

    unidentified = models.PositiveIntegerField(_("without identification"), default=0)
    left = models.PositiveIntegerField(_("left without help"), default=0)
    solved_host = models.PositiveIntegerField(_("solved by the host"), default=0)
    solved_coach = models.PositiveIntegerField(_("solved by a coach"), default=0)
    training = models.PositiveIntegerField(_("training proposed"), default=0)
    referred = models.PositiveIntegerField(_("referred to a partner"), default=0)
    device = models.PositiveIntegerField(_("device loan"), default=0)
    come_back = models.PositiveIntegerField(_("come back later"), default=0)
    not_solved = models.PositiveIntegerField(_("could not be solved"), default=0)
    wait_total = models.DurationField(_("total wait for the host"), default=timedelta)
    wait_count = models.PositiveIntegerField(_("visits with a wait for the host"), default=0)
    coach_wait_total = models.DurationField(_("total wait for a coach"), default=timedelta)
    coach_wait_count = models.PositiveIntegerField(_("visits with a wait for a coach"),
                                                   default=0)
    duration_total = models.DurationField(_("total time from arrival to done"),
                                          default=timedelta)
    duration_count = models.PositiveIntegerField(_("finished visits with a duration"),
                                                 default=0)

    class Meta:
        db_table = "digibank_visitdayfigures"
        verbose_name = _("visit figures of a day")
        verbose_name_plural = _("visit figures of days")
        indexes = [models.Index(fields=["day", "point"], name="visitday_day_point")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.point_id}: {self.visits}"


class ChannelDayFigures(DayFigures):
    """Visits per day, point and channel (how they heard of the digibank)."""

    channel = models.ForeignKey("points.Channel", verbose_name=_("channel"), null=True,
                                on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "digibank_channeldayfigures"
        verbose_name = _("channel figures of a day")
        verbose_name_plural = _("channel figures of days")
        indexes = [models.Index(fields=["day", "point"], name="channelday_day_point")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.point_id} {self.channel_id}: {self.visits}"


class TopicDayFigures(DayFigures):
    """Per day, point and question topic: how many visits were about the
    topic, and how many of those could not be solved."""

    topic = models.ForeignKey("points.QuestionTopic", verbose_name=_("topic"),
                              on_delete=models.CASCADE, related_name="+")
    not_solved = models.PositiveIntegerField(_("could not be solved"), default=0)

    class Meta:
        db_table = "digibank_topicdayfigures"
        verbose_name = _("topic figures of a day")
        verbose_name_plural = _("topic figures of days")
        indexes = [models.Index(fields=["day", "point"], name="topicday_day_point")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.point_id} {self.topic_id}: {self.visits}"


class DemandDayFigures(DayFigures):
    """Where the demand comes from, for demand mapping: visits per day,
    point, district of demand and topic. The district of demand is the
    resident's own district (a wijk stays a wijk here); None when the visit
    has no resident with a district, and then the point's district counts.
    ``dashboard.demand`` counts either under its deelgemeente when it reads
    the rows, so a change to the districts needs no rebuild. A row without
    a topic counts every visit of that day, point and district, whatever
    its topics; a row with a topic the visits about that topic."""

    resident_district = models.ForeignKey(
        District, verbose_name=_("resident's district"), null=True, on_delete=models.SET_NULL,
        related_name="+")
    topic = models.ForeignKey("points.QuestionTopic", verbose_name=_("topic"), null=True,
                              on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "digibank_demanddayfigures"
        verbose_name = _("demand figures of a day")
        verbose_name_plural = _("demand figures of days")
        indexes = [models.Index(fields=["day", "point"], name="demandday_day_point")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.point_id} {self.resident_district_id}: {self.visits}"

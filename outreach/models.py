"""Partner organisations and outreach: referrals both ways (with the consent
they rest on), roadshows, QR posters per point and channel, and the
messages that rotate on the info screens.

Consent itself is the core ``digibank.Consent``; campaign channels are
``points.Channel`` (the counter records them on visits)."""

import uuid
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from digibank.models import DATA_LANGUAGE, HistoryEvent
from outreach.prices import PRICE_CONSISTENT, Price, PriceKind, offer_price
from outreach.schedules import (
    SCHEDULE_FIELDS,
    next_date_error,
    next_occurrence,
    schedule_words,
)


class PartnerKind(models.TextChoices):
    SOCIAL_SERVICES = "social", _("Social services")
    TRAINING = "training", _("Training partner")
    EMPLOYMENT = "employment", _("Employment agency")
    UNION = "union", _("Trade union")
    HOME_CARE = "homecare", _("Home care or home visiting")
    SCHOOL = "school", _("School")
    LIBRARY = "library", _("Library")
    COMMUNITY = "community", _("Community organisation")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Partner(models.Model):
    """A partner organisation. The points it hosts are ``hosted_points``
    (``points.Point.hosting_partner``); its contact people are ``contacts``."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PartnerKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_training_partner = models.BooleanField(_("gives trainings"), default=False)
    data_sharing_agreement_on = models.DateField(
        _("data-sharing agreement signed on"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Its identifier in the open data (HSDS organization id): never changes.
    uuid = models.UUIDField(_("open data id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def has_data_sharing_agreement(self) -> bool:
        return self.data_sharing_agreement_on is not None


class PartnerContact(models.Model):
    """A contact person at a partner organisation."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organisation"), on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["partner", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class Direction(models.TextChoices):
    IN = "in", _("From a partner to the digibank")
    OUT = "out", _("From the digibank to a partner")


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    CONTACTED = "contacted", _("Contacted")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    UNREACHABLE = "unreachable", _("Unreachable")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    ReferralStatus.REQUESTED, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED,
    ReferralStatus.CONTACTED,
)
# Outcomes are required when a referral ends this way (the other side wants
# to know why).
STATUSES_WITH_OUTCOME = (ReferralStatus.COMPLETED, ReferralStatus.DECLINED)


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_partner(self, partner):
        """Referrals that involve ``partner``: what it sent and what it got."""
        return self.filter(partner=partner)

    def search(self, text: str):
        """Match a referral number (#12 or 12) or a few letters of the person's name."""
        text = text.strip().lstrip("#")
        if text.isdigit():
            return self.filter(pk=int(text))
        query = Q(resident__first_name__icontains=text) | Q(resident__last_name__icontains=text)
        return self.filter(query)

    def with_relations(self):
        return self.select_related("resident", "partner", "topic", "preferred_point")

    def due_for_follow_up(self, day=None):
        """Open referrals past their follow-up date whose reminder for that
        date was not sent yet."""
        day = day or timezone.localdate()
        return self.open().filter(follow_up_on__lte=day).exclude(
            reminded_for=models.F("follow_up_on")
        )


class Referral(models.Model):
    """A person referred between the digibank and a partner.

    ``direction`` IN is a partner's contact request (the partner collected the
    person's consent to be contacted); OUT is the digibank referring a
    resident to a partner (with the resident's consent to be referred).
    Status changes only through ``outreach.services``; each writes a
    ``ReferralEvent`` both sides can see.
    """

    ALLOWED_TRANSITIONS = {
        ReferralStatus.REQUESTED: {
            ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED,
            ReferralStatus.DECLINED, ReferralStatus.UNREACHABLE, ReferralStatus.CANCELLED,
        },
        ReferralStatus.RECEIVED: {
            ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED, ReferralStatus.DECLINED,
            ReferralStatus.UNREACHABLE, ReferralStatus.CANCELLED,
        },
        ReferralStatus.ACCEPTED: {
            ReferralStatus.CONTACTED, ReferralStatus.COMPLETED, ReferralStatus.DECLINED,
            ReferralStatus.UNREACHABLE, ReferralStatus.CANCELLED,
        },
        ReferralStatus.CONTACTED: {
            ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED,
        },
        ReferralStatus.COMPLETED: set(),
        ReferralStatus.DECLINED: set(),
        ReferralStatus.UNREACHABLE: set(),
        ReferralStatus.CANCELLED: set(),
    }

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.PROTECT,
        related_name="referrals",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organisation"), on_delete=models.PROTECT,
        related_name="referrals",
    )
    consent = models.ForeignKey(
        "digibank.Consent", verbose_name=_("consent"), on_delete=models.PROTECT,
        related_name="referrals",
    )
    reason = models.TextField(_("question or reason"))
    topic = models.ForeignKey(
        "points.QuestionTopic", verbose_name=_("topic"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="referrals",
    )
    contact_address = models.CharField(
        _("address to visit"), max_length=200, blank=True,
        help_text=_("Only when the person has no phone."),
    )
    best_time = models.CharField(_("best time to reach"), max_length=120, blank=True)
    preferred_point = models.ForeignKey(
        "points.Point", verbose_name=_("preferred point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices,
        default=ReferralStatus.REQUESTED,
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    partner_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner at the partner"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    digibank_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner at the digibank"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    reminded_for = models.DateField(_("reminder sent for"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["partner", "-created_at"]),
            models.Index(fields=["status", "follow_up_on"]),
            models.Index(fields=["created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="referral_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            # One open referral per person, partner and direction: a double
            # click or two colleagues at once never make two.
            models.UniqueConstraint(
                fields=["resident", "partner", "direction"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="referral_one_open_per_person_partner_direction",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_direction_display()}: {self.partner}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.IN

    @property
    def follow_up_overdue(self) -> bool:
        """Still open, and the day it was to be followed up has passed."""
        return (self.status in OPEN_STATUSES and self.follow_up_on is not None
                and self.follow_up_on < timezone.localdate())

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[ReferralStatus(self.status)]


class ReferralEvent(HistoryEvent):
    """History of a referral: every status change or note, who and when.
    Both sides see it."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ReferralStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} -> {self.to_status}"


class Roadshow(models.Model):
    """The digibank presenting itself in a partner's building."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organisation"), on_delete=models.PROTECT,
        related_name="roadshows",
    )
    venue = models.CharField(_("venue"), max_length=200)
    held_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    contact_requests = models.PositiveIntegerField(_("contact requests collected"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("roadshow")
        verbose_name_plural = _("roadshows")

    def __str__(self) -> str:
        return f"{self.venue} ({self.held_on:%d/%m/%Y})"


class PosterQuerySet(models.QuerySet):
    def with_scans(self):
        return self.select_related("point", "channel").annotate(scan_count=Count("scans"))


class Poster(models.Model):
    """The QR code of one point on one channel's material (poster, flyer,
    info pillar …). The short code goes in the QR; scans are counted."""

    point = models.ForeignKey(
        "points.Point", verbose_name=_("point"), on_delete=models.CASCADE,
        related_name="posters",
    )
    channel = models.ForeignKey(
        "points.Channel", verbose_name=_("channel"), on_delete=models.PROTECT,
        related_name="posters",
    )
    code = models.SlugField(_("short code"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PosterQuerySet.as_manager()

    class Meta:
        ordering = ["point", "channel"]
        verbose_name = _("QR poster")
        verbose_name_plural = _("QR posters")
        constraints = [
            models.UniqueConstraint(fields=["point", "channel"], name="poster_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.channel}"

    @property
    def target_path(self) -> str:
        """The point's public page with the channel, so visits can be attributed."""
        url = reverse("points:detail", kwargs={"slug": self.point.slug})
        return f"{url}?{urlencode({'kanaal': self.channel.slug})}"


class QrScan(models.Model):
    """One scan of a poster's QR code."""

    poster = models.ForeignKey(
        Poster, verbose_name=_("QR poster"), on_delete=models.CASCADE, related_name="scans"
    )
    scanned_at = models.DateTimeField(_("scanned"), default=timezone.now)

    class Meta:
        ordering = ["-scanned_at"]
        verbose_name = _("QR scan")
        verbose_name_plural = _("QR scans")
        indexes = [models.Index(fields=["poster", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.poster_id} {self.scanned_at:%d/%m/%Y %H:%M}"


class ScreenMessageQuerySet(models.QuerySet):
    def current(self, point=None, day=None):
        """Messages to show today: active, in their dates, for every point or
        for ``point``."""
        day = day or timezone.localdate()
        messages = self.filter(
            Q(is_active=True),
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )
        if point is None:
            return messages.filter(point__isnull=True)
        return messages.filter(Q(point__isnull=True) | Q(point=point))


class ScreenMessage(models.Model):
    """A message that rotates on the info screens (coordinator-managed)."""

    title = models.CharField(_("title"), max_length=80)
    text = models.CharField(_("text"), max_length=240)
    point = models.ForeignKey(
        "points.Point", verbose_name=_("only on the screen of"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="screen_messages",
        help_text=_("Empty: on every screen."),
    )
    starts_on = models.DateField(_("show from"), null=True, blank=True)
    ends_on = models.DateField(_("show until and including"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("show"), default=True)

    objects = ScreenMessageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("screen message")
        verbose_name_plural = _("screen messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="screen_message_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- the digital offer guide (digikaart) ---


class OfferKind(models.TextChoices):
    TRAINING = "training", _("Training elsewhere")
    HELP_DESK = "helpdesk", _("Help desk")
    DEVICE = "device", _("Device offer")
    INTERNET = "internet", _("Internet subscription or social tariff")
    FINANCIAL = "financial", _("Financial support")
    OTHER = "other", pgettext_lazy("offer kind", "Other")


def language_codes(languages: str) -> list[str]:
    """Split "nl, fr,ar" into ["nl", "fr", "ar"]."""
    return [code.strip() for code in languages.split(",") if code.strip()]


class ScheduleFreq(models.TextChoices):
    WEEKLY = "WEEKLY", _("Every week")
    MONTHLY = "MONTHLY", _("Every month")


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEK_OF_MONTH = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")),
                 (-1, _("last"))]


# An offer not checked for this many days is flagged for its owner.
CHECK_AFTER_DAYS = 183


class OfferQuerySet(models.QuerySet):
    def current(self, day=None):
        """Offers the public and the counter see: published and valid on ``day``.
        Expired offers drop out by themselves, no job needed."""
        day = day or timezone.localdate()
        return self.filter(
            Q(is_published=True),
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )

    def for_topics(self, topics):
        return self.filter(topics__in=topics).distinct()

    def in_district(self, district):
        """Offers in ``district``, plus online offers (they reach everybody)."""
        return self.filter(Q(district=district) | Q(is_online=True))

    def in_language(self, code: str):
        """``languages`` holds codes joined by commas ("nl,fr,ar")."""
        return self.filter(
            Q(languages=code) | Q(languages__startswith=f"{code},")
            | Q(languages__endswith=f",{code}") | Q(languages__contains=f",{code},")
        )

    def free(self):
        """Offers that cost nothing (``Price.is_free``)."""
        return self.filter(price_kind=PriceKind.FREE)

    def social_tariff(self):
        return self.filter(price_kind=PriceKind.SOCIAL_TARIFF)

    def for_owner(self, user):
        """Offers a user may edit: a partner user those of their own
        organisation, a coordinator all of them."""
        if user.has_role("coordinator"):
            return self
        if user.has_role("partner") and user.partner_id:
            return self.filter(provider_id=user.partner_id)
        return self.none()

    def unreachable(self):
        """Offers that give residents no way to reach anyone: no phone,
        e-mail or website of their own, and a provider without a phone or
        e-mail either. (The digibank's own offers reach the digibank.)"""
        return self.filter(contact_phone="", contact_email="", website="",
                           provider__isnull=False, provider__phone="", provider__email="")

    def to_check(self, day=None):
        """What the "still correct?" job and list flag: not checked for six
        months, or no way to reach anyone."""
        day = day or timezone.localdate()
        return self.filter(Q(last_checked_on__lt=day - timedelta(days=CHECK_AFTER_DAYS))
                           | Q(pk__in=self.unreachable().values("pk")))

    def not_checked_since(self, day=None):
        """Offers whose last check is more than CHECK_AFTER_DAYS ago."""
        day = day or timezone.localdate()
        return self.filter(last_checked_on__lt=day - timedelta(days=CHECK_AFTER_DAYS))

    def with_relations(self):
        return self.select_related("provider", "point", "district").prefetch_related(
            "topics", "target_groups")

    def nearest_first(self, district=None):
        """Offers in ``district`` first, then online ones, then the rest; within
        each, the soonest date, then the cheapest monthly price."""
        whens = [models.When(is_online=True, then=1)]
        if district is not None:
            whens.insert(0, models.When(district=district, then=0))
        distance = models.Case(*whens, default=2, output_field=models.IntegerField())
        return self.annotate(distance=distance).order_by(
            "distance", models.F("next_date").asc(nulls_last=True),
            models.F("monthly_price").asc(nulls_last=True), "title",
        )


class Offer(models.Model):
    """One item of the city's digital offer: a training elsewhere, a help
    desk, a device discount, an internet subscription or the social tariff,
    financial support. ``provider`` empty means the digibank itself.

    Changes go through ``outreach.services`` (create_offer, update_offer,
    check_offer), each writing an ``OfferEvent``."""

    data_language = DATA_LANGUAGE
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(
        _("what it is, in plain language"),
        help_text=_("Two or three short sentences a resident understands (B1)."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    provider = models.ForeignKey(
        Partner, verbose_name=_("offered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="offers",
        help_text=_("Empty when the digibank offers it."),
    )
    topics = models.ManyToManyField(
        "points.QuestionTopic", verbose_name=_("topics"), blank=True, related_name="offers",
        help_text=_("The counter's question topics this offer helps with."),
    )
    target_groups = models.ManyToManyField(
        "digibank.TargetGroup", verbose_name=_("for whom"), blank=True, related_name="offers",
        help_text=_("Empty: for everybody."),
    )
    # Where
    point = models.ForeignKey(
        "points.Point", verbose_name=_("at digibank point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="offers",
    )
    venue = models.CharField(_("place"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.ForeignKey(
        "digibank.District", verbose_name=_("district"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="offers",
    )
    is_online = models.BooleanField(_("online or by phone"), default=False)
    how_to_get_there = models.CharField(_("how to get there"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Of the address; at a digibank point the point's own are used."))
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)])
    # When
    schedule = models.CharField(
        _("when"), max_length=200, blank=True,
        help_text=_("For example: every Tuesday 9:00 to 12:00, or the dates."),
    )
    next_date = models.DateField(
        _("next date"), null=True, blank=True,
        help_text=_("Only for a one-off or irregular offer: with a schedule that repeats the "
                    "next date is shown by itself. Check that this date fits 'When'."))
    # The same, structured (an iCalendar RRULE: the open data's schedule).
    schedule_freq = models.CharField(
        _("repeats"), max_length=7, choices=ScheduleFreq.choices, blank=True)
    schedule_interval = models.PositiveSmallIntegerField(
        _("every how many"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("1: every week (or month); 2: every other week, for example."))
    schedule_days = models.CharField(
        _("on"), max_length=20, blank=True,
        help_text=_("Weekdays as in iCalendar, separated by commas: MO,TU,WE,TH,FR,SA,SU."))
    schedule_week = models.SmallIntegerField(
        _("week of the month"), null=True, blank=True, choices=WEEK_OF_MONTH,
        help_text=_("Only when it repeats monthly: the first, second … or last week."))
    opens_at = models.TimeField(_("from"), null=True, blank=True)
    closes_at = models.TimeField(pgettext_lazy("closing time", "until"), null=True, blank=True)
    schedule_starts = models.DateField(
        _("first date"), null=True, blank=True,
        help_text=_("The first time it takes place, for example the first lesson of a "
                    "course. Needed with a number of times."))
    schedule_ends = models.DateField(
        _("last date"), null=True, blank=True,
        help_text=_("The last day it takes place, for example the end of a season."))
    schedule_count = models.PositiveSmallIntegerField(
        _("number of times"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("For a course: the number of lessons, counted from the first date."))
    # Cost and who qualifies: one price model (outreach.prices), the fields
    # it does not use stay empty (form and database constraint).
    price_kind = models.CharField(
        _("price"), max_length=8, choices=PriceKind.choices, default=PriceKind.FREE)
    cost_eur = models.DecimalField(
        _("one-off price in euro"), max_digits=7, decimal_places=2, default=0,
        help_text=_("Only for a one-off amount; 0 otherwise."))
    cost_note = models.CharField(_("about the cost"), max_length=200, blank=True)
    who_qualifies = models.TextField(_("who can use it"), blank=True)
    how_to_enrol = models.TextField(_("how to enrol or apply"), blank=True)
    what_to_bring = models.CharField(_("what to bring"), max_length=200, blank=True)
    languages = models.CharField(
        _("languages"), max_length=60, default="nl",
        help_text=_("Language codes separated by commas, for example nl,fr,ar."),
    )
    accessibility = models.CharField(_("accessibility"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    no_phone_reason = models.CharField(
        _("why there is no phone"), max_length=200, blank=True,
        help_text=_("Only without a phone number, for example: apply online only, through "
                    "the website."))
    contact_email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Internet subscriptions and the social tariff: structured, so a host can
    # answer "what is the cheapest internet for me" by filtering.
    monthly_price = models.DecimalField(
        _("price per month in euro"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Only for an amount per month or the social tariff."),
    )
    data_gb = models.PositiveIntegerField(
        _("mobile data per month in GB"), null=True, blank=True,
        help_text=_("Empty: unlimited or not mobile."),
    )
    download_mbps = models.PositiveIntegerField(_("download speed in Mbps"), null=True,
                                                blank=True)
    social_tariff_for = models.TextField(
        _("who qualifies for the social tariff"), blank=True,
        help_text=_("Required for the social tariff, empty otherwise."))
    proof_needed = models.CharField(_("proof needed"), max_length=200, blank=True)
    # Validity and keeping it true
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until and including"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    last_checked_on = models.DateField(_("last checked on"), default=timezone.localdate)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last checked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    check_requested_on = models.DateField(
        _("check asked on"), null=True, blank=True,
        help_text=_("Set when the owner was asked to check this offer; cleared by a check."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    # Optimistic locking: every change through update_offer adds one, and a
    # form sent with an older version is refused (two tabs, two people).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Its identifier in the open data (HSDS service id): never changes.
    uuid = models.UUIDField(_("open data id"), default=uuid.uuid4, unique=True, editable=False)
    # What the guide's search reads (outreach.search.index_offers keeps it).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [
            models.Index(fields=["is_published", "valid_until"]),
            models.Index(fields=["kind", "monthly_price"]),
            models.Index(fields=["last_checked_on"]),
            models.Index(fields=["provider", "title"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OfferKind.values), name="offer_kind_valid"
            ),
            models.CheckConstraint(condition=Q(cost_eur__gte=0), name="offer_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(monthly_price__isnull=True) | Q(monthly_price__gte=0),
                name="offer_monthly_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="offer_valid_range",
            ),
            models.CheckConstraint(condition=PRICE_CONSISTENT, name="offer_price_consistent"),
            models.CheckConstraint(
                condition=Q(schedule_ends__isnull=True) | Q(schedule_starts__isnull=True)
                | Q(schedule_ends__gte=models.F("schedule_starts")),
                name="offer_schedule_range",
            ),
            # A phone, or a reason why not: never both.
            models.CheckConstraint(condition=Q(contact_phone="") | Q(no_phone_reason=""),
                                   name="offer_phone_or_reason"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def price(self) -> Price:
        """What it costs: read by the filter's rule, cards, pages and feeds."""
        return offer_price(price_kind=self.price_kind, cost_eur=self.cost_eur,
                           monthly_price=self.monthly_price,
                           social_tariff_for=self.social_tariff_for, cost_note=self.cost_note)

    @property
    def price_line(self) -> str:
        """The cost as the card and the page show it: the price, the note
        about it, and an internet offer's mobile data."""
        line = str(self.price)
        if self.cost_note:
            line += f" ({self.cost_note})"
        if self.data_gb:
            line += " · " + gettext("%(gb)s GB data") % {"gb": self.data_gb}
        return line

    @property
    def provider_name(self) -> str:
        return str(self.provider) if self.provider_id else "Digibank"

    @property
    def is_free(self) -> bool:
        return self.price.is_free

    @property
    def is_social_tariff(self) -> bool:
        return self.price.is_social_tariff

    @property
    def place(self) -> str:
        if self.point_id:
            return str(self.point)
        return self.venue

    @property
    def full_address(self) -> str:
        return self.point.address if self.point_id and not self.address else self.address

    @property
    def map_url(self) -> str:
        if self.point_id and not self.address:
            return self.point.map_url
        if not self.address:
            return ""
        return f"https://www.openstreetmap.org/search?query={quote(self.address)}"

    @property
    def language_codes(self) -> list[str]:
        return language_codes(self.languages)

    def language_names(self) -> list[str]:
        from digibank.models import Language

        names = dict(Language.choices)
        return [str(names.get(code, code)) for code in self.language_codes]

    def clean(self) -> None:
        """A typed next date fits the schedule, or the words of "Wanneer"
        (``outreach.schedules.next_date_error``): the offer form, the admin
        and imports all validate through here."""
        error = next_date_error(self.next_date, when=self.schedule, **{
            name: getattr(self, name) for name in SCHEDULE_FIELDS if name != "next_date"})
        if error:
            raise ValidationError({"next_date": error})

    @property
    def schedule_days_list(self) -> list[str]:
        return [day for day in self.schedule_days.split(",") if day]

    @property
    def rrule_byday(self) -> str:
        """The RRULE's BYDAY: "TU,TH" weekly, "1TU" (first Tuesday) monthly."""
        week = str(self.schedule_week) if self.schedule_freq == ScheduleFreq.MONTHLY and (
            self.schedule_week) else ""
        return ",".join(f"{week}{day}" for day in self.schedule_days_list)

    @property
    def when_next(self):
        """The next date it takes place (``outreach.schedules``): what cards,
        pages, the slip, the feed and the open data show."""
        return next_occurrence(today=timezone.localdate(), **{
            name: getattr(self, name) for name in SCHEDULE_FIELDS})

    @property
    def schedule_in_words(self) -> str:
        """The structured schedule with its limits, in words (the page)."""
        return schedule_words(**{name: getattr(self, name) for name in SCHEDULE_FIELDS})

    @property
    def is_reachable(self) -> bool:
        """The rule of ``OfferQuerySet.unreachable``, for one offer."""
        return bool(self.contact_phone or self.contact_email or self.website
                    or self.provider_id is None or self.provider.phone or self.provider.email)

    def needs_check(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.last_checked_on < day - timedelta(days=CHECK_AFTER_DAYS)


class OfferAction(models.TextChoices):
    CREATED = "created", pgettext_lazy("offer history", "Created")
    CHANGED = "changed", pgettext_lazy("offer history", "Changed")
    CHECKED = "checked", pgettext_lazy("offer history", "Checked")
    CHECK_REQUESTED = "check_asked", _("Owner asked to check")


class OfferEvent(HistoryEvent):
    """History of an offer: who created, changed or checked it, and when."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("what"), max_length=12, choices=OfferAction.choices)
    changes = models.CharField(_("changed fields"), max_length=500, blank=True)

    class Meta(HistoryEvent.Meta):
        ordering = ["-at", "-pk"]
        verbose_name = _("offer event")
        verbose_name_plural = _("offer events")

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.action}"


class GivenOffer(models.Model):
    """What a host pointed a visitor to: a partner's offer or one of the
    digibank's own training sessions (exactly one). The dashboard counts
    which offers people are sent to."""

    visit = models.ForeignKey(
        "points.Visit", verbose_name=_("visit"), on_delete=models.CASCADE,
        related_name="given_offers",
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="given",
    )
    session = models.ForeignKey(
        "trainings.Session", verbose_name=_("training session"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="given_offers",
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("offer given at a visit")
        verbose_name_plural = _("offers given at visits")
        indexes = [models.Index(fields=["given_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer__isnull=False, session__isnull=True)
                | Q(offer__isnull=True, session__isnull=False),
                name="given_offer_offer_or_session",
            ),
            models.UniqueConstraint(fields=["visit", "offer"], name="given_offer_once_per_visit"),
            models.UniqueConstraint(fields=["visit", "session"],
                                    name="given_session_once_per_visit"),
        ]

    def __str__(self) -> str:
        return str(self.offer or self.session)


class SearchSynonym(models.Model):
    """A word residents use and the words the offer guide uses for it, kept
    by coordinators in the admin: searching "gsm" also finds "smartphone".
    See ``outreach.search``."""

    term = models.CharField(
        _("what residents say"), max_length=60, unique=True,
        help_text=_("A word or a few words, for example: gsm, goedkoop, sociaal tarief."))
    alternatives = models.CharField(
        _("also search for"), max_length=300,
        help_text=_("Words or phrases separated by commas, for example: smartphone, mobiel."))

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return f"{self.term} → {self.alternatives}"


class GlossaryTerm(models.Model):
    """A word residents may not know, explained in one short sentence on
    the public offer pages (``outreach.glossary``). Kept by coordinators."""

    term = models.CharField(_("term"), max_length=60, unique=True)
    variants = models.CharField(
        _("other forms"), max_length=200, blank=True,
        help_text=_("Other ways it is written, separated by commas, for example: leeflonen, "
                    "IGO."))
    explanation = models.CharField(
        _("explanation"), max_length=200,
        help_text=_("One short sentence in plain language (B1)."))

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return self.term

    @property
    def forms(self) -> list[str]:
        """The term and its other forms, as they may appear in a text."""
        return [self.term, *(form.strip() for form in self.variants.split(",") if form.strip())]

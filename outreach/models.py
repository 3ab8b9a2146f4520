"""Partner organisations and outreach: referrals both ways (with the consent
they rest on), roadshows, QR posters per point and channel, and the
messages that rotate on the info screens.

Consent itself is the core ``digibank.Consent``; campaign channels are
``points.Channel`` (the counter records them on visits)."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[ReferralStatus(self.status)]


class ReferralEvent(models.Model):
    """History of a referral: every status change or note, who and when.
    Both sides see it."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ReferralStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
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

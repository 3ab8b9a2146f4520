"""The people core: staff users and roles, residents, districts, target
groups, consent and the audit trail."""


from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank import matching

# The language of the text staff type in: course titles, offers, question
# topics, services, target groups are Dutch whatever the interface's
# language. A model whose rows are such text says so with
# ``data_language = DATA_LANGUAGE``; every form choice among its rows (a
# checkbox, radio button or option) is then marked ``lang="nl"`` by the
# choice widgets' templates (templates/django/forms/widgets/), and templates
# that show it wrap it in ``lang="nl"``.
DATA_LANGUAGE = "nl"

class Role(models.TextChoices):
    """The staff roles; each is a Django group of the same name."""

    HOST = "host", _("Host")
    COACH = "coach", _("Coach")
    ATELIER = "atelier", _("Atelier staff")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")


class User(AbstractUser):
    """A staff member or a partner organisation's user.

    The points a staff member works at live on ``points.Point.staff``; a
    partner user belongs to one partner organisation.
    """

    partner = models.ForeignKey(
        "outreach.Partner",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def roles(self) -> set[str]:
        if not hasattr(self, "_roles"):
            self._roles = {group.name for group in self.groups.all()} & set(Role.values)
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def primary_role(self) -> str | None:
        for role in (Role.COORDINATOR, Role.COACH, Role.HOST, Role.ATELIER, Role.PARTNER):
            if role in self.roles:
                return role
        return None

    @property
    def primary_role_label(self) -> str:
        role = self.primary_role
        return Role(role).label if role else ""


class District(models.Model):
    """A deelgemeente (or a finer wijk) of the city."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    population = models.PositiveIntegerField(
        _("inhabitants"), null=True, blank=True,
        help_text=_("Used to compare demand per inhabitant between districts."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="wijken",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Two levels: a wijk lies in a deelgemeente, which lies in nothing
        (demand mapping counts a wijk under its parent)."""
        if self.parent is None:
            return
        if self.parent_id == self.pk or self.parent.parent_id is not None:
            raise ValidationError({"parent": _(
                "A wijk is part of a deelgemeente, not of another wijk or of itself.")})
        if self.pk and self.wijken.exists():
            raise ValidationError({"parent": _(
                "This district has wijken of its own, so it cannot be part of another.")})

    def postcodes(self) -> set[str]:
        """The postcodes an address in this district may carry: its own and,
        for a wijk, its deelgemeente's (empty when none is on record)."""
        codes = {self.postcode}
        if self.parent_id:
            codes.add(self.parent.postcode)
        return codes - {""}

    def accepts_postcode(self, postcode: str) -> bool:
        """Whether an address with ``postcode`` can lie in this district.
        Several deelgemeenten may share a postcode (2800: Mechelen, Battel,
        Walem), so this refuses only a postcode that belongs elsewhere."""
        codes = self.postcodes()
        return not codes or postcode.strip() in codes

    @property
    def deelgemeente_id(self) -> int:
        """The deelgemeente this district is, or is a wijk of: demand
        mapping compares deelgemeenten, whose inhabitants are known."""
        return self.parent_id or self.pk


class TargetGroup(models.Model):
    """A group the digibank wants to reach (elderly people, newcomers, …)."""

    data_language = DATA_LANGUAGE
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    BERBER = "ber", _("Berber (Tamazight)")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pashto")
    OTHER = "other", _("Other")


# A search finds at most this many people; the host types more to narrow it.
SEARCH_CAP = 200


class ResidentQuerySet(models.QuerySet):
    def active(self):
        """Residents whose personal data is still held (not anonymised)."""
        return self.filter(anonymised_at__isnull=True)

    def search(self, text: str):
        """The one search for people (``digibank.matching``): every typed word
        matches the start of a word of the first or last name (a word of four
        letters or more anywhere in one), in any order, whatever the case and
        accents; digits match the phone number in any notation."""
        names, digits = matching.split_query(text)
        if not names and not digits:
            return self.none()
        query = Q()
        for key in names:
            query &= Q(search_name__contains=key if len(key) >= matching.INFIX_FROM
                       else f" {key}")
        if len(names) > 1:
            # "Van den Berg" typed for "Vandenberg", and the other way round.
            query |= Q(search_name__contains=f" {matching.word_key(''.join(names))}")
        if digits:
            query &= Q(phone_e164__contains=digits)
        # The first SEARCH_CAP matches in any order (found through the
        # trigram index on PostgreSQL), then sorted by name: a common
        # beginning costs no more than a rare name (sorting every match
        # first would walk the name index row by row).
        matches = self.active().filter(query).order_by().values("pk")[:SEARCH_CAP]
        return self.active().filter(pk__in=matches)

    def same_identity(self, *, first_name: str, last_name: str, phone: str = "",
                      email: str = ""):
        """Residents who are the person described: the same name (any case,
        accents or word order) and the same phone number, or the same e-mail
        when no phone is given; with neither, the same name and no phone or
        e-mail either."""
        qs = self.active().filter(name_key=matching.identity_name(first_name, last_name))
        e164 = matching.phone_e164(phone)
        if e164:
            return qs.filter(phone_e164=e164)
        if email.strip():
            return qs.filter(email__iexact=email.strip())
        return qs.filter(phone="", email="")

    def possible_duplicates(self, *, first_name: str, last_name: str, phone: str = ""):
        """Residents to warn about before adding someone: the same name (any
        case, accents or word order), or the same phone number."""
        key = matching.identity_name(first_name, last_name)
        query = Q(name_key=key) if key else Q(pk__in=[])
        e164 = matching.phone_e164(phone)
        if e164:
            query |= Q(phone_e164=e164)
        return self.active().filter(query)


class Resident(models.Model):
    """A person the digibank helps: only what the work needs.

    A counter visit can be anonymous; a resident record exists for loans,
    trainings, guidance and referrals. ``phone`` is stored as typed digits
    in national form for Belgian numbers (``0470123456``), E.164 for others
    (normalised by ``digibank.services.normalise_phone``). ``search_name``,
    ``name_key`` and ``phone_e164`` are derived from the names and phone on
    every save (``digibank.matching``) for the search, the duplicate warning
    and the one door for new residents.
    """

    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="residents",
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.DUTCH
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="residents"
    )
    last_activity = models.DateField(_("last activity"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    search_name = models.CharField(_("search name"), max_length=400, blank=True,
                                   editable=False)
    name_key = models.CharField(_("name key"), max_length=200, blank=True, editable=False,
                                db_index=True)
    phone_e164 = models.CharField(_("phone (E.164)"), max_length=16, blank=True,
                                  editable=False, db_index=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["last_activity"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="resident_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return _("Anonymised resident #%(pk)s") % {"pk": self.pk}
        return self.full_name or _("Resident #%(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        self.refresh_match_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & {"first_name", "last_name",
                                                                "phone"}:
            kwargs["update_fields"] = {*update_fields, "search_name", "name_key", "phone_e164"}
        super().save(*args, **kwargs)

    def refresh_match_fields(self) -> None:
        """Derive the search and identity columns from the names and phone
        (called by ``save()``; call it before ``bulk_create``)."""
        self.search_name = matching.search_name(self.first_name, self.last_name)
        self.name_key = matching.identity_name(self.first_name, self.last_name)[:200]
        self.phone_e164 = matching.phone_e164(self.phone)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", _("The digibank may contact me")
    SHARE_WITH_PARTNER = "share_partner", _("My data may be shared with a partner")
    REFERRAL = "referral", _("The digibank may refer me to a partner")
    REACH_KEY = "reach_key", _("A pseudonymous key may count my visits")
    NEWSLETTER = "news", _("I may receive news about the digibank")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbally at the counter")
    PAPER = "paper", _("On paper")
    DIGITAL = "digital", _("Digitally")
    VIA_PARTNER = "partner", _("Via a partner organisation")


class ConsentQuerySet(models.QuerySet):
    def valid_on(self, day=None):
        """Consents given, not expired and not withdrawn on ``day`` (today)."""
        day = day or timezone.localdate()
        return self.filter(
            Q(given_on__lte=day),
            Q(expires_on__isnull=True) | Q(expires_on__gte=day),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
        )


class Consent(models.Model):
    """Who agreed to what, when, how, collected by whom, until when.

    Shaped after a consent receipt (ISO/IEC 27560): purpose and scope, the
    collecting organisation and person, the method, validity and withdrawal.
    """

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    scope = models.CharField(
        _("scope"), max_length=200, blank=True,
        help_text=_("In the person's words, for example: about a loan laptop."),
    )
    partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("partner concerned"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="consents_concerning",
    )
    collected_by_partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("collected by organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="consents_collected",
        help_text=_("Empty when the digibank collected it."),
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("collected by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    method = models.CharField(_("method"), max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d/%m/%Y})"

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (
            self.given_on <= day
            and (self.expires_on is None or self.expires_on >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


class HistoryEvent(models.Model):
    """What every history row holds: when it happened and who did it (empty
    for the system's own jobs). Each *Event model adds the record it belongs
    to and what changed (its own status fields, with their own choices).
    Oldest first unless a subclass says otherwise."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    ANONYMISE = "anonymise", _("Anonymised")


class AuditEvent(models.Model):
    """One row for every create, change, view, export or erasure of a
    resident's data, and for every export. Written by services, never edited."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="audit_events",
        help_text=_("Empty for the system's own jobs."),
    )
    action = models.CharField(_("action"), max_length=12, choices=AuditAction.choices)
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="audit_events",
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    target_id = models.CharField(_("record"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=255)
    # The interface language the summary was written in (the actor's), so a
    # page in the other language marks it with lang="…".
    language = models.CharField(_("language of the summary"), max_length=8,
                                default=DATA_LANGUAGE, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["resident", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()}: {self.summary}"


class Heartbeat(models.Model):
    """The last time the Celery beat -> worker path ran a job (one row)."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name}: {self.beat_at:%d/%m/%Y %H:%M:%S}"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    CALL = "call", _("Phone call by a host")


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Messages the outbox dispatcher may send now: not sent, not given
        up, and past their (next) attempt time."""
        return self.filter(sent_at__isnull=True, failed_at__isnull=True,
                           next_attempt_at__lte=now or timezone.now())


PENDING_DELIVERY = Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__isnull=False)


class Delivery(models.Model):
    """What the outbox (``digibank.outbox``) keeps on a message row: a row
    is written in the transaction of the change that causes the message,
    and the dispatcher sends it after commit or at its next sweep, marking
    it sent only once the mail server accepted it."""

    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True,
        help_text=_("Empty when there is nothing to send (a phone call)."))
    attempts = models.PositiveSmallIntegerField(_("attempts to send"), default=0)
    last_error = models.CharField(_("last error"), max_length=120, blank=True)
    sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    class Meta:
        abstract = True

    def email(self):
        """The EmailMessage to send, or None when there is no address any more."""
        raise NotImplementedError


class Notification(Delivery):
    """One message to a resident about one thing (a reminder for an
    enrolment, a cancelled session, a yearly check …).

    The unique constraint on (kind, source, resident) is what makes every
    reminder job idempotent: the same message is never recorded, and so
    never sent, twice. An e-mail is a row of the outbox (``Delivery``).
    """

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("about kind of record"), on_delete=models.CASCADE,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("about record"))
    channel = models.CharField(_("channel"), max_length=8, choices=NotificationChannel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # Retention: the rows that still hold a text (the others stay forever).
            models.Index(fields=["created_at"], condition=~Q(subject="") | ~Q(message=""),
                         name="notification_text_by_time"),
            # The outbox sweep: only the e-mails still to send.
            models.Index(fields=["next_attempt_at"], condition=PENDING_DELIVERY,
                         name="notification_to_send"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id", "resident"],
                name="notification_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.resident_id} ({self.channel})"

    def email(self):
        from django.core.mail import EmailMessage

        address = self.resident.email
        if self.channel != NotificationChannel.EMAIL or not address:
            return None
        return EmailMessage(self.subject, self.message, None, [address],
                            headers={"Message-ID": _message_id("notification", self.pk)})


def _message_id(kind: str, pk: int) -> str:
    # The same Message-ID on every attempt: should a send ever be repeated
    # (the worker died between the server's "accepted" and our commit), a
    # mail system can tell it is one message.
    from django.core.mail import DNS_NAME

    return f"<digibank-{kind}-{pk}@{DNS_NAME}>"


class OutboxEmail(Delivery):
    """An e-mail to a staff member or a partner (a board's digest, a
    referral to follow up, an offer to check): one row per recipient and
    topic, so the same message is never sent twice to the same address,
    however often the change that causes it runs. The text is emptied once
    sent; the row stays as the proof it went. Messages to residents are
    their ``Notification`` rows."""

    topic = models.CharField(_("what about"), max_length=100, db_index=True)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Emptied once sent: it may hold a "
                                                   "password-reset link."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.UniqueConstraint(fields=["topic", "to"], name="outbox_email_once_per_topic"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=PENDING_DELIVERY,
                         name="outbox_email_to_send"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} -> {self.to}"

    def email(self):
        from django.core.mail import EmailMessage

        return EmailMessage(self.subject, self.body, None, [self.to],
                            headers={"Message-ID": _message_id("mail", self.pk)})


class CallStatus(models.TextChoices):
    OPEN = "open", _("To call")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CallResult(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached, try again")
    DECLINED = "declined", _("Does not want to be called")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class CallTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CallStatus.OPEN)

    def due(self, day=None):
        return self.open().filter(due_on__lte=day or timezone.localdate())

    def for_point(self, point):
        """Tasks of a point, plus the city-wide ones any point may call."""
        return self.filter(Q(point=point) | Q(point__isnull=True))


class CallTask(models.Model):
    """A line on a point's call list (bel-lijst): many residents have no
    e-mail, so a host phones them instead. The result of each call is kept."""

    notification = models.OneToOneField(
        Notification, verbose_name=_("notification"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="call_task",
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE,
        related_name="call_tasks",
    )
    point = models.ForeignKey(
        "points.Point", verbose_name=_("point that calls"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="call_tasks",
    )
    kind = models.CharField(_("kind"), max_length=40)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("about kind of record"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("about record"), null=True, blank=True)
    subject = models.CharField(_("what about"), max_length=200)
    message = models.TextField(_("what to say"))
    # The language the subject and message were written in (the resident's
    # for a notification), so the call list marks them with lang="…".
    language = models.CharField(_("language of the message"), max_length=8,
                                default=DATA_LANGUAGE, editable=False)
    due_on = models.DateField(_("call on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    result = models.CharField(_("result"), max_length=14, choices=CallResult.choices, blank=True)
    result_note = models.CharField(_("note"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    handled_at = models.DateTimeField(_("called at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CallTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        indexes = [models.Index(fields=["status", "point", "due_on"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.resident_id})"

    @property
    def source(self):
        """The record this call is about (an enrolment, a referral …)."""
        if self.source_type_id is None:
            return None
        return self.source_type.get_object_for_this_type(pk=self.source_id)


class ErasureLog(models.Model):
    """One erasure of a resident's data: kept by number only (no personal
    data), so it can be replayed after a backup is restored. Each entry is
    also appended to ``VAR_DIR/erasure-log.jsonl``, outside the database."""

    resident_number = models.PositiveBigIntegerField(_("resident number"), db_index=True)
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=255)
    summary = models.JSONField(_("what was done"), default=dict)
    replayed = models.BooleanField(_("replayed after a restore"), default=False)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasure log")

    def __str__(self) -> str:
        return f"#{self.resident_number} {self.erased_at:%d/%m/%Y}"


class RetentionRun(models.Model):
    """One run of the nightly retention job: how many records of each kind
    it deleted, emptied or anonymised (``counts``: kind -> number) and the
    periods in months it applied (``months``)."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("records handled per kind"), default=dict)
    months = models.JSONField(_("months kept per kind"), default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M}"

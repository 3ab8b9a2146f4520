"""How long each kind of personal record is kept after it ends, and what
happens to it then: the retention table, in one place.

This module holds the engine's pieces (``Rule``, the actions) and the
kernel's own kinds (residents, call lists, messages, consents, the audit
trail); every app declares its own kinds in the module its AppConfig names
as ``data_protection`` (``points/retention.py`` …), and ``rules()`` reads
them all. Each rule names the relations to Resident it covers (the keys of
``digibank.privacy.erasure_table()``), so the model and the free-text
fields to blank come from the erasure table instead of a second list; a
test fails when a relation to Resident is covered by no rule, and when a
text field of a record that leads to a resident (a visit's history, a
loan's device events …) is neither deleted nor emptied by a rule nor named
in ``not_about_the_person()``. The periods are defaults:
``RETENTION=visit_notes=12,call_tasks=6`` (see settings) overrides them per
kind. ``digibank.services.apply_retention`` is the nightly job.

It imports no models at the top: the apps' modules import it to declare
their rules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from digibank.days import start_of

DELETE = "delete"
BLANK = "blank"
ANONYMISE = "anonymise"
KEEP = "keep"

ACTIONS = {
    DELETE: _("Deleted"),
    BLANK: _("Free text and keys emptied, the record stays for the statistics"),
    ANONYMISE: _("Anonymised: name, phone, e-mail and year of birth removed"),
    KEEP: _("Kept"),
}


def holds_text(*fields: str) -> Q:
    """Rows where at least one of ``fields`` is not empty yet."""
    query = Q()
    for field in fields:
        query |= ~Q(**{field: ""})
    return query


# Each ``due`` function returns the rows that ended before ``cutoff`` and still
# hold what the rule removes; rows that are still running never match (the
# same tests the apps' activity checks use), and a second run finds nothing.
# The job takes its batches in the order given here: on the big tables that
# is the column of the (partial) index that holds only the rows still to do,
# so a night with little to do reads little. Ordered by primary key,
# PostgreSQL would walk the whole table looking for the first row due.

def _closed_call_tasks(cutoff: date) -> QuerySet:
    from digibank.models import CallStatus, CallTask

    start = start_of(cutoff)
    return CallTask.objects.exclude(status=CallStatus.OPEN).filter(
        Q(handled_at__lt=start) | Q(handled_at__isnull=True, created_at__lt=start))


def _notification_texts(cutoff: date) -> QuerySet:
    from digibank.models import CallStatus, Notification

    return (Notification.objects.filter(created_at__lt=start_of(cutoff))
            .filter(holds_text("subject", "message"))
            .exclude(call_task__status=CallStatus.OPEN).order_by("created_at"))


def _ended_consents(cutoff: date) -> QuerySet:
    from digibank.models import Consent, ConsentPurpose

    consents = Consent.objects.filter(Q(withdrawn_on__lt=cutoff) | Q(expires_on__lt=cutoff))
    # A record of an app rests on its consent (a referral, kept for the
    # figures): the app names them (``CONSENTS_IN_USE``).
    for in_use in collected("CONSENTS_IN_USE"):
        consents = consents.exclude(pk__in=in_use())
    return (consents
            # A withdrawn consent to be contacted is what keeps someone off
            # the call lists: kept while the resident's contact data is held.
            .exclude(purpose=ConsentPurpose.CONTACT, withdrawn_on__isnull=False,
                     resident__anonymised_at__isnull=True))


def _consent_scopes(cutoff: date) -> QuerySet:
    from digibank.models import Consent

    # What the ``consents`` rule keeps past its period (a referral rests on
    # it …) keeps its purpose and dates as proof, without the person's words.
    # A consent without an end stops counting once its resident is anonymised.
    return Consent.objects.exclude(scope="").filter(
        Q(withdrawn_on__lt=cutoff) | Q(expires_on__lt=cutoff)
        | Q(resident__anonymised_at__lt=start_of(cutoff)))


def _old_audit_events(cutoff: date) -> QuerySet:
    from digibank.models import AuditEvent

    return AuditEvent.objects.filter(created_at__lt=start_of(cutoff)).order_by("created_at")


@dataclass(frozen=True)
class Rule:
    """One kind of personal record: kept ``months`` after ``ends``, then
    ``action``. ``relations`` are the ERASURE keys it covers; unless given,
    ``model`` and (for BLANK) ``blank`` come from the first of them.
    ``also_blank`` empties fields of rows hanging off the record (its
    history notes) as ``(model label, lookup to the record, fields)``.
    ``erasure`` is the lookup from ``model`` to the resident whose words
    those fields hold: erasing that resident empties them (and the
    ``also_blank`` ones) at once, whatever the period. Left empty where
    erasure deletes the rows anyway or the field holds no words of theirs."""

    key: str
    label: Promise
    months: int | None
    action: str
    ends: Promise
    why: Promise
    relations: tuple[str, ...] = ()
    model: str = ""
    blank: tuple[str, ...] = ()
    also_blank: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    due: Callable[[date], QuerySet] | None = None
    erasure: str = ""

    @property
    def model_label(self) -> str:
        return self.model or self.relations[0].rsplit(".", 1)[0]

    @property
    def blanked_fields(self) -> tuple[str, ...]:
        if self.blank or self.action != BLANK:
            return self.blank
        from digibank.privacy import erasure_table

        return erasure_table()[self.relations[0]].blank

    @property
    def erasure_blanks(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """What erasing a resident empties by this rule, as ``(model label,
        lookup to the resident, fields)``: the record and the rows hanging off it."""
        if not self.erasure:
            return ()
        return ((self.model_label, self.erasure, self.blanked_fields),
                *((label, f"{lookup}__{self.erasure}", fields)
                  for label, lookup, fields in self.also_blank))

    @property
    def action_label(self) -> Promise:
        return ACTIONS[self.action]

    @property
    def configurable(self) -> bool:
        return self.months is not None


RULES: tuple[Rule, ...] = (
    Rule(
        "residents", _("Resident records"), 24, ANONYMISE,
        ends=_("after the last activity (visit, training, loan …), when nothing is running"),
        why=_("Names and contact details are needed only while we help someone. District "
              "and target groups stay for anonymous statistics."),
        model="digibank.Resident",
    ),
    Rule(
        "call_tasks", _("Call list lines"), 6, DELETE,
        ends=_("after the call was made or cancelled"),
        why=_("Only needed to phone someone; what came of it is kept on the record the call "
              "was about."),
        relations=("digibank.CallTask.resident",), due=_closed_call_tasks,
    ),
    Rule(
        "notifications", _("Texts of messages to residents"), 6, BLANK,
        ends=_("after the message"),
        why=_("The text is only needed to send it. The record stays without text, so the "
              "same message is never sent twice."),
        relations=("digibank.Notification.resident",), blank=("subject", "message"),
        due=_notification_texts,
    ),
    Rule(
        "consents", _("Consents that ended"), 60, DELETE,
        ends=_("after withdrawal or expiry"),
        why=_("Proof of what was agreed and when (GDPR art. 7.1). Kept longer when a "
              "referral rests on it, and a withdrawn consent to be contacted as long as "
              "the resident's contact data is held."),
        relations=("digibank.Consent.resident",), due=_ended_consents,
    ),
    Rule(
        "consent_scopes", _("Scope of a consent in the person's words"), 60, BLANK,
        ends=_("after withdrawal or expiry, or after the resident was anonymised"),
        why=_("The proof of a consent kept longer (a referral rests on it …) needs its "
              "purpose and dates, not the person's words."),
        model="digibank.Consent", blank=("scope",), due=_consent_scopes, erasure="resident",
    ),
    Rule(
        "audit_events", _("Audit trail"), 60, DELETE, ends=_("after the event"),
        why=_("Accountability: who viewed, changed or exported whose data (GDPR art. 5.2)."),
        relations=("digibank.AuditEvent.resident",), due=_old_audit_events,
    ),
    Rule(
        "erasure_log", _("Erasure log"), None, KEEP, ends=_("kept"),
        why=_("Holds only a resident number; needed to erase again after a backup is "
              "restored."),
        model="digibank.ErasureLog",
    ),
)

# The kernel's text fields in records about a resident that no rule
# empties, and why (each app adds its own).
NOT_ABOUT_THE_PERSON: dict[str, str] = {
    "digibank.Notification.kind": "a code for the kind of message, so it is never sent twice",
    "digibank.Notification.last_error": "the mail server's error kind and code, never the "
                                        "address or the message",
    "digibank.AuditEvent.language": "the interface language code (nl or en) the summary was "
                                    "written in, never the person's words",
    "digibank.CallTask.language": "the language code (nl or en) the message was written in",
}

# --- Every app's rules ----------------------------------------------------
#
# The kernel knows only its own records. Each app that keeps something on
# residents names a module on its AppConfig (``data_protection =
# "points.retention"``) that holds its ``RULES``, its ``ERASURE`` paths
# (``digibank.privacy``), and, where needed, ``NOT_ABOUT_THE_PERSON``,
# ``KEPT_ON_ERASURE`` and ``CONSENTS_IN_USE``. The kernel reads them from the
# app registry, so it imports no app above it.


def protection_modules() -> list:
    """The kernel's own modules, then each app's ``data_protection``
    module, in the order of INSTALLED_APPS."""
    from django.apps import apps

    from digibank import privacy

    found = [import_module(config.data_protection) for config in apps.get_app_configs()
             if getattr(config, "data_protection", "")]
    return [import_module(__name__), privacy, *found]


@cache
def collected(name: str) -> tuple:
    """Every module's ``name`` (a tuple), one after the other."""
    return tuple(item for module in protection_modules() for item in getattr(module, name, ()))


@cache
def merged(name: str) -> dict:
    """Every module's ``name`` (a dict) in one; a key twice is a mistake."""
    merged: dict = {}
    for module in protection_modules():
        part = getattr(module, name, {})
        twice = set(merged) & set(part)
        if twice:
            raise ImproperlyConfigured(f"{name} names {sorted(twice)} twice.")
        merged.update(part)
    return merged


def rules() -> tuple[Rule, ...]:
    """Every kind of personal record, the kernel's first; the kinds that
    are kept (no period) last."""
    every = collected("RULES")
    keys = [rule.key for rule in every]
    if len(keys) != len(set(keys)):
        raise ImproperlyConfigured(f"A retention kind is declared twice: {sorted(keys)}.")
    return tuple(sorted(every, key=lambda rule: rule.action == KEEP))


def not_about_the_person() -> dict[str, str]:
    """Text fields in records about a resident that no rule empties, and why."""
    return merged("NOT_ABOUT_THE_PERSON")


def default_months() -> dict[str, int]:
    """The configurable kinds and their default periods in months."""
    return {rule.key: rule.months for rule in rules() if rule.configurable}


def rule_for(key: str) -> Rule:
    return next(rule for rule in rules() if rule.key == key)


def retention_months(key: str) -> int:
    """The period in force for ``key``: the setting, else the default."""
    from django.conf import settings

    if key == "residents":
        return settings.RETENTION_MONTHS
    return settings.RETENTION.get(key, default_months()[key])


def check_setting() -> None:
    """Stop start-up when ``RETENTION`` names a kind no app declares (the
    settings read it before the apps are loaded; ``DigibankConfig.ready``
    calls this once they are)."""
    from django.conf import settings

    known = default_months()
    for kind in settings.RETENTION:
        if kind not in known:
            raise ImproperlyConfigured(
                f"RETENTION names an unknown kind {kind!r}; known kinds: "
                f"{', '.join(sorted(known))}.")

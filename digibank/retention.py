"""How long each kind of personal record is kept after it ends, and what
happens to it then: the retention table, in one place.

Each rule names the relations to Resident it covers (the keys of
``digibank.privacy.ERASURE``), so the model and the free-text fields to
blank come from the erasure table instead of a second list; a test fails
when a relation to Resident is covered by no rule, and when a text field of
a record that leads to a resident (a visit's history, a loan's device
events …) is neither deleted nor emptied by a rule nor named in
``NOT_ABOUT_THE_PERSON``. The periods are
defaults: ``RETENTION=visit_notes=12,call_tasks=6`` (see settings) overrides
them per kind. ``digibank.services.apply_retention`` is the nightly job.

This module is imported by the settings, so it imports no models at the top.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo("Europe/Brussels"))


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

def _visits_with_notes(cutoff: date) -> QuerySet:
    from points.models import OPEN_STATUSES, Visit, VisitEvent

    start = _start_of(cutoff)
    # The candidates come from two small partial indexes that hold only the
    # rows with a note, read up to the cutoff: a night with nothing to do
    # reads nothing, the first run reads each note once per batch. (An OR
    # over the visits table read every old visit, batch after batch.) A note
    # added to the history later goes the period after it was written.
    noted = Visit.objects.filter(arrived_at__lt=start).exclude(note="").order_by().values("pk")
    events = VisitEvent.objects.filter(at__lt=start).exclude(note="").order_by().values("visit")
    return (Visit.objects.exclude(status__in=OPEN_STATUSES)
            .filter(arrived_at__lt=start, pk__in=noted.union(events, all=True)).order_by())


def _visits_with_keys(cutoff: date) -> QuerySet:
    from points.models import OPEN_STATUSES, Visit

    return (Visit.objects.exclude(status__in=OPEN_STATUSES)
            .filter(arrived_at__lt=_start_of(cutoff)).exclude(visitor_key="")
            .order_by("arrived_at"))


def _closed_call_tasks(cutoff: date) -> QuerySet:
    from digibank.models import CallStatus, CallTask

    start = _start_of(cutoff)
    return CallTask.objects.exclude(status=CallStatus.OPEN).filter(
        Q(handled_at__lt=start) | Q(handled_at__isnull=True, created_at__lt=start))


def _notification_texts(cutoff: date) -> QuerySet:
    from digibank.models import CallStatus, Notification

    return (Notification.objects.filter(created_at__lt=_start_of(cutoff))
            .filter(holds_text("subject", "message"))
            .exclude(call_task__status=CallStatus.OPEN).order_by("created_at"))


def _ended_consents(cutoff: date) -> QuerySet:
    from digibank.models import Consent, ConsentPurpose
    from outreach.models import Referral

    return (Consent.objects.filter(Q(withdrawn_on__lt=cutoff) | Q(expires_on__lt=cutoff))
            # A referral rests on its consent (and is kept for the figures).
            .exclude(pk__in=Referral.objects.values("consent"))
            # A withdrawn consent to be contacted is what keeps someone off
            # the call lists: kept while the resident's contact data is held.
            .exclude(purpose=ConsentPurpose.CONTACT, withdrawn_on__isnull=False,
                     resident__anonymised_at__isnull=True))


def _closed_referrals(cutoff: date) -> QuerySet:
    from outreach.models import OPEN_STATUSES, Referral, ReferralEvent

    return Referral.objects.exclude(status__in=OPEN_STATUSES).filter(
        Q(updated_at__lt=_start_of(cutoff)),
        holds_text("reason", "contact_address", "best_time", "outcome")
        | Q(pk__in=ReferralEvent.objects.exclude(note="").values("referral")),
    )


def _closed_interest_entries(cutoff: date) -> QuerySet:
    from trainings.models import InterestEntry

    return InterestEntry.objects.filter(closed_at__lt=_start_of(cutoff))


def _closed_guidance(cutoff: date) -> QuerySet:
    from trainings.models import Guidance, GuidanceStatus

    return Guidance.objects.filter(status=GuidanceStatus.CLOSED, closed_on__lt=cutoff)


def _resolved_repairs(cutoff: date) -> QuerySet:
    from atelier.models import RepairTicket, TicketStatus
    from devices.models import DefectReport

    return RepairTicket.objects.filter(
        Q(status=TicketStatus.RESOLVED, resolved_at__lt=_start_of(cutoff)),
        holds_text("problem")
        | Q(defect_report__in=DefectReport.objects.exclude(problem="")),
    )


def _former_members(cutoff: date) -> QuerySet:
    from soundboard.models import Member

    return Member.objects.filter(left_on__lt=cutoff)


def _ended_subscriptions(cutoff: date) -> QuerySet:
    from devices.models import Subscription, SubscriptionStatus

    return Subscription.objects.filter(
        status=SubscriptionStatus.ENDED, ends_on__lt=cutoff,
    ).filter(holds_text("guardian_name", "guardian_phone"))


def _unrepaired_defect_reports(cutoff: date) -> QuerySet:
    from devices.models import DefectReport, DeviceEvent

    # A report no repair ticket was opened for ends when its device moves on
    # (repaired by hand, retired …): the first step in the device's history
    # after the report. While the device waits in repair, the words stay.
    moved_on = DeviceEvent.objects.filter(
        device=OuterRef("device"), at__gt=OuterRef("reported_at"), at__lt=_start_of(cutoff))
    return (DefectReport.objects.filter(repair_ticket__isnull=True).exclude(problem="")
            .filter(Exists(moved_on)))


def _returned_loans_with_notes(cutoff: date) -> QuerySet:
    from atelier.models import YearlyCheck
    from devices.models import ACTIVE_LOAN_STATUSES, Loan

    noted = (Loan.objects.filter(returned_at__lt=_start_of(cutoff)).exclude(return_note="")
             .order_by().values("pk"))
    checked = YearlyCheck.objects.exclude(findings="").order_by().values("loan")
    return Loan.objects.exclude(status__in=ACTIVE_LOAN_STATUSES).filter(
        returned_at__lt=_start_of(cutoff), pk__in=noted.union(checked))


def _device_history_notes(cutoff: date) -> QuerySet:
    from devices.models import ACTIVE_LOAN_STATUSES, DeviceEvent, DeviceStatus

    return (DeviceEvent.objects.filter(at__lt=_start_of(cutoff)).exclude(note="")
            # The loan it belongs to still runs, or the device is being
            # repaired and the atelier reads its history.
            .exclude(loan__status__in=ACTIVE_LOAN_STATUSES)
            .exclude(device__status=DeviceStatus.IN_REPAIR).order_by("at"))


def _enrolment_history_notes(cutoff: date) -> QuerySet:
    from trainings.models import EnrolmentEvent, EnrolmentStatus

    return (EnrolmentEvent.objects.exclude(note="")
            .filter(enrolment__session__starts_at__lt=_start_of(cutoff))
            .exclude(enrolment__status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)))


def _consent_scopes(cutoff: date) -> QuerySet:
    from digibank.models import Consent

    # What the ``consents`` rule keeps past its period (a referral rests on
    # it …) keeps its purpose and dates as proof, without the person's words.
    # A consent without an end stops counting once its resident is anonymised.
    return Consent.objects.exclude(scope="").filter(
        Q(withdrawn_on__lt=cutoff) | Q(expires_on__lt=cutoff)
        | Q(resident__anonymised_at__lt=_start_of(cutoff)))


def _old_audit_events(cutoff: date) -> QuerySet:
    from digibank.models import AuditEvent

    return AuditEvent.objects.filter(created_at__lt=_start_of(cutoff)).order_by("created_at")


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
        from digibank.privacy import ERASURE

        return ERASURE[self.relations[0]].blank

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
        "visit_notes", _("Notes on visits"), 12, BLANK, ends=_("after the visit"),
        why=_("A note helps when the visitor comes back soon. The visit itself is counted "
              "in the figures, so it stays without the note."),
        relations=("points.Visit.resident",),
        also_blank=(("points.VisitEvent", "visit", ("note",)),),
        due=_visits_with_notes, erasure="resident",
    ),
    Rule(
        "visitor_keys", _("Visitor keys"), 24, BLANK, ends=_("after the visit"),
        why=_("The pseudonymous key counts unique people per year for the funder. Once that "
              "year is reported, the visit counts as a visit, no longer as a person."),
        model="points.Visit", blank=("visitor_key",), due=_visits_with_keys,
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
        "referrals", _("Closed referrals: question, address and outcome"), 24, BLANK,
        ends=_("after the referral was closed"),
        why=_("Referrals are counted in the figures, so they stay, without the words about "
              "the person."),
        relations=("outreach.Referral.resident",),
        also_blank=(("outreach.ReferralEvent", "referral", ("note",)),),
        due=_closed_referrals, erasure="resident",
    ),
    Rule(
        "interest_entries", _("Closed interest list entries"), 12, DELETE,
        ends=_("after the entry was closed"),
        why=_("Only open entries count as demand for a training."),
        relations=("trainings.InterestEntry.resident",), due=_closed_interest_entries,
    ),
    Rule(
        "guidance", _("Guidance trajectories and their notes"), 24, DELETE,
        ends=_("after the trajectory was closed"),
        why=_("The coach's notes serve the guidance only; trajectories are not counted in "
              "the figures."),
        relations=("trainings.Guidance.resident",), due=_closed_guidance,
    ),
    Rule(
        "enrolment_notes", _("Notes in enrolment history"), 12, BLANK,
        ends=_("after the session, once the enrolment is no longer running"),
        why=_("A note (why someone cancelled …) helps around the session. The enrolment "
              "stays for the figures."),
        model="trainings.EnrolmentEvent", blank=("note",), due=_enrolment_history_notes,
        erasure="enrolment__resident",
    ),
    Rule(
        "repair_words", _("Broken devices: the problem in the resident's words"), 24, BLANK,
        ends=_("after the repair was resolved"),
        why=_("The repair stays for the turnaround figures and the device's history, "
              "without the resident's words."),
        model="atelier.RepairTicket", blank=("problem",),
        also_blank=(("devices.DefectReport", "repair_ticket", ("problem",)),),
        due=_resolved_repairs, erasure="loan__resident",
    ),
    Rule(
        "defect_reports", _("Defect reports without a repair: the problem in the resident's "
                            "words"), 24, BLANK,
        ends=_("after the device left repair"),
        why=_("The report stays in the device's history, without the resident's words."),
        model="devices.DefectReport", blank=("problem",), due=_unrepaired_defect_reports,
        erasure="loan__resident",
    ),
    Rule(
        "loan_notes", _("Returned loans: the note on return and the yearly checks' findings"),
        24, BLANK, ends=_("after the device came back"),
        why=_("The loan stays as an asset record; what was noted about the borrower's use "
              "of the device serves only while it is out."),
        model="devices.Loan", blank=("return_note",),
        also_blank=(("atelier.YearlyCheck", "loan", ("findings",)),),
        due=_returned_loans_with_notes, erasure="resident",
    ),
    Rule(
        "device_notes", _("Notes in a device's history"), 24, BLANK,
        ends=_("after the step, when the device is not on loan under it or in repair"),
        why=_("The history of statuses and places stays for the asset records; its notes "
              "can speak of a borrower."),
        model="devices.DeviceEvent", blank=("note",), due=_device_history_notes,
        erasure="loan__resident",
    ),
    Rule(
        "board_members", _("Sounding-board members who left"), 24, DELETE,
        ends=_("after leaving the board"),
        why=_("Access needs and how to reach a member serve the meetings only."),
        relations=("soundboard.Member.resident",), due=_former_members,
    ),
    Rule(
        "school_guardians", _("Parent or guardian on an ended subscription"), 84, BLANK,
        ends=_("after the subscription ended"),
        why=_("Contract and payments: accounting law keeps them seven years."),
        relations=("devices.Subscription.resident",), due=_ended_subscriptions,
        erasure="resident",
    ),
    Rule(
        "audit_events", _("Audit trail"), 60, DELETE, ends=_("after the event"),
        why=_("Accountability: who viewed, changed or exported whose data (GDPR art. 5.2)."),
        relations=("digibank.AuditEvent.resident",), due=_old_audit_events,
    ),
    Rule(
        "statistics", _("Enrolments, loans and reservations"), None, KEEP,
        ends=_("kept"),
        why=_("Counted in the figures and needed as asset records. Their notes are emptied "
              "by the rules above; the resident they link to is anonymised by the first rule."),
        relations=("trainings.Enrolment.resident", "trainings.RunEnrolment.resident",
                   "devices.Loan.resident",
                   "devices.Reservation.resident", "devices.Subscription.guardian"),
    ),
    Rule(
        "erasure_log", _("Erasure log"), None, KEEP, ends=_("kept"),
        why=_("Holds only a resident number; needed to erase again after a backup is "
              "restored."),
        model="digibank.ErasureLog",
    ),
)

# Text fields in records about a resident that no rule empties, and why.
NOT_ABOUT_THE_PERSON: dict[str, str] = {
    "digibank.Notification.kind": "a code for the kind of message, so it is never sent twice",
    "digibank.Notification.last_error": "the mail server's error kind and code, never the "
                                        "address or the message",
    "atelier.RepairTicket.parts_used": "the parts the atelier used, for the repair figures",
}

# The configurable kinds and their periods in months (the settings read them).
DEFAULT_MONTHS: dict[str, int] = {rule.key: rule.months for rule in RULES if rule.configurable}


def rule_for(key: str) -> Rule:
    return next(rule for rule in RULES if rule.key == key)


def retention_months(key: str) -> int:
    """The period in force for ``key``: the setting, else the default."""
    from django.conf import settings

    if key == "residents":
        return settings.RETENTION_MONTHS
    return settings.RETENTION.get(key, DEFAULT_MONTHS[key])

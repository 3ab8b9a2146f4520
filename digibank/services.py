"""State changes of the people core. Each is one transaction that also
writes its audit row."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank import matching, outbox, retention
from digibank.changes import visits_changed
from digibank.env import months
from digibank.locks import lock_on
from digibank.matching import normalise_phone
from digibank.models import (
    AuditAction,
    AuditEvent,
    CallResult,
    CallStatus,
    CallTask,
    ConsentPurpose,
    ErasureLog,
    Heartbeat,
    Notification,
    NotificationChannel,
    Resident,
    RetentionRun,
    User,
)
from digibank.privacy import (
    DELETE,
    RESIDENT_FIELDS_ERASED,
    erasure_table,
    erasure_texts,
    resident_relations,
    subject_access_data,
)


class ResidentError(Exception):
    """A rule about residents was broken; the message is for the user."""


def record_audit(
    *,
    actor: User | None,
    action: str,
    summary: str,
    resident: Resident | None = None,
    target: models.Model | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit row. Call inside the transaction of the change.

    The row keeps the active language, the one ``summary`` was written in.
    A summary that names stored Dutch data (a course) is written in Dutch
    (call inside ``translation.override(DATA_LANGUAGE)``): plain text cannot
    mark the name alone as Dutch in an English sentence."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        resident=resident,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        detail=detail or {},
    )


_RESIDENT_FIELDS = (
    "first_name", "last_name", "phone", "email", "district", "birth_year", "language",
)


def find_or_create_resident(*, actor: User | None, target_groups: Iterable = (),
                            someone_else: bool = False, **fields) -> tuple[Resident, bool]:
    """The one door for new residents (counter, residents page, public
    enrolment, partner contact request). Returns ``(resident, created)``:
    the person with the same identity (``ResidentQuerySet.same_identity``:
    name in any case, accents or order, and phone, or e-mail) when there is
    one, else a new record, audited. ``someone_else``: the user was warned
    about the known person and confirmed this is another one (a namesake
    sharing a phone): always a new record. Locks on the name, so identical
    submits at the same moment make one person. ``fields`` are Resident
    field values. Raises ResidentError without a name or phone."""
    unknown = set(fields) - set(_RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    for name in ("first_name", "last_name", "email"):
        fields[name] = (fields.get(name) or "").strip()
    fields["phone"] = normalise_phone(fields.get("phone", ""))
    if not (fields["first_name"] or fields["last_name"] or fields["phone"]):
        raise ResidentError(_("Give at least a name or a phone number."))
    with transaction.atomic():
        name_key = matching.identity_name(fields["first_name"], fields["last_name"])
        lock_on("resident", name_key or matching.phone_e164(fields["phone"]))
        existing = None if someone_else else Resident.objects.same_identity(
            first_name=fields["first_name"], last_name=fields["last_name"],
            phone=fields["phone"], email=fields["email"]).order_by("pk").first()
        if existing is not None:
            return existing, False
        resident = Resident.objects.create(**fields)
        resident.target_groups.set(target_groups)
        record_audit(
            actor=actor, action=AuditAction.CREATE, resident=resident, target=resident,
            summary=_("Resident record created"),
        )
    return resident, True


def create_resident(*, actor: User | None, target_groups: Iterable = (),
                    someone_else: bool = False, **fields) -> Resident:
    """``find_or_create_resident`` for callers that only need the person."""
    return find_or_create_resident(actor=actor, target_groups=target_groups,
                                   someone_else=someone_else, **fields)[0]


@transaction.atomic
def update_resident(
    *, actor: User | None, resident: Resident, target_groups: Iterable | None = None, **fields
) -> Resident:
    """Change a resident's data; the audit row lists the changed fields."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.is_anonymised:
        raise ResidentError(_("This resident was anonymised and can no longer be changed."))
    if "phone" in fields:
        fields["phone"] = normalise_phone(fields["phone"])
    changed = sorted(name for name, value in fields.items() if getattr(resident, name) != value)
    for name, value in fields.items():
        setattr(resident, name, value)
    resident.save()
    if "district" in changed:
        # The dashboard counts a visit's demand in the resident's district.
        visits_changed(resident=resident)
    if target_groups is not None:
        before = set(resident.target_groups.values_list("pk", flat=True))
        after = {group.pk for group in target_groups}
        if before != after:
            changed.append("target_groups")
            resident.target_groups.set(target_groups)
    if changed:
        record_audit(
            actor=actor, action=AuditAction.CHANGE, resident=resident, target=resident,
            summary=_("Resident record changed"), detail={"fields": changed},
        )
    return resident


def touch_resident(resident: Resident, day: date | None = None) -> None:
    """Mark activity (a visit, loan, enrolment…) so retention keeps the record."""
    day = day or timezone.localdate()
    Resident.objects.filter(pk=resident.pk, last_activity__lt=day).update(last_activity=day)


# Apps register functions that, given a queryset of residents, return the
# queryset of those that still have something active (a loan, an enrolment,
# an open guidance, a referral in progress). Retention never touches them.
ActivityCheck = Callable[[models.QuerySet], models.QuerySet]
_activity_checks: list[ActivityCheck] = []


def register_activity_check(check: ActivityCheck) -> ActivityCheck:
    if check not in _activity_checks:
        _activity_checks.append(check)
    return check


def residents_due_for_anonymisation(today: date | None = None) -> models.QuerySet:
    today = today or timezone.localdate()
    cutoff = today - months(retention.retention_months("residents"))
    base = Resident.objects.active().filter(last_activity__lt=cutoff)
    candidates = base
    for check in _activity_checks:
        # Each check gets the plain base query, so the SQL stays flat however
        # many apps register one.
        candidates = candidates.exclude(pk__in=check(base).values("pk"))
    return candidates


def anonymise_resident(*, actor: User | None, resident: Resident, reason: str) -> bool:
    """Blank a resident's personal data, keeping district and target groups
    for anonymous statistics. Returns False when it was already anonymised."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        if resident.is_anonymised:
            return False
        for field in RESIDENT_FIELDS_ERASED:
            setattr(resident, field, "")
        resident.birth_year = None
        resident.anonymised_at = timezone.now()
        resident.save()
        record_audit(
            actor=actor, action=AuditAction.ANONYMISE, resident=resident, target=resident,
            summary=reason,
        )
    return True


def anonymise_inactive_residents(today: date | None = None) -> int:
    """The nightly retention job: anonymise residents inactive longer than
    ``RETENTION_MONTHS`` with nothing active. Idempotent: a second run finds
    nobody left to change. Returns how many were anonymised."""
    reason = _("Retention: inactive for more than %(months)s months") % {
        "months": retention.retention_months("residents")
    }
    count = 0
    for resident in residents_due_for_anonymisation(today).iterator():
        if anonymise_resident(actor=None, resident=resident, reason=reason):
            count += 1
    return count


RETENTION_BATCH = 1000


def apply_retention(today: date | None = None, *, batch_size: int = RETENTION_BATCH
                    ) -> RetentionRun:
    """The nightly retention job: every kind in ``digibank.retention.rules()``
    past its period is deleted, emptied or anonymised. Works in batches of
    ``batch_size`` rows, each in its own transaction with an audit row that
    counts it; rows still running never match a rule, and each write
    re-checks the rule, so a second run changes nothing. Returns the run
    with its counts per kind."""
    today = today or timezone.localdate()
    run = RetentionRun.objects.create()
    for rule in retention.rules():
        if rule.action == retention.KEEP:
            continue
        period = retention.retention_months(rule.key)
        if rule.action == retention.ANONYMISE:
            done = anonymise_inactive_residents(today)
        else:
            done = _apply_rule(rule, cutoff=today - months(period), period=period,
                               batch_size=batch_size)
        run.counts[rule.key] = done
        run.months[rule.key] = period
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "months", "finished_at"])
    return run


def _apply_rule(rule: retention.Rule, *, cutoff: date, period: int, batch_size: int) -> int:
    model = apps.get_model(rule.model_label)
    total = 0
    while True:
        with transaction.atomic():
            # In the rule's own order, which follows its index (see retention.py).
            pks = list(rule.due(cutoff).values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            # The rule is applied again in the write: a row that came back to
            # life since it was selected (a reopened trajectory …) is left alone.
            rows = rule.due(cutoff).filter(pk__in=pks)
            if rule.action == retention.DELETE:
                done = rows.delete()[1].get(model._meta.label, 0)
            else:
                # The record first: its rule may look at the rows hanging off it.
                done = rows.update(**dict.fromkeys(rule.blanked_fields, ""))
                for label, lookup, fields in rule.also_blank:
                    apps.get_model(label).objects.filter(**{f"{lookup}__in": pks}).update(
                        **dict.fromkeys(fields, ""))
            if done:
                record_audit(
                    actor=None,
                    action=AuditAction.ERASE if rule.action == retention.DELETE
                    else AuditAction.ANONYMISE,
                    summary=_("Retention: %(count)s × %(kind)s (%(months)s months)") % {
                        "count": done, "kind": rule.label, "months": period},
                    detail={"kind": rule.key, "count": done, "months": period,
                            "cutoff": cutoff.isoformat()},
                )
        total += done
        if done < len(pks):
            # What is left changed under us; the next night picks it up.
            break
    return total


def beat_heartbeat(name: str = "celery") -> Heartbeat:
    beat, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now()}
    )
    return beat


# --- Notifications and the call list -------------------------------------


class CallError(Exception):
    """A call-list rule was broken; the message is for the user."""


def resident_language(resident: Resident) -> str:
    """The interface language to write to a resident in (Dutch by default)."""
    available = dict(settings.LANGUAGES)
    return resident.language if resident.language in available else settings.LANGUAGE_CODE


def may_be_called(resident: Resident, day: date | None = None) -> bool:
    """False once a resident withdrew their consent to be contacted and gave
    no new one: such a person never appears on a call list again."""
    day = day or timezone.localdate()
    contact = resident.consents.filter(purpose=ConsentPurpose.CONTACT)
    if not contact.filter(withdrawn_on__lte=day).exists():
        return True
    return contact.valid_on(day).exists()


def _render(text, language: str) -> str:
    with translation.override(language):
        return str(text() if callable(text) else text)


def notify_resident(
    *,
    resident: Resident,
    kind: str,
    source: models.Model,
    subject,
    message,
    point=None,
    due_on: date | None = None,
) -> Notification | None:
    """Tell a resident something about ``source``, once.

    ``subject`` and ``message`` are lazy strings or callables returning text;
    they are rendered in the resident's language. A resident with an e-mail
    address gets an e-mail: the notification is a row of the outbox
    (``digibank.outbox``), written in the caller's transaction and sent
    after commit or by the next sweep, exactly once; one without
    gets a line on ``point``'s call list, unless they asked not to be
    contacted any more (then the message is recorded, not delivered).
    Returns None when this kind of
    message about this source was already recorded for this resident, so
    reminder jobs can run any number of times.
    """
    language = resident_language(resident)
    source_type = ContentType.objects.get_for_model(source)
    channel = NotificationChannel.EMAIL if resident.email else NotificationChannel.CALL
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                resident=resident, kind=kind, source_type=source_type, source_id=source.pk,
                channel=channel, subject=_render(subject, language)[:200],
                message=_render(message, language),
                # In the outbox: sent after commit, or by the next sweep.
                next_attempt_at=timezone.now() if channel == NotificationChannel.EMAIL else None,
            )
    except IntegrityError:
        return None
    if channel == NotificationChannel.EMAIL:
        outbox.send_after_commit("notification", [notification.pk])
    elif may_be_called(resident):
        CallTask.objects.create(
            notification=notification, resident=resident, point=point, kind=kind,
            source_type=source_type, source_id=source.pk,
            subject=notification.subject, message=notification.message, language=language,
            due_on=due_on or timezone.localdate(),
        )
    return notification


def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail now if it is still due (the outbox
    normally does this); a second call sends nothing."""
    return outbox.send_rows("notification", [notification_id]) == 1


def add_call_task(
    *, resident: Resident, kind: str, subject: str, message: str, point=None,
    source: models.Model | None = None, due_on: date | None = None,
) -> CallTask:
    """Put a resident on a point's call list (for calls that are not a
    notification, such as a partner's contact request). ``source`` is the
    record the call is about; handlers registered for ``kind`` hear the result.
    ``subject`` and ``message`` are in the active language."""
    return CallTask.objects.create(
        resident=resident, point=point, kind=kind, subject=subject[:200], message=message,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        due_on=due_on or timezone.localdate(),
    )


# Apps that need to act on a call's result (a referral becomes "contacted"
# or "unreachable") register a handler per kind in AppConfig.ready(). It runs
# inside record_call_result's transaction, after the result is saved.
CallHandler = Callable[[CallTask, User], None]
_call_handlers: dict[str, CallHandler] = {}


def register_call_handler(kind: str, handler: CallHandler) -> None:
    _call_handlers[kind] = handler


# Apps may offer a one-click action on the calls of a kind (trainings: enrol
# in the place the resident was told about): a function of the list's open
# tasks of that kind returning {task pk: (button label, URL to POST to)}.
CallActions = Callable[[list[CallTask]], dict[int, tuple[str, str]]]
_call_actions: dict[str, CallActions] = {}


def register_call_action(kind: str, actions: CallActions) -> None:
    _call_actions[kind] = actions


def call_actions(tasks: Iterable[CallTask]) -> dict[int, tuple[str, str]]:
    """The one-click actions of these call tasks, one call per kind."""
    by_kind: dict[str, list[CallTask]] = {}
    for task in tasks:
        if task.status == CallStatus.OPEN and task.kind in _call_actions:
            by_kind.setdefault(task.kind, []).append(task)
    actions: dict[int, tuple[str, str]] = {}
    for kind, group in by_kind.items():
        actions.update(_call_actions[kind](group))
    return actions


@transaction.atomic
def record_call_result(
    *, actor: User, task: CallTask, result: str, note: str = "",
    try_again_on: date | None = None, seen_attempts: int | None = None,
) -> CallTask:
    """Record the result of one call. "Not reached" keeps the task open for
    ``try_again_on`` (tomorrow by default); every other result closes it.
    ``seen_attempts`` is the number of attempts the caller saw on the list:
    when another result was recorded since (a double click, a colleague), the
    call is refused, so one real attempt is counted once."""
    task = CallTask.objects.select_for_update().get(pk=task.pk)
    if task.status != CallStatus.OPEN:
        raise CallError(_("This call was already handled."))
    if seen_attempts is not None and seen_attempts != task.attempts:
        raise CallError(_("This call was already recorded a moment ago."))
    if result not in CallResult.values:
        raise CallError(_("Choose the result of the call."))
    today = timezone.localdate()
    task.result = result
    task.result_note = note
    task.attempts += 1
    task.handled_by = actor
    task.handled_at = timezone.now()
    if result == CallResult.NOT_REACHED:
        try_again_on = try_again_on or today + timedelta(days=1)
        if try_again_on < today:
            raise CallError(_("The date to try again cannot be in the past."))
        task.due_on = try_again_on
    else:
        task.status = CallStatus.DONE
    task.save()
    handler = _call_handlers.get(task.kind)
    if handler is not None:
        handler(task, actor)
    record_audit(
        actor=actor, action=AuditAction.CHANGE, resident=task.resident, target=task,
        summary=_("Call recorded: %(result)s") % {"result": task.get_result_display()},
    )
    return task


def cancel_call_tasks(*, resident: Resident, kinds: Iterable[str] | None = None) -> int:
    """Take a resident off every call list (for example after withdrawing
    consent). Returns how many open calls were cancelled."""
    tasks = CallTask.objects.open().filter(resident=resident)
    if kinds is not None:
        tasks = tasks.filter(kind__in=list(kinds))
    return tasks.update(status=CallStatus.CANCELLED)


class ErasureError(Exception):
    """A resident cannot be erased now; the message is for the user, and
    ``blockers`` lists what is still running, each with what to do."""

    def __init__(self, message: str, blockers: list["Blocker"] | None = None):
        super().__init__(message)
        self.blockers = blockers or []


@dataclass(frozen=True)
class Blocker:
    """One record that keeps a resident from being erased: what it is (in
    words a coordinator recognises), where to open it, and what to do."""

    kind: str  # "an active loan", for grouping and tests
    what: str
    url: str
    todo: str


# Apps register, next to their activity check, a function that lists the
# records behind it for one resident (``Blocker`` rows), so a refused
# erasure says what to close, and where.
BlockerLister = Callable[[Resident], list[Blocker]]
_blocker_listers: list[BlockerLister] = []


def register_erasure_blockers(lister: BlockerLister) -> BlockerLister:
    if lister not in _blocker_listers:
        _blocker_listers.append(lister)
    return lister


def erasure_blockers(resident: Resident) -> list[Blocker]:
    """Everything still running for ``resident`` that erasure would not
    delete itself (a loan, an open referral, an upcoming enrolment …)."""
    return [blocker for lister in _blocker_listers for blocker in lister(resident)]


def has_active_records(resident: Resident) -> bool:
    """Whether any app still has something active for ``resident`` (an open
    loan, a referral in progress …), by the same checks retention uses."""
    base = Resident.objects.filter(pk=resident.pk)
    return any(check(base).exists() for check in _activity_checks)


def export_subject_access(*, actor: User | None, resident: Resident) -> dict:
    """Everything held on ``resident`` (GDPR art. 15), with an audit row."""
    data = subject_access_data(resident)
    record_audit(actor=actor, action=AuditAction.EXPORT, resident=resident, target=resident,
                 summary=_("Subject-access export"),
                 detail={"sections": sorted(data["records"])})
    return data


def erase_resident(*, actor: User | None, resident: Resident, reason: str,
                   replay: bool = False) -> ErasureLog:
    """Erase a resident's data (GDPR art. 17): rows of the kinds
    ``digibank.privacy.erasure_table()`` marks DELETE go, the others are kept with
    the person's words emptied (their own free text and the notes hanging
    off them: ``privacy.erasure_texts``, counted per model under
    ``emptied`` in the summary), and the resident record is anonymised. Writes an
    ErasureLog entry (also appended to the erasure-log file after commit) so
    the erasure can be replayed after a restore. Raises ErasureError while
    something is still active (a device on loan …)."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        if not replay and ErasureLog.objects.filter(resident_number=resident.pk).exists():
            raise ErasureError(_("This resident's data was already erased."))
        summary = {}
        table = erasure_table()
        for relation in resident_relations():
            handling = table[relation.key]
            rows = relation.rows(resident)
            if handling.action == DELETE:
                summary[relation.key] = {"deleted": rows.delete()[0]}
            else:
                summary[relation.key] = {"kept": rows.count()}
        # The person's words in what is kept (the record's own free text, the
        # notes in its history …), by the retention rules' list of them.
        emptied = summary["emptied"] = {}
        for label, lookup, fields in erasure_texts():
            done = (apps.get_model(label).objects.filter(**{lookup: resident})
                    .filter(retention.holds_text(*fields)).update(**dict.fromkeys(fields, "")))
            emptied[label] = emptied.get(label, 0) + done
        # Checked after the deletions (open call tasks, guidance … go with
        # them); what is left running rolls the whole erasure back.
        if has_active_records(resident):
            raise ErasureError(_("This resident still has something running. Close what is "
                                 "listed below first, then erase."),
                               blockers=erasure_blockers(resident))
        resident.target_groups.clear()
        for field in RESIDENT_FIELDS_ERASED:
            setattr(resident, field, "")
        resident.birth_year = None
        resident.anonymised_at = resident.anonymised_at or timezone.now()
        resident.save()
        record_audit(actor=actor, action=AuditAction.ERASE, resident=resident, target=resident,
                     summary=reason)
        entry = ErasureLog.objects.create(resident_number=resident.pk, actor=actor
                                          if actor and actor.is_authenticated else None,
                                          reason=reason[:255], summary=summary, replayed=replay)
        if not replay:
            transaction.on_commit(lambda: _append_erasure_file(entry))
    return entry


def erasure_log_path():
    return settings.VAR_DIR / "erasure-log.jsonl"


def _append_erasure_file(entry) -> None:
    path = erasure_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"resident": entry.resident_number, "erased_at": entry.erased_at.isoformat(),
            "reason": entry.reason}
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


def replay_erasures(lines: Iterable[str]) -> int:
    """After restoring a backup, erase again everyone in the erasure-log
    file whose data came back. Idempotent: residents already anonymised or
    gone are skipped. Returns how many were erased again."""
    count = 0
    for line in lines:
        if not line.strip():
            continue
        number = json.loads(line)["resident"]
        resident = Resident.objects.filter(pk=number, anonymised_at__isnull=True).first()
        if resident is None:
            continue
        erase_resident(actor=None, resident=resident, replay=True,
                       reason=_("Erasure replayed after a restore"))
        count += 1
    return count

"""What we hold on one resident, and what erasure does with each kind of record.

Every model with a foreign key to Resident is found by introspection, so the
subject-access export cannot forget a new one. Erasure needs a decision per
relation (delete the rows, or keep them for a stated reason with the
personal free text blanked); ``ERASURE`` holds that decision and a test
fails when a relation to Resident has none. Each app declares the
decisions about its own models (``ERASURE`` in the module its AppConfig
names as ``data_protection``). The retention table
(``digibank.retention``) reuses it for the model and the fields to blank,
and in turn says which texts in the records kept (the notes in their
history, a loan's device events …) hold the person's words: erasure empties
those (``erasure_texts``), so both read one list.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from digibank import retention
from digibank.models import Resident

DELETE = "delete"
KEEP = "keep"


@dataclass(frozen=True)
class Handling:
    action: str  # DELETE or KEEP
    reason: str = ""
    blank: tuple[str, ...] = ()  # free-text fields emptied on a kept record


# The kernel's relations to Resident: "app_label.Model.field" -> what
# erasure does with those rows; each app declares its own in its
# ``data_protection`` module (``erasure_table()`` reads them all). Kept rows stay
# linked to the anonymised resident (no name, phone, e-mail or birth year),
# which keeps the counts of past periods right without identifying anyone.
ERASURE: dict[str, Handling] = {
    "digibank.Consent.resident": Handling(
        KEEP, _("Proof of what was agreed and when (GDPR art. 7.1).")),
    "digibank.AuditEvent.resident": Handling(
        KEEP, _("Accountability: who did what with the data (GDPR art. 5.2).")),
    "digibank.Notification.resident": Handling(DELETE),
    "digibank.CallTask.resident": Handling(DELETE),
}


# The resident's own fields that erasure empties (district and target groups
# go or stay as the anonymisation says; see ``erase_resident``).
RESIDENT_FIELDS_ERASED = ("first_name", "last_name", "phone", "email",
                          # derived from the above for the search (digibank.matching)
                          "search_name", "name_key", "phone_e164")

# Texts in records kept after erasure that it leaves as they are, and why
# (besides ``retention.not_about_the_person()``); apps add their own.
KEPT_ON_ERASURE: dict[str, str] = {
    "digibank.AuditEvent.summary": "what was done, written by the system (or the erasure's "
                                   "reason, by the coordinator): accountability, GDPR art. 5.2",
    "digibank.AuditEvent.target_id": "the number of the record acted on",
}


def erasure_table() -> dict[str, Handling]:
    """What erasure does with every relation to Resident, of every app."""
    return retention.merged("ERASURE")


def kept_on_erasure() -> dict[str, str]:
    """Texts erasure leaves in the records it keeps, and why, of every app."""
    return retention.merged("KEPT_ON_ERASURE")


def erasure_texts() -> list[tuple[str, str, tuple[str, ...]]]:
    """The texts erasing a resident empties in the records it keeps, as
    ``(model label, lookup to the resident, fields)``: what the retention
    rules empty after their period, at once (see ``retention.Rule.erasure``)."""
    return [blank for rule in retention.rules() for blank in rule.erasure_blanks]


@dataclass(frozen=True)
class ResidentRelation:
    model: type[models.Model]
    field: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    @property
    def title(self) -> str:
        """The kind of record in words ("Bezoeken"); with the role the
        resident plays in it when a record can point at them twice
        ("Abonnementen (ouder of voogd)")."""
        name = capfirst(str(self.model._meta.verbose_name_plural))
        if sum(1 for field in self.model._meta.concrete_fields
               if field.is_relation and field.related_model is Resident) < 2:
            return name
        return f"{name} ({self.model._meta.get_field(self.field).verbose_name})"

    def rows(self, resident: Resident) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.field: resident}).order_by("pk")


def resident_relations() -> list[ResidentRelation]:
    """Every foreign key (or one-to-one) to Resident in every installed app."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (field.concrete and field.is_relation and field.related_model is Resident
                    and (field.many_to_one or field.one_to_one)):
                found.append(ResidentRelation(model, field.name))
    return found


def _value(obj: models.Model, field: models.Field):
    if field.choices:
        return getattr(obj, f"get_{field.attname}_display")()
    if field.is_relation:
        related = getattr(obj, field.name)
        if related is None:
            return None
        if isinstance(related, AbstractBaseUser):
            # A staff member by their name, never their login name.
            return related.get_full_name() or str(related)
        return str(related)
    return getattr(obj, field.attname)


def _generic_ids(model: type[models.Model]) -> set[str]:
    """The number fields that go with a kind-of-record field (``source_type``
    and ``source_id``): a raw id that means nothing to the resident."""
    return {field.name.removesuffix("_type") + "_id" for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is ContentType}


def _shown(field: models.Field, generic_ids: set[str]) -> bool:
    """Whether a field is for the resident to read. Left out: record numbers,
    form and open-data keys (UUIDs), what the system derives for searching
    (non-editable texts such as the search name and name key), pseudonymous
    keys, kinds of record and their ids, and machine codes without Dutch
    words (a ``kind`` without choices: the subject or message says it)."""
    if field.primary_key or isinstance(field, models.UUIDField):
        return False
    if not field.editable and not isinstance(field, models.DateField):
        return False
    if field.is_relation and field.related_model is ContentType:
        return False
    if field.name in generic_ids or field.name.endswith("_key"):
        return False
    return not (field.name == "kind" and not field.choices)


def describe(obj: models.Model, skip: str = "", children: bool = True) -> dict:
    """A record as {field label: value}, readable to the resident; with
    ``children``, the rows that hang off it (history rows, guidance
    meetings …) nested under their name, one level deep."""
    generic_ids = _generic_ids(type(obj))
    data = {str(field.verbose_name): _value(obj, field)
            for field in obj._meta.concrete_fields
            if field.name != skip and _shown(field, generic_ids)}
    for field in obj._meta.many_to_many:
        data[str(field.verbose_name)] = [str(item) for item in getattr(obj, field.name).all()]
    for relation in obj._meta.related_objects if children else ():
        if relation.one_to_many and not relation.hidden:
            accessor = relation.get_accessor_name()
            children = getattr(obj, accessor).all()
            if children:
                data[str(relation.related_model._meta.verbose_name_plural)] = [
                    describe(child, skip=relation.field.name, children=False)
                    for child in children]
    return data


def subject_access_data(resident: Resident) -> dict:
    """Everything held on ``resident``: the record itself and one section
    per model that refers to them."""
    sections = {}
    for relation in resident_relations():
        rows = [describe(row, skip=relation.field) for row in relation.rows(resident)]
        if rows:
            sections[relation.title] = rows
    own = describe(resident, children=False)
    own[str(Resident._meta.get_field("target_groups").verbose_name)] = [
        str(group) for group in resident.target_groups.all()]
    return {"resident": own, "records": sections}


# The keys the apps write in an audit row's details, in words.
DETAIL_LABELS = {
    "sections": _("parts"),
    "fields": _("fields"),
    "filters": _("filters"),
    "table": _("table"),
    "format": _("file format"),
    "start": _("from"),
    "end": _("until and including"),
    "points": _("points"),
    "kind": _("kind"),
    "count": _("number"),
    "months": _("months"),
    "cutoff": _("before"),
    "from": _("from"),
    "place": _("place"),
}


def _text(value) -> str:
    from django.utils import formats

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        # A record's technical details (an audit row's ``detail``): each
        # part named in words, never a raw {'sections': […]}.
        return "; ".join(f"{DETAIL_LABELS.get(key, key.replace('_', ' '))}: {_text(part)}"
                         for key, part in value.items()) or "—"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def readable(record: dict) -> list[dict]:
    """A described record as label/text pairs for the page; nested rows
    under ``children``."""
    items = []
    for label, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items.append({"label": label, "text": "", "children": [readable(v) for v in value]})
        else:
            items.append({"label": label, "text": _text(value), "children": []})
    return items

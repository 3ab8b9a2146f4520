"""Forms of the counter and its panels: the new visit, the queue's steps,
the correction of a visit, the offers ticked in the digikaart panel and the
quick enrolment."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank import matching
from digibank.fields import PhoneField, first_name_field, last_name_field
from digibank.forms import SEARCH_TOO_LONG
from digibank.models import Resident
from outreach.models import Offer
from points.models import Channel, Point, QuestionTopic, Visit, VisitOutcome, VisitStatus
from points.services import NextStep
from trainings.models import Course, Session

# --- the counter ---


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a returning visitor"), required=False, max_length=80,
                        error_messages={"max_length": SEARCH_TOO_LONG})

    def query(self) -> str:
        """The search text, or "" when it is too short to search (< 2 characters)."""
        if not self.is_valid():
            return ""
        text = self.cleaned_data["q"].strip()
        return text if len(text) >= 2 else ""


def is_submit_key(value: str | None) -> bool:
    """A one-time key as the form renders it (a UUID)."""
    try:
        uuid.UUID(str(value or ""))
    except ValueError:
        return False
    return True


class VisitForm(forms.Form):
    """A new visit at the counter. Everything is optional except what to do
    next, so an anonymous quick question takes two clicks."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Question about"), queryset=QuestionTopic.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    channel = forms.ModelChoiceField(
        label=_("How did they hear of the digibank?"),
        queryset=Channel.objects.filter(is_active=True), required=False,
        empty_label=_("Did not ask"),
    )
    resident = forms.ModelChoiceField(
        label=_("Resident"), queryset=Resident.objects.active(), required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This resident no longer exists.")},
    )
    # The same fields, with the same rules, as the full resident form.
    first_name = first_name_field()
    last_name = last_name_field()
    phone = PhoneField(required=False)
    someone_else = forms.BooleanField(
        label=_("This is someone else: add a new resident"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    visitor_word = forms.CharField(
        label=_("Visitor code"), max_length=80, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Only if the visitor agrees: a word they will remember, for example a pet's "
                    "name and a year. We keep a code made from it, never the word, to count "
                    "people once."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome when you finish now"), choices=VisitOutcome.choices,
        initial=VisitOutcome.SOLVED, required=False,
    )
    next_step = forms.ChoiceField(
        choices=[(NextStep.SOLVED, _("Finish now")), (NextStep.COACH, _("To the coach")),
                 (NextStep.QUEUE, _("Waiting"))],
        error_messages={"required": _("Choose what happens next.")},
    )
    # One key per form shown: the same form sent twice registers one visit.
    submit_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submit_key"].initial = uuid.uuid4
        self.duplicates: list[Resident] = []

    def new_resident(self) -> dict | None:
        """Data for a new resident record, when a name or phone was typed
        and no existing resident was chosen."""
        data = self.cleaned_data
        if data.get("resident") is not None:
            return None
        fields = {name: (data.get(name) or "").strip() for name in ("first_name", "last_name",
                                                                      "phone")}
        return fields if any(fields.values()) else None

    def sent_before(self) -> bool:
        """This very form already registered its visit (a double click)."""
        key = self.cleaned_data.get("submit_key")
        return key is not None and Visit.objects.filter(submit_key=key).exists()

    def is_empty(self) -> bool:
        """Nothing typed or chosen beyond the defaults: no topic, channel,
        visitor, note, visitor code or other outcome, and no offer or
        training ticked in the digikaart panel (posted with this form)."""
        data = self.cleaned_data
        return not (data.get("topics") or data.get("channel") or data.get("resident")
                    or self.new_resident() or data.get("note") or data.get("visitor_word")
                    or data.get("outcome") not in ("", VisitOutcome.SOLVED)
                    or self.data.get("aanbod") or self.data.get("sessie"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next_step") == NextStep.SOLVED and not self.errors and self.is_empty():
            # An empty "Finish now" is a click by mistake, not a visit.
            self.add_error("topics", _("Tick what the question was about (or choose the "
                                       "visitor) before you finish the visit."))
        new = self.new_resident() if not self.errors else None
        if new and not cleaned.get("someone_else"):
            # The same matching as the search: "Josee Peeters" warns about Josée.
            self.duplicates = list(Resident.objects.possible_duplicates(**new)
                                   .select_related("district")[:5])
            # Asked after the duplicates: a person this very form made is
            # seen together with its visit (one transaction), never alone.
            if self.duplicates and self.sent_before():
                self.duplicates = []
            if self.duplicates:
                self._warn_about_duplicates(new)
        return cleaned


    def _warn_about_duplicates(self, new: dict) -> None:
        """The warning next to the field that matched, naming the person:
        "same phone number as Maria Peeters" under the phone, "same name as
        …" under the last name (both when both matched)."""
        e164 = matching.phone_e164(new["phone"])
        key = matching.identity_name(new["first_name"], new["last_name"])
        by_phone = [str(person) for person in self.duplicates
                    if e164 and person.phone_e164 == e164]
        by_name = [str(person) for person in self.duplicates
                   if key and person.name_key == key]
        if by_phone:
            self.add_error("phone", _(
                "This may be someone who is already known: same phone number as "
                "%(names)s. Choose them among the visitors above, or tick “This is "
                "someone else”.") % {"names": ", ".join(by_phone)})
        if by_name or not by_phone:
            self.add_error("last_name", _(
                "This may be someone who is already known: same name as %(names)s. "
                "Choose them among the visitors above, or tick “This is someone "
                "else”.") % {"names": ", ".join(by_name or map(str, self.duplicates))})


class FinishVisitForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices,
        error_messages={"required": _("Choose how the visit ended.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HandOverForm(forms.Form):
    note = forms.CharField(label=_("Note for the coach"), max_length=300, required=False)


class CorrectVisitForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=_("Question about"), queryset=QuestionTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    channel = forms.ModelChoiceField(
        label=_("How did they hear of the digibank?"), queryset=Channel.objects.all(),
        required=False, empty_label=_("Did not ask"),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices,
        error_messages={"required": _("Choose how the visit ended.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, visit: Visit, **kwargs):
        """Only a finished visit has an outcome (and must keep one): the
        field is offered for those alone, without "not finished yet"."""
        super().__init__(*args, **kwargs)
        if visit.status != VisitStatus.DONE:
            del self.fields["outcome"]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("outcome", "")
        return cleaned


class CancelVisitForm(forms.Form):
    reason = forms.CharField(
        label=_("Why cancel this visit?"), max_length=200,
        help_text=_("For example: registered twice, or at the wrong point."),
        error_messages={"required": _("Say why the visit is cancelled.")},
    )


# --- the digikaart panel ---


class CounterOffersForm(forms.Form):
    """The topics ticked at the counter (same field name as the visit form)."""

    topics = forms.ModelMultipleChoiceField(
        queryset=QuestionTopic.objects.filter(is_active=True), required=False)


class GivenOffersForm(forms.Form):
    """The offers and training sessions ticked in the counter panel, sent
    with the visit form (or to the slip)."""

    aanbod = forms.ModelMultipleChoiceField(queryset=Offer.objects.none(), required=False)
    sessie = forms.ModelMultipleChoiceField(queryset=Session.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanbod"].queryset = Offer.objects.current()
        self.fields["sessie"].queryset = Session.objects.planned().upcoming()

    def given(self) -> dict:
        """``offers`` and ``sessions`` for the service (empty when invalid)."""
        if not self.is_valid():
            return {"offers": [], "sessions": []}
        return {"offers": list(self.cleaned_data["aanbod"]),
                "sessions": list(self.cleaned_data["sessie"])}


# --- the quick enrolment ---


class EnrolForm(forms.Form):
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.active(),
        error_messages={"required": _("Choose who to enrol.")},
    )
    session = forms.ModelChoiceField(
        queryset=Session.objects.all(),
        error_messages={"required": _("Choose a session."),
                        "invalid_choice": _("This session does not exist.")},
    )
    # Only this date of a series (where its course allows it).
    alone = forms.BooleanField(required=False)


class InterestForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Training"), queryset=Course.objects.filter(is_active=True), required=False,
        empty_label=_("No training fits yet"),
    )
    topic = forms.ModelChoiceField(
        label=_("Or a topic"), queryset=QuestionTopic.objects.filter(is_active=True),
        required=False, empty_label=_("No topic"),
        help_text=_("When no training fits: what they want to learn."),
    )
    point = forms.ModelChoiceField(
        label=_("Preferred point"), queryset=Point.objects.filter(is_active=True),
        required=False, empty_label=_("No preference"),
    )


    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("course") and not cleaned.get("topic"):
            raise forms.ValidationError(_("Choose a training or a topic."))
        return cleaned

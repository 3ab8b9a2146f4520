from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import SubscriptionPlan
from digibank.fields import DateInput
from digibank.models import Language, Resident
from outreach.models import Partner
from points.models import Point
from soundboard.models import (
    ContactBy,
    FeedbackItem,
    FeedbackStatus,
    FeedbackTopic,
    SoundingBoard,
)
from trainings.models import Course

DATE_WIDGET = DateInput()


class MemberForm(forms.Form):
    """A resident found with the search above the form, or a partner's
    representative by name; then the access needs."""

    resident = forms.ModelChoiceField(
        label=_("Resident"), queryset=Resident.objects.active(), required=False,
        widget=forms.RadioSelect, empty_label=None,
    )
    partner = forms.ModelChoiceField(
        label=_("Or a representative of"), queryset=Partner.objects.filter(is_active=True),
        required=False, empty_label=_("No organisation"),
    )
    name = forms.CharField(label=_("Representative's name"), max_length=120, required=False)
    joined_on = forms.DateField(label=_("Joined on"), initial=timezone.localdate,
                                widget=DATE_WIDGET)
    contact_by = forms.ChoiceField(label=_("Reach them by"), choices=ContactBy.choices,
                                   initial=ContactBy.PHONE)
    interpreter_language = forms.ChoiceField(
        label=_("Needs an interpreter for"), required=False,
        choices=[("", _("No interpreter needed")), *Language.choices],
    )
    needs_easy_read = forms.BooleanField(label=_("Easy-read texts"), required=False)
    needs_wheelchair_access = forms.BooleanField(label=_("Wheelchair access"), required=False)
    needs_hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)

    def __init__(self, *args, found=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the residents the search found are offered; any active
        # resident's id still validates (the queryset), so a re-post works.
        self.fields["resident"].choices = [(r.pk, f"{r} {r.phone}".strip()) for r in found]

    def clean(self):
        cleaned = super().clean()
        resident, partner = cleaned.get("resident"), cleaned.get("partner")
        if resident and partner:
            self.add_error("partner", _("Choose a resident or an organisation, not both."))
        elif not resident and not partner and not self.errors:
            self.add_error(
                "resident", _("Search and choose a resident, or choose an organisation.")
            )
        if partner and not cleaned.get("name", "").strip():
            self.add_error("name", _("Give the name of the organisation's representative."))
        return cleaned


class MemberNeedsForm(forms.Form):
    contact_by = MemberForm.base_fields["contact_by"]
    interpreter_language = MemberForm.base_fields["interpreter_language"]
    needs_easy_read = MemberForm.base_fields["needs_easy_read"]
    needs_wheelchair_access = MemberForm.base_fields["needs_wheelchair_access"]
    needs_hearing_loop = MemberForm.base_fields["needs_hearing_loop"]


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"},
                                                                    format="%H:%M"))
    point = forms.ModelChoiceField(
        label=_("At point"), queryset=Point.objects.filter(is_active=True), required=False,
        empty_label=_("Not at a point"),
    )
    venue_partner = forms.ModelChoiceField(
        label=_("Or at partner"), queryset=Partner.objects.filter(is_active=True),
        required=False, empty_label=_("No partner"),
    )
    venue = forms.CharField(
        label=_("Venue"), max_length=200, required=False,
        help_text=_("Room or address, when the meeting is not at a digibank point."),
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(
        attrs={"rows": 4}))

    def __init__(self, *args, with_agenda: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_agenda:
            del self.fields["agenda"]

    def clean(self):
        cleaned = super().clean()
        place = (cleaned.get("point") or cleaned.get("venue_partner")
                 or cleaned.get("venue", "").strip())
        if not self.errors and not place:
            self.add_error("point", _("Choose a point or give the partner venue."))
        if not self.errors and self.starts_at < timezone.now():
            self.add_error("day", _("This moment has passed. Choose a day and time to come."))
        return cleaned

    @property
    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["day"], data["time"]))


class NotesForm(forms.Form):
    agenda = forms.CharField(label=_("Agenda"), required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    minutes = forms.CharField(label=_("Short minutes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))


class FeedbackForm(forms.Form):
    words = forms.CharField(
        label=_("What the group said"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In their own words."),
        error_messages={"required": _("Write down what the group said.")},
    )
    topic = forms.ChoiceField(
        label=_("About"), choices=FeedbackTopic.choices, widget=forms.RadioSelect,
        initial=FeedbackTopic.INITIATIVE,
        error_messages={"required": _("Choose what the feedback is about.")},
    )
    about = forms.CharField(label=_("Which initiative, place or service"), max_length=200,
                            required=False)
    point = forms.ModelChoiceField(
        label=_("Point concerned"), queryset=Point.objects.filter(is_active=True),
        required=False, empty_label=_("No point"),
    )
    course = forms.ModelChoiceField(
        label=_("Training concerned"), queryset=Course.objects.filter(is_active=True),
        required=False, empty_label=_("No training"),
    )
    device_plan = forms.ModelChoiceField(
        label=_("Loan plan concerned"), queryset=SubscriptionPlan.objects.filter(is_active=True),
        required=False, empty_label=_("No loan plan"),
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("What happens with it"), widget=forms.RadioSelect,
                               error_messages={"required": _("Choose what happens with it.")})
    answer = forms.CharField(
        label=_("Our answer"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("Short sentences the group will hear. For “not taken up”, say why."),
    )

    def __init__(self, *args, item: FeedbackItem, **kwargs):
        kwargs.setdefault("initial", {"answer": item.answer})
        super().__init__(*args, **kwargs)
        allowed = item.ALLOWED_TRANSITIONS[item.status]
        self.fields["status"].choices = [
            (value, label) for value, label in FeedbackStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("answer", "").strip() and "status" in cleaned:
            message = (_("Say why this is not taken up: the group will hear it.")
                       if cleaned["status"] == FeedbackStatus.NOT_TAKEN_UP
                       else _("Write the answer the group will hear."))
            self.add_error("answer", message)
        return cleaned


class StepForm(forms.Form):
    title = forms.CharField(label=_("What we did"), max_length=200)
    description = forms.CharField(label=_("More about it"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    taken_on = forms.DateField(label=_("Done on"), initial=timezone.localdate,
                               widget=DATE_WIDGET)
    is_public = forms.BooleanField(
        label=_("Tell the members"), required=False, initial=True,
        help_text=_("Untick for internal steps: they stay off the members' sheet."),
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Answers this feedback"), queryset=FeedbackItem.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    other_boards = forms.ModelMultipleChoiceField(
        label=_("Also tell these boards"), queryset=SoundingBoard.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = board.items.open().order_by("-raised_on", "-pk")
        self.fields["other_boards"].queryset = SoundingBoard.objects.filter(
            is_active=True).exclude(pk=board.pk)

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be later than today."))
        return taken_on


class ToldBackForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("The group heard these answers"), queryset=FeedbackItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the answers the group heard.")},
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = board.items.to_tell_back().order_by("raised_on", "pk")
        self.fields["items"].label_from_instance = _item_with_status


def _item_with_status(item: FeedbackItem) -> str:
    words = item.words if len(item.words) <= 80 else item.words[:77] + "…"
    return f"{words} ({item.get_status_display()})"


class FeedbackFilterForm(forms.Form):
    """The overview's filters, read from the query string (Dutch names:
    ``status``, ``groep``, ``thema``, ``te_laat``)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Every status")), ("open", _("Still open")), *FeedbackStatus.choices])
    groep = forms.ModelChoiceField(label=_("Board"), required=False,
                                   queryset=SoundingBoard.objects.order_by("name"),
                                   empty_label=_("Every board"), to_field_name="slug")
    thema = forms.ChoiceField(label=_("About"), required=False,
                              choices=[("", _("Every theme")), *FeedbackTopic.choices])
    te_laat = forms.BooleanField(label=_("Only answers that are overdue"), required=False)

    def filter(self, items, today):
        """``items`` narrowed to what the form asks (all of them when invalid)."""
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["status"] == "open":
            items = items.open()
        elif data["status"]:
            items = items.filter(status=data["status"])
        if data["groep"]:
            items = items.filter(board=data["groep"])
        if data["thema"]:
            items = items.filter(topic=data["thema"])
        if data["te_laat"]:
            items = items.overdue(today)
        return items

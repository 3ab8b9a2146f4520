from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.fields import DateInput, PhoneField, first_name_field, last_name_field
from digibank.models import Resident, User
from outreach.models import Partner
from points.models import Point, QuestionTopic
from trainings.models import Course, GuidanceOutcome, Session

DATE_INPUT = DateInput()
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "summary", "topics", "provider", "default_capacity",
                  "duration_minutes", "single_sessions_allowed", "is_active"]
        widgets = {"topics": forms.CheckboxSelectMultiple, "summary": forms.Textarea(
            attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = QuestionTopic.objects.filter(is_active=True)
        self.fields["provider"].empty_label = _("The digibank")


class SessionForm(forms.Form):
    """Plan or change a session: a day with start and end time, at a point
    or at a training partner's venue."""

    # Where the calendar's reason for refusing a plan goes (TrainingError.field).
    ERROR_FIELDS = {"day": "day", "start": "start_time", "end": "end_time"}

    course = forms.ModelChoiceField(label=_("Training"), queryset=Course.objects.none(),
                                    empty_label=_("Choose a training"))
    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("From"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Until"), widget=TIME_INPUT)
    point = forms.ModelChoiceField(
        label=_("At digibank point"), queryset=Point.objects.filter(is_active=True),
        required=False, empty_label=_("Not at a point"),
    )
    venue = forms.ModelChoiceField(
        label=_("Or at a training partner's venue"), required=False,
        empty_label=_("Not at a partner's venue"),
        queryset=Partner.objects.filter(is_training_partner=True, is_active=True),
        help_text=_("Only the place. Who gives the training is set on the training itself."),
    )
    room = forms.CharField(label=_("Room"), max_length=120, required=False)
    is_online = forms.BooleanField(
        label=_("Online (video call)"), required=False,
        help_text=_("People join from home; the point or partner above organises it."))
    accessibility = forms.CharField(
        label=_("Accessibility"), max_length=200, required=False,
        help_text=_("For example: wheelchair accessible, induction loop, lift."),
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=200, required=False,
        help_text=_("Empty: the usual number of places of the training."),
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=User.objects.filter(groups__name="coach", is_active=True),
        required=False, empty_label=_("Not known yet"),
    )
    weeks = forms.IntegerField(
        label=_("Number of weeks"), min_value=1, max_value=12, initial=1,
        help_text=_("For a series: the same day and hour every week. People enrol once for "
                    "the whole series."),
        error_messages={"min_value": _("Choose 1 to 12 weeks."),
                        "max_value": _("Choose 1 to 12 weeks.")},
    )

    def __init__(self, *args, user: User, session: Session | None = None, **kwargs):
        if session is not None:
            start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            kwargs.setdefault("initial", {
                "course": session.course, "day": start.date(), "start_time": start.time(),
                "end_time": end.time(), "point": session.point, "venue": session.venue,
                "room": session.room, "is_online": session.is_online,
                "accessibility": session.accessibility,
                "capacity": session.capacity, "trainer": session.trainer,
            })
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True)
        if session is not None:
            del self.fields["weeks"]
        if session is not None and session.run_id:
            self.fields["capacity"].help_text = _(
                "A series has the same places on every date: this changes the places of "
                "every session of the series still to come.")
        if not user.has_role("coordinator"):
            # A coach plans the sessions they give themselves.
            del self.fields["trainer"]

    def clean_day(self):
        day = self.cleaned_data["day"]
        if "weeks" in self.fields and day < timezone.localdate():
            raise forms.ValidationError(_("A new session cannot be in the past."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("point") and cleaned.get("venue"):
            self.add_error("venue", _("Choose a point or a partner, not both."))
        elif not cleaned.get("point") and not cleaned.get("venue") and not self.errors:
            self.add_error("point", _("Choose where the session takes place."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return cleaned

    def session_fields(self) -> dict:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        fields = {
            "course": data["course"],
            "starts_at": datetime.combine(data["day"], data["start_time"], zone),
            "ends_at": datetime.combine(data["day"], data["end_time"], zone),
            "point": data["point"], "venue": data["venue"], "room": data["room"],
            "is_online": data["is_online"], "accessibility": data["accessibility"],
            "capacity": data["capacity"] or data["course"].default_capacity,
        }
        if "trainer" in data:
            fields["trainer"] = data["trainer"]
        return fields


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200,
        help_text=_("Participants hear this reason."),
        error_messages={"required": _("Give a reason, so we can tell the participants.")},
    )


class SessionFilterForm(forms.Form):
    point = forms.ModelChoiceField(
        label=_("Place"), queryset=Point.objects.filter(is_active=True), required=False,
        empty_label=_("All points"), to_field_name="slug",
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=QuestionTopic.objects.filter(is_active=True),
        required=False, empty_label=_("All topics"), to_field_name="slug",
    )


class ResidentPickForm(forms.Form):
    """Who to enrol: the resident id passed from the counter or a search."""

    inwoner = forms.ModelChoiceField(queryset=Resident.objects.active(), required=False,
                                     widget=forms.HiddenInput)
    q = forms.CharField(label=_("Name or phone number"), max_length=80, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class WalkInForm(forms.Form):
    """Someone who is there: a resident found by the search, or a new one."""

    resident = forms.ModelChoiceField(queryset=Resident.objects.active(), required=False,
                                      widget=forms.HiddenInput)
    first_name = first_name_field(widget=forms.TextInput(attrs={"autocomplete": "off"}))
    last_name = last_name_field(widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = PhoneField(
        label=_("Phone number"), required=False,
        help_text=_("If they have one: we call them about the next sessions."),
    )
    over_capacity = forms.BooleanField(
        label=_("Add them even though all places are taken"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resident") is None and not self.errors:
            if not cleaned.get("first_name"):
                self.add_error("first_name", _("Fill in the first name."))
            if not cleaned.get("last_name"):
                self.add_error("last_name", _("Fill in the last name."))
        return cleaned

    def new_resident(self) -> dict | None:
        if self.cleaned_data.get("resident") is not None:
            return None
        return {key: self.cleaned_data[key] for key in ("first_name", "last_name", "phone")}


class PublicEnrolmentForm(forms.Form):
    # The names' rules of every resident form (digibank.fields).
    first_name = first_name_field(
        required=True, error_messages={"required": _("Fill in your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = last_name_field(
        required=True, error_messages={"required": _("Fill in your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = PhoneField(
        label=_("Phone number"),
        help_text=_("We only call you about this training. For example 0470 12 34 56."),
        error_messages={"required": _("Fill in your phone number.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("The digibank may call me about this training."),
        error_messages={"required": _("Tick this box, so we can call you about the training.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser cuts a pasted name silently;
        # the server refuses a name that is too long, next to the field.
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs.pop("maxlength", None)


class GuidanceForm(forms.Form):
    goal = forms.CharField(
        label=_("Goal"), max_length=300,
        help_text=_("What the resident wants to be able to do, in their words."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the goal.")},
    )
    coach = forms.ModelChoiceField(
        label=_("Coach"), queryset=User.objects.filter(groups__name="coach", is_active=True),
        empty_label=_("Choose a coach"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_role("coordinator"):
            del self.fields["coach"]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Short note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a short note.")},
    )


class CloseGuidanceForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=GuidanceOutcome.choices,
                                widget=forms.RadioSelect)
    referred_to = forms.ModelChoiceField(
        label=_("Referred to"), queryset=Partner.objects.filter(is_active=True), required=False,
        empty_label=_("Nobody"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        # Shown beside the meeting form, which has a note field too: ids stay unique.
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        referred = cleaned.get("outcome") == GuidanceOutcome.REFERRED
        if referred and not cleaned.get("referred_to"):
            self.add_error("referred_to", _("Choose the partner you referred to."))
        elif not referred and cleaned.get("referred_to"):
            self.add_error("referred_to", _("Only choose a partner for a referral."))
        return cleaned


from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from digibank.models import District, Resident, User
from digibank.services import normalise_phone
from points.models import (
    Channel,
    Closure,
    MobileDeployment,
    OpeningPeriod,
    Point,
    QuestionTopic,
    Service,
    VisitOutcome,
)
from points.services import NextStep

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ChoosePointForm(forms.Form):
    point = forms.ModelChoiceField(
        label=_("Point where you work now"), queryset=Point.objects.none(),
        error_messages={"invalid_choice": _("You do not work at that point.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = Point.objects.for_staff(user).filter(is_active=True)


# --- the counter ---


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a returning visitor"), required=False, max_length=80)

    def query(self) -> str:
        """The search text, or "" when it is too short to search (< 2 characters)."""
        if not self.is_valid():
            return ""
        text = self.cleaned_data["q"].strip()
        return text if len(text) >= 2 else ""


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
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel",
                                                          "autocomplete": "off"}))
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

    def new_resident(self) -> dict | None:
        """Data for a new resident record, when a name or phone was typed
        and no existing resident was chosen."""
        data = self.cleaned_data
        if data.get("resident") is not None:
            return None
        fields = {name: data.get(name, "").strip() for name in ("first_name", "last_name",
                                                                  "phone")}
        return fields if any(fields.values()) else None

    def clean(self):
        cleaned = super().clean()
        new = self.new_resident() if not self.errors else None
        if new and new["first_name"] and new["last_name"]:
            twins = Resident.objects.possible_duplicates(
                first_name=new["first_name"], last_name=new["last_name"],
                phone=normalise_phone(new["phone"]))
            if twins.exists():
                self.add_error("last_name", _("This resident already exists: find them with "
                                              "the search above."))
        return cleaned


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
        label=_("Outcome"), choices=[("", _("Not finished yet")), *VisitOutcome.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# --- coordinator screens ---


class PointForm(forms.ModelForm):
    class Meta:
        model = Point
        fields = [
            "name", "slug", "kind", "street", "postcode", "city", "district", "latitude",
            "longitude", "hosting_partner", "phone", "description", "hours_note",
            "active_from", "active_until", "is_active", "wheelchair_accessible",
            "induction_loop", "accessible_toilet", "accessibility_note", "has_pc",
            "has_printer", "has_scanner", "has_eid_reader", "has_wifi", "services", "staff",
        ]
        widgets = {
            "active_from": DATE_WIDGET, "active_until": DATE_WIDGET,
            "services": forms.CheckboxSelectMultiple, "staff": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            groups__name__in=["host", "coach"], is_active=True).distinct().order_by(
            "first_name", "username")
        self.fields["services"].queryset = Service.objects.all()
        self.fields["district"].queryset = District.objects.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("active_from"), cleaned.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", _("The end date comes before the start date."))
        return cleaned


PERIOD_FIELDS = ("weekday", "opens", "closes", "valid_from", "valid_until")


class OpeningPeriodForm(forms.ModelForm):
    class Meta:
        model = OpeningPeriod
        fields = list(PERIOD_FIELDS)
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET,
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The period must close after it opens."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date comes before the start date."))
        return cleaned


class BaseOpeningPeriodFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.errors:
                continue
            period = OpeningPeriod(point=self.instance, **{
                name: form.cleaned_data.get(name) for name in PERIOD_FIELDS})
            clash = next((other for other in kept if period.overlaps(other)), None)
            if clash is not None:
                form.add_error("opens", _("This overlaps the period %(opens)s–%(closes)s on "
                                          "the same day.") % {
                    "opens": f"{clash.opens:%H:%M}", "closes": f"{clash.closes:%H:%M}"})
            kept.append(period)
        self.periods = kept

    def period_data(self) -> list[dict]:
        return [{name: getattr(period, name) for name in PERIOD_FIELDS}
                for period in self.periods]


OpeningPeriodFormSet = inlineformset_factory(
    Point, OpeningPeriod, form=OpeningPeriodForm, formset=BaseOpeningPeriodFormSet,
    extra=3, can_delete=True,
)


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day comes before the first day."))
        return cleaned


class DeploymentForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("starts"), input_formats=DATETIME_FORMATS,
                                    widget=_datetime_widget())
    ends_at = forms.DateTimeField(label=_("ends"), input_formats=DATETIME_FORMATS,
                                  widget=_datetime_widget())

    class Meta:
        model = MobileDeployment
        fields = ["place", "address", "district", "starts_at", "ends_at", "theme", "topic",
                  "partner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active topics, and the deployment's own topic should it be retired.
        self.fields["topic"].queryset = QuestionTopic.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.topic_id))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The deployment must end after it starts."))
        return cleaned


class QuestionTopicForm(forms.ModelForm):
    class Meta:
        model = QuestionTopic
        fields = ["name", "slug", "group", "external_service", "order", "is_active"]


class FinderForm(forms.Form):
    """Filters of the public finder."""

    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False,
        empty_label=_("All districts"), to_field_name="slug",
    )
    service = forms.ModelChoiceField(
        label=_("What you need"), queryset=Service.objects.all(), required=False,
        empty_label=_("Everything"), to_field_name="slug",
    )

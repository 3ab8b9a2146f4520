from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from digibank.fields import DateInput
from digibank.models import District, User
from points.models import (
    Closure,
    MobileDeployment,
    OpeningPeriod,
    Point,
    QuestionTopic,
    Service,
)

DATE_WIDGET = DateInput()
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
    # A forged form count builds at most this many forms (Django's default
    # of 2,000 took the server half a minute per request).
    max_num=100, absolute_max=100,
)


class ClosureForm(forms.ModelForm):
    # The token of the clashes the coordinator saw and confirmed (see
    # points.services.add_closure); empty on the first submit.
    confirm = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

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


class DistrictChoiceField(forms.ModelChoiceField):
    """Deelgemeenten, each followed by its wijken ("Nekkerspoel (in Mechelen)")."""

    def label_from_instance(self, district: District) -> str:
        if district.parent_id:
            return _("%(wijk)s (in %(district)s)") % {"wijk": district.name,
                                                     "district": district.parent.name}
        return district.name


def districts_in_order():
    """Each deelgemeente followed by its wijken."""
    return District.objects.select_related("parent").annotate(
        group=Coalesce("parent__name", "name")).order_by(
        "group", F("parent").asc(nulls_first=True), "name")


class DeploymentForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Starts"), input_formats=DATETIME_FORMATS,
                                    widget=_datetime_widget())
    ends_at = forms.DateTimeField(label=_("Ends"), input_formats=DATETIME_FORMATS,
                                  widget=_datetime_widget())
    # The version the form showed (plan_deployment refuses a save over a newer one).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = MobileDeployment
        fields = ["place", "street", "postcode", "city", "district", "starts_at", "ends_at",
                  "theme", "topic", "partner"]
        field_classes = {"district": DistrictChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each deelgemeente followed by its wijken, with a choice that says
        # what to do rather than Django's "---------".
        self.fields["district"].queryset = districts_in_order()
        self.fields["district"].empty_label = _("Choose a deelgemeente")
        # Active topics, and the deployment's own topic should it be retired.
        self.fields["topic"].queryset = QuestionTopic.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.topic_id))
        self.fields["topic"].empty_label = _("No topic")
        self.fields["partner"].empty_label = _("No partner")
        self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The deployment must end after it starts."))
        elif start and end and self.instance.point_id:
            # Every planning rule that is broken, next to its field, even
            # while another field still needs an answer; the service checks
            # again under its lock when the form is saved.
            add_planning_errors(self, MobileDeployment(
                pk=self.instance.pk, point_id=self.instance.point_id, starts_at=start,
                ends_at=end, street=cleaned.get("street") or "",
                postcode=cleaned.get("postcode") or "", district=cleaned.get("district")))
        return cleaned


# Where a refused deployment's reason goes in a deployment form.
DEPLOYMENT_ERROR_FIELDS = {"day": "starts_at", "start": "starts_at", "end": "ends_at",
                           "street": "street", "postcode": "postcode"}


def add_planning_errors(form: forms.Form, deployment: MobileDeployment) -> None:
    """Ask ``validate_deployment`` about ``deployment`` and put each broken
    rule next to its field (a field that already has an error, such as an
    empty street, keeps only that one)."""
    from points.services import ScheduleError, validate_deployment

    try:
        validate_deployment(deployment)
    except ScheduleError as exc:
        add_schedule_errors(form, exc)


def add_schedule_errors(form: forms.Form, error) -> None:
    """Each of a ScheduleError's problems next to its field."""
    answered = set(form.errors)  # fields whose own error already says what to do
    for name, message in error.problems:
        field = DEPLOYMENT_ERROR_FIELDS.get(name)
        if field is None or field not in answered:
            form.add_error(field, message)


# What the deployment form takes from its address (a suggestion to complete).
PREFILL_FIELDS = ("place", "street", "postcode", "city", "district", "starts_at", "ends_at",
                  "theme", "topic")


def deployment_form_url(deployment: MobileDeployment) -> str:
    """The coordinator's deployment form for ``deployment``'s mobile point,
    filled in with what it knows (an unsaved deployment from a suggestion
    without a known stop): the coordinator adds the place and address."""
    values = {
        "place": deployment.place, "street": deployment.street,
        "postcode": deployment.postcode, "city": deployment.city,
        "district": deployment.district_id, "theme": deployment.theme,
        "topic": deployment.topic_id or "",
        "starts_at": f"{timezone.localtime(deployment.starts_at):%Y-%m-%dT%H:%M}",
        "ends_at": f"{timezone.localtime(deployment.ends_at):%Y-%m-%dT%H:%M}",
    }
    url = reverse("points:manage-deployments", args=[deployment.point_id])
    return f"{url}?{urlencode({k: v for k, v in values.items() if v not in ('', None)})}"


def deployment_prefill(query) -> dict:
    """The deployment form's initial values from its address (see
    ``deployment_form_url``); the form validates them when posted."""
    return {name: query[name] for name in PREFILL_FIELDS if query.get(name)}


class QuestionTopicForm(forms.ModelForm):
    class Meta:
        model = QuestionTopic
        fields = ["name", "slug", "group", "external_service", "order", "is_active"]


# How many days ahead the finder's "open on" choice reaches (today included).
FINDER_DAY_CHOICES = 7
DAY_PART_LABELS = {"morning": _("in the morning"), "afternoon": _("in the afternoon"),
                   "evening": _("in the evening")}
# The part of day as the address says it (?dagdeel=namiddag).
DAY_PART_SLUGS = {"voormiddag": "morning", "namiddag": "afternoon", "avond": "evening"}


def finder_day_label(day: date, today: date) -> str:
    """"Today (Monday 7/12)", "Tomorrow (Tuesday 8/12)" or "Thursday 10/12"."""
    named = formats.date_format(day, "l j/m")
    if day == today:
        return _("Today (%(day)s)") % {"day": named}
    if day == today + timedelta(days=1):
        return _("Tomorrow (%(day)s)") % {"day": named}
    return named


class FinderForm(forms.Form):
    """Filters of the public finder. A deelgemeente holds its wijken. ``dag``
    (today and the six days after it, as yyyy-mm-dd) lists the points open
    that day, ``dagdeel`` narrows it to a part of the day."""

    district = DistrictChoiceField(
        label=_("District"), queryset=districts_in_order(), required=False,
        empty_label=_("All districts"), to_field_name="slug",
    )
    service = forms.ModelChoiceField(
        label=_("What you need"), queryset=Service.objects.all(), required=False,
        empty_label=_("Everything"), to_field_name="slug",
    )
    dag = forms.ChoiceField(label=_("Open on"), required=False, error_messages={
        "invalid_choice": _("Choose a day from today to a week ahead.")})
    dagdeel = forms.ChoiceField(
        label=_("Part of the day"), required=False, error_messages={
            "invalid_choice": _("Choose the morning, the afternoon or the evening.")},
        choices=[("", _("The whole day")),
                 *((slug, DAY_PART_LABELS[part]) for slug, part in DAY_PART_SLUGS.items())])

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = [today + timedelta(days=offset) for offset in range(FINDER_DAY_CHOICES)]
        self.fields["dag"].choices = [("", _("Open now")), *(
            (day.isoformat(), finder_day_label(day, today)) for day in self.days)]

    def clean_dag(self) -> date | None:
        value = self.cleaned_data["dag"]
        return date.fromisoformat(value) if value else None

    def clean_dagdeel(self) -> str:
        return DAY_PART_SLUGS.get(self.cleaned_data["dagdeel"], "")


class ScreenForm(forms.Form):
    """The info screen's address: which points, and which page of them."""

    district = DistrictChoiceField(queryset=districts_in_order(), required=False,
                                   to_field_name="slug")
    punt = forms.SlugField(required=False)
    pagina = forms.IntegerField(required=False, min_value=0, max_value=1000)

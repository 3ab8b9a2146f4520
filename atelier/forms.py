"""Forms of the atelier. They parse and validate input; the services in
``atelier.services`` apply the rules."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.models import (
    CheckResult,
    Donation,
    FaultCategory,
    RepairBarrier,
    RepairOutcome,
    SoftwareProfile,
    TicketStatus,
    WipeMethod,
    WipeResult,
    Worker,
    WorkerKind,
)
from devices.forms import AssetTagField, PlaceForm, place_from_choice
from devices.models import FIRST_YEAR_OF_MANUFACTURE, DeviceKind, Grade
from digibank.fields import DateInput
from digibank.models import User


class DonationForm(forms.ModelForm):
    class Meta:
        model = Donation
        fields = ["donor", "donor_contact", "received_on", "expected_count", "method", "note"]
        widgets = {"received_on": DateInput()}


class DonatedDeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    brand = forms.CharField(label=_("Brand"), max_length=60)
    model_name = forms.CharField(label=_("Model"), max_length=80, required=False)
    serial = forms.CharField(label=_("Serial number"), max_length=80, required=False)
    asset_tag = forms.SlugField(label=_("Asset tag"), max_length=30,
                                help_text=_("The code on the new label, for example DB-00123."))
    specs = forms.CharField(label=_("Specifications"), max_length=200, required=False)
    year_of_manufacture = forms.IntegerField(
        label=_("Year of manufacture"), required=False, min_value=FIRST_YEAR_OF_MANUFACTURE,
        help_text=_("For example 2019; on the label or in the BIOS. Empty when not known."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    storage_media = forms.IntegerField(
        label=_("Disks (storage media)"), min_value=1, max_value=8, initial=1,
        help_text=_("How many disks or memory chips hold data: each needs its own wipe."))

    def clean_year_of_manufacture(self) -> int | None:
        year = self.cleaned_data["year_of_manufacture"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of manufacture cannot be in the future."))
        return year

    def clean_asset_tag(self) -> str:
        from devices.models import Device

        tag = self.cleaned_data["asset_tag"].upper()
        if Device.objects.filter(asset_tag__iexact=tag).exists():
            raise forms.ValidationError(_("A device with this asset tag already exists."))
        return tag


class ReceivedCountForm(forms.Form):
    """Fewer devices came in than announced."""

    count = forms.IntegerField(label=_("Devices really received"), min_value=0,
                               max_value=999)
    reason = forms.CharField(label=_("Why fewer?"), max_length=300,
                             help_text=_("For example: the donor kept two laptops."))


class _PersonChoiceField(forms.ModelChoiceField):
    """Staff members by their full name, not their user name."""

    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class WipeForm(forms.Form):
    medium_serial = forms.CharField(label=_("Serial number of the disk"), max_length=80)
    medium_model = forms.CharField(label=_("Disk model"), max_length=80, required=False)
    method = forms.ChoiceField(label=_("Method (NIST SP 800-88)"), choices=WipeMethod.choices)
    tool = forms.CharField(label=_("Tool"), max_length=60, required=False)
    tool_version = forms.CharField(label=_("Tool version"), max_length=30, required=False)
    verification = forms.CharField(label=_("How it was verified"), max_length=200,
                                   required=False)
    result = forms.ChoiceField(label=_("Result"), choices=WipeResult.choices)
    warning = forms.CharField(
        label=_("Warning"), max_length=200, required=False,
        help_text=_("Only for \"passed with warning\": what the tool warned about."))
    validator = _PersonChoiceField(
        label=_("Checked by"), required=False,
        queryset=User.objects.filter(groups__name__in=["atelier", "coordinator"]).distinct(),
        help_text=_("A second person who checked the result (optional)."))


    def clean(self):
        data = super().clean()
        if data.get("result") == WipeResult.WARNING and not (data.get("warning") or "").strip():
            self.add_error("warning", _("Write down what the tool warned about."))
        return data


class StepForm(forms.Form):
    """Sign off one step; the installation and grading steps ask for more."""

    software_profile = forms.ModelChoiceField(
        label=_("Software profile installed"), required=False,
        queryset=SoftwareProfile.objects.filter(is_active=True))
    functional_grade = forms.ChoiceField(label=_("Functional grade"), required=False,
                                         choices=[("", "—"), *Grade.choices])
    cosmetic_grade = forms.ChoiceField(label=_("Cosmetic grade"), required=False,
                                       choices=[("", "—"), *Grade.choices])


def _works_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=[("yes", _("Works")), ("no", _("Does not work"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it works.")})


class TestStepForm(forms.Form):
    """What the hardware test found, signed off with it."""

    prefix = "test"

    battery_health = forms.IntegerField(
        label=_("Battery health (%)"), required=False, min_value=0, max_value=100,
        help_text=_("From the battery report; empty when the device has no battery."))
    screen_ok = _works_field(_("Screen"))
    keyboard_ok = _works_field(_("Keyboard, touchpad and buttons"))
    ports_ok = _works_field(_("Ports, Wi-Fi and Bluetooth"))
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        failed = [data.get(name) is False for name in ("screen_ok", "keyboard_ok", "ports_ok")]
        if any(failed) and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Write down what does not work."))
        return data


class ScrapForm(forms.Form):
    note = forms.CharField(label=_("Why can it not be used?"), max_length=300)


class IntakeForm(PlaceForm):
    """The counter's repair intake: a few fields."""

    device = AssetTagField()
    problem = forms.CharField(
        label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write it down in the resident's own words."))
    replacement = AssetTagField(
        label=_("Replacement device (optional)"), required=False,
        help_text=_("Asset tag of a device at this point to give in its place right away."))


class TicketMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[
        (TicketStatus.WAITING_PARTS, TicketStatus.WAITING_PARTS.label),
        (TicketStatus.REPAIRING, TicketStatus.REPAIRING.label)])
    fault = forms.ChoiceField(label=_("Fault category"), choices=FaultCategory.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        # Shown beside the resolve form, which has a fault field too: ids stay unique.
        kwargs.setdefault("auto_id", "move_%s")
        super().__init__(*args, **kwargs)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RepairOutcome.choices,
                                widget=forms.RadioSelect)
    fault = forms.ChoiceField(label=_("Fault category"), choices=FaultCategory.choices)
    barrier = forms.ChoiceField(label=_("Barrier to repair (end of life only)"),
                                required=False, choices=[("", "—"), *RepairBarrier.choices])
    parts_used = forms.CharField(label=_("Parts used"), max_length=200, required=False)
    minutes_spent = forms.IntegerField(label=_("Time spent (minutes)"), min_value=0,
                                       max_value=6000, initial=0)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == RepairOutcome.END_OF_LIFE and not data.get("barrier"):
            self.add_error("barrier", _("Say why it cannot be repaired."))
        return data


class YearlyCheckForm(PlaceForm):
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices,
                               widget=forms.RadioSelect)
    findings = forms.CharField(label=_("Findings"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    battery_health = forms.IntegerField(label=_("Battery health (%)"), required=False,
                                        min_value=0, max_value=100)
    replacement = AssetTagField(label=_("Replacement device (swap only)"), required=False)
    due_on = forms.DateField(widget=forms.HiddenInput)

    def clean_place(self):
        return place_from_choice(self.cleaned_data["place"])

    def clean(self):
        data = super().clean()
        if data.get("result") == CheckResult.SWAP and not data.get("replacement"):
            self.add_error("replacement", _("Give the asset tag of the replacement device."))
        if data.get("result") in (CheckResult.REPAIR, CheckResult.SWAP) and not (
                data.get("findings") or "").strip():
            self.add_error("findings", _("Write down what is wrong."))
        return data


# The workers the atelier's own screens add and edit; employees are
# managed with the staff accounts.
ATELIER_WORKER_KINDS = (WorkerKind.VOLUNTEER, WorkerKind.SOCIAL_ECONOMY)


class WorkerForm(forms.ModelForm):
    """A volunteer or social-economy worker, added or changed on the
    atelier's screens."""

    class Meta:
        model = Worker
        fields = ["name", "kind", "organisation", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("First name and last name.")
        self.fields["kind"].choices = [(kind.value, kind.label)
                                       for kind in ATELIER_WORKER_KINDS]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Fill in the worker's name."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("kind") == WorkerKind.SOCIAL_ECONOMY and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation a social-economy worker "
                                             "is employed through."))
        return data


class HoursForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Worker"),
                                    queryset=Worker.objects.filter(is_active=True))
    day = forms.DateField(label=_("Day"), initial=timezone.localdate,
                          widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.25"), max_value=12, decimal_places=2,
        localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"min_value": _("Give at least a quarter of an hour (0.25)."),
                        "max_value": _("Give at most 12 hours a day.")})
    tasks = forms.CharField(label=_("What was done"), max_length=300)
    competences = forms.CharField(label=_("Competences signed off"), max_length=300,
                                  required=False)

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This day is in the future."))
        return day


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))

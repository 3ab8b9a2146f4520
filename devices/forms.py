from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from devices.models import (
    AgreementMethod,
    Device,
    DeviceKind,
    DeviceStatus,
    ReturnCondition,
    SubscriptionPlan,
)
from outreach.models import Partner
from points.models import Point

ATELIER = "atelier"


def place_choices(user, *, every_point: bool = False) -> list[tuple[str, str]]:
    """The places a user may act at: their points, and the atelier for
    atelier staff and coordinators (with ``every_point``: all points for
    them, as the atelier plans devices for every point)."""
    central = user.has_role("atelier", "coordinator")
    choices = [(ATELIER, str(_("Atelier")))] if central else []
    points = (Point.objects.all() if every_point and central else Point.objects.for_staff(user))
    points = points.filter(is_active=True).order_by("name")
    return choices + [(str(point.pk), point.name) for point in points]


def place_from_choice(value: str) -> Point | None:
    return None if value == ATELIER else Point.objects.get(pk=int(value))


class DeviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Asset tag, brand or serial"), required=False, max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *DeviceKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *DeviceStatus.choices])
    place = forms.ChoiceField(label=_("Where"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        points = Point.objects.order_by("name").values_list("pk", "name")
        self.fields["place"].choices = [
            ("", _("Everywhere")), (ATELIER, _("Atelier")), ("loan", _("With a borrower")),
            *((str(pk), name) for pk, name in points),
        ]

    def filter(self, devices):
        if not self.is_valid():
            return devices
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            devices = devices.filter(
                Q(asset_tag__icontains=text) | Q(brand__icontains=text)
                | Q(serial__iexact=text) | Q(model_name__icontains=text)
            )
        if data["kind"]:
            devices = devices.filter(kind=data["kind"])
        if data["status"]:
            devices = devices.filter(status=data["status"])
        place = data["place"]
        if place == ATELIER:
            devices = devices.filter(point__isnull=True).exclude(
                status__in=[DeviceStatus.ON_LOAN, DeviceStatus.RETIRED])
        elif place == "loan":
            devices = devices.filter(status=DeviceStatus.ON_LOAN)
        elif place:
            devices = devices.filter(point_id=int(place))
        return devices


class AssetTagField(forms.CharField):
    """An asset tag, typed or scanned; answers with the device."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Asset tag"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("Scan the label or type the code, for example DB-00123."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        device = Device.objects.filter(asset_tag__iexact=value.strip()).first()
        if device is None:
            raise forms.ValidationError(_("No device has the asset tag “%(tag)s”. "
                                          "Check the label."), params={"tag": value})
        return device


class PlaceForm(forms.Form):
    place = forms.ChoiceField(label=_("Where are you?"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_choices(user)

    def clean_place(self) -> Point | None:
        return place_from_choice(self.cleaned_data["place"])


class HandOutForm(PlaceForm):
    device = AssetTagField()
    agreement = forms.ChoiceField(
        label=_("Borrower agreement"), choices=AgreementMethod.choices,
        widget=forms.RadioSelect, initial=AgreementMethod.PAPER,
        help_text=_("The borrower (for a pupil: the parent or guardian) signs the agreement."),
    )


class ReturnForm(PlaceForm):
    device = AssetTagField()
    condition = forms.ChoiceField(label=_("Condition"), choices=ReturnCondition.choices,
                                  widget=forms.RadioSelect, initial=ReturnCondition.GOOD)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Resident"), required=False, max_length=80,
                        help_text=_("Type at least 2 letters of a name or 3 digits of a phone "
                                    "number."))


class SubscriptionForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Subscription plan"),
                                  queryset=SubscriptionPlan.objects.filter(is_active=True))
    referred_by = forms.ModelChoiceField(
        label=_("Referred by"), required=False,
        queryset=Partner.objects.filter(is_active=True),
        empty_label=_("Nobody: came to the counter"),
    )
    referred_only = forms.BooleanField(
        label=_("Referred, still to confirm"), required=False,
        help_text=_("Tick when the partner announced the resident but the papers are not "
                    "checked yet."),
    )
    guardian_name = forms.CharField(
        label=_("Parent or guardian (school loans)"), required=False, max_length=120,
        help_text=_("For a pupil: the adult who signs the agreement."),
    )
    guardian_phone = forms.CharField(label=_("Phone of parent or guardian"), required=False,
                                     max_length=20)

    def clean(self):
        data = super().clean()
        if data.get("guardian_phone") and not data.get("guardian_name"):
            self.add_error("guardian_name", _("Give the name of the parent or guardian."))
        return data


class ReservationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of device"), choices=DeviceKind.choices,
                             widget=forms.RadioSelect)
    place = forms.ChoiceField(label=_("Pick up at"))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in DeviceKind.choices if c[0] in kinds]
        points = Point.objects.filter(is_active=True).order_by("name")
        self.fields["place"].choices = [
            (ATELIER, _("Atelier")), *((str(p.pk), p.name) for p in points)]

    def clean_place(self) -> Point | None:
        return place_from_choice(self.cleaned_data["place"])


class AssignDeviceForm(forms.Form):
    """Pick one of the available devices (a list given by the view, built
    once per page so the query count does not grow with the queue)."""

    device = forms.ChoiceField(label=_("Device"))

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].choices = [
            (device.pk, f"{device.asset_tag} · {device.brand} {device.model_name} · "
                        f"{device.place_label}")
            for device in devices
        ]


class ChosenDeviceForm(forms.Form):
    """The device picked in a reservation's row (its number), read safely."""

    device = forms.IntegerField(min_value=1)


# The steps the atelier takes on a device where it stands; movements and
# loans have their own forms.
ATELIER_STEPS = (DeviceStatus.REFURBISHING, DeviceStatus.READY, DeviceStatus.IN_REPAIR,
                 DeviceStatus.RETIRED)


class DeviceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, DeviceStatus(value).label) for value in ATELIER_STEPS
            if device.can_move_to(value)
        ]


class SendForm(forms.Form):
    point = forms.ModelChoiceField(label=_("Send to"),
                                   queryset=Point.objects.filter(is_active=True))


SUBSCRIPTION_ACTIONS = {
    "activate": _("Confirm"),
    "suspend": _("Suspend"),
    "review": _("Eligibility reviewed"),
    "end": _("End subscription"),
}


class SubscriptionActionForm(forms.Form):
    action = forms.ChoiceField(choices=list(SUBSCRIPTION_ACTIONS.items()))

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.models import ConsentMethod, Language
from digibank.services import normalise_phone
from outreach.models import (
    Direction,
    Partner,
    ReferralStatus,
    Roadshow,
    ScreenMessage,
)
from points.models import Channel, Point, QuestionTopic

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PARTNER_CONSENT_METHODS = [
    (ConsentMethod.VERBAL, _("Verbally, during a visit")),
    (ConsentMethod.PAPER, _("On paper, signed")),
    (ConsentMethod.DIGITAL, _("Digitally")),
]
COUNTER_CONSENT_METHODS = [
    (ConsentMethod.VERBAL, ConsentMethod.VERBAL.label),
    (ConsentMethod.PAPER, ConsentMethod.PAPER.label),
    (ConsentMethod.DIGITAL, ConsentMethod.DIGITAL.label),
]


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Phone"), max_length=25, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class ContactRequestForm(forms.Form):
    """What a partner fills in to ask the digibank to contact someone."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    phone = _phone_field()
    address = forms.CharField(
        label=_("Address"), max_length=200, required=False,
        help_text=_("Only when the person has no phone."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices,
                                 initial=Language.DUTCH)
    best_time = forms.CharField(
        label=_("Best time to reach"), max_length=120, required=False,
        help_text=_("For example: weekday mornings."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=QuestionTopic.objects.filter(is_active=True),
        required=False, empty_label=_("Not sure"),
    )
    reason = forms.CharField(
        label=_("What does the person need help with?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preferred_point = forms.ModelChoiceField(
        label=_("Point closest to the person"), required=False,
        queryset=Point.objects.filter(is_active=True), empty_label=_("No preference"),
    )
    consent = forms.BooleanField(
        label=_("The person agrees that the digibank contacts them."),
        error_messages={"required": _("Without the person's consent we cannot contact them.")},
    )
    consent_method = forms.ChoiceField(
        label=_("How did the person agree?"), choices=PARTNER_CONSENT_METHODS,
        initial=ConsentMethod.VERBAL, widget=forms.RadioSelect,
    )
    consent_given_on = forms.DateField(
        label=_("Date of the consent"), initial=timezone.localdate, widget=DATE_WIDGET
    )
    consent_expires_on = forms.DateField(
        label=_("Consent valid until"), required=False, widget=DATE_WIDGET,
        help_text=_("Leave empty when the person did not set an end date."),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        phone = normalise_phone(raw)
        if raw and not 9 <= len(phone) <= 13:
            raise forms.ValidationError(
                _("Enter a phone number of 9 to 13 digits, for example 0470 12 34 56.")
            )
        return phone

    def clean_consent_given_on(self) -> date:
        day = self.cleaned_data["consent_given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The consent cannot be given in the future."))
        return day

    def clean_consent_expires_on(self) -> date | None:
        day = self.cleaned_data["consent_expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("This date has passed: the consent expired."))
        return day

    def clean(self):
        cleaned = super().clean()
        if "phone" in cleaned and "address" in cleaned and not (
            cleaned["phone"] or cleaned["address"].strip()
        ):
            self.add_error("phone", _("Give a phone number or an address to reach the person."))
        return cleaned


class ReferralOutForm(forms.Form):
    """The digibank refers a resident to a partner."""

    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.filter(is_active=True),
        empty_label=_("Choose a partner"),
        error_messages={"required": _("Choose the partner organisation.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=QuestionTopic.objects.filter(is_active=True),
        required=False, empty_label=_("Other"),
    )
    reason = forms.CharField(
        label=_("What should the partner help with?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"), required=False, widget=DATE_WIDGET,
        help_text=_("You get a reminder on this date if the referral is still open."),
    )
    consent_now = forms.BooleanField(
        label=_("The resident agrees now to be referred to this partner."), required=False,
        help_text=_("Only needed when no valid consent is on file."),
    )
    consent_method = forms.ChoiceField(
        label=_("How did the resident agree?"), choices=COUNTER_CONSENT_METHODS,
        initial=ConsentMethod.VERBAL, widget=forms.RadioSelect, required=False,
    )

    def clean_follow_up_on(self) -> date | None:
        day = self.cleaned_data["follow_up_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new status.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=300, required=False,
        help_text=_("Needed when you complete or decline it."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ReferralStatus(s).label) for s in choices]


class ReferralFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or number"), required=False, max_length=80,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), required=False,
        choices=[("", _("Both directions")), *Direction.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Every status")), ("open", _("Still open")), *ReferralStatus.choices],
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.all(), required=False,
        empty_label=_("Every partner"),
    )


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("Until and including"), required=False, widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date comes before the start date."))
        return cleaned


class RoadshowForm(forms.ModelForm):
    class Meta:
        model = Roadshow
        fields = ["partner", "venue", "held_on", "audience", "people_reached",
                  "contact_requests", "note"]
        widgets = {"held_on": DATE_WIDGET}


class ScreenMessageForm(forms.ModelForm):
    class Meta:
        model = ScreenMessage
        fields = ["title", "text", "point", "starts_on", "ends_on", "order", "is_active"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET,
                   "text": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date comes before the start date."))
        return cleaned


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["name", "slug", "order", "is_active"]
        help_texts = {"slug": _("Short name in web addresses: lower-case letters and dashes.")}

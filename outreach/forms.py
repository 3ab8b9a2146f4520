import re
from datetime import date
from decimal import Decimal

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.fields import DateInput, PhoneField
from digibank.matching import normalise_phone
from digibank.models import ConsentMethod, District, Language, TargetGroup
from outreach.models import (
    WEEKDAY_CODES,
    Direction,
    Offer,
    OfferKind,
    Partner,
    ReferralStatus,
    Roadshow,
    ScheduleFreq,
    ScreenMessage,
)
from outreach.prices import PriceKind
from outreach.schedules import SCHEDULE_FIELDS, is_occurrence
from outreach.search import offers_for
from points.models import Channel, OpeningPeriod, Point, QuestionTopic

DATE_WIDGET = DateInput()
# An amount of money in a free text: "€ 5", "5 euro", "5,50 EUR".
AMOUNT = re.compile(r"€|\d\s*(eur|euro)\b", re.IGNORECASE)

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


class ContactRequestForm(forms.Form):
    """What a partner fills in to ask the digibank to contact someone."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    phone = PhoneField(required=False)
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


# --- the digital offer guide (digikaart) ---

OFFER_FIELDS = [
    "title", "description", "kind", "provider", "topics", "target_groups", "point", "venue",
    "address", "district", "latitude", "longitude", "is_online", "how_to_get_there",
    "schedule", "schedule_freq", "schedule_interval", "schedule_days", "schedule_week",
    "opens_at", "closes_at",
    "schedule_starts", "schedule_ends", "schedule_count", "next_date", "price_kind", "cost_eur",
    "monthly_price", "social_tariff_for", "cost_note",
    "who_qualifies", "how_to_enrol", "what_to_bring", "languages", "accessibility",
    "contact_phone", "no_phone_reason", "contact_email", "website", "data_gb", "download_mbps",
    "proof_needed", "valid_from", "valid_until", "is_published",
]


class OfferForm(forms.ModelForm):
    """An offer, edited by a coordinator or by the partner that offers it
    (a partner user does not choose the provider: it is their organisation)."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, initial=["nl"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    schedule_days = forms.MultipleChoiceField(
        label=_("On"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(zip(WEEKDAY_CODES, OpeningPeriod.Weekday.labels, strict=True)))
    cost_eur = forms.DecimalField(
        label=_("One-off price in euro"), required=False, min_value=0, max_digits=7,
        decimal_places=2, help_text=_("Only for a one-off amount."))
    monthly_price = forms.DecimalField(
        label=_("Price per month in euro"), required=False, min_value=0, max_digits=6,
        decimal_places=2, help_text=_("Only for an amount per month or the social tariff."))
    # The version the form was read at (optimistic locking, update_offer).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Offer
        fields = OFFER_FIELDS
        widgets = {
            "topics": forms.CheckboxSelectMultiple, "target_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "who_qualifies": forms.Textarea(attrs={"rows": 2}),
            "how_to_enrol": forms.Textarea(attrs={"rows": 2}),
            "social_tariff_for": forms.Textarea(attrs={"rows": 2}),
            "next_date": DATE_WIDGET, "schedule_starts": DATE_WIDGET,
            "schedule_ends": DATE_WIDGET, "valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET,
            "price_kind": forms.RadioSelect,
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_codes
            self.initial["schedule_days"] = self.instance.schedule_days_list
            self.initial["version"] = self.instance.version
            if self.instance.price_kind != PriceKind.ONE_OFF:
                self.initial["cost_eur"] = None
        # Empty is every week (or month).
        self.fields["schedule_interval"].required = False
        self.fields["topics"].queryset = QuestionTopic.objects.filter(is_active=True)
        self.fields["point"].queryset = Point.objects.filter(is_active=True)
        if not user.has_role("coordinator"):
            del self.fields["provider"]

    def clean_languages(self) -> str:
        return ",".join(self.cleaned_data["languages"])

    def clean_schedule_interval(self) -> int:
        return self.cleaned_data["schedule_interval"] or 1

    def clean_schedule_days(self) -> str:
        return ",".join(self.cleaned_data["schedule_days"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date comes before the start date."))
        self._clean_price(cleaned)
        self._clean_schedule(cleaned)
        self._clean_contact(cleaned)
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or "
                                          "neither."))
        if not (cleaned.get("point") or cleaned.get("address") or cleaned.get("is_online")):
            self.add_error("address", _("Say where: a digibank point, an address, or online."))
        return cleaned

    def _clean_contact(self, cleaned) -> None:
        """A phone or a reason why not, and always some way to reach someone."""
        phone = cleaned.get("contact_phone", "")
        reason = cleaned.get("no_phone_reason", "").strip()
        if "contact_phone" in self.errors:
            return
        if phone and reason:
            self.add_error("no_phone_reason", _("Leave this empty: the offer has a phone "
                                                "number."))
        elif not phone and not reason:
            self.add_error("contact_phone", _("Give a phone number, or say below why there "
                                              "is none."))
        elif not phone and not (cleaned.get("contact_email") or cleaned.get("website")):
            provider = cleaned.get("provider") if "provider" in self.fields else (
                self.user.partner)
            if provider is not None and not (provider.phone or provider.email):
                self.add_error("contact_email", _("Without a phone, give an e-mail address or "
                                                  "a website, so residents can reach "
                                                  "someone."))

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data["contact_phone"].strip()
        if raw and not 9 <= len(normalise_phone(raw)) <= 13:
            raise forms.ValidationError(
                _("Enter a phone number of 9 to 13 digits, for example 015 29 41 00."))
        return raw

    def _clean_schedule(self, cleaned) -> None:
        """The structured schedule (an RRULE in the open data): the days it
        repeats on, the week for a monthly one, and hours that make sense."""
        freq, days = cleaned.get("schedule_freq"), cleaned.get("schedule_days")
        week = cleaned.get("schedule_week")
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if not freq:
            if days or week or opens or closes or (cleaned.get("schedule_interval") or 1) > 1:
                self.add_error("schedule_freq", _("Choose how often it repeats, or leave the "
                                                  "days, week and hours empty."))
            self._clean_schedule_limits(cleaned)
            return
        if not days:
            self.add_error("schedule_days", _("Choose the day or days it takes place."))
        if freq == ScheduleFreq.MONTHLY and not week:
            self.add_error("schedule_week", _("Choose which week of the month."))
        if freq == ScheduleFreq.WEEKLY and week:
            self.add_error("schedule_week", _("Only for something that repeats monthly."))
        if (opens is None) != (closes is None):
            self.add_error("closes_at", _("Give both hours, or neither."))
        elif opens and closes and closes <= opens:
            self.add_error("closes_at", _("The end comes before the start."))
        self._clean_schedule_limits(cleaned)

    def _clean_schedule_limits(self, cleaned) -> None:
        """First and last date, number of times, and a typed next date that
        falls on the schedule (``outreach.schedules``)."""
        starts, ends = cleaned.get("schedule_starts"), cleaned.get("schedule_ends")
        count, freq = cleaned.get("schedule_count"), cleaned.get("schedule_freq")
        if not freq:
            for name in ("schedule_starts", "schedule_ends", "schedule_count"):
                if cleaned.get(name):
                    self.add_error(name, _("Only with a schedule that repeats: choose how "
                                           "often it repeats, or leave this empty."))
            return
        if starts and ends and ends < starts:
            self.add_error("schedule_ends", _("The last date comes before the first date."))
        if count and not starts:
            self.add_error("schedule_starts", _("Give the first date, so the number of times "
                                                "can be counted from it."))
        if count and ends:
            self.add_error("schedule_count", _("Give a last date or a number of times, not "
                                               "both."))
        fields = {name: cleaned.get(name) for name in SCHEDULE_FIELDS if name != "next_date"}
        if count and starts and not self.errors and not is_occurrence(starts, **fields):
            self.add_error("schedule_starts", _("The first time is counted as one of the number "
                                                "of times: choose a day of the schedule."))
        # A typed next date: Offer.clean (outreach.schedules.next_date_error).

    def _clean_price(self, cleaned) -> None:
        """One price model, and only the fields it uses (``outreach.prices``;
        the database refuses the same contradictions)."""
        kind = cleaned.get("price_kind")
        one_off = cleaned.get("cost_eur") or Decimal(0)
        monthly = cleaned.get("monthly_price")
        conditions = (cleaned.get("social_tariff_for") or "").strip()
        cleaned["cost_eur"] = one_off
        if kind is None or "cost_eur" in self.errors or "monthly_price" in self.errors:
            return
        if kind == PriceKind.FREE:
            if AMOUNT.search(cleaned.get("cost_note") or ""):
                self.add_error("cost_note", _("A free offer costs nothing: leave the amount out "
                                              "here, or choose another price."))
            if one_off:
                self.add_error("cost_eur", _("A free offer has no price: empty this field or "
                                             "choose another price."))
            if monthly is not None:
                self.add_error("monthly_price", _("A free offer has no price per month: empty "
                                                  "this field or choose another price."))
        elif kind == PriceKind.ONE_OFF:
            if not one_off:
                self.add_error("cost_eur", _("Enter the one-off amount (more than € 0), or "
                                             "choose “Free”."))
            if monthly is not None:
                self.add_error("monthly_price", _("An offer with a one-off amount has no price "
                                                  "per month: empty this field."))
        else:
            if monthly is None or (kind == PriceKind.MONTHLY and not monthly):
                self.add_error("monthly_price", _("Enter the amount per month (more than € 0), "
                                                  "or choose “Free”."))
            if one_off:
                self.add_error("cost_eur", _("An offer paid per month has no one-off amount: "
                                             "put a deposit or a connection fee under “About "
                                             "the cost”."))
        if kind == PriceKind.SOCIAL_TARIFF:
            if not conditions:
                self.add_error("social_tariff_for",
                               _("Say who qualifies for the social tariff."))
            if cleaned.get("kind") and cleaned["kind"] != OfferKind.INTERNET:
                self.add_error("price_kind", _("The social tariff is for internet offers."))
        elif conditions:
            self.add_error("social_tariff_for", _("Only the social tariff has conditions here: "
                                                  "put who can use it under “Who can use it”."))

    def offer_data(self) -> dict:
        """Field values for the service, without the many-to-many fields."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in ("topics", "target_groups", "version")}


class OfferFilterForm(forms.Form):
    """The filters of the public guide and the staff list. Dutch field names:
    they end up in the address bar and in shared links."""

    zoek = forms.CharField(
        label=_("Search"), required=False, max_length=80,
        help_text=_("In your own words, for example: cheap internet, help with taxes."),
        widget=forms.TextInput(attrs={"type": "search"}))
    thema = forms.ModelChoiceField(
        label=_("Topic"), queryset=QuestionTopic.objects.filter(is_active=True),
        to_field_name="slug", required=False, empty_label=_("All topics"))
    soort = forms.ChoiceField(label=_("Kind"), required=False,
                              choices=[("", _("All kinds")), *OfferKind.choices])
    wijk = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), to_field_name="slug",
        required=False, empty_label=_("All districts"))
    doelgroep = forms.ModelChoiceField(
        label=_("For whom"), queryset=TargetGroup.objects.all(), to_field_name="slug",
        required=False, empty_label=_("Everybody"))
    taal = forms.ChoiceField(label=_("Language"), required=False,
                             choices=[("", _("All languages")), *Language.choices])
    gratis = forms.BooleanField(label=_("Only free"), required=False)
    sociaal = forms.BooleanField(label=_("Only the social tariff"), required=False)

    # The search of the last ``filter()`` (outreach.search), or None.
    search = None

    def filter(self, offers):
        """Apply the valid filters. A search puts the best matches first
        (``outreach.search``); without one, internet offers come cheapest
        first and the others nearest first."""
        if not self.is_valid():
            return offers
        data = self.cleaned_data
        if data["thema"]:
            offers = offers.filter(topics=data["thema"])
        if data["soort"]:
            offers = offers.filter(kind=data["soort"])
        if data["wijk"]:
            offers = offers.in_district(data["wijk"])
        if data["doelgroep"]:
            offers = offers.filter(Q(target_groups=data["doelgroep"])
                                   | Q(target_groups__isnull=True))
        if data["taal"]:
            offers = offers.in_language(data["taal"])
        if data["gratis"]:
            offers = offers.free()
        if data["sociaal"]:
            offers = offers.social_tariff()
        if data["zoek"].strip():
            found, search = offers_for(
                Offer.objects.filter(pk__in=offers.values("pk")), data["zoek"])
            if search:
                self.search = search
                return found
        if data["soort"] == OfferKind.INTERNET or data["sociaal"]:
            return offers.distinct().order_by(
                models.F("monthly_price").asc(nulls_last=True), "title")
        return offers.distinct().nearest_first(data["wijk"])


class OfferSearchForm(forms.Form):
    """The search box of the counter's offer panel (the same search as the
    public guide's)."""

    zoek = forms.CharField(
        label=_("Search the guide"), required=False, max_length=80,
        help_text=_("In the visitor's words, for example: gsm abonnement."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))

    def text(self) -> str:
        return self.cleaned_data["zoek"].strip() if self.is_valid() else ""


class HsdsPageForm(forms.Form):
    """The query of the HSDS API's lists (``/open-data/hsds/...``)."""

    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=500)
    search = forms.CharField(required=False, max_length=80)
    organization_id = forms.UUIDField(required=False)
    # HSDS API reference: only records changed after this moment, and the
    # one-to-one fields only (no nested organization) when minimal=true.
    modified_after = forms.DateTimeField(required=False, input_formats=["iso-8601"])
    minimal = forms.ChoiceField(required=False, choices=[("true", "true"), ("false", "false")])

    def errors_as_data(self) -> dict:
        return {"detail": "Invalid query.", "errors": {
            name: [str(error) for error in errors] for name, errors in self.errors.items()}}


def typed_changes(typed: forms.Form, current: forms.Form) -> list[dict]:
    """What the user typed in a stale offer form (``typed``, refused because
    someone saved in between) where it differs from what is saved now
    (``current``): a field's label and the typed value in words, so the form
    can show the current values and say "Jij typte: …" next to each."""
    changes = []
    for name, field in typed.fields.items():
        if name == "version" or name not in current.fields:
            continue
        mine, saved = _comparable(typed[name]), _comparable(current[name])
        if mine == saved:
            continue
        choices = {str(key): str(label) for key, label in field.choices} if hasattr(
            field, "choices") else {}
        if isinstance(mine, bool):
            text = _("yes") if mine else _("no")
        elif isinstance(mine, list):
            text = ", ".join(choices.get(value, value) for value in mine)
        else:
            text = choices.get(mine, mine)
        changes.append({"name": name, "label": field.label, "typed": text or _("(empty)")})
    return changes


def _comparable(bound):
    value = bound.value()
    if isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return sorted(str(getattr(item, "pk", item)) for item in value)
    if value is None:
        return ""
    return str(bound.field.widget.format_value(value) or "").strip()

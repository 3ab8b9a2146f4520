from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.fields import DateInput, PhoneField, first_name_field, last_name_field
from digibank.models import (
    AuditAction,
    CallResult,
    District,
    Language,
    Resident,
    TargetGroup,
    User,
)

# A search longer than any name or phone number is refused with this, next
# to the field (the residents list and the counter alike).
SEARCH_TOO_LONG = _("That is too long to search: type at most %(limit_value)d characters of a "
                    "name or phone number.")


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or phone number"), required=False, max_length=80,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": SEARCH_TOO_LONG},
    )


class ResidentForm(forms.Form):
    first_name = first_name_field()
    last_name = last_name_field()
    phone = PhoneField(required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False,
        empty_label=_("Unknown"),
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices,
                                 initial=Language.DUTCH)
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"), queryset=TargetGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, resident: Resident | None = None, **kwargs):
        self.resident = resident
        super().__init__(*args, **kwargs)

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= date.today().year:
            raise forms.ValidationError(
                _("Enter a year between 1900 and %(year)s.") % {"year": date.today().year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        named = cleaned.get("first_name") or cleaned.get("last_name") or cleaned.get("phone")
        if not named and not self.errors:
            raise forms.ValidationError(_("Give at least a name or a phone number."))
        return cleaned

    def duplicates(self):
        """Residents with the same name (any case, accents or order) or the
        same phone number as entered (warn, don't block)."""
        data = self.cleaned_data
        qs = Resident.objects.possible_duplicates(
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            phone=data.get("phone", ""))
        if self.resident is not None:
            qs = qs.exclude(pk=self.resident.pk)
        return qs


class CallResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=CallResult.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the result of the call.")},
    )
    try_again_on = forms.DateField(
        label=_("Try again on"), required=False,
        widget=DateInput(),
        help_text=_("Only when not reached. Tomorrow if left empty."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    # How many attempts the host saw: a second click (or a second host) on
    # the same attempt is refused, so one call counts once.
    seen_attempts = forms.IntegerField(label=_("Attempts seen on the list"),
                                       widget=forms.HiddenInput, required=False, min_value=0,
                                       max_value=32767)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class AuditFilterForm(forms.Form):
    """The audit trail's filters, read from the query string (Dutch names:
    ``inwoner``, ``actie``, ``gebruiker``, ``van``, ``tot``)."""

    inwoner = forms.IntegerField(
        label=_("Resident number"), required=False, min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the resident's number, for example 123."),
                        "min_value": _("Enter the resident's number, for example 123.")},
    )
    actie = forms.ChoiceField(label=_("Action"), required=False,
                              choices=[("", _("All actions")), *AuditAction.choices])
    gebruiker = UserChoiceField(label=_("Who"), required=False, empty_label=_("Everyone"),
                                queryset=User.objects.order_by("username"))
    van = forms.DateField(label=_("From"), required=False,
                          widget=DateInput())
    tot = forms.DateField(label=_("Until and including"), required=False,
                          widget=DateInput())

    def clean_inwoner(self) -> Resident | None:
        number = self.cleaned_data["inwoner"]
        if number is None:
            return None
        resident = Resident.objects.filter(pk=number).first()
        if resident is None:
            raise forms.ValidationError(_("There is no resident with number %(number)s."),
                                        params={"number": number})
        return resident

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("The end must not be before the start."))
        return cleaned


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=255,
        help_text=_("For example: request of the resident on 26/11/2026."),
        error_messages={"required": _("Say why the data is erased.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, phone number and e-mail are erased for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

"""Form fields with one rule wherever a form asks for the same thing: a
resident's phone number and names are checked alike on the counter, the
residents page, the public enrolment and the partner's contact request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank import matching

PHONE_EXAMPLE = _("Enter a whole phone number, for example 0470 12 34 56 or +31 6 12 34 56 78.")


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (2026-12-07): the
    browser shows it as dd/mm/yyyy to the user, and leaves a field with any
    other value (07/12/2026, as Django's Dutch format would write) empty."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")


class PhoneField(forms.CharField):
    """A phone number in any Belgian or international notation, cleaned to
    the stored form (``digibank.matching.normalise_phone``); anything that
    is not a valid number (``abc``, ``0470``) is refused next to the field."""

    default_error_messages = {"invalid": PHONE_EXAMPLE}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone"))
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel",
                                                           "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        if not value:
            return ""
        if matching.parse_phone(value) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return matching.normalise_phone(value)


def first_name_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", _("First name"))
    return forms.CharField(max_length=80, required=kwargs.pop("required", False), **kwargs)


def last_name_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", _("Last name"))
    return forms.CharField(max_length=80, required=kwargs.pop("required", False), **kwargs)

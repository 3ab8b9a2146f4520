"""Guards every form shares, whoever wrote the form."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates the service can mean: a year like 9999 is a typing error, and date
# arithmetic on it (the day after, a week later) overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def validate_sane_date(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.strftime("%d/%m/%Y"),
                    "latest": LATEST.strftime("%d/%m/%Y")})


def install_date_guard() -> None:
    """Every date and date-time field of every form (model forms, filters,
    the admin) refuses a date outside EARLIEST..LATEST with a message next
    to the field. On the field classes, so no form can forget it."""
    for field_class in (forms.DateField, forms.DateTimeField):
        if getattr(field_class.validate, "sane_date_guard", False):
            continue
        original = field_class.validate

        def validate(self, value, _original=original):
            _original(self, value)
            validate_sane_date(value)

        validate.sane_date_guard = True
        field_class.validate = validate

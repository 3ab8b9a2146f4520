"""``<a href="{{ point.phone|tel }}">``: a phone number as a ``tel:`` link."""

import re

from django import template

from digibank.matching import phone_e164

register = template.Library()

# Everything but digits, and a plus that does not lead.
_NOT_DIALLED = re.compile(r"(?!^\+)[^0-9]")


@register.filter
def tel(raw) -> str:
    """``tel:+3215294000`` for a number in any notation (E.164, RFC 3966: a
    link without spaces that every phone dials); what is no valid number
    keeps only its digits and a leading plus."""
    text = str(raw or "").strip()
    return "tel:" + (phone_e164(text) or _NOT_DIALLED.sub("", text))

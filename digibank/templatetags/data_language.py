"""``{{ course|dutch }}``: stored Dutch text inside interface text."""

from django import template
from django.utils.html import format_html

from digibank.models import DATA_LANGUAGE

register = template.Library()


@register.filter
def dutch(value) -> str:
    """``value`` (a course title, a topic, a target group …, typed in Dutch)
    in ``<span lang="nl">``, for where it sits inside a translated sentence
    (``{% blocktranslate with course=session.course|dutch %}``) and the
    surrounding element cannot take the ``lang`` itself, so the English
    interface reads it as Dutch."""
    return format_html('<span lang="{}">{}</span>', DATA_LANGUAGE, value)

"""``{% screen_messages point %}``: the rotating messages for an info screen."""

from django import template

from outreach.models import ScreenMessage

register = template.Library()


@register.inclusion_tag("outreach/_screen_messages.html")
def screen_messages(point=None) -> dict:
    """The current messages for ``point`` (or for every screen when None)."""
    return {"screen_messages": list(ScreenMessage.objects.current(point))}

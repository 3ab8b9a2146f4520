"""Absolute links for messages written without a request (a nightly job's
e-mail): the site's address (``SITE_URL``) in front of a path."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``path`` (starting with /) as a link a mail client can open."""
    return f"{settings.SITE_URL}{path}"


def absolute_reverse(name: str, *args, **kwargs) -> str:
    return absolute_url(reverse(name, args=args or None, kwargs=kwargs or None))

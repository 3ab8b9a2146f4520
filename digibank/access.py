"""Deny by default: role checks for views.

Every staff view is behind ``LoginRequiredMiddleware``; ``role_required``
narrows it to roles. Object scoping (by point or partner) happens in each
app's ``get_<thing>_for_user`` helpers.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Allow the view only to users with one of ``roles``; 403 otherwise."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def may_open(user, url: str) -> bool:
    """Whether ``user`` passes the role check of the view at ``url``: the
    roles its ``role_required`` names (the same check the view makes), so a
    page links only where the reader may go. Scoping to one object (a visit
    at the user's points, a coach's own guidance) is the linking app's part,
    with the queryset its view uses."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    roles = getattr(match.func, "allowed_roles", None)
    if roles is None:
        return user.is_authenticated
    return user.is_authenticated and user.has_role(*roles)


def safe_next(request, default: str) -> str:
    """The ``next`` address a form sent back to, when it is a path on this
    site; ``default`` (a URL) otherwise. Never a view name to look up, never
    another site: ``next=999999999`` or ``next=https://elsewhere`` go to
    ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default

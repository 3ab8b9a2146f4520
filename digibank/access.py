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

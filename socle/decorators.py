from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

__all__ = ["login_not_required", "role_required", "sans_double_authentification"]


def role_required(roles):
    """Allow the view only to users holding one of `roles` on their current LP (else 403).

    `request.roles` is set by the établissement middleware; this module only reads it.
    """
    roles = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.roles & roles):
                raise PermissionDenied("Votre rôle ne donne pas accès à cette page.")
            return view(request, *args, **kwargs)

        wrapper.roles_requis = roles
        return wrapper

    return decorator


def sans_double_authentification(view):
    """Mark a view reachable before the second factor is given (the code page, enrolment, logout)."""
    view.double_authentification_libre = True
    return view

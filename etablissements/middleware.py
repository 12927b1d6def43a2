from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from socle.middleware import CLE_APPAREIL_OTP
from socle.requetes import RequeteCompilee
from socle.roles import Role

from .models import Etablissement
from .scoping import perimetre

SESSION_KEY = "etablissement_id"


# Read on nearly every signed-in page (a user of one LP; the LPs of a user of several): compiled once
# (socle.requetes).
_LP = RequeteCompilee(lambda pk: Etablissement.objects.filter(pk=pk).select_related("academie"), int)
_LPS = RequeteCompilee(
    lambda pks: Etablissement.objects.filter(pk__in=pks).select_related("academie").order_by("nom"), list
)


def _etablissement(pk) -> Etablissement | None:
    """The LP with its académie, as `select_related("academie")` loads them."""
    return next(iter(_LP.objets(pk)), None)


def etablissement_courant(request):
    """The LP the user works on: the one picked in the switcher, else the first one they reach.

    A user of several LPs (a coordinator serves each LP of their association) also gets them all in
    `request.etablissements_accessibles`, for the switcher of every page: read in the same query.
    """
    ids = [pk for pk, roles in perimetre(request.user).roles.items() if roles - {Role.PILOTAGE}]
    if not ids:
        return None
    if len(ids) == 1:
        return _etablissement(ids[0])
    request.etablissements_accessibles = tous = _LPS.objets(ids)
    choisi = request.session.get(SESSION_KEY)
    return next((e for e in tous if e.pk == choisi), tous[0] if tous else None)


class EtablissementCourantMiddleware:
    """Sets `request.etablissement` (the current LP, or None) and `request.roles` (roles held on it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.etablissement = None
        request.roles = frozenset()
        if request.user.is_authenticated:
            request.etablissement = etablissement_courant(request)
            if request.etablissement is not None:
                request.roles = frozenset(perimetre(request.user).roles_sur(request.etablissement.pk))
        return self.get_response(request)


class DoubleAuthentificationMiddleware:
    """Second factor: ask the TOTP code of users who enrolled a device; send users whose
    roles require one (DOUBLE_AUTHENTIFICATION_ROLES) to enrolment first.

    Public views, and views marked `sans_double_authentification`, stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or getattr(view_func, "login_required", True) is False:
            return None
        if getattr(view_func, "double_authentification_libre", False):
            return None
        if request.session.get(CLE_APPAREIL_OTP):
            if not request.user.is_verified():
                return redirect(f"{reverse('code_otp')}?{urlencode({'next': request.get_full_path()})}")
        elif perimetre(request.user).roles_tenus & set(settings.DOUBLE_AUTHENTIFICATION_ROLES):
            return redirect("securite")
        return None

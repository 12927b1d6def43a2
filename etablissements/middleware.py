from mentorat.roles import Role

from .scoping import perimetre

SESSION_KEY = "etablissement_id"


def etablissement_courant(request):
    """The LP the user works on: the one picked in the switcher, else the first one they reach."""
    from .models import Etablissement

    ids = [pk for pk, roles in perimetre(request.user).roles.items() if roles - {Role.PILOTAGE}]
    if not ids:
        return None
    choisi = request.session.get(SESSION_KEY)
    qs = Etablissement.objects.select_related("academie")
    if choisi in ids:
        return qs.filter(pk=choisi).first()
    return qs.filter(pk__in=ids).order_by("nom").first()


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

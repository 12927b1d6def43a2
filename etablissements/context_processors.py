from socle.navigation import menu_pour
from socle.roles import Role

from .models import Etablissement
from .scoping import perimetre


def navigation(request):
    """Menu and LP switcher of the header, for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    p = perimetre(user)
    roles = set(getattr(request, "roles", ()))
    if p.academies:
        roles.add(Role.PILOTAGE)
    if p.administration:
        roles.add(Role.ADMIN_ACADEMIQUE)
    roles |= p.roles_nationaux
    if any(Role.RESPONSABLE in held for held in p.roles_partenaires.values()):
        roles.add(Role.RESPONSABLE)
    ids = [pk for pk, held in p.roles.items() if held - {Role.PILOTAGE}]
    accessibles = getattr(request, "etablissements_accessibles", None)  # read by the middleware
    if accessibles is None and len(ids) > 1:
        accessibles = list(Etablissement.objects.filter(pk__in=ids).only("pk", "nom", "uai"))
    return {
        "menu": menu_pour(roles, request.path),
        "etablissements_accessibles": accessibles or [],
        "roles_courants": [Role(r).label for r in sorted(getattr(request, "roles", ()))],
    }

"""What the views of the « cadre du dispositif » share: fetching a dispositif, the sub-navigation."""

from socle import roles as R

from ..models import Dispositif
from ..scoping import get_for_user, perimetre, peut_ecrire

# The dispositif's sections, in the sub-navigation's order: (key, label, URL name).
SECTIONS = [
    ("dispositif", "Vue d’ensemble", "etablissements:dispositif"),
    ("diagnostic", "Diagnostic", "etablissements:diagnostic"),
    ("convention", "Partenaire et convention", "etablissements:conventions"),
    ("cadrage", "Document de cadrage", "etablissements:cadrage"),
    ("equipe", "Équipe", "etablissements:equipe"),
    ("budget", "Budget", "etablissements:budget"),
    ("frise", "Frise chronologique", "etablissements:frise"),
]


def obtenir_dispositif(request, pk, *, ecriture=False):
    return get_for_user(
        Dispositif.objects.select_related("etablissement", "partenaire"), request.user, ecriture=ecriture, pk=pk
    )


def contexte_dispositif(request, dispositif, section, **extra):
    """Context of a page of one dispositif: the sub-navigation and what the user may do there."""
    roles = perimetre(request.user).roles_sur(dispositif.etablissement_id)
    return {
        "dispositif": dispositif,
        "etablissement": dispositif.etablissement,
        "section": section,
        "sections": SECTIONS,
        "peut_ecrire": peut_ecrire(request.user, Dispositif, dispositif.etablissement_id),
        "peut_valider": bool(roles & R.VALIDATION),
        **extra,
    }

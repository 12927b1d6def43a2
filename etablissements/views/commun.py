"""What the views of the « cadre du dispositif » share: fetching a dispositif, the sub-navigation."""

from socle import roles as R

from ..models import Dispositif
from ..scoping import a_un_role, get_for_user

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
    return {
        "dispositif": dispositif,
        "etablissement": dispositif.etablissement,
        "section": section,
        "sections": SECTIONS,
        "peut_ecrire": Dispositif.objects.peut_ecrire(request.user, dispositif.etablissement_id),
        "peut_valider": a_un_role(request.user, dispositif.etablissement_id, R.VALIDATION),
        **extra,
    }

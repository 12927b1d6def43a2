"""The health of a binôme and the student's answers, as a section of the binôme page (binomes.fiche)."""

from django.template.loader import render_to_string

from ..models import AvisEleve
from ..sante import peut_lire_sante, sante_des_binomes

# The student's latest answers shown on the binôme page; the older ones stay in the database.
AVIS_AFFICHES = 10


def section_binome(request, binome) -> str:
    """The pair's health and the student's answers, for the référent only: the binôme page is the one
    page naming the student where their answers may appear."""
    if not peut_lire_sante(request.user, binome.eleve.etablissement_id):
        return ""
    avis = list(AvisEleve.objects.for_user(request.user).filter(binome=binome)[:AVIS_AFFICHES])
    return render_to_string(
        "seances/_sante_binome.html",
        {"sante": sante_des_binomes([binome]).get(binome.pk), "avis": avis, "binome": binome},
        request=request,
    )

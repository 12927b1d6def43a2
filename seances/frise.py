"""What the séances, follow-up meetings and évènements tell the frise chronologique.

Registered in `SeancesConfig.ready()`; see the table of evidence in `etablissements.frise`.
An évènement or a meeting counts as held once its date has come (`jour`); a séance once it
is recorded as held.
"""

from datetime import date

from django.db.models import Exists, OuterRef

from etablissements.frise import EN_COURS, FAIT
from etablissements.models.jalon import DEFINITIONS

from .models import Evenement, ReunionSuivi, Seance, StatutSeance, TypeEvenement

JALON_DE_L_EVENEMENT = {
    TypeEvenement.PRESENTATION: "presentation",
    TypeEvenement.LANCEMENT: "lancement",
    TypeEvenement.FIN_ANNEE: "reunion_fin",
    TypeEvenement.CEREMONIE: "evenement_fin",
}
CODES = (*JALON_DE_L_EVENEMENT.values(), "deroulement")


def annotations(jour: date) -> dict:
    resultat = {
        "seance_tenue": Exists(
            Seance.objects.filter(dispositif=OuterRef("pk"), statut=StatutSeance.TENUE, date__lte=jour)
        ),
        "reunion_tenue": Exists(ReunionSuivi.objects.filter(dispositif=OuterRef("pk"), date__lte=jour)),
    }
    for type_ in JALON_DE_L_EVENEMENT:
        evenements = Evenement.objects.filter(dispositif=OuterRef("pk"), type=type_)
        resultat[f"{type_}_tenu"] = Exists(evenements.filter(date__lte=jour))
        resultat[f"{type_}_prevu"] = Exists(evenements.filter(date__gt=jour))
    return resultat


def deriver(d, jour: date) -> dict[str, str]:
    """Évènements, launch and the year's course."""
    resultat = {}
    for type_, code in JALON_DE_L_EVENEMENT.items():
        if getattr(d, f"{type_}_tenu"):
            resultat[code] = FAIT
        elif getattr(d, f"{type_}_prevu"):
            resultat[code] = EN_COURS
    # The first séance held launches the mentoring, with or without a launch event.
    if d.seance_tenue:
        resultat["lancement"] = FAIT
    # The year's course (October to May) is done once its period is over with séances
    # and at least one follow-up meeting held; until then, anything held shows it under way.
    fin = DEFINITIONS["deroulement"].dates(d.annee)[1]
    if d.seance_tenue and d.reunion_tenue and jour > fin:
        resultat["deroulement"] = FAIT
    elif d.seance_tenue or d.reunion_tenue:
        resultat["deroulement"] = EN_COURS
    return resultat

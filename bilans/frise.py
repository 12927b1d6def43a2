"""What the year's review tells the frise chronologique (milestone « Bilan et indicateurs »).

Registered in `BilansConfig.ready()`; see the table of evidence in `etablissements.frise`.
"""

from datetime import date

from django.db.models import Exists, OuterRef

from etablissements.frise import EN_COURS, FAIT
from etablissements.models import Dispositif

from .models import Enquete

CODES = ("bilan",)
_PARTIES = ("relations_partenaires", "difficultes", "ameliorations")


def deriver(dispositifs, jour: date) -> dict[tuple[int, str], str]:
    """Done once the qualitative review is written in full; a part of it or a survey shows it under way.

    One query whatever the number of dispositifs.
    """
    lignes = (
        Dispositif.objects.filter(pk__in=[d.pk for d in dispositifs])
        .annotate(enquete=Exists(Enquete.objects.filter(dispositif=OuterRef("pk"))))
        .select_related("bilan_qualitatif")
    )
    resultat = {}
    for d in lignes:
        bilan = getattr(d, "bilan_qualitatif", None)
        parties = [getattr(bilan, partie).strip() for partie in _PARTIES] if bilan else []
        if parties and all(parties):
            resultat[(d.pk, "bilan")] = FAIT
        elif any(parties) or d.enquete:
            resultat[(d.pk, "bilan")] = EN_COURS
    return resultat

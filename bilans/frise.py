"""What the year's review tells the frise chronologique (milestone « Bilan et indicateurs »).

Registered in `BilansConfig.ready()`; see the table of evidence in `etablissements.frise`.
"""

from datetime import date

from django.db.models import Exists, OuterRef

from etablissements.frise import EN_COURS, FAIT

from .models import Enquete

CODES = ("bilan",)
_PARTIES = ("relations_partenaires", "difficultes", "ameliorations")


def annotations(jour: date) -> dict:
    return {"enquete": Exists(Enquete.objects.filter(dispositif=OuterRef("pk")))}


RELATIONS = ("bilan_qualitatif",)


def deriver(d, jour: date) -> dict[str, str]:
    """Done once the qualitative review is written in full; a part of it or a survey shows it under way."""
    bilan = getattr(d, "bilan_qualitatif", None)
    parties = [getattr(bilan, partie).strip() for partie in _PARTIES] if bilan else []
    if parties and all(parties):
        return {"bilan": FAIT}
    if any(parties) or d.enquete:
        return {"bilan": EN_COURS}
    return {}

"""What the binômes tell the frise chronologique of the `etablissements` app."""

from etablissements.frise import EN_COURS, FAIT

from .models import Binome, StatutBinome


def appariement(dispositifs):
    """Pairing is done once a binôme has been formed; proposals alone mean it is under way."""
    resultat = {}
    for dispositif_id, statut in Binome.objects.filter(dispositif__in=[d.pk for d in dispositifs]).values_list(
        "dispositif_id", "statut"
    ):
        if statut == StatutBinome.PROPOSE:
            resultat.setdefault(dispositif_id, EN_COURS)
        else:
            resultat[dispositif_id] = FAIT
    return resultat

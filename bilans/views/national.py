"""The national pilots' dashboard: one row per académie and the country's total, no LP, no name."""

from django.http import Http404
from django.shortcuts import render

from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import pilote_national
from socle.exports import reponse_csv
from socle.journal import ActionJournal, journaliser
from socle.routeur import lecture_sur_replique

from ..indicateurs import ORDRE, RAFRAICHISSEMENT, Indicateur
from ..national import tableau_national


def _tableau(request):
    # Only the national pilots; everyone else (an académie's pilot included) is told nothing is here.
    if not pilote_national(request.user):
        raise Http404
    annee = annee_scolaire_courante()
    return annee, tableau_national(annee)


@lecture_sur_replique
def national(request):
    """Every académie side by side with the country's total, from the cache (dated)."""
    annee, tableau = _tableau(request)
    return render(
        request,
        "bilans/national.html",
        {
            "annee_scolaire": f"{annee}-{annee + 1}",
            "tableau": tableau,
            "codes": ORDRE,
            "rafraichissement": RAFRAICHISSEMENT,
            "definitions": [Indicateur(code, None) for code in ORDRE],
        },
    )


@lecture_sur_replique
def national_export(request):
    """The national table as CSV: one row per académie, then the country's total, with its date."""
    annee, tableau = _tableau(request)
    entetes = ["Académie", "Établissements", "Dispositifs de l’année", "Année scolaire", "Calculé le"] + [
        Indicateur(code, None).libelle for code in ORDRE
    ]
    annee_scolaire = f"{annee}-{annee + 1}"

    def valeurs(indicateurs):
        # Empty cells for an académie still pending, and for the total until every académie is computed.
        return [indicateurs[code].valeur for code in ORDRE] if indicateurs else [""] * len(ORDRE)

    lignes = [
        [ligne.nom, ligne.etablissements, ligne.dispositifs, annee_scolaire, tableau.calcule_le]
        + valeurs(ligne.indicateurs)
        for ligne in tableau.lignes
    ]
    lignes.append(
        ["Total national", tableau.etablissements, tableau.dispositifs, annee_scolaire, tableau.calcule_le]
        + valeurs(tableau.total)
    )
    journaliser(
        request, action=ActionJournal.EXPORT, etablissement_id=None, objet=f"Indicateurs nationaux {annee_scolaire}"
    )
    return reponse_csv(f"indicateurs-mentorat-national-{annee}-{annee + 1}.csv", entetes, lignes)

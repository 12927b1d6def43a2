import io

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from etablissements.models import Dispositif
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import academies_de, exiger_ecriture
from socle.exports import reponse_csv
from socle.formats import compte
from socle.journal import ActionJournal, journaliser
from socle.roles import Role
from socle.routeur import lecture_sur_replique

from .. import rapports
from ..indicateurs import ORDRE, Indicateur, indicateurs_par_dispositif
from ..models import RapportAnnuel, StatutRapport


def _dispositif(request, pk):
    """The dispositif, if the user may read its report (404 otherwise, as for a missing one)."""
    return get_object_or_404(
        Dispositif.objects.for_user(request.user, roles=RapportAnnuel.ROLES_LECTURE).select_related("etablissement"),
        pk=pk,
    )


def rapport(request, pk):
    dispositif = _dispositif(request, pk)
    return render(
        request,
        "bilans/rapport.html",
        {
            "dispositif": dispositif,
            "rapport": RapportAnnuel.objects.filter(dispositif=dispositif).first(),
            "peut_generer": RapportAnnuel.objects.peut_ecrire(request.user, dispositif.etablissement_id),
        },
    )


@require_POST
def rapport_generer(request, pk):
    dispositif = _dispositif(request, pk)
    exiger_ecriture(
        request.user, RapportAnnuel, dispositif.etablissement_id, "Votre rôle ne permet pas de demander ce rapport."
    )
    rapports.rapport_demander(dispositif=dispositif)
    messages.success(request, "La génération du rapport est lancée : la page indique quand il est prêt.")
    return redirect("bilans:rapport", pk=dispositif.pk)


def rapport_telecharger(request, pk):
    dispositif = _dispositif(request, pk)
    rapport = RapportAnnuel.objects.filter(dispositif=dispositif, statut=StatutRapport.PRET).first()
    if rapport is None or not rapport.fichier:
        raise Http404("Le rapport n’est pas prêt.")
    journaliser(
        request,
        action=ActionJournal.TELECHARGEMENT,
        etablissement_id=dispositif.etablissement_id,
        objet=f"Rapport annuel {dispositif.annee_scolaire}",
    )
    return FileResponse(
        rapport.fichier.open("rb"),
        as_attachment=True,
        filename=f"rapport-mentorat-{dispositif.etablissement.uai}-{dispositif.annee_scolaire}.pdf",
        content_type="application/pdf",
    )


@require_POST
def rapports_academie(request):
    """The académie asks for the year-end reports of all its LPs at once."""
    if not academies_de(request.user):
        raise Http404
    dispositifs = Dispositif.objects.for_user(request.user, roles={Role.PILOTAGE}).filter(
        annee=annee_scolaire_courante()
    )
    nombre = 0
    for dispositif in dispositifs:
        rapports.rapport_demander(dispositif=dispositif)
        nombre += 1
    messages.success(request, f"Génération lancée pour {compte(nombre, 'rapport')}.")
    return redirect("bilans:academie")


@lecture_sur_replique
def export(request):
    """Indicators of the year as CSV or XLSX: one row per LP the user may see (the académie: all its LPs)."""
    annee = annee_scolaire_courante()
    dispositifs = list(
        Dispositif.objects.for_user(request.user, roles=RapportAnnuel.ROLES_LECTURE)
        .filter(annee=annee)
        .select_related("etablissement__academie")
        .order_by("etablissement__nom")
    )
    if not dispositifs:
        raise Http404
    valeurs = indicateurs_par_dispositif([d.pk for d in dispositifs])
    entetes = ["Établissement", "UAI", "Académie", "Année scolaire"] + [Indicateur(c, None).libelle for c in ORDRE]
    lignes = [
        [d.etablissement.nom, d.etablissement.uai, d.etablissement.academie.nom, d.annee_scolaire]
        + [valeurs[d.pk][c].valeur if valeurs[d.pk][c].valeur is not None else "" for c in ORDRE]
        for d in dispositifs
    ]
    for d in dispositifs:
        journaliser(
            request,
            action=ActionJournal.EXPORT,
            etablissement_id=d.etablissement_id,
            objet=f"Indicateurs {d.annee_scolaire}",
        )
    nom = f"indicateurs-mentorat-{annee}-{annee + 1}"
    if request.GET.get("format") == "xlsx":
        classeur = Workbook()
        feuille = classeur.active
        feuille.title = "Indicateurs"
        feuille.append(entetes)
        for ligne in lignes:
            feuille.append([float(v) if hasattr(v, "as_tuple") else v for v in ligne])
        tampon = io.BytesIO()
        classeur.save(tampon)
        reponse = HttpResponse(
            tampon.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        reponse["Content-Disposition"] = f'attachment; filename="{nom}.xlsx"'
        return reponse
    return reponse_csv(f"{nom}.csv", entetes, lignes)

"""The vie scolaire's absences: the day's export of the school software, and the daily list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from binomes.tableur import TAILLE_MAX, FichierRefuse
from etablissements.scoping import get_for_user
from socle import roles as R
from socle.decorators import role_required
from socle.formats import compte

from .. import vie_scolaire
from ..forms_vie_scolaire import AppelForm, CorrespondanceForm, ImportAbsencesForm
from ..models import ImportAbsences, Seance

DERNIERS_IMPORTS = 10


def _bilan(absences: int, alertes: int) -> str:
    return (
        f"{compte(absences, 'absence enregistrée', 'absences enregistrées')} aux séances ; "
        f"{compte(alertes, 'alerte envoyée', 'alertes envoyées')} aux mentors."
    )


@role_required(R.VIE_SCOLAIRE)
def absences_du_jour(request):
    """Today's planned séances with their students: the CPE ticks the absent ones, their mentors are warned."""
    jour = timezone.localdate()
    seances = list(
        vie_scolaire.seances_du_jour(
            Seance.objects.for_user(request.user).filter(dispositif__etablissement=request.etablissement), jour=jour
        )
    )
    participations = vie_scolaire.appelables(seances)
    form = AppelForm(request.POST or None, participations=participations)
    if request.method == "POST" and form.is_valid():
        absences, alertes = vie_scolaire.liste_valider(
            participations=participations,
            absents=set(form.cleaned_data["absents"]),
            justifiees=set(form.cleaned_data["justifiees"]),
            auteur=request.user,
        )
        messages.success(request, _bilan(absences, alertes))
        return redirect("seances:absences_du_jour")
    coches = {nom: {int(x) for x in request.POST.getlist(nom) if x.isdigit()} for nom in ("absents", "justifiees")}
    return render(
        request,
        "seances/vie_scolaire/du_jour.html",
        {
            "jour": jour,
            "seances": seances,
            "form": form,
            "coches_absents": coches["absents"],
            "coches_justifiees": coches["justifiees"],
        },
    )


@role_required(R.VIE_SCOLAIRE)
def import_absences(request):
    """Step 1: read the export, refuse it whole, else keep it for the preview."""
    form = ImportAbsencesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            import_kept = vie_scolaire.import_lire(
                etablissement=request.etablissement,
                nom_fichier=fichier.name or "",
                contenu=fichier.read(TAILLE_MAX + 1),
                user=request.user,
            )
        except FichierRefuse as exc:
            form.add_error("fichier", str(exc))
        else:
            return redirect(import_kept)
    derniers = ImportAbsences.objects.for_user(request.user).filter(
        etablissement=request.etablissement, applique_le__isnull=False
    )[:DERNIERS_IMPORTS]
    return render(request, "seances/vie_scolaire/import.html", {"form": form, "derniers": derniers})


def import_absences_apercu(request, pk):
    """Step 2: the columns (remembered for the LP), what each row gives, then applying it all or nothing."""
    import_kept = get_for_user(ImportAbsences, request.user, ecriture=request.method == "POST", pk=pk)
    colonnes = vie_scolaire.colonnes_de(import_kept)
    entetes = import_kept.entetes if isinstance(import_kept.entetes, list) else []
    if request.method == "POST" and "appliquer" in request.POST:
        try:
            resultat = vie_scolaire.import_appliquer(import_absences=import_kept, auteur=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _bilan(resultat["absences"], resultat["alertes"]))
        return redirect(import_kept)
    form = CorrespondanceForm(
        request.POST or None, entetes=entetes, initial={c: i for c, i in colonnes.items() if i is not None}
    )
    if request.method == "POST" and form.is_valid():
        vie_scolaire.correspondance_enregistrer(
            etablissement=import_kept.etablissement,
            entetes=[str(e) for e in entetes],
            colonnes={champ: form.cleaned_data[champ] for champ in vie_scolaire.CHAMPS},
        )
        messages.success(request, "Les colonnes sont retenues pour les prochains fichiers de l’établissement.")
        return redirect(import_kept)
    manquantes = vie_scolaire.colonnes_manquantes(colonnes)
    analyse = None
    if import_kept.applique_le is None and not manquantes:
        analyse = vie_scolaire.analyser(
            etablissement=import_kept.etablissement, lignes=import_kept.lignes, colonnes=colonnes
        )
    return render(
        request,
        "seances/vie_scolaire/apercu.html",
        {"import": import_kept, "form": form, "analyse": analyse, "manquantes": manquantes},
    )

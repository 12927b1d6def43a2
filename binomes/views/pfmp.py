"""The PFMP periods of the current LP's classes: the year's list, one period typed, a CSV imported."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from etablissements.models import PeriodePFMP
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import exiger_ecriture, get_for_user
from socle.decorators import role_required
from socle.formats import compte

from .. import pfmp
from ..forms import ImportPFMPForm, PeriodePFMPForm

FIL = [("Périodes de PFMP", "binomes:pfmp")]


def _lp_courant(request):
    if request.etablissement is None:
        raise Http404
    return request.etablissement


@role_required(PeriodePFMP.ROLES_LECTURE)
def periodes(request):
    """The school year's PFMP periods of the LP (the current year, or ?annee=)."""
    etab = _lp_courant(request)
    annee_courante = annee_scolaire_courante()
    try:
        annee = int(request.GET.get("annee", annee_courante))
    except ValueError:
        annee = annee_courante
    liste = (
        PeriodePFMP.objects.for_user(request.user).filter(etablissement=etab, annee=annee).order_by("classe", "debut")
    )
    return render(
        request,
        "binomes/pfmp.html",
        {
            "etablissement": etab,
            "periodes": liste,
            "annee": annee,
            "annee_precedente": annee - 1,
            "annee_suivante": annee + 1,
            "peut_modifier": PeriodePFMP.objects.peut_ecrire(request.user, etab.pk),
        },
    )


def _formulaire(request, periode, titre):
    form = PeriodePFMPForm(request.POST or None, instance=periode, classes=pfmp.classes_connues(periode.etablissement))
    if request.method == "POST" and form.is_valid():
        pfmp.pfmp_enregistrer(periode=form.instance)
        messages.success(request, f"Période enregistrée : {form.instance}.")
        return redirect("binomes:pfmp")
    return render(request, "binomes/pfmp_formulaire.html", {"form": form, "titre": titre, "fil": FIL})


def periode_ajouter(request):
    etab = _lp_courant(request)
    exiger_ecriture(request.user, PeriodePFMP, etab.pk, "Votre rôle ne permet pas de saisir les PFMP.")
    return _formulaire(request, PeriodePFMP(etablissement=etab), "Ajouter une période de PFMP")


def periode_modifier(request, pk):
    periode = get_for_user(PeriodePFMP.objects.select_related("etablissement"), request.user, ecriture=True, pk=pk)
    return _formulaire(request, periode, f"Modifier la période {periode}")


@require_POST
def periode_supprimer(request, pk):
    periode = get_for_user(PeriodePFMP, request.user, ecriture=True, pk=pk)
    pfmp.pfmp_supprimer(periode=periode)
    messages.success(request, f"Période supprimée : {periode}.")
    return redirect("binomes:pfmp")


def importer(request):
    """A CSV of periods, created all together or not at all, each wrong line reported."""
    etab = _lp_courant(request)
    exiger_ecriture(request.user, PeriodePFMP, etab.pk, "Votre rôle ne permet pas d’importer les PFMP.")
    form = ImportPFMPForm(request.POST or None, request.FILES or None)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            creees, erreurs = pfmp.pfmp_importer(
                etablissement=etab, contenu=form.cleaned_data["fichier"].read(pfmp.tableur.TAILLE_MAX + 1)
            )
        except pfmp.FichierRefuse as exc:
            form.add_error("fichier", str(exc))
        else:
            if not erreurs:
                messages.success(
                    request, f"Import terminé : {compte(len(creees), 'période créée', 'périodes créées')}."
                )
                return redirect("binomes:pfmp")
            form.add_error("fichier", f"{compte(len(erreurs), 'erreur')} : rien n’a été importé. Corrigez le fichier.")
    return render(
        request,
        "binomes/pfmp_import.html",
        {"form": form, "erreurs": erreurs[:500], "nb_erreurs": len(erreurs), "fil": FIL},
    )

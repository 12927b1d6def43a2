"""The référent manages the dispositif's own indicators from the cadrage page."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from etablissements.models import Dispositif
from etablissements.scoping import exiger_ecriture, get_for_user
from etablissements.views.commun import contexte_dispositif

from ..forms import IndicateurPersonnaliseForm
from ..models import IndicateurPersonnalise

AIDE = (
    "Un indicateur propre au dispositif, écrit dans le document de cadrage, devient mesurable : choisissez la "
    "donnée qui le calcule. Sa valeur apparaît sur le tableau de bord et dans le rapport de fin d’année."
)


def _formulaire(request, dispositif, form, titre):
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, dispositif, "cadrage", form=form, titre=titre, aide=AIDE),
    )


def ajouter(request, pk):
    dispositif = get_for_user(Dispositif.objects.select_related("etablissement", "partenaire"), request.user, pk=pk)
    exiger_ecriture(request.user, IndicateurPersonnalise, dispositif.etablissement_id)
    form = IndicateurPersonnaliseForm(request.POST or None, instance=IndicateurPersonnalise(dispositif=dispositif))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            indicateur = form.save()
        messages.success(request, f"L’indicateur « {indicateur.libelle} » est ajouté.")
        return redirect("etablissements:cadrage", pk=dispositif.pk)
    return _formulaire(request, dispositif, form, "Ajouter un indicateur propre au dispositif")


def modifier(request, pk):
    indicateur = get_for_user(
        IndicateurPersonnalise.objects.select_related("dispositif__etablissement", "dispositif__partenaire"),
        request.user,
        ecriture=True,
        pk=pk,
    )
    form = IndicateurPersonnaliseForm(request.POST or None, instance=indicateur)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, f"L’indicateur « {indicateur.libelle} » est modifié.")
        return redirect("etablissements:cadrage", pk=indicateur.dispositif_id)
    return _formulaire(request, indicateur.dispositif, form, f"Modifier l’indicateur « {indicateur.libelle} »")


@require_POST
def supprimer(request, pk):
    indicateur = get_for_user(IndicateurPersonnalise, request.user, ecriture=True, pk=pk)
    indicateur.delete()
    messages.success(request, f"L’indicateur « {indicateur.libelle} » est supprimé.")
    return redirect("etablissements:cadrage", pk=indicateur.dispositif_id)

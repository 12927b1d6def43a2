"""The objectives of a binôme: add one (from the cadrage or free), rename it, change its status."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from etablissements.scoping import get_for_user

from .. import objectifs as service
from ..forms import ObjectifForm, ObjectifModifierForm
from ..models import Binome, ObjectifBinome


def _fil(binome):
    return [("Binômes", "binomes:binomes"), (str(binome), reverse("binomes:binome", args=[binome.pk]))]


def objectif_nouveau(request, pk):
    binome = get_for_user(
        Binome.objects.select_related("mentor", "eleve", "dispositif"), request.user, ecriture=True, pk=pk
    )
    form = ObjectifForm(request.POST or None, objectifs_cadrage=service.objectifs_du_cadrage(binome.dispositif))
    if request.method == "POST" and form.is_valid():
        try:
            service.objectif_ajouter(
                binome=binome, libelle=form.cleaned_data["libelle"], origine=form.cleaned_data["origine"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "L’objectif est ajouté au binôme.")
            return redirect("binomes:binome", pk=binome.pk)
    return render(
        request, "binomes/formulaire.html", {"form": form, "titre": "Ajouter un objectif", "fil": _fil(binome)}
    )


def objectif_modifier(request, pk):
    objectif = get_for_user(
        ObjectifBinome.objects.select_related("binome__mentor", "binome__eleve"), request.user, ecriture=True, pk=pk
    )
    form = ObjectifModifierForm(request.POST or None, instance=objectif)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values on the instance: the service compares with the stored status.
        ancien = ObjectifBinome.objects.get(pk=objectif.pk)
        try:
            service.objectif_modifier(
                objectif=ancien, libelle=form.cleaned_data["libelle"], statut=form.cleaned_data["statut"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "L’objectif est enregistré.")
            return redirect("binomes:binome", pk=objectif.binome_id)
    return render(
        request,
        "binomes/formulaire.html",
        {"form": form, "titre": f"Modifier l’objectif « {objectif.libelle} »", "fil": _fil(objectif.binome)},
    )

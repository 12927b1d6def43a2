"""Noting the progress of the binômes' objectives at a séance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from etablissements.scoping import get_for_user

from .. import objectifs as service
from ..forms import AvancementObjectifsForm
from ..models import AvancementObjectif, Seance


def avancement(request, pk):
    seance = get_for_user(Seance.objects.select_related("dispositif"), request.user, ecriture=True, pk=pk)
    binomes = service.binomes_de_la_seance(seance)
    deja = {a.objectif_id: a for a in AvancementObjectif.objects.filter(seance=seance)}
    form = AvancementObjectifsForm(request.POST or None, binomes=binomes, deja=deja)
    if request.method == "POST" and form.is_valid():
        try:
            nombre = service.avancements_enregistrer(
                seance=seance,
                saisies=[service.Saisie(objectif=o, note=n, statut=s) for o, n, s in form.saisies()],
                auteur=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Avancement enregistré pour {nombre} objectif{'s' if nombre > 1 else ''}.")
            return redirect(seance)
    return render(
        request,
        "seances/avancement.html",
        {"seance": seance, "form": form, "binomes": binomes, "sans_objectif": not form.objectifs},
    )

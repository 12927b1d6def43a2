"""Passage à l'année suivante: last year's binômes renewed or ended in next year's dispositif."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from etablissements.models import Dispositif
from etablissements.scoping import get_for_user
from socle.formats import compte

from .. import annee
from ..forms import ReconductionForm
from ..models import Binome


def _fil(dispositif):
    return [("Binômes", "binomes:binomes"), (f"Dispositif {dispositif.annee_scolaire}", dispositif)]


def passage(request, pk):
    """Next year's dispositif: last year's pairs to renew, to end, or waiting for the SIECLE import."""
    dispositif = get_for_user(Dispositif.objects.select_related("etablissement"), request.user, ecriture=True, pk=pk)
    lignes = annee.passages(dispositif)
    precedent = annee.dispositif_precedent(dispositif)
    reconduits = (
        Binome.objects.filter(dispositif=dispositif, precedent__isnull=False)
        .select_related("mentor", "eleve")
        .order_by("eleve__nom", "eleve__prenom")
    )
    return render(
        request,
        "binomes/passage.html",
        {
            "dispositif": dispositif,
            "precedent": precedent,
            "fin_des_cours": annee.fin_des_cours(precedent) if precedent else None,
            "aujourd_hui": timezone.localdate(),
            "a_reconduire": [p for p in lignes if p.issue == annee.Issue.RECONDUIRE],
            "sortants": [p for p in lignes if p.issue == annee.Issue.SORTANT],
            "en_attente": [p for p in lignes if p.issue == annee.Issue.EN_ATTENTE],
            "reconduits": reconduits,
            "fil": _fil(dispositif),
        },
    )


def reconduire(request, pk):
    """Renew one of last year's pairs, once the mentor and the student have both agreed."""
    binome = get_for_user(
        Binome.objects.select_related("dispositif", "mentor", "eleve"), request.user, ecriture=True, pk=pk
    )
    suivant = Dispositif.objects.filter(
        etablissement_id=binome.dispositif.etablissement_id, annee=binome.dispositif.annee + 1
    ).first()
    form = ReconductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nouveau = annee.binome_reconduire(binome=binome, par=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Le binôme {nouveau} est reconduit en {nouveau.dispositif.annee_scolaire}.")
            return redirect("binomes:binome", pk=nouveau.pk)
    fil = [("Binômes", "binomes:binomes"), (str(binome), reverse("binomes:binome", args=[binome.pk]))]
    if suivant:
        fil.append(("Passage à l’année suivante", reverse("binomes:passage", args=[suivant.pk])))
    return render(
        request,
        "binomes/formulaire.html",
        {"form": form, "titre": f"Reconduire le binôme {binome}", "fil": fil},
    )


@require_POST
def terminer_sortants(request, pk):
    dispositif = get_for_user(Dispositif, request.user, ecriture=True, pk=pk)
    try:
        nombre = annee.binomes_sortants_terminer(dispositif=dispositif, par=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        fin = "terminés" if nombre > 1 else "terminé"
        messages.success(request, f"{compte(nombre, 'binôme d’élève sortant', 'binômes d’élèves sortants')} {fin}.")
    return redirect("binomes:passage", pk=dispositif.pk)

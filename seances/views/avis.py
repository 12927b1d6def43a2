"""The student's word after a séance: the links made by the référent or the coordinator, and
the public page where the student answers without an account."""

import segno
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from etablissements.scoping import get_for_user
from socle.courriels import lien
from socle.decorators import login_not_required
from socle.liens import LienInvalide, lien_invalide

from .. import avis as service
from ..forms import AvisEleveForm
from ..models import LienAvis, Seance, StatutSeance
from ..services import binomes_de_la_seance


def _seance(request, pk):
    # The links are made by those who enter séances (référent, coordinator): a write right.
    return get_for_user(Seance.objects.select_related("dispositif__etablissement"), request.user, ecriture=True, pk=pk)


def liens(request, pk):
    """What the pairs of the séance have done with their links (never what they answered)."""
    seance = _seance(request, pk)
    binomes = list(binomes_de_la_seance(seance))
    etats = {
        lien.binome_id: lien
        for lien in LienAvis.objects.filter(seance=seance, binome__in=[b.pk for b in binomes]).only(
            "binome_id", "utilise_le", "expire_le"
        )
    }
    for binome in binomes:
        binome.lien_avis = etats.get(binome.pk)
    return render(
        request,
        "seances/avis_liens.html",
        {"seance": seance, "binomes": binomes, "annulee": seance.statut == StatutSeance.ANNULEE},
    )


@require_POST
def liens_creer(request, pk):
    """Make the links and show them once, as addresses and QR codes, on a sheet to print."""
    seance = _seance(request, pk)
    remis = []
    for lien_remis in service.liens_avis_creer(seance=seance):
        adresse = lien(reverse("seances:avis_repondre", args=[lien_remis.jeton]))
        remis.append(
            {
                "binome": lien_remis.binome,
                "adresse": adresse,
                "expire_le": lien_remis.expire_le,
                # segno writes SVG presentation attributes only: allowed by the CSP, no script.
                "qr": mark_safe(
                    segno.make(adresse, error="m").svg_inline(
                        scale=4, title=f"Code QR du lien de {lien_remis.binome.eleve.prenom}"
                    )
                ),
            }
        )
    return render(request, "seances/avis_fiche.html", {"seance": seance, "remis": remis})


TITRE_INVALIDE = "Ce lien d’avis n’est pas valable"


@login_not_required
def repondre(request, jeton):
    """Public page, no account: the student answers three questions, once."""
    try:
        lien_avis = service.lien_trouver(jeton)
    except LienInvalide as erreur:
        return lien_invalide(request, titre=TITRE_INVALIDE, message=erreur.message, connu=erreur.connu)
    form = AvisEleveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.avis_enregistrer(jeton=jeton, **form.cleaned_data)
        except LienInvalide as erreur:
            return lien_invalide(request, titre=TITRE_INVALIDE, message=erreur.message)
        return render(request, "seances/avis_merci.html")
    return render(request, "seances/avis_repondre.html", {"form": form, "seance": lien_avis.seance})

"""Communication: the LP's public page on its mentoring programme, and its poster with a QR code."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from socle.courriels import lien
from socle.decorators import login_not_required
from socle.pdf import rendre_pdf

from ..forms import PagePubliqueForm
from ..models import Dispositif, Etablissement, PagePublique, VersionCadrage
from ..models.cadrage import StatutCadrage
from ..scoping import get_for_user


def communication(request, pk):
    """The LP's page settings: what the public page says, whether it is published, the poster."""
    etab = get_for_user(Etablissement, request.user, pk=pk)
    page = PagePublique.objects.filter(etablissement=etab).first() or PagePublique(etablissement=etab)
    peut_modifier = PagePublique.objects.peut_ecrire(request.user, etab.pk)
    form = PagePubliqueForm(request.POST or None, instance=page) if peut_modifier else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Votre rôle ne permet pas de modifier la page publique.")
        if form.is_valid():
            form.save()
            messages.success(
                request,
                "La page publique est publiée." if page.publiee else "La page publique est enregistrée, non publiée.",
            )
            return redirect("etablissements:communication", pk=etab.pk)
    return render(
        request,
        "etablissements/communication.html",
        {"etablissement": etab, "page": page, "form": form, "adresse": lien(reverse("page_publique", args=[etab.uai]))},
    )


def _publiee(uai):
    """A published page, or 404: an LP that has not published is not announced to the public."""
    return get_object_or_404(
        PagePublique.objects.select_related("etablissement__academie"), etablissement__uai=uai, publiee=True
    )


def _contenu(page):
    etab = page.etablissement
    dispositif = Dispositif.objects.select_related("partenaire").courant(etab)
    cadrage = (
        VersionCadrage.objects.filter(dispositif=dispositif, statut=StatutCadrage.VALIDEE).order_by("-numero").first()
        if dispositif
        else None
    )
    objectifs = [ligne.strip(" -•\t") for ligne in (cadrage.objectifs if cadrage else "").splitlines()]
    adresse = lien(reverse("page_publique", args=[etab.uai]))
    return {
        "page": page,
        "etablissement": etab,
        "dispositif": dispositif,
        "objectifs": [o for o in objectifs if o],
        "adresse": adresse,
        # segno writes SVG presentation attributes only: allowed by the CSP, no script.
        "qr": mark_safe(segno.make(adresse, error="m").svg_inline(scale=5, title="Code QR de la page du mentorat")),
    }


@login_not_required
def page_publique(request, uai):
    return render(request, "etablissements/page_publique.html", _contenu(_publiee(uai)))


@login_not_required
def affiche(request, uai):
    """The poster to print and pin up: the programme in short and the QR code of the public page."""
    contenu = _contenu(_publiee(uai))
    titre = f"Le mentorat au {contenu['etablissement'].nom}"
    pdf = rendre_pdf("etablissements/pdf/affiche.html", {**contenu, "titre": titre}, titre=titre)
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="mentorat-{contenu["etablissement"].uai}.pdf"'
    return reponse

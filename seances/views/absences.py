"""The follow-up of absences: interviews with absent students, and the alerts page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from etablissements.scoping import get_for_user
from socle import roles as R
from socle.decorators import role_required
from socle.models import User
from socle.roles import Role

from .. import services
from ..forms import (
    EntretienAbsenceForm,
)
from ..models import (
    Alerte,
    EntretienAbsence,
)

PAR_PAGE = 25
LECTURE_SEANCES = R.LECTURE_PROGRAMME | {Role.MENTOR}


@role_required(R.VIE_SCOLAIRE)
def entretiens(request):
    """Interviews still to hold in the current LP (all of them with ?tous=1)."""
    tous = request.GET.get("tous") == "1"
    qs = (
        EntretienAbsence.objects.for_user(request.user)
        .filter(seance__dispositif__etablissement=request.etablissement)
        .select_related("eleve", "seance", "assigne_a")
    )
    if not tous:
        qs = qs.filter(fait=False)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "seances/entretiens.html", {"page": page, "tous": tous})


def entretien(request, pk):
    entretien = get_for_user(
        EntretienAbsence.objects.select_related("eleve", "seance__dispositif"),
        request.user,
        ecriture=request.method == "POST",
        pk=pk,
    )
    responsables = User.objects.filter(
        affectations__role__in=sorted(R.VIE_SCOLAIRE),
        affectations__etablissement_id=entretien.seance.dispositif.etablissement_id,
    ).distinct()
    form = EntretienAbsenceForm(request.POST or None, instance=entretien, responsables=responsables)
    if request.method == "POST" and form.is_valid():
        services.entretien_enregistrer(entretien=form.save(commit=False))
        messages.success(request, "L’entretien est enregistré.")
        return redirect("seances:entretiens")
    return render(request, "seances/entretien.html", {"entretien": entretien, "form": form})


# --- Alerts -----------------------------------------------------------------------------------


def alertes(request):
    """The user's own alerts, newest first (the same ones the daily digest emails)."""
    qs = Alerte.objects.filter(destinataire=request.user).select_related("etablissement")
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "seances/alertes.html", {"page": page})


# --- Réunions de suivi and évènements ---------------------------------------------------------

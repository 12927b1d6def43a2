"""Reminders: the mentor's answer through the emailed link, a séance's .ics event, each person's preferences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from etablissements.scoping import get_for_user
from socle.decorators import login_not_required
from socle.liens import lien_invalide

from .. import rappels
from ..forms import PreferenceRappelForm, ReponseRappelForm
from ..ical import calendrier_ical
from ..models import PreferenceRappel, ReponseRappel, Seance


@login_not_required
def repondre(request, jeton):
    """Public page of the mentor's reminder link: confirm or announce an impediment, once.

    The signed link is the only credential: the page shows the séance's date, time and place,
    nothing else (no student, no name). Forged → 404; answered, moved, cancelled or past → 410.
    """
    rappel = rappels.rappel_du_jeton(jeton)
    if rappel is None:
        raise Http404("Lien inconnu.")
    contexte = {"seance": rappel.seance}
    if raison := rappels.raison_lien_ferme(rappel):
        return _lien_ferme(request, raison)
    form = ReponseRappelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rappel = rappels.rappel_repondre(
                rappel=rappel, reponse=form.cleaned_data["reponse"], motif=form.cleaned_data["motif"]
            )
        except ValidationError as erreur:
            return _lien_ferme(request, erreur.messages[0])
        return render(
            request,
            "seances/rappels/merci.html",
            {**contexte, "empechement": rappel.reponse == ReponseRappel.EMPECHEMENT},
        )
    return render(request, "seances/rappels/repondre.html", {**contexte, "form": form})


def seance_ics(request, pk):
    """One séance as an iCalendar event (the reminder's « add to my calendar »), for whoever sees it."""
    seance = get_for_user(Seance.objects.select_related("dispositif__etablissement"), request.user, pk=pk)
    reponse = HttpResponse(
        calendrier_ical([seance], nom=f"Mentorat LP — {seance}").to_ical(), content_type="text/calendar; charset=utf-8"
    )
    reponse["Content-Disposition"] = f'attachment; filename="seance-{seance.pk}.ics"'
    return reponse


def preferences(request):
    """« Mes rappels »: any signed-in person chooses whether and how early reminders come."""
    instance = PreferenceRappel.objects.filter(user=request.user).first() or PreferenceRappel(user=request.user)
    form = PreferenceRappelForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        rappels.preference_enregistrer(
            user=request.user, actif=form.cleaned_data["actif"], delai=form.cleaned_data["delai"]
        )
        messages.success(request, "Vos préférences de rappel sont enregistrées.")
        return redirect("seances:rappels")
    return render(request, "seances/rappels/preferences.html", {"form": form})


def _lien_ferme(request, raison):
    return lien_invalide(
        request,
        titre="Ce lien ne peut plus servir",
        message=raison,
        conseil="Pour toute question sur la séance, adressez-vous au coordonnateur de votre association "
        "ou au référent mentorat du lycée.",
    )

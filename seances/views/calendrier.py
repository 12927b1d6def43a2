"""The mentors' calendar feed (iCalendar) and its secret."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from binomes.models import Mentor
from socle import roles as R
from socle.decorators import login_not_required, role_required
from socle.roles import Role

from .. import services
from ..ical import calendrier_ical
from ..models import (
    JetonCalendrier,
    Seance,
)

PAR_PAGE = 25
LECTURE_SEANCES = R.LECTURE_PROGRAMME | {Role.MENTOR}


@role_required({Role.MENTOR})
def calendrier(request):
    """The mentor's calendar subscription address(es), one per LP where they mentor.

    A read only: an address is created by the POST of its button, not by opening the page.
    """
    jetons = [
        (mentor, services.url_calendrier(jeton) if (jeton := getattr(mentor, "jeton_calendrier", None)) else None)
        for mentor in Mentor.objects.filter(user=request.user).select_related("etablissement", "jeton_calendrier")
    ]
    return render(request, "seances/calendrier.html", {"jetons": jetons})


@require_POST
def calendrier_reinitialiser(request, pk):
    # Only the mentor's own record: nobody resets someone else's subscription (the same 404
    # for others' records and missing ones).
    mentor = get_object_or_404(Mentor.objects.filter(user=request.user), pk=pk)
    premiere = not hasattr(mentor, "jeton_calendrier")
    services.jeton_calendrier_reinitialiser(mentor=mentor)
    if premiere:
        messages.success(request, "Votre adresse d’abonnement est créée.")
    else:
        messages.success(request, "Nouvelle adresse créée : l’ancienne ne fonctionne plus.")
    return redirect("seances:calendrier")


@login_not_required
def calendrier_ics(request, jeton):
    """The iCalendar feed; the unguessable token in the URL is its only credential."""
    jeton = get_object_or_404(JetonCalendrier.objects.select_related("mentor"), jeton=jeton)
    seances = (
        Seance.objects.filter(participations__mentor=jeton.mentor)
        .select_related("dispositif__etablissement")
        .order_by("date", "heure")
    )
    return HttpResponse(calendrier_ical(seances).to_ical(), content_type="text/calendar; charset=utf-8")

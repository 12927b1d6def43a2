"""The mentors' calendar feed (iCalendar) and its secret."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from binomes.models import Mentor
from socle import roles as R
from socle.courriels import lien
from socle.decorators import login_not_required, role_required
from socle.roles import Role

from .. import services
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
    return HttpResponse(_ical(seances).to_ical(), content_type="text/calendar; charset=utf-8")


def _ical(seances) -> icalendar.Calendar:
    fuseau = ZoneInfo(settings.TIME_ZONE)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Mentorat LP//Séances//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Mentorat LP — mes séances")
    hote = settings.SITE_URL.split("://", 1)[-1]
    for seance in seances:
        evenement = icalendar.Event()
        evenement.add("uid", f"seance-{seance.pk}@{hote}")
        evenement.add("dtstamp", datetime.now(tz=fuseau))
        # No student name in the feed: a calendar leaks more easily than the application.
        evenement.add("summary", f"Mentorat : {seance.get_type_display()}")
        if seance.heure:
            debut = datetime.combine(seance.date, seance.heure, tzinfo=fuseau)
            evenement.add("dtstart", debut)
            evenement.add("dtend", debut + timedelta(minutes=seance.duree))
        else:
            evenement.add("dtstart", seance.date)
        lieu = f"{seance.dispositif.etablissement} — {seance.get_lieu_display()}"
        evenement.add("location", f"{lieu}, {seance.lieu_precision}" if seance.lieu_precision else lieu)
        evenement.add("status", {"annulee": "CANCELLED", "tenue": "CONFIRMED"}.get(seance.statut, "TENTATIVE"))
        evenement.add("url", lien(seance.get_absolute_url()))
        cal.add_component(evenement)
    # Times carry TZID=Europe/Paris: the feed describes that zone (VTIMEZONE), as RFC 5545 requires.
    cal.add_missing_timezones()
    return cal

"""iCalendar documents of séances: the mentor's feed and a single séance's event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from socle.courriels import lien


def calendrier_ical(seances, *, nom: str = "Mentorat LP — mes séances") -> icalendar.Calendar:
    """A calendar of `seances` (each with `dispositif__etablissement` selected)."""
    fuseau = ZoneInfo(settings.TIME_ZONE)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Mentorat LP//Séances//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", nom)
    hote = settings.SITE_URL.split("://", 1)[-1]
    for seance in seances:
        evenement = icalendar.Event()
        # The same UID in the feed and in a single event: a calendar app updates, not duplicates.
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

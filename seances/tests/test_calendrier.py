"""Acceptance 4: the mentor's séances as an iCalendar feed behind a secret token they can reset."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from binomes.tests.factories import MentorFactory
from seances.models import JetonCalendrier, StatutSeance
from seances.tests.factories import SeanceFactory


def url_ics(jeton):
    return reverse("seances:calendrier_ics", args=[jeton])


def test_le_mentor_cree_son_adresse_par_le_bouton(client, cast, binome_a):
    client.force_login(cast.mentor_a)
    # Opening the page writes nothing: it says what to do.
    reponse = client.get(reverse("seances:calendrier"))
    assert reponse.status_code == 200
    assert "Créer mon lien d’abonnement" in reponse.content.decode()
    assert not JetonCalendrier.objects.exists()
    reponse = client.post(reverse("seances:calendrier_reinitialiser", args=[binome_a.mentor.pk]), follow=True)
    jeton = JetonCalendrier.objects.get(mentor=binome_a.mentor)
    assert "Votre adresse d’abonnement est créée." in reponse.content.decode()
    assert url_ics(jeton.jeton) in reponse.content.decode()
    # The page is stable: the same address on a second visit.
    assert url_ics(jeton.jeton) in client.get(reverse("seances:calendrier")).content.decode()
    assert JetonCalendrier.objects.get().jeton == jeton.jeton


def test_le_flux_est_un_icalendar_valide(client, cast, binome_a):
    tenue = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, lieu_precision="Salle B12")
    prevue = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True, heure=None)
    annulee = SeanceFactory(
        dispositif=cast.dispositif_a, binome=binome_a, statut=StatutSeance.ANNULEE, date=datetime.date(2026, 12, 1)
    )
    SeanceFactory(dispositif=cast.dispositif_a)  # not this mentor's
    jeton = JetonCalendrier.objects.create(mentor=binome_a.mentor)
    client.logout()
    reponse = client.get(url_ics(jeton.jeton))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/calendar")
    calendrier = icalendar.Calendar.from_ical(reponse.content)
    evenements = {str(e["uid"]): e for e in calendrier.walk("VEVENT")}
    assert set(evenements) == {f"seance-{s.pk}@127.0.0.1:8000" for s in (tenue, prevue, annulee)}
    e = evenements[f"seance-{tenue.pk}@127.0.0.1:8000"]
    debut = e.decoded("dtstart")
    assert (debut.date(), debut.hour, str(debut.tzinfo)) == (tenue.date, 14, "Europe/Paris")
    assert e.decoded("dtend") - debut == datetime.timedelta(minutes=60)
    assert "Salle B12" in str(e["location"])
    assert str(e["summary"]) == "Mentorat : Entretien individuel"
    assert str(binome_a.eleve.nom) not in reponse.content.decode()
    assert evenements[f"seance-{prevue.pk}@127.0.0.1:8000"].decoded("dtstart") == prevue.date
    assert str(evenements[f"seance-{annulee.pk}@127.0.0.1:8000"]["status"]) == "CANCELLED"
    # The times name their zone (TZID): the feed describes it, as RFC 5545 requires.
    assert "TZID=Europe/Paris" in reponse.content.decode()
    assert [str(z["tzid"]) for z in calendrier.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_mauvais_jeton_404(client, cast, binome_a):
    JetonCalendrier.objects.create(mentor=binome_a.mentor)
    assert client.get(url_ics("faux-jeton")).status_code == 404


def test_reinitialiser_coupe_l_ancienne_adresse(client, cast, binome_a):
    ancien = JetonCalendrier.objects.create(mentor=binome_a.mentor).jeton
    client.force_login(cast.mentor_a)
    url = reverse("seances:calendrier_reinitialiser", args=[binome_a.mentor.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    nouveau = JetonCalendrier.objects.get().jeton
    assert nouveau != ancien
    assert client.get(url_ics(ancien)).status_code == 404
    assert client.get(url_ics(nouveau)).status_code == 200


def test_on_ne_reinitialise_pas_le_calendrier_d_un_autre(client, cast, binome_a):
    autre = MentorFactory(etablissement=cast.lp_a)
    jeton = JetonCalendrier.objects.create(mentor=autre).jeton
    for qui in ("mentor_a", "coordonnateur_a", "referent_a"):
        client.force_login(getattr(cast, qui))
        assert client.post(reverse("seances:calendrier_reinitialiser", args=[autre.pk])).status_code == 404
    assert JetonCalendrier.objects.get(mentor=autre).jeton == jeton


@pytest.mark.parametrize("qui", ["referent_a", "coordonnateur_a", "chef_a", "sans_role"])
def test_page_calendrier_reservee_aux_mentors(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("seances:calendrier")).status_code == 403

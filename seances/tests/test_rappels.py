"""Reminders before a planned séance: who gets them, when, once; the mentor's one-time answer link."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import signing
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from seances import rappels
from seances.models import (
    DeclarationAbsence,
    Notification,
    PreferenceRappel,
    Presence,
    Rappel,
    ReponseRappel,
    StatutRappel,
    StatutSeance,
    TypeNotification,
)
from seances.tests.factories import SeanceFactory

PARIS = ZoneInfo("Europe/Paris")
MENTOR, COORDONNATEUR = "nadia@entreprise.fr", "coordonnateur.a@exemple.fr"
# The séance of the stories: Thursday 10 December 2026 at 14:00; its reminder goes on the 8th.
LE_8_AU_MATIN = datetime.datetime(2026, 12, 8, 7, 5, tzinfo=PARIS)


@pytest.fixture
def seance(cast, binome_a):
    return SeanceFactory(
        dispositif=cast.dispositif_a,
        binome=binome_a,
        prevue=True,
        heure=datetime.time(14, 0),
        lieu_precision="Salle B12",
    )


def envoyer(quand):
    with time_machine.travel(quand, tick=False):
        return rappels.rappels_envoyer()


def destinataires(mailoutbox):
    return sorted(m.to[0] for m in mailoutbox)


def lien_de_reponse(mailoutbox):
    message = next(m for m in mailoutbox if m.to == [MENTOR])
    ligne = next(ligne for ligne in message.body.splitlines() if "/rappels/reponse/" in ligne)
    return urlsplit(ligne.rsplit(" ", 1)[-1]).path


def test_le_rappel_part_deux_jours_avant_au_mentor_et_au_coordonnateur(seance, mailoutbox):
    assert envoyer(datetime.datetime(2026, 12, 7, 19, 0, tzinfo=PARIS)) == 0  # three days before: not yet
    assert envoyer(LE_8_AU_MATIN) == 2
    assert destinataires(mailoutbox) == [COORDONNATEUR, MENTOR]
    message = next(m for m in mailoutbox if m.to == [MENTOR])
    assert message.subject == "[Mentorat LP] Rappel : séance de mentorat le 10/12/2026 à 14:00"
    eleve = seance.participations.get(eleve__isnull=False).eleve
    assert "jeudi 10 décembre 2026 à 14:00" in message.body
    assert "Salle B12" in message.body and str(seance.dispositif.etablissement) in message.body
    # The student's first name only.
    assert f"Élève : {eleve.prenom}" in message.body and eleve.nom not in message.body
    assert reverse("seances:detail", args=[seance.pk]) in message.body
    assert reverse("seances:seance_ics", args=[seance.pk]) in message.body
    assert "/rappels/reponse/" in message.body
    # After the séance, the mentor writes their note from the same email.
    assert reverse("seances:note_mentor", args=[seance.pk]) in message.body
    # The coordinator is told, but the answer link and the note are the mentor's.
    coordonnateur = next(m for m in mailoutbox if m.to == [COORDONNATEUR])
    assert "/rappels/reponse/" not in coordonnateur.body
    assert reverse("seances:note_mentor", args=[seance.pk]) not in coordonnateur.body


def test_envoye_une_fois_meme_si_la_tache_repasse(seance, mailoutbox):
    assert envoyer(LE_8_AU_MATIN) == 2
    assert envoyer(LE_8_AU_MATIN + datetime.timedelta(hours=1)) == 0
    assert envoyer(datetime.datetime(2026, 12, 9, 8, 0, tzinfo=PARIS)) == 0
    assert len(mailoutbox) == 2
    assert Rappel.objects.filter(statut=StatutRappel.ENVOYE).count() == 2


def test_deux_workers_en_meme_temps_ne_creent_pas_deux_rappels(seance):
    # What two racing runs both compute: the second insertion is ignored by the unique key.
    with time_machine.travel(LE_8_AU_MATIN, tick=False):
        premiers, seconds = rappels.rappels_dus(), rappels.rappels_dus()
    Rappel.objects.bulk_create(premiers, ignore_conflicts=True)
    Rappel.objects.bulk_create(seconds, ignore_conflicts=True)
    assert Rappel.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Rappel.objects.create(seance=seance, cle=rappels.cle_de(seance), destinataire=MENTOR)


def test_preferences_delai_et_desactivation(cast, seance, mailoutbox):
    PreferenceRappel.objects.create(user=cast.coordonnateur_a, delai=5)
    PreferenceRappel.objects.create(user=cast.mentor_a, actif=False)
    assert envoyer(datetime.datetime(2026, 12, 5, 9, 0, tzinfo=PARIS)) == 1
    assert destinataires(mailoutbox) == [COORDONNATEUR]
    assert envoyer(LE_8_AU_MATIN) == 0
    assert destinataires(mailoutbox) == [COORDONNATEUR]


def test_ni_seance_tenue_ni_annulee_ni_passee_ni_mentor_deja_excuse(cast, binome_a, seance, mailoutbox):
    SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, date=datetime.date(2026, 12, 10))  # tenue
    SeanceFactory(
        dispositif=cast.dispositif_a, binome=binome_a, date=datetime.date(2026, 12, 9), statut=StatutSeance.ANNULEE
    )
    seance.participations.filter(mentor__isnull=False).update(presence=Presence.ABSENT_EXCUSE)
    assert envoyer(LE_8_AU_MATIN) == 1
    assert destinataires(mailoutbox) == [COORDONNATEUR]
    # The séance has started: too late for a reminder.
    assert envoyer(datetime.datetime(2026, 12, 10, 14, 30, tzinfo=PARIS)) == 0


def test_seance_deplacee_apres_le_rappel_un_nouveau_rappel_et_l_ancien_lien_ferme(client, seance, mailoutbox):
    envoyer(LE_8_AU_MATIN)
    ancien = lien_de_reponse(mailoutbox)
    seance.date = datetime.date(2026, 12, 17)
    seance.save()
    mailoutbox.clear()
    assert envoyer(datetime.datetime(2026, 12, 14, 9, 0, tzinfo=PARIS)) == 0
    with time_machine.travel(datetime.datetime(2026, 12, 14, 9, 0, tzinfo=PARIS)):
        reponse = client.get(ancien)
    assert reponse.status_code == 410
    assert "La séance a été déplacée" in reponse.content.decode()
    assert envoyer(datetime.datetime(2026, 12, 15, 9, 0, tzinfo=PARIS)) == 2
    assert "jeudi 17 décembre 2026 à 14:00" in mailoutbox[0].body
    assert lien_de_reponse(mailoutbox) != ancien


def test_un_rappel_en_attente_d_une_seance_annulee_devient_caduc(seance, mailoutbox):
    with time_machine.travel(LE_8_AU_MATIN, tick=False):
        Rappel.objects.bulk_create(rappels.rappels_dus())
    seance.statut = StatutSeance.ANNULEE
    seance.save()
    assert envoyer(LE_8_AU_MATIN) == 0
    assert not mailoutbox
    assert set(Rappel.objects.values_list("statut", flat=True)) == {StatutRappel.CADUC}


# --- The mentor's link -------------------------------------------------------------------------


@pytest.fixture
def lien(seance, mailoutbox):
    envoyer(LE_8_AU_MATIN)
    return lien_de_reponse(mailoutbox)


def test_le_lien_sans_connexion_ne_montre_que_l_heure_et_le_lieu(client, seance, lien):
    with time_machine.travel(LE_8_AU_MATIN):
        page = client.get(lien)
    assert page.status_code == 200
    contenu = page.content.decode()
    assert "jeudi 10 décembre 2026" in contenu and "14:00" in contenu and "Salle B12" in contenu
    eleve = seance.participations.get(eleve__isnull=False).eleve
    mentor = seance.participations.get(mentor__isnull=False).mentor
    for secret in (eleve.nom, eleve.prenom, mentor.nom, seance.get_absolute_url()):
        assert secret not in contenu
    assert not Rappel.objects.exclude(reponse="").exists()  # a GET writes nothing


def test_confirmer_une_fois_puis_410(client, seance, lien, mailoutbox):
    mailoutbox.clear()
    with time_machine.travel(LE_8_AU_MATIN):
        reponse = client.post(lien, {"reponse": ReponseRappel.CONFIRMEE})
        assert reponse.status_code == 200
        assert "Votre présence est confirmée" in reponse.content.decode()
        rappel = Rappel.objects.get(mentor__isnull=False)
        assert rappel.reponse == ReponseRappel.CONFIRMEE
        for methode in (client.get, client.post):
            encore = methode(lien, {"reponse": ReponseRappel.EMPECHEMENT})
            assert encore.status_code == 410
            assert "Ce lien a déjà servi" in encore.content.decode()
    assert Rappel.objects.get(pk=rappel.pk).reponse == ReponseRappel.CONFIRMEE
    assert not mailoutbox and not Notification.objects.exists()


def test_un_lien_forge_repond_404(client, seance, lien):
    jeton = lien.rstrip("/").rsplit("/", 1)[1]
    rappel = Rappel.objects.get(mentor__isnull=False)
    coordonnateur = Rappel.objects.get(mentor__isnull=True)
    forges = [
        jeton[:-2] + ("AA" if not jeton.endswith("AA") else "BB"),
        signing.dumps(rappel.pk, salt="autre-usage"),
        # Signed, but the coordinator's reminder carries no answer link.
        signing.dumps(coordonnateur.pk, salt=rappels.SEL),
        "nimporte-quoi",
    ]
    with time_machine.travel(LE_8_AU_MATIN):
        for faux in forges:
            assert client.get(reverse("seances:rappel", args=[faux])).status_code == 404, faux
            assert client.post(reverse("seances:rappel", args=[faux]), {"reponse": "confirmee"}).status_code == 404


def test_empechement_previent_coordonnateur_et_referent_et_se_voit_sur_la_seance(
    client, cast, seance, lien, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with time_machine.travel(LE_8_AU_MATIN), django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(lien, {"reponse": ReponseRappel.EMPECHEMENT, "motif": "Réunion imprévue"})
    assert reponse.status_code == 200
    assert "sont prévenus de votre empêchement" in reponse.content.decode()
    assert destinataires(mailoutbox) == [COORDONNATEUR, cast.referent_a.email]
    assert "Réunion imprévue" in mailoutbox[0].body
    assert set(Notification.objects.values_list("type", flat=True)) == {TypeNotification.EMPECHEMENT_MENTOR}
    participation = seance.participations.get(mentor__isnull=False)
    assert participation.presence == Presence.ABSENT_EXCUSE
    assert DeclarationAbsence.objects.get(participation=participation).declaree_par == cast.mentor_a
    client.force_login(cast.referent_a)
    page = client.get(seance.get_absolute_url()).content.decode()
    assert "Empêchement annoncé" in page and "Réunion imprévue" in page


def test_le_lien_d_une_seance_annulee_ou_passee_repond_410(client, seance, lien):
    with time_machine.travel(datetime.datetime(2026, 12, 10, 15, 0, tzinfo=PARIS)):
        reponse = client.get(lien)
    assert reponse.status_code == 410 and "La séance est passée." in reponse.content.decode()
    seance.statut = StatutSeance.ANNULEE
    seance.save()
    with time_machine.travel(LE_8_AU_MATIN):
        assert "La séance a été annulée." in client.get(lien).content.decode()


def test_le_lien_d_un_mentor_retire_de_la_seance_repond_410(client, seance, lien):
    seance.participations.filter(mentor__isnull=False).delete()
    with time_machine.travel(LE_8_AU_MATIN):
        reponse = client.post(lien, {"reponse": ReponseRappel.CONFIRMEE})
    assert reponse.status_code == 410 and "Vous ne participez plus à cette séance" in reponse.content.decode()
    assert not Rappel.objects.exclude(reponse="").exists()


# --- The séance's .ics event ---------------------------------------------------------------------


def test_l_evenement_ics_d_une_seance(client, cast, seance):
    client.force_login(cast.mentor_a)
    reponse = client.get(reverse("seances:seance_ics", args=[seance.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    evenements = icalendar.Calendar.from_ical(reponse.content).walk("VEVENT")
    assert len(evenements) == 1
    assert evenements[0]["uid"].startswith(f"seance-{seance.pk}@")
    assert evenements[0].decoded("dtstart") == datetime.datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    assert "Salle B12" in str(evenements[0]["location"])


@pytest.mark.parametrize("qui", ["referent_b", "sans_role"])
def test_l_evenement_ics_404_hors_perimetre(client, cast, seance, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("seances:seance_ics", args=[seance.pk])).status_code == 404


def test_un_mentor_d_une_autre_seance_n_a_pas_son_ics(client, cast, seance):
    autre = SeanceFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.mentor_a)
    assert client.get(reverse("seances:seance_ics", args=[autre.pk])).status_code == 404


# --- « Mes rappels » and the periodic jobs ------------------------------------------------------


@pytest.mark.parametrize("qui", ["mentor_a", "coordonnateur_a"])
def test_mes_rappels_depuis_le_menu_du_compte(client, cast, qui):
    user = getattr(cast, qui)
    client.force_login(user)
    accueil = client.get(reverse("accueil")).content.decode()
    assert reverse("seances:rappels") in accueil
    page = client.get(reverse("seances:rappels"))
    assert page.status_code == 200 and not PreferenceRappel.objects.exists()
    reponse = client.post(reverse("seances:rappels"), {"actif": "on", "delai": "9"})
    assert "Le rappel part de 1 à 7 jours avant la séance." in reponse.content.decode()
    assert not PreferenceRappel.objects.exists()
    reponse = client.post(reverse("seances:rappels"), {"delai": "3"}, follow=True)
    assert "Vos préférences de rappel sont enregistrées." in reponse.content.decode()
    assert PreferenceRappel.objects.filter(user=user, actif=False, delai=3).exists()
    client.post(reverse("seances:rappels"), {"actif": "on", "delai": "1"})
    assert PreferenceRappel.objects.get(user=user).delai == 1


def test_au_calendrier_des_taches_periodiques(settings, seance, mailoutbox):
    assert settings.CELERY_BEAT_SCHEDULE["envoyer-rappels"]["task"] == "seances.tasks.envoyer_rappels"
    # `make run` runs the beat schedule in-process: the reminders go with it.
    with time_machine.travel(LE_8_AU_MATIN, tick=False):
        call_command("taches_periodiques", "--une-fois")
    assert destinataires([m for m in mailoutbox if "Rappel : séance" in m.subject]) == [COORDONNATEUR, MENTOR]

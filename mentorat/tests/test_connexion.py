"""Signing in: by email, lockout after repeated failures (whatever X-Forwarded-For says), session limits."""

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from mentorat.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "mot-de-passe-de-test"


@pytest.fixture
def user():
    return UserFactory(email="camille@exemple.fr")


def _connexion(client, email, mot_de_passe, **en_tetes):
    return client.post(reverse("login"), {"username": email, "password": mot_de_passe}, **en_tetes)


def test_connexion_par_courriel_insensible_a_la_casse(client, user):
    reponse = _connexion(client, "Camille@Exemple.FR", MOT_DE_PASSE)
    assert reponse.status_code == 302
    assert client.get(reverse("accueil")).status_code == 200


def test_mauvais_mot_de_passe_message_en_francais(client, user):
    reponse = _connexion(client, user.email, "faux")
    assert reponse.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in reponse.content.decode()


def test_verrouillage_malgre_un_x_forwarded_for_change(client, user):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _connexion(client, user.email, "faux", REMOTE_ADDR=f"10.0.0.{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    reponse = _connexion(client, user.email, MOT_DE_PASSE, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert reponse.status_code == 429
    assert "Connexion temporairement bloquée" in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_pas_de_verrouillage_avant_la_limite(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _connexion(client, user.email, "faux")
    assert _connexion(client, user.email, MOT_DE_PASSE).status_code == 302


def test_compte_desactive_perd_sa_session(client, user):
    client.force_login(user)
    assert client.get(reverse("accueil")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("accueil")).status_code == 302


def test_session_expire_apres_inactivite(client, user):
    with time_machine.travel("2026-11-26 08:00 +0100", tick=False) as temps:
        _connexion(client, user.email, MOT_DE_PASSE)
        temps.shift(settings.SESSION_INACTIVITE - 60)
        assert client.get(reverse("accueil")).status_code == 200
        temps.shift(settings.SESSION_INACTIVITE - 60)  # active: the idle clock started again
        assert client.get(reverse("accueil")).status_code == 200
        temps.shift(settings.SESSION_INACTIVITE + 60)
        assert client.get(reverse("accueil")).status_code == 302


def test_duree_de_vie_absolue_de_la_session(client, user):
    with time_machine.travel("2026-11-26 08:00 +0100", tick=False) as temps:
        _connexion(client, user.email, MOT_DE_PASSE)
        pas = settings.SESSION_INACTIVITE - 60
        for _ in range(settings.SESSION_DUREE_MAX // pas):
            temps.shift(pas)
            assert client.get(reverse("accueil")).status_code == 200
        temps.shift(pas)
        reponse = client.get(reverse("accueil"))
        assert reponse.status_code == 302
        assert reponse["Location"].startswith("/connexion/")


def test_reinitialisation_du_mot_de_passe_par_courriel(client, user):
    reponse = client.post(reverse("password_reset"), {"email": user.email})
    assert reponse.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "mot de passe" in message.subject.lower()
    lien = next(ligne for ligne in message.body.splitlines() if "/mot-de-passe/nouveau/" in ligne)
    chemin = lien.split("testserver", 1)[1]
    reponse = client.get(chemin, follow=True)
    assert reponse.status_code == 200
    nouveau = "Un-nouveau-secret-42"
    reponse = client.post(reponse.redirect_chain[-1][0], {"new_password1": nouveau, "new_password2": nouveau})
    assert reponse.status_code == 302
    assert _connexion(client, user.email, nouveau).status_code == 302

"""Signing in: by email, lockout after repeated failures (whatever X-Forwarded-For says), session limits."""

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from socle.tests.factories import UserFactory

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


# --- The lockout counts the account, however its address is typed ----------------------

VARIANTES = ["camille@exemple.fr", "CAMILLE@exemple.fr", " Camille@Exemple.fr ", "camille@EXEMPLE.FR"]


def test_les_variantes_d_une_adresse_partagent_un_compteur(client, user):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _connexion(client, VARIANTES[i % len(VARIANTES)], "faux")
    for variante in VARIANTES:
        reponse = _connexion(client, variante, MOT_DE_PASSE)
        assert reponse.status_code == 429, variante
        assert "_auth_user_id" not in client.session


def test_compte_verrouille_refuse_le_bon_mot_de_passe_dans_une_autre_casse(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _connexion(client, "camille@exemple.fr", "faux")
    reponse = _connexion(client, "CAMILLE@EXEMPLE.FR", MOT_DE_PASSE)
    assert reponse.status_code == 429
    assert "Connexion temporairement bloquée" in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_connexion_avec_espaces_autour_de_l_adresse(client, user):
    assert _connexion(client, "  Camille@Exemple.fr ", MOT_DE_PASSE).status_code == 302


def _lien_de_reinitialisation(message):
    ligne = next(ligne for ligne in message.body.splitlines() if "/mot-de-passe/nouveau/" in ligne)
    return ligne.split("testserver", 1)[1].strip()


def test_la_reinitialisation_du_mot_de_passe_leve_le_verrouillage(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _connexion(client, "CAMILLE@exemple.fr", "faux")
    assert _connexion(client, user.email, MOT_DE_PASSE).status_code == 429

    client.post(reverse("password_reset"), {"email": "Camille@Exemple.fr"})
    reponse = client.get(_lien_de_reinitialisation(mail.outbox[-1]), follow=True)
    nouveau = "Un-nouveau-secret-42"
    reponse = client.post(reponse.redirect_chain[-1][0], {"new_password1": nouveau, "new_password2": nouveau})
    assert reponse.status_code == 302

    assert _connexion(client, "camille@EXEMPLE.fr", nouveau).status_code == 302


def test_reinitialisation_d_un_autre_compte_ne_leve_pas_le_verrouillage(client, user):
    autre = UserFactory(email="dominique@exemple.fr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _connexion(client, user.email, "faux")
    client.post(reverse("password_reset"), {"email": autre.email})
    reponse = client.get(_lien_de_reinitialisation(mail.outbox[-1]), follow=True)
    nouveau = "Un-nouveau-secret-42"
    client.post(reponse.redirect_chain[-1][0], {"new_password1": nouveau, "new_password2": nouveau})
    assert _connexion(client, user.email, MOT_DE_PASSE).status_code == 429


# --- Password-reset emails are limited, and say nothing of the account ---------------------


def _demander(client, email, ip="192.0.2.10"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_reinitialisation_limitee_par_adresse(client, user):
    with time_machine.travel("2026-11-26 08:00 +0100", tick=False) as temps:
        for i in range(settings.REINITIALISATION_PAR_COURRIEL):
            # Another case and another IP each time: still the same address.
            assert _demander(client, VARIANTES[i % len(VARIANTES)], ip=f"192.0.2.{i}").status_code == 302
        assert len(mail.outbox) == settings.REINITIALISATION_PAR_COURRIEL

        reponse = _demander(client, "CAMILLE@exemple.fr", ip="198.51.100.1")
        assert reponse.status_code == 302
        assert reponse["Location"] == reverse("password_reset_done")
        assert len(mail.outbox) == settings.REINITIALISATION_PAR_COURRIEL

        temps.shift(3600 + 1)
        _demander(client, user.email)
        assert len(mail.outbox) == settings.REINITIALISATION_PAR_COURRIEL + 1


def test_reinitialisation_limitee_par_ip(client, user):
    for i in range(settings.REINITIALISATION_PAR_IP):
        _demander(client, f"inconnu{i}@exemple.fr", ip="203.0.113.5")
    assert mail.outbox == []

    reponse = _demander(client, user.email, ip="203.0.113.5")
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("password_reset_done")
    assert mail.outbox == []

    _demander(client, user.email, ip="203.0.113.6")
    assert len(mail.outbox) == 1


def test_derriere_le_proxy_la_limite_par_ip_compte_chaque_client(client, user, settings):
    """Behind nginx every request comes from the proxy's address: the limit counts each client, as
    the proxy saw them, and what a client writes in X-Forwarded-For itself is ignored."""
    settings.PROXIES_DE_CONFIANCE = 1
    proxy = "10.0.0.2"

    def demander(email, client_ip, ecrit_par_le_client=""):
        chaine = f"{ecrit_par_le_client}, {client_ip}" if ecrit_par_le_client else client_ip
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=chaine)

    for i in range(settings.REINITIALISATION_PAR_IP):
        # The client changes the address it writes at each request: the proxy's entry is the one read.
        demander(f"inconnu{i}@exemple.fr", "203.0.113.5", ecrit_par_le_client=f"198.51.100.{i}")
    demander(user.email, "203.0.113.5", ecrit_par_le_client="198.51.100.99")
    assert mail.outbox == []
    # Another user of the service, through the same proxy, is not held back by the first.
    demander(user.email, "203.0.113.6")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("proxies", "meta", "attendue"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "203.0.113.5"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}, "203.0.113.5"),
        (2, {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5, 10.0.0.2"}, "203.0.113.5"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": " 2001:db8::1 "}, "2001:db8::1"),
        # No header, a header shorter than the proxies' chain, or not an address: the peer's address.
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        (2, {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "10.0.0.3"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "unknown"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5,,"}, "203.0.113.5"),
    ],
)
def test_adresse_du_client(rf, settings, proxies, meta, attendue):
    from socle.reseau import ip_client

    settings.PROXIES_DE_CONFIANCE = proxies
    requete = rf.get("/")
    requete.META.pop("REMOTE_ADDR", None)
    requete.META.update(meta)
    assert ip_client(requete) == attendue


def test_meme_reponse_que_le_compte_existe_ou_non(client, user):
    connu = _demander(client, user.email)
    inconnu = _demander(client, "personne@exemple.fr")
    assert len(mail.outbox) == 1
    assert (
        (connu.status_code, connu["Location"])
        == (inconnu.status_code, inconnu["Location"])
        == (
            302,
            reverse("password_reset_done"),
        )
    )
    page = client.get(connu["Location"])
    assert "Si un compte existe pour cette adresse" in page.content.decode()


def test_les_demandes_anciennes_sont_effacees(client, user):
    from socle.models import DemandeReinitialisation

    with time_machine.travel("2026-11-26 08:00 +0100", tick=False) as temps:
        for i in range(5):
            _demander(client, f"inconnu{i}@exemple.fr")
        assert DemandeReinitialisation.objects.count() == 5
        temps.shift(3600 + 1)
        _demander(client, user.email)
        assert DemandeReinitialisation.objects.count() == 1


def test_la_limite_tient_sans_le_cache(client, user, settings):
    """The counter is in the database: a cache that forgets everything (Redis down) lifts nothing."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(settings.REINITIALISATION_PAR_COURRIEL + 2):
        _demander(client, user.email)
    assert len(mail.outbox) == settings.REINITIALISATION_PAR_COURRIEL

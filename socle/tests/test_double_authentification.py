"""Two-factor authentication (TOTP): enrolment, the code asked at sign-in, roles that require it, throttling."""

import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from etablissements.tests.factories import AffectationFactory
from socle.roles import Role
from socle.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "mot-de-passe-de-test"


def _code(device, decalage=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=decalage):06d}"


def _connexion(client, user):
    assert client.post(reverse("login"), {"username": user.email, "password": MOT_DE_PASSE}).status_code == 302


@pytest.fixture
def user():
    user = UserFactory(email="chef@exemple.fr")
    AffectationFactory(user=user, role=Role.CHEF)
    return user


def _activer(client, user):
    # Opening the page draws no secret: the button does.
    page = client.get(reverse("securite")).content.decode()
    assert "Configurer une application d’authentification" in page
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.post(reverse("securite"), {"commencer": "1"}).status_code == 302
    page = client.get(reverse("securite")).content.decode()
    assert "<svg" in page
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret  # the key is also shown as text for phones without a camera
    reponse = client.post(reverse("securite"), {"code": _code(device)})
    assert reponse.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_sans_appareil_la_connexion_reste_simple(client, user):
    _connexion(client, user)
    assert client.get(reverse("accueil")).status_code == 200


def test_activation_refuse_un_mauvais_code(client, user):
    _connexion(client, user)
    client.post(reverse("securite"), {"commencer": "1"})
    reponse = client.post(reverse("securite"), {"code": "000000"})
    assert "Code incorrect" in reponse.content.decode() or "Trop de codes" in reponse.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_le_code_est_demande_a_la_connexion_suivante(client, user):
    _connexion(client, user)
    device = _activer(client, user)
    client.post(reverse("logout"))
    _connexion(client, user)
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("code_otp"))
    assert client.get(reverse("etablissements:etablissement")).status_code == 302
    with time_machine.travel(device.last_t * device.step + 40, tick=False):
        reponse = client.post(reverse("code_otp") + "?next=/", {"code": _code(device)})
        assert reponse.status_code == 302 and reponse["Location"] == "/"
        assert client.get(reverse("accueil")).status_code == 200


def test_codes_errones_ralentissent_les_essais(client, user):
    _connexion(client, user)
    device = _activer(client, user)
    client.post(reverse("logout"))
    _connexion(client, user)
    with time_machine.travel(device.last_t * device.step + 40, tick=False):
        for _ in range(3):
            client.post(reverse("code_otp"), {"code": "000000"})
        reponse = client.post(reverse("code_otp"), {"code": _code(device)})
        assert "Trop de codes erronés" in reponse.content.decode()
        assert client.get(reverse("accueil")).status_code == 302


def test_role_exigeant_la_double_authentification(client, user, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = ["chef"]
    _connexion(client, user)
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302 and reponse["Location"] == reverse("securite")
    assert client.get(reverse("journal")).status_code == 302
    _activer(client, user)
    assert client.get(reverse("accueil")).status_code == 200


def test_un_role_non_concerne_n_est_pas_force(client, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = ["chef"]
    cpe = UserFactory(email="cpe@exemple.fr")
    AffectationFactory(user=cpe, role=Role.CPE)
    _connexion(client, cpe)
    assert client.get(reverse("accueil")).status_code == 200


def test_pages_publiques_et_deconnexion_restent_accessibles(client, user, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = ["chef"]
    _connexion(client, user)
    assert client.get(reverse("accessibilite")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_l_administrateur_academique_doit_activer_la_double_authentification_par_defaut(client, settings):
    # The production default, read from the settings module itself (no environment variable).
    assert settings.DOUBLE_AUTHENTIFICATION_ROLES == ["admin_academique"]
    admin = UserFactory(email="admin@ac-lyon.fr")
    AffectationFactory(user=admin, admin_academique=True)
    _connexion(client, admin)
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302 and reponse["Location"] == reverse("securite")
    _activer(client, admin)
    assert client.get(reverse("accueil")).status_code == 200

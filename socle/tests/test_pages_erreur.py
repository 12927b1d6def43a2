"""Error pages with DEBUG off: French, in the DSFR look, a link home, nothing of Django's English pages.

The 500 and 503 pages must render without the database (the 503 is shown because it is
down); test_robustesse.py also cuts the database for real.
"""

import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import Client, override_settings

from etablissements.tests.factories import AffectationFactory
from socle.roles import Role
from socle.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_desactive")]

ANGLAIS = ("Bad Request", "Forbidden", "CSRF verification failed", "Not Found", "Server Error", "Error (500)")


@pytest.fixture
def debug_desactive():
    with override_settings(DEBUG=False):
        yield


def _page_dsfr_en_francais(reponse, titre):
    contenu = reponse.content.decode()
    assert titre in contenu
    assert '<html lang="fr"' in contenu
    assert 'class="fr-header"' in contenu and "dsfr.min.css" in contenu
    assert 'href="/"' in contenu  # back home
    for anglais in ANGLAIS:
        assert anglais not in contenu, anglais


def test_400_hote_refuse(client):
    reponse = client.get("/connexion/", HTTP_HOST="hote-inconnu.example")
    assert reponse.status_code == 400
    _page_dsfr_en_francais(reponse, "Requête incorrecte")


def test_403_role_insuffisant(client):
    user = UserFactory()
    AffectationFactory(user=user, role=Role.MENTOR)
    client.force_login(user)
    reponse = client.get("/journal-des-acces/")
    assert reponse.status_code == 403
    _page_dsfr_en_francais(reponse, "Accès refusé")


def test_403_echec_csrf():
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/connexion/", {"username": "camille@exemple.fr", "password": "secret"})
    assert reponse.status_code == 403
    _page_dsfr_en_francais(reponse, "Le formulaire a expiré")


def test_404(client):
    reponse = client.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    _page_dsfr_en_francais(reponse, "Page introuvable")


@pytest.mark.parametrize(
    "erreur,code,titre",
    [
        (RuntimeError("panne"), 500, "Le service rencontre une erreur"),
        (OperationalError("connection refused"), 503, "Service momentanément indisponible"),
    ],
)
def test_500_et_503(client, monkeypatch, erreur, code, titre):
    def panne(*args, **kwargs):
        raise erreur

    monkeypatch.setattr("socle.views.pages.render", panne)  # the accessibility page fails while rendering
    client.raise_request_exception = False
    reponse = client.get("/accessibilite/")
    assert reponse.status_code == code
    _page_dsfr_en_francais(reponse, titre)
    assert "connection refused" not in reponse.content.decode()


@pytest.mark.parametrize("gabarit", ["500.html", "503.html", "400.html", "403_csrf.html"])
def test_pages_rendues_sans_base_ni_requete(django_db_blocker, gabarit):
    with django_db_blocker.block():
        contenu = render_to_string(gabarit)
    assert 'class="fr-header"' in contenu


def test_la_declaration_d_accessibilite_est_datee_et_donne_un_contact(client, settings):
    settings.ACCESSIBILITE_CONTACT = "a11y@ac-exemple.fr"
    contenu = client.get("/accessibilite/").content.decode()
    assert "Cette déclaration a été établie le 30 novembre 2026" in contenu
    assert 'href="mailto:a11y@ac-exemple.fr"' in contenu

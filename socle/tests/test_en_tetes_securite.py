"""Every response forbids the browser's devices and tracking features (Permissions-Policy)."""

import pytest
from django.urls import reverse

from socle.tests.factories import UserFactory

INTERDITES = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "browsing-topics=()")


def _fonctions(reponse):
    return {f.strip() for f in reponse["Permissions-Policy"].split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "chemin",
    [
        "/connexion/",
        "/sante/",
        "/page-qui-n-existe-pas/",
        "/static/mentorat/mentorat.css",
        "/",  # anonymous: the redirect to the login page
    ],
)
def test_permissions_policy_sur_chaque_reponse(client, chemin):
    reponse = client.get(chemin)
    reponse.close()  # the static file is streamed from an open file
    assert set(INTERDITES) <= _fonctions(reponse), chemin


@pytest.mark.django_db
def test_permissions_policy_pour_un_compte_connecte(client):
    client.force_login(UserFactory())
    reponse = client.get(reverse("securite"))
    assert reponse.status_code == 200
    assert set(INTERDITES) <= _fonctions(reponse)

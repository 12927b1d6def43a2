import pytest
from django.urls import reverse

from etablissements.tests.factories import AffectationFactory
from socle.roles import Role

pytestmark = pytest.mark.django_db


def test_selecteur_garde_le_lp_choisi_en_session(client, cast):
    AffectationFactory(user=cast.referent_a, role=Role.CHEF, etablissement=cast.lp_b)
    client.force_login(cast.referent_a)
    page = client.get(reverse("accueil")).content.decode()
    assert "Changer d’établissement" in page
    reponse = client.post(reverse("etablissements:choisir"), {"etablissement": cast.lp_b.pk, "suivant": "/"})
    assert reponse.status_code == 302
    reponse = client.get(reverse("etablissements:etablissement"))
    assert reponse.context["etablissement"] == cast.lp_b
    assert reponse.wsgi_request.roles == {Role.CHEF}


def test_selecteur_refuse_un_lp_hors_perimetre(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("etablissements:choisir"), {"etablissement": cast.lp_b.pk})
    assert reponse.status_code == 404
    assert client.get(reverse("etablissements:etablissement")).context["etablissement"] == cast.lp_a


def test_selecteur_ignore_une_redirection_externe(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("etablissements:choisir"), {"etablissement": cast.lp_a.pk, "suivant": "https://exemple.com/"}
    )
    assert reponse["Location"] == reverse("accueil")


def test_selecteur_absent_avec_un_seul_lp(client, cast):
    client.force_login(cast.referent_a)
    assert "Changer d’établissement" not in client.get(reverse("accueil")).content.decode()

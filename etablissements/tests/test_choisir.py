import re

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


def test_le_selecteur_et_le_lp_courant_lus_ensemble(client, cast, django_assert_num_queries):
    """A user of several LPs: the header's switcher lists them all, the chosen one selected, and the
    current LP is read with them (one query for both: every page of a coordinator shows them)."""
    AffectationFactory(user=cast.referent_a, role=Role.CHEF, etablissement=cast.lp_b)
    client.force_login(cast.referent_a)
    client.post(reverse("etablissements:choisir"), {"etablissement": cast.lp_b.pk, "suivant": "/"})
    # Session, user, roles, the LPs: the legal notice reads nothing else.
    with django_assert_num_queries(4):
        reponse = client.get(reverse("mentions_legales"))
    page = reponse.content.decode()
    assert reponse.wsgi_request.etablissement == cast.lp_b
    options = re.findall(r'<option value="(\d+)"\s*(selected)?>([^<]*)</option>', page)
    attendu = sorted([cast.lp_a, cast.lp_b], key=lambda lp: lp.nom)
    assert [(int(pk), nom) for pk, _, nom in options] == [(lp.pk, f"{lp.nom} ({lp.uai})") for lp in attendu]
    assert [int(pk) for pk, choisi, _ in options if choisi] == [cast.lp_b.pk]

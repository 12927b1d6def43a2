"""Scoping of the établissement pages with the fixed cast (Socle, acceptance 4)."""

import pytest
from django.urls import reverse

from etablissements.models import Etablissement

pytestmark = pytest.mark.django_db


def test_lecteurs_du_lp_voient_sa_fiche(client, cast):
    for user in (cast.referent_a, cast.chef_a, cast.cpe_a, cast.coordonnateur_a):
        client.force_login(user)
        reponse = client.get(reverse("etablissements:detail", args=[cast.lp_a.pk]))
        assert reponse.status_code == 200, user
        assert cast.lp_a.nom in reponse.content.decode()


def test_hors_perimetre_404(client, cast):
    url = reverse("etablissements:detail", args=[cast.lp_a.pk])
    for user in (cast.referent_b, cast.sans_role):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.get(reverse("etablissements:modifier", args=[cast.lp_a.pk])).status_code == 404
        assert client.post(reverse("etablissements:modifier", args=[cast.lp_a.pk]), {"nom": "X"}).status_code == 404


def test_objet_inexistant_meme_reponse_que_hors_perimetre(client, cast):
    client.force_login(cast.referent_a)
    assert client.get(reverse("etablissements:detail", args=[999_999])).status_code == 404


def test_lecture_seule_403_en_ecriture(client, cast):
    url = reverse("etablissements:modifier", args=[cast.lp_a.pk])
    for user in (cast.chef_a, cast.cpe_a, cast.coordonnateur_a):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, {"nom": "Piraté", "uai": cast.lp_a.uai}).status_code == 403, user
    cast.lp_a.refresh_from_db()
    assert cast.lp_a.nom == "Lycée professionnel Alpha"


def test_referent_modifie_son_lp(client, cast):
    client.force_login(cast.referent_a)
    url = reverse("etablissements:modifier", args=[cast.lp_a.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"nom": "LP Alpha rénové", "uai": cast.lp_a.uai, "labels": ["cmq"]})
    assert reponse.status_code == 302
    cast.lp_a.refresh_from_db()
    assert cast.lp_a.nom == "LP Alpha rénové"
    assert cast.lp_a.labels == ["cmq"]


def test_uai_faux_message_en_francais_a_cote_du_champ(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("etablissements:modifier", args=[cast.lp_a.pk]), {"nom": "LP Alpha", "uai": "0750654A"}
    )
    assert reponse.status_code == 200
    assert "la lettre attendue est D" in reponse.content.decode()
    assert Etablissement.objects.get(pk=cast.lp_a.pk).uai == cast.lp_a.uai


def test_coordonnateur_voit_exactement_les_lp_de_ses_conventions(cast):
    assert list(Etablissement.objects.for_user(cast.coordonnateur_a)) == [cast.lp_a]


def test_pilotage_ne_lit_pas_les_fiches_nominatives(client, cast):
    client.force_login(cast.pilotage)
    # The académie sees aggregates on its dashboard, not the LPs' programme pages.
    assert client.get(reverse("etablissements:detail", args=[cast.lp_a.pk])).status_code == 404

"""SIECLE import pages: upload, preview, confirm; bad files never give a 500 nor a write."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binomes import siecle
from binomes.models import Eleve, ImportSiecle

from . import fichiers
from .factories import ImportSiecleFactory

pytestmark = pytest.mark.django_db
URL = reverse("binomes:import_siecle")


@pytest.fixture(autouse=True)
def rentree_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 1, 10, tzinfo=datetime.UTC), tick=False)


def deposer(client, nom, contenu):
    return client.post(URL, {"fichier": SimpleUploadedFile(nom, contenu)})


def test_depot_apercu_confirmation(client, cast):
    client.force_login(cast.referent_a)
    reponse = deposer(client, "ElevesSansAdresses.xml", fichiers.xml(cast.lp_a.uai))
    assert reponse.status_code == 302
    apercu = client.get(reponse["Location"])
    contenu = apercu.content.decode()
    assert "<strong>3</strong> élèves à créer" in contenu and "Dupré" in contenu
    assert not Eleve.objects.exists()
    assert client.post(reponse["Location"]).status_code == 302
    assert Eleve.objects.filter(etablissement=cast.lp_a).count() == 3
    # Confirming twice does nothing more.
    client.post(reponse["Location"])
    assert Eleve.objects.count() == 3
    # The same file again: all unchanged.
    reponse = deposer(client, "ElevesSansAdresses.xml", fichiers.xml(cast.lp_a.uai))
    assert "<strong>3</strong> inchangés" in client.get(reponse["Location"]).content.decode()


def test_ligne_fausse_rapport_et_rien_d_ecrit(client, cast):
    client.force_login(cast.referent_a)
    eleves = [*fichiers.ELEVES, ("1234", "X", "Y", "1", "01/01/2009", "2MCV", "", "")]
    reponse = deposer(client, "e.csv", fichiers.csv(eleves=eleves))
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "ligne 5" in contenu and "L’INE comporte 11 caractères" in contenu and "rien n’a été importé" in contenu
    assert not Eleve.objects.exists() and not ImportSiecle.objects.exists()


def test_autre_lp_refuse_avec_message(client, cast):
    client.force_login(cast.referent_a)
    reponse = deposer(client, "e.xml", fichiers.xml(cast.lp_b.uai))
    assert reponse.status_code == 200
    assert f"Ce fichier est celui de l’établissement {cast.lp_b.uai}" in reponse.content.decode()
    assert not Eleve.objects.exists()


def test_fichier_trop_gros_refuse_avant_lecture(client, cast, monkeypatch):
    monkeypatch.setattr(siecle, "TAILLE_MAX", 100)
    client.force_login(cast.referent_a)
    reponse = deposer(client, "e.xml", fichiers.xml(cast.lp_a.uai))
    assert "taille maximale" in reponse.content.decode()


def test_reserve_au_referent(client, cast):
    kept = ImportSiecleFactory(etablissement=cast.lp_a)
    for user in (cast.chef_a, cast.cpe_a, cast.coordonnateur_a, cast.personnel_a):
        client.force_login(user)
        assert client.get(URL).status_code == 403, user
        assert deposer(client, "e.xml", fichiers.xml(cast.lp_a.uai)).status_code == 403
        assert client.post(reverse("binomes:import_apercu", args=[kept.pk])).status_code in (403, 404)
    assert not Eleve.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contenu=st.binary(max_size=600), nom=st.sampled_from(["e.xml", "e.csv", "e.zip"]))
def test_octets_au_hasard_jamais_de_500(client, cast, contenu, nom):
    client.force_login(cast.referent_a)
    reponse = deposer(client, nom, contenu or b"\x00")
    assert reponse.status_code in (200, 302)
    assert not Eleve.objects.exists()

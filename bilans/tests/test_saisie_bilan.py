"""Per-class entry of exam results and insertion; the qualitative review; the review hub."""

import datetime

import pytest
from django.urls import reverse

from bilans.models import BilanQualitatif, ResultatEleve
from binomes.tests.factories import BinomeFactory, EleveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def classe(cast):
    eleves = [EleveFactory(etablissement=cast.lp_a, classe="TMELEC", nom=f"Nom{i}") for i in range(2)]
    for eleve in eleves:
        BinomeFactory(dispositif=cast.dispositif_a, eleve=eleve)
    EleveFactory(etablissement=cast.lp_a, classe="TMELEC", nom="Sansbinome")
    return eleves


def _donnees(eleves, lignes):
    donnees = {"form-TOTAL_FORMS": str(len(lignes)), "form-INITIAL_FORMS": str(len(lignes))}
    for i, (eleve, ligne) in enumerate(zip(eleves, lignes, strict=True)):
        donnees[f"form-{i}-eleve"] = str(eleve.pk)
        donnees.update({f"form-{i}-{cle}": valeur for cle, valeur in ligne.items()})
    return donnees


def test_saisie_d_une_classe(client, cast, classe):
    client.force_login(cast.referent_a)
    url = reverse("bilans:resultats") + "?classe=TMELEC"
    page = client.get(url).content.decode()
    assert "Nom0" in page and "Nom1" in page and "Sansbinome" not in page
    lignes = [
        {"presente": "on", "admis": "on", "situation": "emploi", "situation_le": "2027-07-01"},
        {"presente": "on", "situation": ""},
    ]
    reponse = client.post(url, _donnees(classe, lignes))
    assert reponse.status_code == 302
    r0, r1 = (ResultatEleve.objects.get(eleve=e) for e in classe)
    assert (r0.presente, r0.admis, r0.situation, r0.situation_le) == (True, True, "emploi", datetime.date(2027, 7, 1))
    assert (r1.presente, r1.admis, r1.situation) == (True, False, "")
    # Saving again updates, never duplicates.
    client.post(url, _donnees(classe, lignes))
    assert ResultatEleve.objects.count() == 2


def test_saisie_incoherente_refusee_sans_rien_ecrire(client, cast, classe):
    client.force_login(cast.referent_a)
    url = reverse("bilans:resultats") + "?classe=TMELEC"
    lignes = [{"presente": "on", "situation": "emploi"}, {"admis": "on"}]
    reponse = client.post(url, _donnees(classe, lignes))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Un élève admis a forcément été présenté à l’examen." in contenu
    assert "Indiquez la date à laquelle la situation a été constatée." in contenu
    assert not ResultatEleve.objects.exists()


def test_eleve_d_un_autre_lp_ignore(client, cast, classe):
    intrus = EleveFactory(etablissement=cast.lp_b, classe="TMELEC")
    client.force_login(cast.referent_a)
    url = reverse("bilans:resultats") + "?classe=TMELEC"
    client.post(url, _donnees([intrus, classe[1]], [{"presente": "on"}, {"presente": "on"}]))
    assert not ResultatEleve.objects.filter(eleve=intrus).exists()


def test_lecture_seule_pour_le_chef(client, cast, classe):
    client.force_login(cast.chef_a)
    url = reverse("bilans:resultats") + "?classe=TMELEC"
    assert client.get(url).status_code == 200
    assert client.post(url, _donnees(classe, [{"presente": "on"}, {}])).status_code == 403
    assert not ResultatEleve.objects.exists()


@pytest.mark.parametrize("qui", ["coordonnateur_a", "personnel_a", "sans_role"])
def test_autres_roles_403(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("bilans:resultats")).status_code == 403
    assert client.get(reverse("bilans:bilan")).status_code in (403, 404)


def test_saisie_requetes_constantes(client, cast, classe, django_assert_max_num_queries):
    client.force_login(cast.referent_a)
    url = reverse("bilans:resultats") + "?classe=TMELEC"
    client.get(url)
    with django_assert_max_num_queries(15) as avant:
        client.get(url)
    for _ in range(10):
        BinomeFactory(dispositif=cast.dispositif_a, eleve=EleveFactory(etablissement=cast.lp_a, classe="TMELEC"))
    with django_assert_max_num_queries(len(avant.captured_queries)):
        client.get(url)


def test_bilan_qualitatif(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("bilans:qualitatif"),
        {"relations_partenaires": "Bonnes.", "difficultes": "Salles.", "ameliorations": "Commencer plus tôt."},
    )
    assert reponse.status_code == 302
    assert BilanQualitatif.objects.get(dispositif=cast.dispositif_a).ameliorations == "Commencer plus tôt."
    client.force_login(cast.chef_a)
    assert "Commencer plus tôt." in client.get(reverse("bilans:qualitatif")).content.decode()
    assert client.post(reverse("bilans:qualitatif"), {"difficultes": "x"}).status_code == 403


def test_hub_du_bilan(client, cast):
    client.force_login(cast.chef_a)
    contenu = client.get(reverse("bilans:bilan")).content.decode()
    assert "Taux de réussite aux examens" in contenu and "Définition" in contenu

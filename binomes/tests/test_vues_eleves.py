"""Student pages: roles, scoping, proposals by staff, filters, export, query counts."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import Eleve, StatutEleve
from etablissements.tests.factories import FormationFactory

from .factories import EleveFactory
from .outils import nb_requetes

pytestmark = pytest.mark.django_db
LISTE = reverse("binomes:eleves")


def donnees_eleve(**autres):
    return {
        "nom": "Martin",
        "prenom": "Zoé",
        "sexe": "F",
        "date_naissance": "2009-05-04",
        "ine": "123456789ZZ",
        "classe": "2MCV",
        "consentement_parental": "",
        "besoin_orientation": "on",
        "besoins_note": "Souhaite découvrir le commerce.",
        **autres,
    }


def test_lecteurs_voient_la_liste_du_lp_seulement(client, cast):
    # Names no generated user can carry (the header shows the signed-in user's name).
    EleveFactory(etablissement=cast.lp_a, nom="Alphonsine-Zéphyrin")
    EleveFactory(etablissement=cast.lp_b, nom="Bertrandou-Xylophe")
    for user in (cast.referent_a, cast.chef_a, cast.cpe_a, cast.ddfpt_a, cast.coordonnateur_a):
        client.force_login(user)
        contenu = client.get(LISTE).content.decode()
        assert "Alphonsine-Zéphyrin" in contenu and "Bertrandou-Xylophe" not in contenu, user


def test_sans_lecture_403(client, cast):
    EleveFactory(etablissement=cast.lp_a, nom="Alphonse")
    for user in (cast.mentor_a, cast.pilotage, cast.sans_role):
        client.force_login(user)
        assert client.get(LISTE).status_code == 403, user
        assert client.get(reverse("binomes:eleves_export")).status_code == 403, user


def test_personnel_propose_et_ne_voit_que_ses_propositions(client, cast):
    # A name no generated account can carry (the header shows the signed-in user's name).
    autre = EleveFactory(etablissement=cast.lp_a, nom="Zébulonnière")
    client.force_login(cast.personnel_a)
    reponse = client.post(reverse("binomes:eleve_nouveau"), donnees_eleve())
    eleve = Eleve.objects.get(ine="123456789ZZ")
    assert reponse.status_code == 302
    assert (eleve.statut, eleve.propose_par, eleve.etablissement) == (StatutEleve.PROPOSE, cast.personnel_a, cast.lp_a)
    contenu = client.get(LISTE).content.decode()
    assert "Martin" in contenu and "Zébulonnière" not in contenu
    assert client.get(reverse("binomes:eleve", args=[eleve.pk])).status_code == 200
    assert client.get(reverse("binomes:eleve", args=[autre.pk])).status_code == 404
    assert client.get(reverse("binomes:eleve_modifier", args=[eleve.pk])).status_code == 403
    assert client.post(reverse("binomes:eleve_confirmer", args=[eleve.pk])).status_code == 403

    client.force_login(cast.referent_a)
    client.post(reverse("binomes:eleve_confirmer", args=[eleve.pk]))
    eleve.refresh_from_db()
    assert eleve.statut == StatutEleve.RETENU


def test_referent_ajoute_et_modifie(client, cast):
    formation = FormationFactory(etablissement=cast.lp_a)
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("binomes:eleve_nouveau"), donnees_eleve(formation=formation.pk))
    eleve = Eleve.objects.get(ine="123456789ZZ")
    assert reponse.status_code == 302 and eleve.statut == StatutEleve.RETENU and eleve.besoin_orientation
    url = reverse("binomes:eleve_modifier", args=[eleve.pk])
    assert client.post(url, donnees_eleve(classe="1MCV", besoin_stage="on")).status_code == 302
    eleve.refresh_from_db()
    assert eleve.classe == "1MCV" and eleve.besoins == ["orientation", "stage"]


def test_erreurs_en_francais_sans_ecriture(client, cast):
    EleveFactory(etablissement=cast.lp_a, ine="123456789ZZ")
    autre_lp = FormationFactory(etablissement=cast.lp_b)
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("binomes:eleve_nouveau"), donnees_eleve(besoins_note="x" * 501, formation=autre_lp.pk)
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Un élève de l’établissement porte déjà cet INE." in contenu
    assert "500 caractères" in contenu
    assert "Aucune information de santé ni de situation familiale" in contenu
    assert Eleve.objects.count() == 1


def test_lecture_seule_403_en_ecriture(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a, statut=StatutEleve.PROPOSE)
    for user in (cast.chef_a, cast.cpe_a, cast.ddfpt_a, cast.coordonnateur_a):
        client.force_login(user)
        assert client.get(reverse("binomes:eleve", args=[eleve.pk])).status_code == 200, user
        # Every member of the LP's staff identifies students; the partner's coordinator does not.
        attendu = 403 if user == cast.coordonnateur_a else 200
        assert client.get(reverse("binomes:eleve_nouveau")).status_code == attendu, user
        assert client.post(reverse("binomes:eleve_modifier", args=[eleve.pk]), donnees_eleve()).status_code == 403
        assert client.post(reverse("binomes:eleve_confirmer", args=[eleve.pk])).status_code == 403
    eleve.refresh_from_db()
    assert eleve.statut == StatutEleve.PROPOSE


def test_filtres(client, cast):
    formation = FormationFactory(etablissement=cast.lp_a)
    EleveFactory(etablissement=cast.lp_a, nom="Alpha", classe="2MCV", sexe="F", besoin_stage=True)
    EleveFactory(etablissement=cast.lp_a, nom="Bravo", classe="1MELEC", sexe="M", formation=formation)
    EleveFactory(etablissement=cast.lp_a, nom="Charlie", classe="1MELEC", sexe="F", statut=StatutEleve.INSCRIT)
    client.force_login(cast.referent_a)

    def noms(**filtres):
        return [e.nom for e in client.get(LISTE, filtres).context["page"]]

    assert noms(classe="1melec") == ["Bravo", "Charlie"]
    assert noms(sexe="F") == ["Alpha", "Charlie"]
    assert noms(besoins=["stage"]) == ["Alpha"]
    assert noms(formation=formation.pk) == ["Bravo"]
    assert noms(statut="inscrit") == ["Charlie"]
    EleveFactory(etablissement=cast.lp_a, nom="Delta", date_sortie=datetime.date(2026, 10, 1))
    assert noms(sortis="true") == ["Delta"]
    assert noms(sortis="false") == ["Alpha", "Bravo", "Charlie"]


def test_export_csv_pour_excel(client, cast):
    EleveFactory(etablissement=cast.lp_a, nom="Éloïse", classe="2MCV", besoin_confiance=True)
    EleveFactory(etablissement=cast.lp_a, nom="Zed", classe="1MELEC")
    client.force_login(cast.referent_a)
    reponse = client.get(reverse("binomes:eleves_export"), {"classe": "2MCV"})
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeffNom;Prénom;Sexe;")
    assert "Éloïse" in texte and "Confiance en soi" in texte and "Zed" not in texte


def test_nombre_de_requetes_independant_du_nombre_de_lignes(client, cast):
    client.force_login(cast.referent_a)
    formation = FormationFactory(etablissement=cast.lp_a)
    EleveFactory(etablissement=cast.lp_a, formation=formation)
    une = nb_requetes(client, LISTE)
    EleveFactory.create_batch(12, etablissement=cast.lp_a, formation=formation)
    assert nb_requetes(client, LISTE) == une == 6
    # A chosen formation costs one query to validate it.
    assert nb_requetes(client, LISTE + "?classe=1MELEC&sexe=F&formation=" + str(formation.pk)) == 7

"""Mentor pages and the académie's honorabilité queue."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import Mentor, MethodeHonorabilite, Recommandation, StatutHonorabilite
from etablissements.tests.factories import EntrepriseFactory

from .factories import BinomeFactory, EleveFactory, MentorFactory
from .outils import nb_requetes

pytestmark = pytest.mark.django_db
LISTE = reverse("binomes:mentors")
FILE = reverse("binomes:honorabilite_file")


def donnees_mentor(**autres):
    return {"nom": "Garnier", "prenom": "Paul", "recommande_par": "association", "capacite": "2", **autres}


def test_liste_et_filtres(client, cast):
    entreprise = EntrepriseFactory(etablissement=cast.lp_a)
    MentorFactory(etablissement=cast.lp_a, nom="Alpha", verifie=True, entreprise=entreprise)
    MentorFactory(etablissement=cast.lp_a, nom="Bravo")
    MentorFactory(etablissement=cast.lp_b, nom="Zulu")
    client.force_login(cast.coordonnateur_a)

    def noms(**filtres):
        return [m.nom for m in client.get(LISTE, filtres).context["page"]]

    assert noms() == ["Alpha", "Bravo"]
    assert noms(honorabilite="verifiee") == ["Alpha"]
    assert noms(entreprise=entreprise.pk) == ["Alpha"]


def test_sans_lecture_403(client, cast):
    for user in (cast.personnel_a, cast.mentor_a, cast.pilotage, cast.sans_role):
        client.force_login(user)
        assert client.get(LISTE).status_code == 403, user
        assert client.get(reverse("binomes:mentors_export")).status_code == 403, user


def test_export_csv_du_seul_lp(client, cast):
    MentorFactory(etablissement=cast.lp_a, nom="Alpha")
    MentorFactory(etablissement=cast.lp_b, nom="Zulu")
    client.force_login(cast.referent_b)
    texte = client.get(reverse("binomes:mentors_export")).content.decode("utf-8")
    assert texte.startswith("\ufeffNom;Prénom;") and "Zulu" in texte and "Alpha" not in texte


def test_coordonnateur_et_referent_gerent_les_mentors(client, cast):
    for user in (cast.coordonnateur_a, cast.referent_a):
        client.force_login(user)
        reponse = client.post(reverse("binomes:mentor_nouveau"), donnees_mentor(email=f"x{user.pk}@ex.fr"))
        assert reponse.status_code == 302, user
    mentor = Mentor.objects.first()
    assert mentor.etablissement == cast.lp_a
    url = reverse("binomes:mentor_modifier", args=[mentor.pk])
    assert client.post(url, donnees_mentor(metier="Électricien")).status_code == 302
    assert Mentor.objects.get(pk=mentor.pk).metier == "Électricien"


def test_lecture_seule_403(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a)
    for user in (cast.chef_a, cast.cpe_a, cast.ddfpt_a):
        client.force_login(user)
        assert client.get(reverse("binomes:mentor", args=[mentor.pk])).status_code == 200
        assert client.get(reverse("binomes:mentor_nouveau")).status_code == 403
        assert client.post(reverse("binomes:mentor_modifier", args=[mentor.pk]), donnees_mentor()).status_code == 403
        assert client.post(reverse("binomes:mentor_honorabilite", args=[mentor.pk]), {}).status_code == 403


def test_mentor_voit_sa_fiche_pas_celle_des_autres(client, cast):
    sien = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a)
    autre = MentorFactory(etablissement=cast.lp_a)
    client.force_login(cast.mentor_a)
    assert client.get(reverse("binomes:mentor", args=[sien.pk])).status_code == 200
    assert client.get(reverse("binomes:mentor", args=[autre.pk])).status_code == 404


def test_attestation_de_l_association_enregistree_comme_un_fait(client, cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 1, 10, tzinfo=datetime.UTC), tick=False)
    mentor = MentorFactory(etablissement=cast.lp_a)
    client.force_login(cast.coordonnateur_a)
    url = reverse("binomes:mentor_honorabilite", args=[mentor.pk])
    reponse = client.post(url, {"statut": "verifiee"})
    assert "Indiquez la date de la vérification." in reponse.content.decode()
    reponse = client.post(
        url,
        {
            "statut": "verifiee",
            "date": "2026-09-20",
            "methode": "association",
            "expiration": "2027-08-31",
        },
    )
    assert reponse.status_code == 302
    mentor.refresh_from_db()
    assert mentor.honorabilite_valide() and mentor.honorabilite.saisie_par == cast.coordonnateur_a
    # The académie method is not offered to the LP side.
    reponse = client.post(url, {"statut": "en_cours", "methode": "academie"})
    assert reponse.status_code == 200 and "methode" in reponse.context["form"].errors


def test_mentor_recommande_par_personne_passe_par_l_academie(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a, recommande_par=Recommandation.AUCUNE)
    client.force_login(cast.referent_a)
    assert client.get(reverse("binomes:mentor_honorabilite", args=[mentor.pk])).status_code == 403


def test_file_academique_sans_donnee_eleve(client, cast):
    attente = MentorFactory(etablissement=cast.lp_a, nom="Attente", recommande_par=Recommandation.AUCUNE)
    BinomeFactory(dispositif=cast.dispositif_a, eleve=EleveFactory(etablissement=cast.lp_a, nom="Élèvesecret"))
    MentorFactory(etablissement=cast.lp_a, nom="Association")
    MentorFactory(etablissement=cast.lp_a, nom="Faite", recommande_par=Recommandation.AUCUNE, verifie=True)
    client.force_login(cast.pilotage)
    contenu = client.get(FILE).content.decode()
    assert "Attente" in contenu and "Association" not in contenu and "Faite" not in contenu
    assert "Élèvesecret" not in contenu
    saisie = client.get(reverse("binomes:honorabilite_saisir", args=[attente.pk]))
    assert "Élèvesecret" not in saisie.content.decode()
    reponse = client.post(
        reverse("binomes:honorabilite_saisir", args=[attente.pk]),
        {
            "statut": "verifiee",
            "date": "2026-10-02",
            "methode": "academie",
            "expiration": "2029-10-01",
        },
    )
    assert reponse.status_code == 302
    attente.refresh_from_db()
    honorabilite = attente.honorabilite
    assert (honorabilite.statut, honorabilite.methode, honorabilite.saisie_par) == (
        StatutHonorabilite.VERIFIEE,
        MethodeHonorabilite.SERVICES_ACADEMIQUES,
        cast.pilotage,
    )
    assert "Attente" not in client.get(FILE).content.decode()


def test_file_academique_reservee_au_pilotage(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a, recommande_par=Recommandation.AUCUNE)
    for user in (cast.referent_a, cast.chef_a, cast.coordonnateur_a, cast.sans_role):
        client.force_login(user)
        assert client.get(FILE).status_code == 403, user
        assert client.get(reverse("binomes:honorabilite_saisir", args=[mentor.pk])).status_code == 404, user
    # A mentor recommended by an association is not the académie's business.
    client.force_login(cast.pilotage)
    association = MentorFactory(etablissement=cast.lp_a)
    assert client.get(reverse("binomes:honorabilite_saisir", args=[association.pk])).status_code == 404


def test_nombre_de_requetes(client, cast):
    client.force_login(cast.referent_a)
    entreprise = EntrepriseFactory(etablissement=cast.lp_a)
    MentorFactory(etablissement=cast.lp_a, entreprise=entreprise)
    une = nb_requetes(client, LISTE)
    for _ in range(8):
        mentor = MentorFactory(etablissement=cast.lp_a, entreprise=entreprise, verifie=True)
        BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    assert nb_requetes(client, LISTE) == une == 6

    client.force_login(cast.pilotage)
    MentorFactory(etablissement=cast.lp_a, recommande_par=Recommandation.AUCUNE, entreprise=entreprise)
    une = nb_requetes(client, FILE)
    MentorFactory.create_batch(6, etablissement=cast.lp_a, recommande_par=Recommandation.AUCUNE)
    assert nb_requetes(client, FILE) == une == 5


def test_badges_d_honorabilite(client, cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False)
    MentorFactory(etablissement=cast.lp_a, verifie=True, honorabilite__expiration=datetime.date(2026, 11, 19))
    MentorFactory(etablissement=cast.lp_a, verifie=True, honorabilite__expiration=datetime.date(2026, 12, 10))
    MentorFactory(etablissement=cast.lp_a, verifie=True, honorabilite__expiration=datetime.date(2027, 8, 31))
    client.force_login(cast.referent_a)
    contenu = client.get(LISTE).content.decode()
    assert "Expirée le 19/11/2026" in contenu
    assert "Expire le 10/12/2026" in contenu
    assert "Vérifiée jusqu’au 31/08/2027" in contenu

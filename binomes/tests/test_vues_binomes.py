"""Binôme pages: list, filters, export, creation rules in the form, lifecycle verbs."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import Binome, StatutBinome
from etablissements.tests.factories import EntrepriseFactory, FormationFactory

from .factories import BinomeFactory, EleveFactory, MentorFactory
from .outils import nb_requetes

pytestmark = pytest.mark.django_db
LISTE = reverse("binomes:binomes")


@pytest.fixture
def aujourd_hui(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False)


def test_liste_filtres_et_perimetre(client, cast):
    entreprise = EntrepriseFactory(etablissement=cast.lp_a)
    formation = FormationFactory(etablissement=cast.lp_a)
    BinomeFactory(
        dispositif=cast.dispositif_a,
        eleve__nom="Alpha",
        eleve__sexe="F",
        eleve__besoin_stage=True,
        mentor__entreprise=entreprise,
    )
    BinomeFactory(dispositif=cast.dispositif_a, eleve__nom="Bravo", eleve__sexe="M", eleve__formation=formation)
    BinomeFactory(dispositif=cast.dispositif_a, eleve__nom="Charlie", statut=StatutBinome.ROMPU, eleve__sexe="M")
    BinomeFactory(dispositif=cast.dispositif_b, eleve__nom="Zulu")
    client.force_login(cast.cpe_a)

    def noms(**filtres):
        return [ligne[1] for ligne in client.get(LISTE, filtres).context["page"]]  # (pk, student's name, …)

    assert noms() == ["Alpha", "Bravo", "Charlie"]
    assert noms(statut="rompu") == ["Charlie"]
    assert noms(sexe="M", statut="actif") == ["Bravo"]
    assert noms(besoins=["stage", "orientation"]) == ["Alpha"]
    assert noms(entreprise=entreprise.pk) == ["Alpha"]
    assert noms(formation=formation.pk) == ["Bravo"]
    assert noms(honorabilite="verifiee", classe="1melec") == ["Alpha", "Bravo", "Charlie"]


def test_mentor_ne_voit_que_ses_binomes(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    sien = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    autre = BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.mentor_a)
    assert [ligne[0] for ligne in client.get(LISTE).context["page"]] == [sien.pk]
    assert client.get(reverse("binomes:binome", args=[autre.pk])).status_code == 404
    assert client.post(reverse("binomes:binome_suspendre", args=[sien.pk])).status_code == 403


def test_export_csv(client, cast):
    BinomeFactory(dispositif=cast.dispositif_a, eleve__nom="Éloi")
    client.force_login(cast.referent_a)
    texte = client.get(reverse("binomes:binomes_export")).content.decode("utf-8")
    assert texte.startswith("\ufeffNom de l’élève;") and "Éloi" in texte and "Actif" in texte


def test_creation_refuse_un_mentor_non_verifie_dans_le_formulaire(client, cast, aujourd_hui):
    non_verifie = MentorFactory(etablissement=cast.lp_a)
    plein = MentorFactory(etablissement=cast.lp_a, verifie=True, capacite=1)
    BinomeFactory(dispositif=cast.dispositif_a, mentor=plein)
    bon = MentorFactory(etablissement=cast.lp_a, verifie=True)
    eleve = EleveFactory(etablissement=cast.lp_a)
    client.force_login(cast.referent_a)
    url = reverse("binomes:binome_nouveau")
    choix = client.get(url).context["form"].fields["mentor"].queryset
    assert list(choix) == [bon]
    for mentor in (non_verifie, plein):
        reponse = client.post(url, {"mentor": mentor.pk, "eleve": eleve.pk})
        assert reponse.status_code == 200 and "mentor" in reponse.context["form"].errors
    assert not Binome.objects.filter(eleve=eleve).exists()
    reponse = client.post(
        url, {"mentor": bon.pk, "eleve": eleve.pk, "date_debut": "2026-12-01", "date_fin_prevue": "2027-03-01"}
    )
    assert reponse.status_code == 302
    suite = client.get(reponse["Location"]).content.decode()
    assert "moins de six mois" in suite.lower()
    assert Binome.objects.get(eleve=eleve).statut == StatutBinome.PROPOSE


def test_verbes_du_cycle_de_vie(client, cast, aujourd_hui):
    binome = BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.PROPOSE, date_debut=None)
    client.force_login(cast.referent_a)
    assert client.get(reverse("binomes:binome_activer", args=[binome.pk])).status_code == 405
    client.post(reverse("binomes:binome_activer", args=[binome.pk]))
    client.post(reverse("binomes:binome_suspendre", args=[binome.pk]))
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.SUSPENDU and binome.date_debut == datetime.date(2026, 11, 20)
    url = reverse("binomes:binome_rompre", args=[binome.pk])
    assert "motif" in client.post(url, {"date": "2026-11-20"}).context["form"].errors
    assert client.post(url, {"motif": "L’élève a changé de lycée", "date": "2026-11-19"}).status_code == 302
    binome.refresh_from_db()
    assert (binome.statut, binome.motif_fin, binome.date_fin, binome.fin_saisie_par) == (
        StatutBinome.ROMPU,
        "L’élève a changé de lycée",
        datetime.date(2026, 11, 19),
        cast.referent_a,
    )
    page = client.get(reverse("binomes:binome", args=[binome.pk])).content.decode()
    assert "L’élève a changé de lycée" in page
    # Nothing more can happen to a broken pair.
    reponse = client.post(reverse("binomes:binome_activer", args=[binome.pk]), follow=True)
    assert "ne peut pas passer" in reponse.content.decode()


def test_modifier_avertit_sous_six_mois(client, cast):
    binome = BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("binomes:binome_modifier", args=[binome.pk]),
        {"date_debut": "2026-10-05", "date_fin_prevue": "2027-01-15", "objectifs": "Stage"},
        follow=True,
    )
    assert "moins de six mois" in reponse.content.decode()
    binome.refresh_from_db()
    assert binome.date_fin_prevue == datetime.date(2027, 1, 15)


def test_lecture_seule_403(client, cast):
    binome = BinomeFactory(dispositif=cast.dispositif_a)
    for user in (cast.chef_a, cast.cpe_a, cast.coordonnateur_a):
        client.force_login(user)
        assert client.get(reverse("binomes:binome", args=[binome.pk])).status_code == 200
        assert client.get(reverse("binomes:binome_nouveau")).status_code == 403
        for verbe in ("modifier", "activer", "suspendre", "terminer", "rompre"):
            assert client.post(reverse(f"binomes:binome_{verbe}", args=[binome.pk]), {}).status_code == 403
    for user in (cast.personnel_a, cast.pilotage, cast.sans_role):
        client.force_login(user)
        assert client.get(LISTE).status_code == 403
        assert client.get(reverse("binomes:binomes_export")).status_code == 403
    client.force_login(cast.referent_b)
    lignes = client.get(reverse("binomes:binomes_export")).content.decode().strip().splitlines()
    assert len(lignes) == 1  # LP B's référent exports only the header: no pair of LP A
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.ACTIF


def test_nombre_de_requetes(client, cast):
    """The list reads only the columns it draws: a column it draws but does not read (deferred)
    would cost a query a row, and its rows show every column."""
    client.force_login(cast.referent_a)
    BinomeFactory(dispositif=cast.dispositif_a)
    une = nb_requetes(client, LISTE)
    employeur = EntrepriseFactory(etablissement=cast.lp_a, nom="Garage Martin")
    BinomeFactory.create_batch(
        10,
        dispositif=cast.dispositif_a,
        eleve__classe="1MV2",
        mentor__entreprise=employeur,
        date_fin_prevue=datetime.date(2027, 6, 30),
    )
    assert nb_requetes(client, LISTE) == une == 7
    page = client.get(LISTE).content.decode()
    assert page.count("<td>Garage Martin</td>") == 10
    assert page.count("<td>1MV2</td>") == 10
    assert page.count("<td>30/06/2027</td>") == 10

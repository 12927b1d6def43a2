"""One person, one honorabilité record, whatever the LPs they serve as a mentor (issue 12)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from binomes.models import Honorabilite, Mentor, StatutHonorabilite
from binomes.tests.factories import MentorFactory
from etablissements.tests.factories import EtablissementFactory
from socle.models import User


def test_meme_adresse_autre_casse_meme_verification(cast):
    b = MentorFactory(etablissement=cast.lp_b, email="paul.martin@exemple.fr", verifie=True)
    a = MentorFactory(etablissement=cast.lp_a, email="Paul.Martin@Exemple.fr ")
    assert a.honorabilite_id == b.honorabilite_id
    assert Honorabilite.objects.count() == 1
    assert a.honorabilite_valide()


def test_meme_compte_meme_verification(cast):
    b = MentorFactory(etablissement=cast.lp_b, email="perso@exemple.fr", user=cast.mentor_a)
    a = MentorFactory(etablissement=cast.lp_a, email="", user=cast.mentor_a)
    assert a.honorabilite_id == b.honorabilite_id
    assert a.honorabilite.email == cast.mentor_a.email


def test_sans_adresse_chacun_la_sienne(cast):
    a = MentorFactory(etablissement=cast.lp_a, email="")
    b = MentorFactory(etablissement=cast.lp_b, email="")
    assert a.honorabilite_id != b.honorabilite_id


def test_adresse_corrigee_rejoint_la_personne_sans_perdre_la_verification(cast):
    b = MentorFactory(etablissement=cast.lp_b, email="paul@exemple.fr")
    a = MentorFactory(etablissement=cast.lp_a, email="pual@exemple.fr", verifie=True)
    ancienne = a.honorabilite_id
    a.email = "paul@exemple.fr"
    a.save()
    b.refresh_from_db()
    assert a.honorabilite_id == b.honorabilite_id
    assert not Honorabilite.objects.filter(pk=ancienne).exists()
    # The typo'd row held the only valid verification: the person keeps it.
    assert b.honorabilite_valide() and b.honorabilite.statut == StatutHonorabilite.VERIFIEE


def test_une_adresse_corrigee_sur_une_personne_refusee_garde_le_refus(cast):
    """Safeguarding first: merging a refusal recorded in LP B with a verification of LP A keeps the refusal."""
    b = MentorFactory(etablissement=cast.lp_b, email="paul@exemple.fr")
    b.honorabilite.statut = StatutHonorabilite.REFUSEE
    b.honorabilite.date = datetime.date.today() - datetime.timedelta(days=400)
    b.honorabilite.save()
    a = MentorFactory(etablissement=cast.lp_a, email="pual@exemple.fr", verifie=True)
    a.email = "paul@exemple.fr"
    a.save()
    a.refresh_from_db()
    assert a.honorabilite_id == b.honorabilite_id
    assert a.honorabilite.statut == StatutHonorabilite.REFUSEE and not a.honorabilite_valide()


def test_la_saisie_d_un_lycee_vaut_pour_l_autre(client, cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10))
    b = MentorFactory(etablissement=cast.lp_b, email="paul@exemple.fr")
    a = MentorFactory(etablissement=cast.lp_a, email="PAUL@exemple.fr")
    client.force_login(cast.coordonnateur_a)
    page = client.get(reverse("binomes:mentor_honorabilite", args=[a.pk]))
    assert "elle vaut pour chaque lycée où elle est mentor" in page.content.decode()
    reponse = client.post(
        reverse("binomes:mentor_honorabilite", args=[a.pk]),
        {"statut": "verifiee", "date": "2026-09-20", "methode": "association", "expiration": "2027-08-31"},
    )
    assert reponse.status_code == 302
    b.refresh_from_db()
    assert b.honorabilite_valide() and b.honorabilite.saisie_par == cast.coordonnateur_a
    assert Honorabilite.objects.count() == 1


def test_export_garde_les_colonnes(client, cast):
    MentorFactory(etablissement=cast.lp_a, nom="Alpha", verifie=True)
    client.force_login(cast.referent_a)
    contenu = client.get(reverse("binomes:mentors_export")).content.decode("utf-8-sig")
    entete, ligne = contenu.splitlines()[:2]
    assert entete.endswith("Honorabilité;Fin de validité")
    assert ligne.endswith("Vérifiée;31/08/2027")


@pytest.mark.django_db(transaction=True)
def test_migration_regroupe_par_personne():
    """The data migration: rows of one person (account or address in any case) share the most
    favourable valid verification; a row with no address keeps its own."""
    executor = MigrationExecutor(connection)
    avant, apres = (
        [("binomes", "0006_honorabilite_par_personne")],
        [("binomes", "0008_honorabilite_champs_du_mentor_retires")],
    )
    executor.migrate(avant)
    anciens = executor.loader.project_state(avant).apps
    AncienMentor = anciens.get_model("binomes", "Mentor")
    lp = EtablissementFactory()
    compte = User.objects.create_user(email="compte@exemple.fr", password="x")
    aujourdhui = datetime.date.today()

    def mentor(**champs):
        return AncienMentor.objects.create(etablissement_id=lp.pk, nom="N", prenom="P", **champs).pk

    expiree = mentor(
        email="Paul@Exemple.fr",
        honorabilite_statut="verifiee",
        honorabilite_date=aujourdhui - datetime.timedelta(days=800),
        honorabilite_expiration=aujourdhui - datetime.timedelta(days=1),
    )
    valide = mentor(
        email="paul@exemple.fr",
        honorabilite_statut="verifiee",
        honorabilite_date=aujourdhui - datetime.timedelta(days=10),
        honorabilite_methode="association",
        honorabilite_expiration=aujourdhui + datetime.timedelta(days=300),
    )
    en_cours = mentor(email="PAUL@exemple.fr", honorabilite_statut="en_cours")
    par_compte = mentor(email="autre@exemple.fr", user_id=compte.pk, honorabilite_statut="en_cours")
    par_compte_2 = mentor(email="", user_id=compte.pk)
    seul_1, seul_2 = mentor(email=""), mentor(email="")
    refuse = mentor(email="refus@exemple.fr", honorabilite_statut="refusee", honorabilite_date=aujourdhui)
    verifie_ailleurs = mentor(
        email="REFUS@exemple.fr",
        honorabilite_statut="verifiee",
        honorabilite_date=aujourdhui,
        honorabilite_expiration=aujourdhui + datetime.timedelta(days=300),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(apres)
    try:
        lignes = dict(Mentor.objects.values_list("pk", "honorabilite_id"))
        assert lignes[expiree] == lignes[valide] == lignes[en_cours]
        assert lignes[par_compte] == lignes[par_compte_2] != lignes[valide]
        assert len({lignes[seul_1], lignes[seul_2], lignes[valide]}) == 3
        paul = Honorabilite.objects.get(pk=lignes[valide])
        assert (paul.email, paul.statut, paul.methode) == ("paul@exemple.fr", "verifiee", "association")
        assert Honorabilite.objects.get(pk=lignes[par_compte]).email == "compte@exemple.fr"
        assert lignes[refuse] == lignes[verifie_ailleurs]
        assert Honorabilite.objects.get(pk=lignes[refuse]).statut == "refusee"
        assert Honorabilite.objects.count() == 5
    finally:
        # Back to the latest schema: the tests that follow on this database expect every migration.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        Mentor.objects.all().delete()
        Honorabilite.objects.all().delete()

"""The access log: written by `journaliser`, read by the chef d'établissement of the LP only, purged after a year."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from socle.journal import ActionJournal, journaliser
from socle.models import JournalAcces
from socle.tasks import purger_journal

pytestmark = pytest.mark.django_db


def _entree(user, etablissement, objet="Élève n° 1", action=ActionJournal.CONSULTATION):
    requete = RequestFactory().get("/binomes/eleves/1/")
    requete.user = user
    return journaliser(requete, action=action, etablissement_id=etablissement.pk, objet=objet)


def test_journaliser_enregistre_qui_quoi_quand_ou(cast):
    entree = _entree(cast.referent_a, cast.lp_a)
    assert entree.user == cast.referent_a
    assert entree.utilisateur == "referent.a@exemple.fr"
    assert entree.etablissement_id == cast.lp_a.pk
    assert entree.chemin == "/binomes/eleves/1/"
    assert entree.date is not None


def test_le_chef_lit_le_journal_de_son_lp_seulement(client, cast):
    _entree(cast.referent_a, cast.lp_a, objet="Fiche de Léa Martin")
    _entree(cast.referent_b, cast.lp_b, objet="Fiche de Hugo Bernard")
    client.force_login(cast.chef_a)
    contenu = client.get(reverse("journal")).content.decode()
    assert "Fiche de Léa Martin" in contenu
    assert "Fiche de Hugo Bernard" not in contenu


@pytest.mark.parametrize("qui", ["referent_a", "cpe_a", "coordonnateur_a", "referent_b", "sans_role", "pilotage"])
def test_les_autres_roles_n_y_ont_pas_acces(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("journal")).status_code == 403


def test_filtre_par_action(client, cast):
    _entree(cast.referent_a, cast.lp_a, objet="Liste des élèves (CSV)", action=ActionJournal.EXPORT)
    _entree(cast.referent_a, cast.lp_a, objet="Fiche de Léa Martin")
    client.force_login(cast.chef_a)
    contenu = client.get(reverse("journal"), {"action": "export"}).content.decode()
    assert "Liste des élèves (CSV)" in contenu
    assert "Fiche de Léa Martin" not in contenu


def test_nombre_de_requetes_constant(client, cast, django_assert_num_queries, django_assert_max_num_queries):
    client.force_login(cast.chef_a)
    _entree(cast.referent_a, cast.lp_a)
    client.get(reverse("journal"))
    with django_assert_max_num_queries(15) as une:
        client.get(reverse("journal"))
    for i in range(30):
        _entree(cast.referent_a, cast.lp_a, objet=f"Fiche {i}")
    with django_assert_num_queries(len(une.captured_queries)):
        client.get(reverse("journal"))


def test_purge_apres_douze_mois(cast):
    with time_machine.travel(datetime.datetime(2025, 11, 1, 10, tzinfo=datetime.UTC)):
        _entree(cast.referent_a, cast.lp_a, objet="ancienne")
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC)):
        _entree(cast.referent_a, cast.lp_a, objet="récente")
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, tzinfo=datetime.UTC)):
        assert purger_journal() == 1
        assert purger_journal() == 0
    assert list(JournalAcces.objects.values_list("objet", flat=True)) == ["récente"]

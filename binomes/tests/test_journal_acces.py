"""Viewing a student's record and exporting lists write the LP's access log (RGPD accountability)."""

import pytest
from django.urls import reverse

from binomes.tests.factories import EleveFactory
from socle.models import JournalAcces

pytestmark = pytest.mark.django_db


def test_consultation_d_une_fiche_eleve_journalisee(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a, nom="Martin", prenom="Léa")
    client.force_login(cast.cpe_a)
    assert client.get(reverse("binomes:eleve", args=[eleve.pk])).status_code == 200
    entree = JournalAcces.objects.get()
    assert (entree.user, entree.etablissement_id, entree.action) == (cast.cpe_a, cast.lp_a.pk, "consultation")
    assert "Léa Martin" in entree.objet


def test_refus_non_journalise(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a)
    client.force_login(cast.referent_b)
    assert client.get(reverse("binomes:eleve", args=[eleve.pk])).status_code == 404
    assert not JournalAcces.objects.exists()


@pytest.mark.parametrize("vue", ["binomes:eleves_export", "binomes:mentors_export", "binomes:binomes_export"])
def test_exports_journalises(client, cast, vue):
    client.force_login(cast.referent_a)
    assert client.get(reverse(vue)).status_code == 200
    entree = JournalAcces.objects.get()
    assert (entree.action, entree.etablissement_id) == ("export", cast.lp_a.pk)

"""The student's page speaks of her or him: statuses agreed with the student's gender."""

import pytest
from django.urls import reverse

from binomes.models import StatutEleve
from binomes.tests.factories import EleveFactory


@pytest.mark.parametrize(
    ("sexe", "statut", "libelle"),
    [
        ("F", StatutEleve.RETENU, "Retenue pour le mentorat"),
        ("M", StatutEleve.RETENU, "Retenu pour le mentorat"),
        ("F", StatutEleve.INSCRIT, "Inscrite (non identifiée)"),
        ("F", StatutEleve.PROPOSE, "Proposée, à confirmer"),
    ],
)
def test_statut_accorde_sur_la_fiche_et_la_liste(client, cast, sexe, statut, libelle):
    eleve = EleveFactory(etablissement=cast.lp_a, sexe=sexe, statut=statut)
    assert eleve.statut_libelle == libelle
    client.force_login(cast.referent_a)
    assert libelle in client.get(reverse("binomes:eleve", args=[eleve.pk])).content.decode()
    assert libelle in client.get(reverse("binomes:eleves")).content.decode()

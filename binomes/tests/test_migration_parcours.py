"""The data migration of the students' path: students already paired are retained volunteers;
no parents' agreement is invented."""

import datetime
import importlib

import pytest
from django.apps import apps

from binomes.models import Consentement, Eleve, StatutBinome, StatutEleve

from .factories import BinomeFactory, EleveFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("binomes.migrations.0011_eleves_en_binome_volontaires")

AVANT = {
    "statut": StatutEleve.INSCRIT,
    "volontaire": False,
    "date_volontariat": None,
    "consentement_parental": Consentement.NON_RENSEIGNE,
    "consentement_parental_le": None,
}


def test_eleves_en_binome_vivant_volontaires_sans_accord_parental_invente(cast):
    vivant = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))
    fini = BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.TERMINE)
    Eleve.objects.filter(pk__in=[vivant.eleve_id, fini.eleve_id]).update(**AVANT)
    repondu = EleveFactory(etablissement=cast.lp_a, consentement_parental_le=None)

    migration.marquer(apps, None)

    eleve = Eleve.objects.get(pk=vivant.eleve_id)
    assert (eleve.statut, eleve.volontaire, eleve.date_volontariat) == (
        StatutEleve.RETENU,
        True,
        datetime.date(2026, 10, 5),
    )
    # A minor: the binôme goes on, but a new one waits for the parents' agreement.
    (raison,) = eleve.raisons_non_eligible()
    assert raison.endswith("sans accord daté de ses responsables légaux")
    assert Eleve.objects.get(pk=fini.eleve_id).statut == StatutEleve.INSCRIT
    repondu.refresh_from_db()
    assert repondu.consentement_parental_le == repondu.parents_informes_le

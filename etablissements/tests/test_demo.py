"""The demo data of the « cadre du dispositif » load, and loading them twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from etablissements.models import Diagnostic, Dispositif, Jalon, LigneBudget, MembreEquipe, Modification, VersionCadrage
from etablissements.models.cadrage import StatutCadrage
from etablissements.models.convention import StatutConvention
from etablissements.models.dispositif import annee_scolaire_courante

pytestmark = pytest.mark.django_db


def _compte():
    return [
        m.objects.count()
        for m in (Dispositif, Diagnostic, VersionCadrage, MembreEquipe, LigneBudget, Jalon, Modification)
    ]


def test_demo_idempotente(settings):
    settings.DEBUG = True  # charger_demo refuses to run without it
    call_command("charger_demo", stdout=io.StringIO())
    avant = _compte()
    call_command("charger_demo", stdout=io.StringIO())
    assert _compte() == avant
    d = Dispositif.objects.get(etablissement__uai="0691234S", annee=annee_scolaire_courante())
    assert list(d.versions_cadrage.order_by("numero").values_list("statut", flat=True)) == [
        StatutCadrage.VALIDEE,
        StatutCadrage.BROUILLON,
    ]
    convention = d.conventions.get()
    assert convention.statut == StatutConvention.SIGNEE and convention.points_manquants == []
    assert d.diagnostic.est_complet
    assert d.equipe.filter(role="referent", mission_pacte=True, user__email="referent@demo.mentorat.fr").exists()
    assert d.lignes_budget.totaux()["alloue"] > 0
    assert Dispositif.objects.filter(etablissement__uai="0691234S", annee=annee_scolaire_courante() - 1).exists()

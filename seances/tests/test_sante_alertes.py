"""Acceptance 3: the daily job warns the référent once when a pair enters « en risque »."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binomes.models import StatutBinome
from binomes.tests.factories import BinomeFactory
from seances.alertes import Destinataires, alertes_binomes_en_risque, alertes_calculer
from seances.models import Alerte, EpisodeRisque, TypeAlerte
from seances.sante import RENVOI_AVIS
from seances.tests.factories import AvisEleveFactory, SeanceFactory

PARIS = ZoneInfo("Europe/Paris")


def le(jour):
    return time_machine.travel(datetime.datetime.combine(jour, datetime.time(7, 0), tzinfo=PARIS), tick=False)


def alertes_risque():
    return list(Alerte.objects.filter(type=TypeAlerte.BINOME_EN_RISQUE).order_by("pk"))


@pytest.fixture
def binome(cast):
    b = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))
    SeanceFactory(dispositif=cast.dispositif_a, binome=b, date=datetime.date(2026, 11, 23))
    return b


def test_le_referent_est_alerte_une_seule_fois(cast, binome):
    with le(datetime.date(2026, 11, 24)):
        alertes_calculer()
    assert not alertes_risque()
    AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, 24), arreter=True)
    with le(datetime.date(2026, 11, 25)):
        alertes_calculer()
        alertes_calculer()
    with le(datetime.date(2026, 11, 26)):
        alertes_calculer()
    [alerte] = alertes_risque()
    assert alerte.destinataire == cast.referent_a
    # The message names the student: their answer itself is left to the binôme page.
    assert alerte.message == f"Binôme {binome} en risque : {RENVOI_AVIS}."
    assert alerte.lien == reverse("binomes:binome", args=[binome.pk])
    assert EpisodeRisque.objects.get().debut == datetime.date(2026, 11, 25)


def test_sortir_du_risque_puis_y_revenir_alerte_a_nouveau(cast, binome):
    AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, 24), arreter=True)
    with le(datetime.date(2026, 11, 25)):
        alertes_calculer()
    # The référent talks with the student, who answers again after the next séance: the pair is well.
    AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, 30))
    with le(datetime.date(2026, 12, 1)):
        alertes_calculer()
    episode = EpisodeRisque.objects.get()
    assert episode.fin == datetime.date(2026, 12, 1)
    assert len(alertes_risque()) == 1
    # Then no séance for six weeks: at risk again, a new period, a new alert.
    with le(datetime.date(2027, 1, 5)):
        alertes_calculer()
        alertes_calculer()
    assert len(alertes_risque()) == 2
    assert EpisodeRisque.objects.filter(fin__isnull=True).get().debut == datetime.date(2027, 1, 5)
    assert "Aucune séance tenue depuis 6 semaines" in alertes_risque()[-1].message


def test_un_binome_rompu_ferme_sa_periode_en_risque(binome):
    AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, 24), arreter=True)
    with le(datetime.date(2026, 11, 25)):
        alertes_calculer()
    binome.statut, binome.date_fin = StatutBinome.ROMPU, datetime.date(2026, 11, 27)
    binome.save()
    with le(datetime.date(2026, 11, 28)):
        alertes_calculer()
    assert EpisodeRisque.objects.get().fin == datetime.date(2026, 11, 28)


def test_seul_le_referent_du_lp_est_alerte(cast, binome):
    BinomeFactory(dispositif=cast.dispositif_b, date_debut=datetime.date(2026, 9, 1))
    AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, 24), arreter=True)
    with le(datetime.date(2026, 11, 25)):
        alertes_calculer()
    destinataires = {a.destinataire for a in alertes_risque()}
    assert destinataires == {cast.referent_a, cast.referent_b}
    assert {a.etablissement for a in alertes_risque() if a.destinataire == cast.referent_a} == {cast.lp_a}


@pytest.mark.parametrize("nombre", [1, 12])
def test_alertes_de_risque_en_requetes_constantes(cast, nombre):
    for _ in range(nombre):
        b = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))
        AvisEleveFactory(binome=b, recu_le=datetime.date(2026, 11, 24), arreter=True)
    with le(datetime.date(2026, 11, 25)), CaptureQueriesContext(connection) as requetes:
        alertes_risque_du_jour = alertes_binomes_en_risque(datetime.date(2026, 11, 25), Destinataires())
    assert len(alertes_risque_du_jour) == nombre == EpisodeRisque.objects.count()
    # Recipients (3), pairs and their health (4), periods at risk: read the open ones, open the new ones,
    # in a savepoint (2).
    assert len(requetes.captured_queries) == 3 + 4 + 2 + 2

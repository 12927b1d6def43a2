"""The daily job computes the pairs' health only for those `peut_etre_en_risque` selects in SQL:
every pair with a reason must be among them (a superset), and healthy pairs must be left out."""

import datetime
import random

import pytest

from binomes.models import Binome, StatutBinome
from binomes.tests.factories import BinomeFactory
from seances.models import Continuer, Presence, Ressenti, StatutSeance, Utilite
from seances.sante import peut_etre_en_risque, sante_des_binomes
from seances.tests.factories import AvisEleveFactory, NoteMentorFactory, SeanceFactory

pytestmark = pytest.mark.django_db

JOUR = datetime.date(2026, 11, 30)


def il_y_a(jours):
    return JOUR - datetime.timedelta(days=jours)


def _binome_au_hasard(rng, dispositif):
    """A pair with séances held, planned or cancelled at random dates, attendance, notes and answers."""
    binome = BinomeFactory(dispositif=dispositif, date_debut=rng.choice([None, il_y_a(rng.randrange(0, 70))]))
    if rng.random() < 0.5:  # a recent séance held, the student there: often a pair in good health
        SeanceFactory(dispositif=dispositif, binome=binome, date=il_y_a(rng.randrange(0, 20)))
    for _ in range(rng.randrange(0, 4)):
        statut = rng.choice([StatutSeance.TENUE, StatutSeance.TENUE, StatutSeance.PREVUE, StatutSeance.ANNULEE])
        seance = SeanceFactory(dispositif=dispositif, binome=binome, date=il_y_a(rng.randrange(-10, 60)), statut=statut)
        if statut == StatutSeance.TENUE:
            presence = rng.choice([Presence.PRESENT] * 3 + [Presence.ABSENT_EXCUSE, Presence.ABSENT_NON_EXCUSE])
            seance.participations.filter(eleve__isnull=False).update(presence=presence)
        if rng.random() < 0.3:
            NoteMentorFactory(
                seance=seance,
                mentor=binome.mentor,
                a_eu_lieu=rng.random() < 0.8,
                difficulte_eleve=rng.random() < 0.2,
                besoin_aide_referent=rng.random() < 0.2,
                absence_non_prevenue=rng.random() < 0.2,
                besoin_traite_le=rng.choice([None, datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)]),
            )
    if rng.random() < 0.3:
        AvisEleveFactory(
            binome=binome,
            ressenti=rng.choice(Ressenti.values),
            utilite=rng.choice(Utilite.values),
            continuer=rng.choice(Continuer.values),
        )
    return binome


@pytest.mark.parametrize("graine", [1, 2, 3])
def test_toute_paire_ayant_une_raison_est_retenue_par_le_filtre(cast, graine):
    rng = random.Random(graine)
    for _ in range(40):
        _binome_au_hasard(rng, cast.dispositif_a)
    actifs = Binome.objects.filter(statut=StatutBinome.ACTIF)
    retenus = set(actifs.filter(peut_etre_en_risque(JOUR)).values_list("pk", flat=True))
    santes = sante_des_binomes(actifs.select_related("mentor", "eleve", "dispositif"), JOUR)
    avec_raison = {pk for pk, sante in santes.items() if sante.raisons}
    assert avec_raison, "the random pairs should give some reasons"
    assert avec_raison <= retenus, avec_raison - retenus
    # And it filters: pairs without any reason are left out (never all of them kept).
    assert retenus != set(santes)


def test_une_paire_en_bonne_sante_est_ecartee_une_paire_inactive_retenue(cast):
    bien = BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(60))
    SeanceFactory(dispositif=cast.dispositif_a, binome=bien, date=il_y_a(7))
    inactive = BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(60))
    SeanceFactory(dispositif=cast.dispositif_a, binome=inactive, date=il_y_a(7 * 4))
    retenus = set(Binome.objects.filter(peut_etre_en_risque(JOUR)).values_list("pk", flat=True))
    assert bien.pk not in retenus and inactive.pk in retenus

"""The daily job computes the pairs' health only for those `peut_etre_en_risque` selects in SQL:
every pair at risk must be among them (a superset), and pairs in good health must be left out."""

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
def test_toute_paire_en_risque_est_retenue_par_le_filtre(cast, graine):
    rng = random.Random(graine)
    for _ in range(60):
        _binome_au_hasard(rng, cast.dispositif_a)
    actifs = Binome.objects.filter(statut=StatutBinome.ACTIF)
    retenus = set(actifs.filter(peut_etre_en_risque(JOUR)).values_list("pk", flat=True))
    santes = sante_des_binomes(actifs.select_related("mentor", "eleve", "dispositif"), JOUR)
    en_risque = {pk for pk, sante in santes.items() if sante.en_risque}
    assert en_risque, "the random pairs should put some at risk"
    assert en_risque <= retenus, en_risque - retenus
    # And it filters: some pairs are left out (never all of them kept).
    assert set(santes) - retenus


def test_une_paire_en_bonne_sante_est_ecartee_une_paire_inactive_retenue(cast):
    bien = BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(60))
    SeanceFactory(dispositif=cast.dispositif_a, binome=bien, date=il_y_a(7))
    inactive = BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(60))
    SeanceFactory(dispositif=cast.dispositif_a, binome=inactive, date=il_y_a(7 * 4))
    retenus = set(Binome.objects.filter(peut_etre_en_risque(JOUR)).values_list("pk", flat=True))
    assert bien.pk not in retenus and inactive.pk in retenus


def _paire_suivie(dispositif, absences=0):
    """A pair started 60 days ago with three séances held in the last three weeks, `absences` of them
    with the student absent without excuse."""
    binome = BinomeFactory(dispositif=dispositif, date_debut=il_y_a(60))
    for n, jours in enumerate((3, 10, 17)):
        seance = SeanceFactory(dispositif=dispositif, binome=binome, date=il_y_a(jours))
        if n < absences:
            seance.participations.filter(eleve__isnull=False).update(presence=Presence.ABSENT_NON_EXCUSE)
    return binome


@pytest.mark.parametrize("famille", ["inactivite", "absences", "note", "avis"])
def test_chaque_famille_seule_suffit_a_retenir_une_paire_en_risque(cast, famille):
    """One pair at risk by one family of reasons only: its clause alone must select it."""
    dispositif = cast.dispositif_a
    if famille == "inactivite":
        binome = BinomeFactory(dispositif=dispositif, date_debut=il_y_a(90))
        SeanceFactory(dispositif=dispositif, binome=binome, date=il_y_a(7 * 7))
    elif famille == "absences":
        binome = _paire_suivie(dispositif, absences=2)
    elif famille == "note":
        binome = _paire_suivie(dispositif)
        seance = binome.dispositif.seances.filter(participations__mentor=binome.mentor).latest("date")
        NoteMentorFactory(seance=seance, mentor=binome.mentor, difficulte_eleve=True)
    else:
        binome = _paire_suivie(dispositif)
        AvisEleveFactory(binome=binome, continuer=Continuer.NON)
    sante = sante_des_binomes([binome], JOUR)[binome.pk]
    assert sante.en_risque, sante.raisons
    assert Binome.objects.filter(peut_etre_en_risque(JOUR), pk=binome.pk).exists()
    # A pair followed without any reason is left out.
    assert not Binome.objects.filter(peut_etre_en_risque(JOUR), pk=_paire_suivie(dispositif, absences=1).pk).exists()

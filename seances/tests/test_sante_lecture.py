"""What the health reads of each pair, checked against a plain reading written pair by pair with the
ORM as the rules say it (its séances, the last ones held, the mentor's latest note, the student's
latest answers), on random worlds built to hold every trap: mentors and students in several pairs,
collective séances, séances of another dispositif, before the pair's start or after the day, ties on
dates and on when notes were written. The health reads all the pairs at once and matches in memory
(issue 18): these are the matches a shortcut would get wrong. The dashboard's own reading (the pairs
as values, `PaireDuTableau`) must say the same as the one on Binome rows."""

import datetime
import random

import pytest

from binomes.models import Binome, StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import DispositifFactory
from seances import sante as regles
from seances.models import (
    AvisEleve,
    Continuer,
    NoteMentor,
    Participation,
    Presence,
    Ressenti,
    Seance,
    StatutSeance,
    Utilite,
)
from seances.sante import DERNIERES_SEANCES, Sante, sante_des_binomes, sante_des_binomes_du_dispositif
from seances.tests.factories import AvisEleveFactory, NoteMentorFactory, SeanceFactory

pytestmark = pytest.mark.django_db

JOUR = datetime.date(2026, 11, 30)
PRESENCES = [Presence.PRESENT, Presence.PRESENT, Presence.ABSENT_EXCUSE, Presence.ABSENT_NON_EXCUSE, Presence.ATTENDU]


def il_y_a(jours):
    return JOUR - datetime.timedelta(days=jours)


def _seances_de_la_paire(binome):
    """The pair's séances up to JOUR as the rules define them: its dispositif, from its start, both its
    student and its mentor expected (two separate joins of the participations)."""
    seances = Seance.objects.filter(dispositif=binome.dispositif, date__lte=JOUR, participations__eleve=binome.eleve)
    seances = seances.filter(participations__mentor=binome.mentor)
    if binome.date_debut is not None:
        seances = seances.filter(date__gte=binome.date_debut)
    return seances


def _sante_attendue(binome) -> Sante:
    """The pair's health from the plain reading, through the same rules."""
    tenues = [
        regles._SeanceDuBinome(s.date, Participation.objects.get(seance=s, eleve=binome.eleve).presence)
        for s in _seances_de_la_paire(binome).filter(statut=StatutSeance.TENUE).order_by("-date", "-pk")
    ]
    note = (
        NoteMentor.objects.filter(mentor=binome.mentor, seance__in=_seances_de_la_paire(binome))
        .order_by("-ecrite_le", "-pk")
        .first()
    )
    avis = AvisEleve.objects.filter(binome=binome).order_by("-recu_le", "-pk").first()
    return Sante(
        binome,
        regles._raisons_inactivite(binome, tenues, JOUR)
        + regles._raisons_absences(tenues[:DERNIERES_SEANCES])
        + regles._raisons_note(note)
        + regles._raisons_avis(avis),
    )


def _monde_au_hasard(rng, cast):
    """Pairs of one LP over two years' dispositifs, sharing mentors and students, with individual and
    collective séances at few distinct dates (ties), and notes written at few distinct times (ties)."""
    lp = cast.dispositif_a.etablissement
    cette_annee = cast.dispositif_a
    l_an_passe = DispositifFactory(etablissement=lp, annee=cette_annee.annee - 1, partenaire=cette_annee.partenaire)
    mentors = [MentorFactory(etablissement=lp) for _ in range(4)]
    eleves = [EleveFactory(etablissement=lp) for _ in range(6)]
    binomes = []
    for eleve in eleves:
        for mentor in rng.sample(mentors, rng.randrange(1, 3)):
            statut = rng.choice([StatutBinome.ACTIF, StatutBinome.ACTIF, StatutBinome.TERMINE])
            if statut != StatutBinome.TERMINE and any(
                b.eleve == eleve and b.mentor == mentor and b.statut != StatutBinome.TERMINE for b in binomes
            ):
                continue
            binomes.append(
                BinomeFactory(
                    dispositif=rng.choice([cette_annee, cette_annee, l_an_passe]),
                    mentor=mentor,
                    eleve=eleve,
                    statut=statut,
                    date_debut=rng.choice([None, il_y_a(rng.randrange(0, 40))]),
                )
            )
    recus = [datetime.datetime(2026, 11, j, 18, tzinfo=datetime.UTC) for j in (3, 10, 10)]
    for binome in rng.sample(binomes, len(binomes) // 2):
        for _ in range(rng.randrange(1, 3)):
            AvisEleveFactory(
                binome=binome,
                recu_le=rng.choice(recus),
                ressenti=rng.choice(Ressenti.values),
                utilite=rng.choice(Utilite.values),
                continuer=rng.choice(Continuer.values),
            )
    dates = [il_y_a(j) for j in rng.sample(range(-10, 60), 8)]
    ecrites = [datetime.datetime(2026, 11, j, 18, tzinfo=datetime.UTC) for j in (2, 9, 9, 16)]
    for _ in range(40):
        seance = SeanceFactory(
            dispositif=rng.choice([cette_annee, cette_annee, l_an_passe]),
            date=rng.choice(dates),
            statut=rng.choice([StatutSeance.TENUE, StatutSeance.TENUE, StatutSeance.PREVUE, StatutSeance.ANNULEE]),
        )
        # Individual (one of each) or collective (several of each), drawn among the people of the LP.
        nombre = 1 if rng.random() < 0.6 else rng.randrange(2, 4)
        for eleve in rng.sample(eleves, nombre):
            Participation.objects.create(seance=seance, eleve=eleve, presence=rng.choice(PRESENCES))
        for mentor in rng.sample(mentors, nombre):
            Participation.objects.create(seance=seance, mentor=mentor, presence=Presence.PRESENT)
            if rng.random() < 0.4:
                NoteMentorFactory(
                    seance=seance,
                    mentor=mentor,
                    ecrite_le=rng.choice(ecrites),
                    a_eu_lieu=rng.random() < 0.7,
                    difficulte_eleve=rng.random() < 0.3,
                    besoin_aide_referent=rng.random() < 0.3,
                    absence_non_prevenue=rng.random() < 0.3,
                    besoin_traite_le=rng.choice([None, datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)]),
                )
    return binomes


@pytest.mark.parametrize("graine", range(6))
def test_la_sante_de_chaque_paire_est_celle_de_sa_lecture_simple(cast, graine):
    binomes = _monde_au_hasard(random.Random(graine), cast)
    santes = sante_des_binomes(binomes, JOUR)
    actifs = [b for b in binomes if b.statut == StatutBinome.ACTIF]
    assert set(santes) == {b.pk for b in actifs}
    for binome in actifs:
        attendue = _sante_attendue(binome)
        assert (santes[binome.pk].niveau, santes[binome.pk].textes) == (attendue.niveau, attendue.textes), binome
    # The worlds are not all in good health: reasons of several kinds were compared.
    assert len({r.texte.split()[0] for s in santes.values() for r in s.raisons}) >= 3

    # The dashboard's reading of one dispositif says the same, and names each pair as Binome does.
    dispositif = cast.dispositif_a
    du_tableau = sante_des_binomes_du_dispositif(dispositif, JOUR)
    assert sorted((s.binome.pk, str(s.binome), s.niveau, s.textes) for s in du_tableau) == sorted(
        (b.pk, str(b), santes[b.pk].niveau, santes[b.pk].textes) for b in actifs if b.dispositif_id == dispositif.pk
    )


def test_la_sante_de_paires_tres_suivies_se_lit_en_trois_requetes(cast, django_assert_num_queries):
    """However many pairs, séances and notes, three queries: the séances, the notes, the answers."""
    binomes = [BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(60)) for _ in range(3)]
    for binome in binomes:
        for jours in range(1, 50, 4):
            NoteMentorFactory(seance=SeanceFactory(dispositif=binome.dispositif, binome=binome, date=il_y_a(jours)),
                              mentor=binome.mentor)  # fmt: skip
    binomes = list(Binome.objects.filter(pk__in=[b.pk for b in binomes]))
    with django_assert_num_queries(3):
        santes = sante_des_binomes(binomes, JOUR)
    assert len(santes) == 3

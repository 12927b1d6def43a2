"""Pairing scores and the optimal assignment (acceptance 2)."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binomes.appariement import affectation_optimale, score
from binomes.models import Proposition, StatutHonorabilite
from binomes.services import reunion_calculer_propositions
from etablissements.tests.factories import FormationFactory

from .factories import BinomeFactory, EleveFactory, MentorFactory, ReunionAppariementFactory


def brute_force(scores, places):
    """The best total over every assignment: each student to one mentor with a place, or to nobody."""
    n, m = len(scores), len(places)
    meilleur = 0
    for choix in itertools.product(range(-1, m), repeat=n):
        if all(choix.count(j) <= places[j] for j in range(m)):
            meilleur = max(meilleur, sum(scores[i][j] for i, j in enumerate(choix) if j >= 0))
    return meilleur


def verifier(scores, places):
    resultat = affectation_optimale(scores, places)
    eleves = [i for i, _j in resultat]
    assert len(eleves) == len(set(eleves))
    for j, n in enumerate(places):
        assert sum(1 for _i, k in resultat if k == j) <= n
    assert sum(scores[i][j] for i, j in resultat) == brute_force(scores, places)


def test_optimal_contre_force_brute_sur_des_cas_au_hasard():
    hasard = random.Random(20261126)
    for _ in range(300):
        n, m = hasard.randint(1, 5), hasard.randint(1, 3)
        scores = [[hasard.randint(0, 12) for _ in range(m)] for _ in range(n)]
        places = [hasard.randint(0, 3) for _ in range(m)]
        verifier(scores, places)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.integers(1, 3).flatmap(
            lambda m: st.tuples(
                st.lists(st.lists(st.integers(0, 15), min_size=m, max_size=m), min_size=n, max_size=n),
                st.lists(st.integers(0, 3), min_size=m, max_size=m),
            )
        )
    )
)
def test_optimal_contre_force_brute_hypothesis(cas):
    verifier(*cas)


def test_le_glouton_perd_l_optimal_trouve():
    # Greedy would give student 0 to mentor 0 (10) and leave student 1 with 1: total 11 < 9 + 8.
    assert affectation_optimale([[10, 9], [8, 1]], [1, 1]) == [(0, 1), (1, 0)]


def test_raisons_du_score(db):
    formation = FormationFactory(
        specialite="Métiers de l’électricité et de ses environnements connectés", secteur="Électricité"
    )
    eleve = EleveFactory(
        formation=formation, besoin_stage=True, besoin_confiance=True, disponibilites="mercredi après-midi"
    )
    mentor = MentorFactory(
        secteur="électricité",
        metier="Électricienne chef de chantier",
        competences="Recrutement des apprentis, stage, prise de parole",
        disponibilites="Mercredi après-midi et samedi matin",
    )
    resultat = score(eleve, mentor)
    texte = "\n".join(resultat.raisons)
    assert "Besoin « Recherche de stage / PFMP »" in texte
    assert "Besoin « Confiance en soi »" in texte
    assert "Même secteur professionnel : Électricité (+5)" in texte
    assert "Spécialité « Métiers de l’électricité" in texte
    assert "Disponibilités communes : mercredi, mercredi après-midi (+2)" in texte
    assert resultat.points == 3 + 3 + 5 + 2 + 2


def test_score_nul_explique(db):
    resultat = score(EleveFactory(), MentorFactory())
    assert resultat.points == 0 and resultat.raisons == ("Aucun critère commun : proposition faute de mieux (0)",)


@pytest.mark.django_db
def test_propositions_de_la_reunion_respectent_capacites_et_honorabilite(cast):
    lp = cast.lp_a
    electricite = FormationFactory(etablissement=lp, secteur="Électricité")
    commerce = FormationFactory(etablissement=lp, secteur="Commerce")
    elec = MentorFactory(etablissement=lp, verifie=True, secteur="Électricité", capacite=2)
    BinomeFactory(dispositif=cast.dispositif_a, mentor=elec)  # one of its two places is taken
    comm = MentorFactory(etablissement=lp, verifie=True, secteur="Commerce", capacite=1)
    non_verifie = MentorFactory(etablissement=lp, secteur="Électricité", capacite=5)
    refuse = MentorFactory(
        etablissement=lp, secteur="Électricité", capacite=5, honorabilite__statut=StatutHonorabilite.REFUSEE
    )
    eleves = [EleveFactory(etablissement=lp, formation=electricite) for _ in range(2)]
    eleves.append(EleveFactory(etablissement=lp, formation=commerce))
    reunion = ReunionAppariementFactory(dispositif=cast.dispositif_a)
    propositions = reunion_calculer_propositions(
        reunion=reunion, eleves=eleves, mentors=[elec, comm, non_verifie, refuse]
    )
    assert len(propositions) == 2  # one place left with elec, one with comm
    assert {p.mentor for p in propositions} == {elec, comm}
    assert next(p for p in propositions if p.mentor == comm).eleve == eleves[2]
    assert all(p.raisons for p in Proposition.objects.filter(reunion=reunion))

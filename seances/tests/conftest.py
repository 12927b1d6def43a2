"""Fixtures of the seances tests: a binôme of LP A whose mentor is the cast's mentor account."""

import pytest

from binomes.tests.factories import BinomeFactory, MentorFactory
from tests.outils import requetes_constantes


@pytest.fixture
def binome_a(cast):
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True, email="nadia@entreprise.fr")
    return BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)


def pages_constantes(client, url, creer_plus, *_fixtures):
    """The page's query count with one row, then the same count after `creer_plus()` adds rows."""
    return requetes_constantes(client, url, creer_plus)[1]


def donnees(personnes, **seance):
    """POST data: the séance's fields and one attendance row per (key, presence)."""
    data = {
        "type": "collective",
        "date": "2026-11-20",
        "heure": "10:00",
        "duree": "90",
        "lieu": "etablissement",
        "lieu_precision": "Salle B12",
        "statut": "tenue",
        "competences": "",
        "compte_rendu": "Atelier sur les codes de l’entreprise.",
        "p-TOTAL_FORMS": str(len(personnes)),
        "p-INITIAL_FORMS": str(len(personnes)),
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "1000",
    }
    for i, (cle, presence) in enumerate(personnes):
        data[f"p-{i}-personne"] = cle
        data[f"p-{i}-presence"] = presence
    data.update(seance)
    return data

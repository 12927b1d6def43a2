"""Pairing proposals: a score per student–mentor couple, then the best assignment of the group.

The score adds points per criterion and keeps a French reason for each, shown to staff:
- each need of the student found in the mentor's skills, job or career path (3 points);
- the sector of the student's formation equal to the mentor's sector (5 points), the words
  of the speciality found in the mentor's job or sector (2 points);
- availability slots in common (1 point each, at most 3).

The assignment maximises the total score of the whole group (not greedy): the Hungarian
algorithm (`scipy.optimize.linear_sum_assignment`) on a matrix where each mentor appears
once per remaining place. Students beyond the places stay unassigned.
"""

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from .models import MOTS_CLES_BESOINS, Besoin

POINTS_BESOIN = 3
POINTS_SECTEUR = 5
POINTS_SPECIALITE = 2
POINTS_DISPONIBILITE = 1
DISPONIBILITES_MAX = 3

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
MOMENTS = ("matin", "midi", "apres-midi", "soir")
MOTS_VIDES = {"de", "des", "du", "la", "le", "les", "et", "en", "ses", "son", "sa", "a", "aux", "au", "l", "d"}


def _norm(texte: str) -> str:
    # Apostrophes become spaces first: "l’électricité" must give the word "electricite".
    texte = (texte or "").replace("’", " ").replace("'", " ")
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()


def _creneaux(texte: str) -> set[str]:
    """Slots named in a free availability text: days, and day + moment when both are given."""
    texte = _norm(texte).replace("apres midi", "apres-midi")
    jours = [j for j in JOURS if j in texte]
    moments = [m for m in MOMENTS if re.search(rf"(?<![-\w]){re.escape(m)}(?![-\w])", texte)]
    return set(jours) | {f"{j} {m}" for j in jours for m in moments} if jours else set(moments)


@dataclass(frozen=True)
class Score:
    points: int
    raisons: tuple[str, ...]


def score(eleve, mentor) -> Score:
    points, raisons = 0, []
    profil = _norm(" ".join([mentor.competences, mentor.metier, mentor.parcours, mentor.secteur]))
    for code in eleve.besoins:
        mots = [m for m in MOTS_CLES_BESOINS[code] if re.search(rf"\b{re.escape(m)}", profil)]
        if mots:
            points += POINTS_BESOIN
            raisons.append(
                f"Besoin « {Besoin(code).label} » : le profil du mentor mentionne {', '.join(mots)} (+{POINTS_BESOIN})"
            )
    formation = eleve.formation
    if formation is not None:
        if formation.secteur and _norm(formation.secteur).strip() == _norm(mentor.secteur).strip():
            points += POINTS_SECTEUR
            raisons.append(f"Même secteur professionnel : {formation.secteur} (+{POINTS_SECTEUR})")
        mots_specialite = {m for m in re.findall(r"[a-z]{4,}", _norm(formation.specialite)) if m not in MOTS_VIDES}
        metier = _norm(f"{mentor.metier} {mentor.secteur}")
        communs = sorted(m for m in mots_specialite if m[:6] in metier)
        if communs:
            points += POINTS_SPECIALITE
            raisons.append(
                f"Spécialité « {formation.specialite} » proche du métier « {mentor.metier} » (+{POINTS_SPECIALITE})"
            )
    communs = sorted(_creneaux(eleve.disponibilites) & _creneaux(mentor.disponibilites))
    if communs:
        gain = min(len(communs), DISPONIBILITES_MAX) * POINTS_DISPONIBILITE
        points += gain
        lisibles = ", ".join(communs).replace("apres-midi", "après-midi")
        raisons.append(f"Disponibilités communes : {lisibles} (+{gain})")
    if not raisons:
        raisons.append("Aucun critère commun : proposition faute de mieux (0)")
    return Score(points, tuple(raisons))


def affectation_optimale(scores: list[list[int]], places: list[int]) -> list[tuple[int, int]]:
    """Best assignment of students (rows) to mentors (columns) under each mentor's places.

    Returns (student index, mentor index) pairs maximising the sum of `scores`; each
    student gets at most one mentor, mentor j at most places[j] students.
    """
    colonnes = [j for j, n in enumerate(places) for _ in range(max(n, 0))]
    if not scores or not colonnes:
        return []
    matrice = np.array([[ligne[j] for j in colonnes] for ligne in scores], dtype=float)
    lignes, cols = linear_sum_assignment(matrice, maximize=True)
    return sorted((int(i), colonnes[c]) for i, c in zip(lignes, cols, strict=True))

"""Opening next year's dispositif: from when, and what a higher app hands down to its cadrage.

The year-end review (bilans, above this app) decides improvements for next year; they are
carried into next year's cadrage draft as objectives to follow. This app cannot read the
review, so the review registers a source here (as the frise's derivations do) and hands the
improvements down as text.
"""

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from .models.dispositif import annee_scolaire_courante

# Next year is prepared at the end of this one: the year-end meeting is held in June
# (the sheet's timeline), so the next school year may be opened from 1 June.
MOIS_OUVERTURE_ANNEE_SUIVANTE = 6

Source = Callable[[object], list[str]]
_SOURCES: list[Source] = []


def annees_ouvertes(jour: date | None = None) -> list[int]:
    """The school years a dispositif may be created for on `jour`: this one, and from June the next."""
    jour = jour or timezone.localdate()
    courante = annee_scolaire_courante(jour)
    if jour.month >= MOIS_OUVERTURE_ANNEE_SUIVANTE and jour.month < 9:
        return [courante, courante + 1]
    return [courante]


def enregistrer_source_ameliorations(fonction: Source) -> None:
    """Register `fonction(dispositif) -> list of improvements in words` (idempotent)."""
    if fonction not in _SOURCES:
        _SOURCES.append(fonction)


def ameliorations(dispositif) -> list[str]:
    """The improvements decided for the year after `dispositif`, from every registered source."""
    return [texte for source in _SOURCES for texte in source(dispositif) if texte.strip()]


def objectifs_avec_ameliorations(objectifs: str, precedent, lignes: list[str]) -> str:
    """`objectifs` followed by the previous year's improvements, as objectives to follow."""
    if not lignes:
        return objectifs
    bloc = "\n".join(
        [f"Améliorations décidées au bilan {precedent.annee_scolaire}, objectifs à suivre :"]
        + [f"- {ligne.strip()}" for ligne in lignes]
    )
    return f"{objectifs.rstrip()}\n\n{bloc}" if objectifs.strip() else bloc

"""Warnings, never errors, when a séance is planned on a day without classes for its students.

A séance may well be held in the holidays or during a PFMP (at the company, by video…): the
coordinator is told, not stopped.
"""

from datetime import date

from etablissements.calendrier import PFMP, Calendrier

from .models import StatutSeance


def avertissements_calendrier(*, jour: date | None, etablissement, eleves, statut: str = "") -> list[str]:
    """French warnings for a séance of `etablissement` on `jour` with `eleves` (two queries at most).

    One for the day itself (weekend, public holiday, holidays of the zone), one per student
    whose class is in a PFMP that day. A cancelled séance warns of nothing.
    """
    if jour is None or statut == StatutSeance.ANNULEE:
        return []
    calendrier = Calendrier.pour(etablissement)
    messages = []
    motif = calendrier.motif(jour)
    if motif:
        messages.append(f"Le {jour:%d/%m/%Y} tombe un jour sans cours au lycée : {motif[1]}.")
    for eleve in eleves:
        motif_eleve = calendrier.motif(jour, eleve.classe)
        if motif_eleve and motif_eleve[0] == PFMP and motif_eleve != motif:
            messages.append(f"{eleve} est en entreprise ce jour-là : {motif_eleve[1]}.")
    return messages

"""Passage à l'année suivante: which of last year's binômes continue, which end with the year.

A CAP lasts two years and a bac pro three, so a pair may span school years. When the LP
opens next year's dispositif, each living binôme of the previous year is read against the
new year's SIECLE import: a student the import lists again is still in the LP and the pair
is proposed for renewal (with the mentor's and the student's agreement); a student who left,
or finished the last year of the cursus, ends the pair with the year.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from etablissements.models import Dispositif

from . import services
from .evenements import ecrits_en_masse
from .models import STATUTS_VIVANTS, Binome, ImportSiecle, StatutBinome

# Libellés of the year in the cursus, by the cursus' length (read from the MEF code).
LIBELLES_NIVEAU = {
    2: ("CAP 1re année", "CAP 2e année"),
    3: ("2de bac pro", "1re bac pro", "Tle bac pro"),
}


def niveau(code_mef: str) -> tuple[int, int] | None:
    """(year in the cursus, cursus length) from a SIECLE MEF code, or None when unreadable.

    The 11-character MEF code carries the cursus length at its 9th character and the
    year within it at its 10th (24723006310: bac pro in 3 years, 1st year, i.e. 2de).
    """
    code = (code_mef or "").strip()
    if len(code) != 11 or not code[8:10].isdigit():
        return None
    duree, rang = int(code[8]), int(code[9])
    if not 1 <= rang <= duree:
        return None
    return rang, duree


def libelle_niveau(code_mef: str, classe: str = "") -> str:
    lu = niveau(code_mef)
    if lu is None:
        return classe or "—"
    rang, duree = lu
    libelles = LIBELLES_NIVEAU.get(duree)
    return libelles[rang - 1] if libelles else f"{rang}e année sur {duree}"


def derniere_annee(code_mef: str, classe: str = "") -> bool:
    """Whether the student is in the last year of the cursus (CAP 2e année, Tle bac pro)."""
    lu = niveau(code_mef)
    if lu is not None:
        return lu[0] == lu[1]
    # Without a readable MEF code, the division's name says "terminale" by its first letter.
    return (classe or "").strip().upper().startswith("T")


class Issue:
    RECONDUIRE = "reconduire"
    SORTANT = "sortant"
    EN_ATTENTE = "en_attente"


@dataclass
class Passage:
    """One of last year's living binômes, and what the year change does with it."""

    binome: Binome
    issue: str
    raison: str

    @property
    def niveau(self) -> str:
        return libelle_niveau(self.binome.eleve.code_mef, self.binome.eleve.classe)


# Classes end in early July: leavers' pairs are ended from then on, never while séances may still be held.
FIN_DES_COURS = (7, 1)


def fin_des_cours(precedent: Dispositif) -> date:
    """The day from which last year's leavers' pairs may be ended (1 July of the year's end)."""
    return date(precedent.annee + 1, *FIN_DES_COURS)


def dispositif_precedent(dispositif: Dispositif) -> Dispositif | None:
    return Dispositif.objects.filter(etablissement_id=dispositif.etablissement_id, annee=dispositif.annee - 1).first()


def import_applique(dispositif: Dispositif) -> bool:
    """Whether the LP applied the SIECLE import of `dispositif`'s school year."""
    return ImportSiecle.objects.filter(
        etablissement_id=dispositif.etablissement_id, annee=dispositif.annee, applique_le__isnull=False
    ).exists()


def _issue(binome: Binome, annee: int, importe: bool) -> tuple[str, str]:
    eleve = binome.eleve
    if eleve.date_sortie:
        return Issue.SORTANT, f"élève sorti du lycée le {eleve.date_sortie:%d/%m/%Y}"
    if eleve.annee_siecle is not None and eleve.annee_siecle >= annee:
        if binome.statut == StatutBinome.PROPOSE:
            # Renewal continues a pair under way; one never started is simply proposed again this year.
            return Issue.SORTANT, "binôme proposé qui n’a jamais commencé"
        return Issue.RECONDUIRE, f"élève inscrit en {annee}-{annee + 1}"
    if derniere_annee(eleve.code_mef, eleve.classe):
        return Issue.SORTANT, "élève en dernière année du cursus (CAP 2e année ou terminale)"
    if importe:
        return Issue.SORTANT, f"élève absent de l’import SIECLE {annee}-{annee + 1}"
    return Issue.EN_ATTENTE, f"en attente de l’import SIECLE {annee}-{annee + 1}"


def passages(dispositif: Dispositif) -> list[Passage]:
    """Last year's living binômes with their outcome in `dispositif` (next year), in three queries."""
    precedent = dispositif_precedent(dispositif)
    if precedent is None:
        return []
    importe = import_applique(dispositif)
    binomes = (
        Binome.objects.filter(dispositif=precedent, statut__in=STATUTS_VIVANTS)
        .select_related("mentor", "eleve")
        .order_by("eleve__nom", "eleve__prenom", "pk")
    )
    return [Passage(b, *_issue(b, dispositif.annee, importe)) for b in binomes]


def _dispositif_suivant(binome: Binome) -> Dispositif:
    suivant = Dispositif.objects.filter(
        etablissement_id=binome.dispositif.etablissement_id, annee=binome.dispositif.annee + 1
    ).first()
    if suivant is None:
        raise ValidationError(
            f"Ouvrez d’abord le dispositif {binome.dispositif.annee + 1}-{binome.dispositif.annee + 2}."
        )
    return suivant


def _accord(valeur: date | None, qui: str, aujourd_hui: date) -> date:
    if valeur is None:
        raise ValidationError(f"La reconduction demande l’accord {qui} : indiquez sa date.")
    if valeur > aujourd_hui:
        raise ValidationError(f"La date de l’accord {qui} ne peut pas être dans le futur.")
    return valeur


@transaction.atomic
def binome_reconduire(*, binome: Binome, accord_mentor_le: date | None, accord_eleve_le: date | None, par) -> Binome:
    """Renew last year's pair into next year's dispositif, with both agreements recorded.

    The previous binôme ends with its school year ("reconduit") and the new one, linked to it
    by `precedent`, starts active in the new dispositif: same mentor, same student, no
    objectives carried (they are chosen again with the student).
    """
    binome = Binome.objects.select_for_update().select_related("dispositif", "eleve", "mentor").get(pk=binome.pk)
    aujourd_hui = timezone.localdate()
    accord_mentor_le = _accord(accord_mentor_le, "du mentor", aujourd_hui)
    accord_eleve_le = _accord(accord_eleve_le, "de l’élève", aujourd_hui)
    if binome.statut not in (StatutBinome.ACTIF, StatutBinome.SUSPENDU):
        raise ValidationError("Seul un binôme actif ou suspendu peut être reconduit.")
    nouveau = _dispositif_suivant(binome)
    issue, raison = _issue(binome, nouveau.annee, import_applique(nouveau))
    if issue != Issue.RECONDUIRE:
        raise ValidationError(f"{binome.eleve} ne peut pas être reconduit : {raison}.")
    raison = services.raison_inapte(binome.mentor, ignorer=binome)
    if raison:
        raise ValidationError(raison)
    services.binome_terminer(
        binome=binome, par=par, le=binome.dispositif.date_fin, motif=f"Reconduit en {nouveau.annee_scolaire}"
    )
    return Binome.objects.create(
        dispositif=nouveau,
        mentor=binome.mentor,
        eleve=binome.eleve,
        statut=StatutBinome.ACTIF,
        date_debut=max(aujourd_hui, nouveau.date_debut),
        precedent=binome,
        accord_mentor_le=accord_mentor_le,
        accord_eleve_le=accord_eleve_le,
    )


@transaction.atomic
def binomes_sortants_terminer(*, dispositif: Dispositif, par) -> int:
    """End with last year the pairs of the students who leave; answers how many ended.

    A pair that was under way is "terminé"; one only proposed never started and is "rompu".
    Both end on the last day of the previous school year, the reason in words.
    """
    precedent = dispositif_precedent(dispositif)
    if precedent is not None and timezone.localdate() < fin_des_cours(precedent):
        raise ValidationError(
            f"Les binômes des élèves sortants se terminent avec l’année, à partir du "
            f"{fin_des_cours(precedent):%d/%m/%Y} : des séances peuvent encore se tenir d’ici là."
        )
    sortants = [p for p in passages(dispositif) if p.issue == Issue.SORTANT]
    for passage in sortants:
        binome = passage.binome
        binome.statut = StatutBinome.ROMPU if binome.statut == StatutBinome.PROPOSE else StatutBinome.TERMINE
        binome.date_fin = binome.dispositif.date_fin
        binome.motif_fin = f"Fin de l’année scolaire : {passage.raison}"[:255]
        binome.fin_saisie_par = par
    # One UPDATE for every leaver, not one per pair.
    Binome.objects.bulk_update(
        [p.binome for p in sortants], ["statut", "date_fin", "motif_fin", "fin_saisie_par"], batch_size=500
    )
    ecrits_en_masse.send(sender=Binome, etablissement_id=dispositif.etablissement_id)
    return len(sortants)


def lignee(binome: Binome) -> list[Binome]:
    """The pair across school years, oldest first: its renewals before and after `binome`."""
    avant, courant = [], binome
    while courant.precedent_id:
        courant = Binome.objects.select_related("dispositif", "mentor", "eleve").get(pk=courant.precedent_id)
        avant.append(courant)
    apres, courant = [], binome
    while (suivant := Binome.objects.select_related("dispositif").filter(precedent=courant).first()) is not None:
        apres.append(suivant)
        courant = suivant
    return [*reversed(avant), binome, *apres]

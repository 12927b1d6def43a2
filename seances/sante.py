"""The health of each binôme: « bonne », « à surveiller » or « en risque », with its reasons in words.

Computed from the data, never stored: attendance at the pair's held séances, the time since the
last of them, the mentor's latest note and the student's latest answers. The rules are the
constants below; the README repeats them for the référents. The daily alert job
(`seances.alertes`) remembers only when a pair entered « en risque », to warn the référent once.

Only the référent reads a pair's health (`ROLES_SANTE`): its reasons repeat the student's answers,
which no one else reads.
"""

import functools
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from binomes.encarts import Encart
from binomes.models import Binome, StatutBinome
from etablissements.scoping import a_un_role
from socle.formats import compte
from socle.requetes import RequeteCompilee

from .models import (
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


class Niveau(models.TextChoices):
    BONNE = "bonne", "Bonne"
    A_SURVEILLER = "a_surveiller", "À surveiller"
    EN_RISQUE = "en_risque", "En risque"


_RANG = {Niveau.BONNE: 0, Niveau.A_SURVEILLER: 1, Niveau.EN_RISQUE: 2}

# Who reads a pair's health: the reasons repeat the student's answers (AvisEleve), read by the référent only.
ROLES_SANTE = AvisEleve.ROLES_LECTURE

SEMAINES_A_SURVEILLER = 4
"""Weeks without a held séance after which a pair is « à surveiller ».

The ministry's sheet asks for at least one séance a month: four full weeks without one is a month missed.
"""

SEMAINES_EN_RISQUE = 6
"""Weeks without a held séance after which a pair is « en risque ».

Six weeks is a month and a half: the monthly séance was missed and the next one is late too; the
relationship is fading, and the référent should call both sides before it ends by itself.
"""

DERNIERES_SEANCES = 3
"""How many of the pair's last held séances the attendance rule reads.

Three séances is about a term: recent enough to show a change, long enough not to turn a single
absence into a pattern.
"""

ABSENCES_EN_RISQUE = 2
"""Unexcused absences of the student among the last séances that put the pair « en risque ».

Two absences out of three: the student misses more séances than they attend (the daily alerts already
treat two unexcused absences a year as worth an interview).
"""

ABSENCES_A_SURVEILLER = 1
"""One unexcused absence among the last séances: « à surveiller », worth a word with the student."""

SIGNAUX_EN_RISQUE = 3
"""Reasons « à surveiller » that, together, put the pair « en risque ».

Each signal alone is mild (a late séance, a doubtful answer, a call for help); three at once mean the
pair is drifting on several sides.
"""


# What the pages naming the student, other than the binôme page, say instead of a reason drawn from the
# student's answers: the answers appear on the binôme page only (issue 15, acceptance 2).
RENVOI_AVIS = "Les réponses de l’élève appellent l’attention (voir la page du binôme)"


@dataclass(frozen=True)
class Raison:
    niveau: str
    texte: str
    # Drawn from the student's answers: shown on the binôme page only.
    de_l_eleve: bool = False


@dataclass
class Sante:
    """The health of one binôme on one day: its level follows from its reasons."""

    binome: "Paire"
    raisons: list[Raison] = field(default_factory=list)

    @property
    def niveau(self) -> str:
        niveau = max((r.niveau for r in self.raisons), key=_RANG.__getitem__, default=Niveau.BONNE)
        if niveau == Niveau.A_SURVEILLER and len(self.raisons) >= SIGNAUX_EN_RISQUE:
            return Niveau.EN_RISQUE
        return niveau

    @property
    def libelle(self) -> str:
        return Niveau(self.niveau).label

    @property
    def en_risque(self) -> bool:
        return self.niveau == Niveau.EN_RISQUE

    @property
    def textes(self) -> list[str]:
        """The reasons in words, the most serious first, for the binôme page."""
        return self._textes(avec_avis=True)

    @property
    def textes_hors_avis(self) -> list[str]:
        """The reasons for the other pages naming the student (dashboard, alerts): those drawn from the
        student's answers give way to one pointer to the binôme page."""
        return self._textes(avec_avis=False)

    def _textes(self, *, avec_avis) -> list[str]:
        tries = sorted(self.raisons, key=lambda r: -_RANG[r.niveau])
        textes = [r.texte for r in tries if avec_avis or not r.de_l_eleve]
        if not avec_avis and any(r.de_l_eleve for r in tries):
            textes.append(RENVOI_AVIS)
        # The escalation rule says itself when it applies.
        if self.en_risque and all(r.niveau == Niveau.A_SURVEILLER for r in tries):
            textes.append(f"{compte(len(tries), 'signal', 'signaux')} à surveiller en même temps")
        return textes


def semaines_sans_seance(depuis: date, jour: date, *, binome: "Paire") -> int:
    """Full weeks of inactivity between `depuis` (the last séance held, or the pair's start) and `jour`.

    The only place where inactivity is measured: the school calendar may count school weeks only
    (holidays and work placements excluded) by replacing this function; `binome` (a Binome, or the
    dashboard's `PaireDuTableau`: its `dispositif_id` in both) tells which LP's calendar applies.
    """
    return max((jour - depuis).days, 0) // 7


def peut_lire_sante(user, etablissement_id) -> bool:
    """Whether the user reads the health of the LP's binômes (and the students' answers)."""
    return a_un_role(user, etablissement_id, ROLES_SANTE)


@dataclass(slots=True)
class _SeanceDuBinome:
    """One of the pair's last held séances, as the attendance and inactivity rules read it."""

    date: date
    presence_eleve: str


# What the health reads of a participation: whose (a student's or a mentor's), which séance, and
# that séance's dispositif, date and status, and the attendance.
_CHAMPS_PARTICIPATION = (
    "eleve_id", "mentor_id", "seance_id", "seance__dispositif_id", "seance__date", "seance__statut", "presence",
)  # fmt: skip


def _participations(binomes: list["Paire"], jour: date):
    """The participations of the pairs' students and mentors at séances of their dispositifs up to
    `jour`, as `_CHAMPS_PARTICIPATION` rows, in one query whatever the number of pairs.

    The participations of the pairs' students and of their mentors are read together (PostgreSQL walks
    the dispositifs' séances in their index and filters each one's participations, as it did for each
    of the two queries this replaced, issue 18); `_seances_par_binome` tells them apart."""
    return Participation.objects.filter(
        models.Q(eleve_id__in={b.eleve_id for b in binomes}) | models.Q(mentor_id__in={b.mentor_id for b in binomes}),
        seance__dispositif_id__in={b.dispositif_id for b in binomes},
        seance__date__lte=jour,
    ).values_list(*_CHAMPS_PARTICIPATION)


def _seances_par_binome(binomes: list["Paire"], participations) -> dict[int, tuple[set[int], list[_SeanceDuBinome]]]:
    """{pair id: (the ids of its séances, its last DERNIERES_SEANCES held ones, newest first)}, from the
    `_CHAMPS_PARTICIPATION` rows of its student and its mentor up to the day.

    A séance of the pair is one of its dispositif, from its start, where both its student and its mentor
    are expected (an individual séance, or a collective one they both attend). A dispositif's year holds
    thousands of participations, recomputed after each write: they stay tuples, and only the last held
    séances of each pair are picked (date, then séance: the newest) and made records.
    """
    eleves = defaultdict(list)
    mentors = defaultdict(set)
    for eleve_id, mentor_id, seance_id, dispositif_id, jour_seance, statut, presence in participations:
        if eleve_id is not None:
            eleves[eleve_id].append((jour_seance, seance_id, dispositif_id, statut, presence))
        else:
            mentors[mentor_id].add(seance_id)
    resultat = {}
    for b in binomes:
        dispositif_id, du_mentor, debut = b.dispositif_id, mentors[b.mentor_id], b.date_debut
        lignes = [
            ligne
            for ligne in eleves[b.eleve_id]
            if ligne[2] == dispositif_id and ligne[1] in du_mentor and (debut is None or ligne[0] >= debut)
        ]
        # (date, séance id) is unique for a student: the largest are the newest.
        tenues = heapq.nlargest(DERNIERES_SEANCES, (ligne for ligne in lignes if ligne[3] == StatutSeance.TENUE))
        resultat[b.pk] = (
            {ligne[1] for ligne in lignes},
            [_SeanceDuBinome(jour_seance, presence) for jour_seance, _, _, _, presence in tenues],
        )
    return resultat


def _raisons_inactivite(binome, tenues, jour) -> list[Raison]:
    depuis = tenues[0].date if tenues else binome.date_debut
    if depuis is None:
        return []
    semaines = semaines_sans_seance(depuis, jour, binome=binome)
    if semaines < SEMAINES_A_SURVEILLER:
        return []
    niveau = Niveau.EN_RISQUE if semaines >= SEMAINES_EN_RISQUE else Niveau.A_SURVEILLER
    if tenues:
        return [Raison(niveau, f"Aucune séance tenue depuis {semaines} semaines")]
    return [Raison(niveau, f"Aucune séance tenue depuis le début du binôme, il y a {semaines} semaines")]


def _raisons_absences(tenues) -> list[Raison]:
    dernieres = tenues[:DERNIERES_SEANCES]
    absences = sum(s.presence_eleve == Presence.ABSENT_NON_EXCUSE for s in dernieres)
    if absences < ABSENCES_A_SURVEILLER:
        return []
    niveau = Niveau.EN_RISQUE if absences >= ABSENCES_EN_RISQUE else Niveau.A_SURVEILLER
    sur = "sur la dernière séance" if len(dernieres) == 1 else f"sur les {len(dernieres)} dernières séances"
    return [Raison(niveau, f"{compte(absences, 'absence non excusée', 'absences non excusées')} {sur}")]


def _raisons_note(note) -> list[Raison]:
    """The flags of the mentor's latest note; those the référent marked as handled no longer count."""
    if note is None:
        return []
    raisons = []
    if not note.a_eu_lieu:
        raisons.append(Raison(Niveau.A_SURVEILLER, "Selon le mentor, la dernière séance n’a pas eu lieu"))
    if note.besoin_traite_le is None:
        if note.difficulte_eleve:
            raisons.append(Raison(Niveau.EN_RISQUE, "Le mentor signale une difficulté avec l’élève"))
        if note.besoin_aide_referent:
            raisons.append(Raison(Niveau.A_SURVEILLER, "Le mentor demande l’aide du référent"))
        if note.absence_non_prevenue:
            raisons.append(Raison(Niveau.A_SURVEILLER, "Le mentor signale une absence non prévenue"))
    return raisons


def _raisons_avis(avis) -> list[Raison]:
    """The student's latest answers: a newer answer replaces an older one."""
    if avis is None:
        return []
    raisons = []
    if avis.continuer == Continuer.NON:
        raisons.append(Raison(Niveau.EN_RISQUE, "L’élève ne souhaite pas continuer", de_l_eleve=True))
    elif avis.continuer == Continuer.NE_SAIS_PAS:
        raisons.append(Raison(Niveau.A_SURVEILLER, "L’élève ne sait pas s’il souhaite continuer", de_l_eleve=True))
    if avis.ressenti == Ressenti.MAL:
        raisons.append(
            Raison(Niveau.A_SURVEILLER, "L’élève dit que la dernière séance s’est mal passée", de_l_eleve=True)
        )
    if avis.utilite == Utilite.PAS_UTILE:
        raisons.append(Raison(Niveau.A_SURVEILLER, "L’élève juge la dernière séance inutile", de_l_eleve=True))
    return raisons


# What the health reads of a mentor's note (not its texts: a dispositif has hundreds of notes).
_CHAMPS_NOTE = (
    "mentor_id", "seance_id", "a_eu_lieu", "besoin_traite_le", "difficulte_eleve", "besoin_aide_referent",
    "absence_non_prevenue",
)  # fmt: skip


class _Note(NamedTuple):
    """A mentor's note as the health reads it (`_CHAMPS_NOTE`)."""

    mentor_id: int
    seance_id: int
    a_eu_lieu: bool
    besoin_traite_le: datetime | None
    difficulte_eleve: bool
    besoin_aide_referent: bool
    absence_non_prevenue: bool


def _notes(binomes: list["Paire"]):
    """The notes of the pairs' mentors on séances of their dispositifs, newest written first."""
    return (
        NoteMentor.objects.filter(
            mentor_id__in={b.mentor_id for b in binomes}, seance__dispositif_id__in={b.dispositif_id for b in binomes}
        )
        .order_by("-ecrite_le", "-pk")
        .values_list(*_CHAMPS_NOTE)
    )


@dataclass(frozen=True, slots=True)
class _Avis:
    """What the health reads of a student's latest answers."""

    continuer: str
    ressenti: str
    utilite: str


_CHAMPS_AVIS = ("continuer", "ressenti", "utilite")


def avec_le_dernier_avis(binomes: models.QuerySet) -> models.QuerySet:
    """`binomes` annotated with their student's latest answers (`avis_*`, None without any): given
    to `sante_des_binomes`, they spare it the query of the answers."""
    dernier = AvisEleve.objects.filter(binome=OuterRef("pk")).order_by("-recu_le", "-pk")
    return binomes.annotate(**{f"avis_{champ}": Subquery(dernier.values(champ)[:1]) for champ in _CHAMPS_AVIS})


def _derniers_avis(binomes: list["Paire"]) -> dict[int, _Avis]:
    if all(hasattr(b, "avis_continuer") for b in binomes):
        # Read with the pairs (`avec_le_dernier_avis`): an answer always says whether to go on.
        return {
            b.pk: _Avis(*(getattr(b, f"avis_{champ}") for champ in _CHAMPS_AVIS))
            for b in binomes
            if b.avis_continuer is not None
        }
    dernier_avis = AvisEleve.objects.filter(
        binome_id__in=[b.pk for b in binomes],
        pk=Subquery(AvisEleve.objects.filter(binome=OuterRef("binome")).order_by("-recu_le", "-pk").values("pk")[:1]),
    )
    return {a.binome_id: a for a in dernier_avis.only("binome_id", *_CHAMPS_AVIS)}


def sante_des_binomes(binomes: Iterable["Paire"], jour: date | None = None) -> dict[int, Sante]:
    """{binôme id: Sante} of the active binômes among `binomes`, on `jour`, in three queries (two when
    the pairs were read with `avec_le_dernier_avis`).

    Dashboards list many pairs: the séances, the notes and the answers of all of them are read at
    once (one query for the séances, one for the notes, one for the latest answers), then matched
    to each pair in memory. Pairs that are not active (proposed, suspended, ended) have no health.
    """
    jour = jour or timezone.localdate()
    binomes = [b for b in binomes if b.statut == StatutBinome.ACTIF]
    if not binomes:
        return {}
    return _evaluer(binomes, _participations(binomes, jour), _notes(binomes), _derniers_avis(binomes), jour)


def _evaluer(binomes: list["Paire"], participations, notes, avis: dict, jour: date) -> dict[int, Sante]:
    """The health of the active `binomes` from the rows read for them: their students' and mentors'
    participations (`_CHAMPS_PARTICIPATION`), their mentors' notes newest first (`_CHAMPS_NOTE`), their
    students' latest answers by pair."""
    seances = _seances_par_binome(binomes, participations)
    par_mentor = defaultdict(list)
    for note in notes:
        note = _Note(*note)
        par_mentor[note.mentor_id].append(note)
    resultat = {}
    for b in binomes:
        siennes, tenues = seances[b.pk]
        note = next((n for n in par_mentor[b.mentor_id] if n.seance_id in siennes), None)
        resultat[b.pk] = Sante(
            b,
            _raisons_inactivite(b, tenues, jour)
            + _raisons_absences(tenues)
            + _raisons_note(note)
            + _raisons_avis(avis.get(b.pk)),
        )
    return resultat


def seances_tenues_du_binome(**filtres):
    """For a subquery on Binome rows: the held séances (matching `filtres`) where the outer pair's
    student and mentor were both expected (two joins of the participations: one each)."""
    return Seance.objects.filter(statut=StatutSeance.TENUE, participations__eleve=OuterRef("eleve"), **filtres).filter(
        participations__mentor=OuterRef("mentor")
    )


def peut_etre_en_risque(jour: date) -> models.Q:
    """A condition on Binome that every pair « en risque » on `jour` meets: a superset, written in
    SQL, of the pairs `sante_des_binomes` finds at risk.

    The daily job computes the health of the country's active pairs: in Python, ≈ 0.4 ms a pair
    (its séances, notes and answers read and matched), i.e. minutes at national scale (issue 18).
    It computes it only for the pairs that meet this condition. A pair is at risk through a reason
    « en risque », or through SIGNAUX_EN_RISQUE reasons « à surveiller » at once, which come from
    different families (each family gives at most one): each clause below covers one family, loosely,
    and the absences' one only from ABSENCES_EN_RISQUE on, since a single absence is at risk only
    beside a reason of another family, whose clause selects the pair.
    - inactivity: no séance of the pair (its dispositif, both people expected, from its start)
      held in the last SEMAINES_A_SURVEILLER weeks;
    - absences: ABSENCES_EN_RISQUE unexcused absences of the student at held séances of the dispositif;
    - the mentor's notes: a note of the mentor on a séance of the dispositif that says the séance
      did not take place, or flags a need not yet handled;
    - the student's answers: an answer that is not all good.
    A rule added to `sante_des_binomes` needs its clause here: seances/tests/test_sante_prefiltre.py
    checks on random pairs that every pair at risk is selected.
    """
    recente = seances_tenues_du_binome(
        dispositif=OuterRef("dispositif"),
        date__gt=jour - timedelta(days=7 * SEMAINES_A_SURVEILLER),
        date__lte=jour,
        date__gte=OuterRef("date_debut"),
    )
    absences = (
        Participation.objects.filter(
            eleve=OuterRef("eleve"),
            presence=Presence.ABSENT_NON_EXCUSE,
            seance__dispositif=OuterRef("dispositif"),
            seance__statut=StatutSeance.TENUE,
        )
        .order_by()
        .values("eleve")
        .annotate(nombre=models.Count("pk"))
        .filter(nombre__gte=ABSENCES_EN_RISQUE)
    )
    note = NoteMentor.objects.filter(mentor=OuterRef("mentor"), seance__dispositif=OuterRef("dispositif")).filter(
        models.Q(a_eu_lieu=False)
        | models.Q(besoin_traite_le__isnull=True)
        & (models.Q(difficulte_eleve=True) | models.Q(besoin_aide_referent=True) | models.Q(absence_non_prevenue=True))
    )
    avis = AvisEleve.objects.filter(binome=OuterRef("pk")).filter(
        models.Q(continuer__in=[Continuer.NON, Continuer.NE_SAIS_PAS])
        | models.Q(ressenti=Ressenti.MAL)
        | models.Q(utilite=Utilite.PAS_UTILE)
    )
    # Four sets of pairs, each selected by its own subquery that PostgreSQL computes once for all
    # pairs (an anti-join, semi-joins, then hashed): the same condition written as four EXISTS on
    # each row was evaluated pair by pair (1.8 s for 18,000 active pairs at 120 LPs).
    actifs = Binome.objects.filter(statut=StatutBinome.ACTIF).values("pk")
    return (
        models.Q(pk__in=actifs.exclude(models.Exists(recente)))
        | models.Q(pk__in=actifs.filter(models.Exists(absences)))
        | models.Q(pk__in=actifs.filter(models.Exists(note)))
        | models.Q(pk__in=actifs.filter(models.Exists(avis)))
    )


@dataclass(frozen=True, slots=True)
class PaireDuTableau:
    """What the dashboard reads of an active pair: the fields the rules read, its student's latest
    answers (`avec_le_dernier_avis`) and the names it shows — read as values, not as a Binome with its
    mentor and student: 150 pairs a dispositif, recomputed after each write in the LP, cost the
    référent's dashboard ≈ 7 ms of CPU as model instances (issue 18)."""

    pk: int
    statut: str
    dispositif_id: int
    eleve_id: int
    mentor_id: int
    date_debut: date | None
    mentor_prenom: str
    mentor_nom: str
    eleve_prenom: str
    eleve_nom: str
    avis_continuer: str | None
    avis_ressenti: str | None
    avis_utilite: str | None

    def __str__(self):
        # As Binome.__str__, from the names of the mentor and the student.
        return f"{self.mentor_prenom} {self.mentor_nom} – {self.eleve_prenom} {self.eleve_nom}"


# What the rules read a pair from: a Binome, or the dashboard's record of one.
Paire = Binome | PaireDuTableau

# PaireDuTableau's fields, in its order, as lookups from Binome.
_CHAMPS_PAIRE = (
    "pk", "statut", "dispositif_id", "eleve_id", "mentor_id", "date_debut", "mentor__prenom", "mentor__nom",
    "eleve__prenom", "eleve__nom", "avis_continuer", "avis_ressenti", "avis_utilite",
)  # fmt: skip


# The dashboard's three readings of one dispositif, compiled once per connection (socle.requetes): the
# référent's dashboard computes them again after each write in the LP, and building and compiling
# them cost ≈ a third of the computation on the slow machines of the load test (issue 18). The
# participations and notes are those of the dispositif's séances, whoever they are about: nearly all
# are its active pairs' people anyway, and the matching in memory skips the others. (Selecting the
# pairs' people in SQL, by a subquery, made PostgreSQL scan every participation of the base: 214 ms.)
_PAIRES_DU_TABLEAU = RequeteCompilee(
    lambda dispositif_id: avec_le_dernier_avis(
        Binome.objects.filter(dispositif_id=dispositif_id, statut=StatutBinome.ACTIF)
    ).values_list(*_CHAMPS_PAIRE),
    int,
)
_NOTES_DU_TABLEAU = RequeteCompilee(
    lambda dispositif_id: (
        NoteMentor.objects.filter(seance__dispositif_id=dispositif_id)
        .order_by("-ecrite_le", "-pk")
        .values_list(*_CHAMPS_NOTE)
    ),
    int,
)


@functools.lru_cache(maxsize=2)
def _participations_du_tableau(jour: date) -> RequeteCompilee:
    """The participations the dashboard reads on `jour` (the day is a constant of the SQL)."""
    return RequeteCompilee(
        lambda dispositif_id: Participation.objects.filter(
            seance__dispositif_id=dispositif_id, seance__date__lte=jour
        ).values_list(*_CHAMPS_PARTICIPATION),
        int,
    )


def sante_des_binomes_du_dispositif(dispositif, jour: date | None = None) -> list[Sante]:
    """The health of the dispositif's active binômes, the most worrying first, in three queries (the
    pairs with their latest answers, their séances, the mentors' notes), each compiled once per
    connection; each `Sante.binome` is a `PaireDuTableau`. The same health as `sante_des_binomes`
    (seances/tests/test_sante_lecture.py compares both with a plain reading)."""
    jour = jour or timezone.localdate()
    pk = dispositif.pk
    paires = [PaireDuTableau(*paire) for paire in _PAIRES_DU_TABLEAU.lignes(pk)]
    if not paires:
        return []
    participations = _participations_du_tableau(jour).lignes(pk)
    santes = _evaluer(paires, participations, _NOTES_DU_TABLEAU.lignes(pk), _derniers_avis(paires), jour)
    return sorted(santes.values(), key=lambda s: (-_RANG[s.niveau], str(s.binome)))


# The student's latest answers shown on the binôme page; the older ones stay in the database.
AVIS_AFFICHES = 10


def encart_sante(user, binome) -> Encart | None:
    """The binôme page's section (registered in `SeancesConfig.ready`): the pair's health and the
    student's answers, for the référent only — the one page naming the student where they appear."""
    if not peut_lire_sante(user, binome.eleve.etablissement_id):
        return None
    avis = list(AvisEleve.objects.for_user(user).filter(binome=binome)[:AVIS_AFFICHES])
    return Encart("seances/_sante_binome.html", {"sante": sante_des_binomes([binome]).get(binome.pk), "avis": avis})

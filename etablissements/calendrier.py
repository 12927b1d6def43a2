"""The school calendar of an LP: school days, school weeks, and why a day is not one.

A day is a school day for a student when it is not a weekend, not in the school holidays
of the LP's zone (official dates from the package vacances-scolaires-france, zones A, B
and C up to 2028), not a public holiday (package holidays, with the Alsace-Moselle and
overseas days chosen from the LP's postcode), and not in a PFMP of the student's class.

Where the official dates are unknown (Corse and overseas zones, a zone not set, a year
the package does not hold yet) holidays are ignored rather than guessed: the alerts then
fire as if the LP had classes, which errs on the side of telling.

Callers pass the LP and the class name (`Eleve.classe`): this app knows nothing of students.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

from socle.requetes import RequeteCompilee

from .models import PeriodePFMP

# The LP's PFMP periods, read on each séance written (its warnings): compiled once per connection
# (socle.requetes, issue 18).
_PERIODES_PFMP = RequeteCompilee(
    lambda etablissement_id: PeriodePFMP.objects.filter(etablissement_id=etablissement_id),
    int,
)

# Public holidays of the places whose calendar adds days to the national one (holidays' subdivisions).
SUBDIVISIONS_PAR_DEPARTEMENT = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}

VACANCES = "vacances"
FERIE = "ferie"
PFMP = "pfmp"
WEEK_END = "week_end"


@dataclass(frozen=True)
class Periode:
    """A span of days without classes, as shown on the frise and in the warnings."""

    genre: str  # VACANCES, FERIE or PFMP
    debut: date
    fin: date
    libelle: str

    def contient(self, jour: date) -> bool:
        return self.debut <= jour <= self.fin


@cache
def _dates_officielles() -> SchoolHolidayDates:
    # Reads a CSV of every day since 1990: once per process.
    return SchoolHolidayDates()


@cache
def _feries(subdivision: str | None, annee: int) -> dict[date, str]:
    return dict(holidays.France(subdiv=subdivision, years=annee, language="fr"))


def subdivision(code_postal: str) -> str | None:
    code_postal = (code_postal or "").strip()
    return SUBDIVISIONS_PAR_DEPARTEMENT.get(code_postal[:3]) or SUBDIVISIONS_PAR_DEPARTEMENT.get(code_postal[:2])


def vacances_connues(zone: str) -> bool:
    return zone in SchoolHolidayDates.SUPPORTED_ZONES


def _jour_de_vacances(zone: str, jour: date) -> str | None:
    """The name of the school holidays of `zone` holding `jour`, or None (also when unknown)."""
    if not vacances_connues(zone):
        return None
    try:
        if _dates_officielles().is_holiday_for_zone(jour, zone):
            return _dates_officielles().data[jour]["nom_vacances"]
    except UnsupportedYearException:
        return None
    return None


class Calendrier:
    """The calendar of one LP: its zone, its public holidays, its classes' PFMP.

    Build it with the LP's PFMP periods (`Calendrier.pour(etablissement)` reads them in one
    query); its questions then cost no query.
    """

    def __init__(self, etablissement, periodes_pfmp: Iterable[PeriodePFMP] = ()):
        self.etablissement = etablissement
        self.zone = etablissement.zone_vacances
        self.subdivision = subdivision(etablissement.code_postal)
        self.pfmp: dict[str, list[PeriodePFMP]] = defaultdict(list)
        for periode in periodes_pfmp:
            self.pfmp[periode.classe].append(periode)

    @classmethod
    def pour(cls, etablissement) -> "Calendrier":
        return cls(etablissement, _PERIODES_PFMP.objets(etablissement.pk))

    @property
    def vacances_connues(self) -> bool:
        return vacances_connues(self.zone)

    def motif(self, jour: date, classe: str = "") -> tuple[str, str] | None:
        """Why `jour` is not a school day for a student of `classe`: (genre, French label), or None."""
        if jour.weekday() >= 5:
            return WEEK_END, "week-end"
        ferie = _feries(self.subdivision, jour.year).get(jour)
        if ferie:
            return FERIE, f"jour férié ({ferie})"
        vacances = _jour_de_vacances(self.zone, jour)
        if vacances:
            return VACANCES, f"{vacances} (zone {self.zone})"
        for periode in self.pfmp.get(classe, []) if classe else []:
            if periode.debut <= jour <= periode.fin:
                return PFMP, f"PFMP de la classe {classe} (du {periode.debut:%d/%m/%Y} au {periode.fin:%d/%m/%Y})"
        return None

    def est_jour_de_classe(self, jour: date, classe: str = "") -> bool:
        return self.motif(jour, classe) is None

    def semaines_de_classe(self, depuis: date, jusqu_a: date, classe: str = "") -> int:
        """The whole weeks (Monday to Sunday) after the week of `depuis` and ended by `jusqu_a`
        in which a student of `classe` had at least one school day.

        A séance on a Tuesday, then five weeks of classes: the count reaches 5 on the Sunday
        ending the fifth week. Weeks of holidays or of the class's PFMP do not count.
        """
        lundi = depuis - timedelta(days=depuis.weekday()) + timedelta(days=7)
        semaines = 0
        while lundi + timedelta(days=6) <= jusqu_a:
            if any(self.est_jour_de_classe(lundi + timedelta(days=i), classe) for i in range(5)):
                semaines += 1
            lundi += timedelta(days=7)
        return semaines

    def periodes(self, debut: date, fin: date, classes: Iterable[str] | None = None) -> list[Periode]:
        """The holidays, public holidays and PFMP (of `classes`, all by default) between two dates, in order."""
        resultat = []
        jour, en_cours = debut, None
        while jour <= fin:
            nom = _jour_de_vacances(self.zone, jour)
            if nom and en_cours and en_cours[0] == nom and en_cours[2] == jour - timedelta(days=1):
                en_cours[2] = jour
            else:
                if en_cours:
                    resultat.append(Periode(VACANCES, en_cours[1], en_cours[2], en_cours[0]))
                en_cours = [nom, jour, jour] if nom else None
            jour += timedelta(days=1)
        if en_cours:
            resultat.append(Periode(VACANCES, en_cours[1], en_cours[2], en_cours[0]))
        for annee in range(debut.year, fin.year + 1):
            for jour, nom in _feries(self.subdivision, annee).items():
                # A public holiday inside the school holidays changes nothing for the LP.
                if debut <= jour <= fin and jour.weekday() < 5 and not _jour_de_vacances(self.zone, jour):
                    resultat.append(Periode(FERIE, jour, jour, nom))
        for classe, periodes in self.pfmp.items():
            if classes is not None and classe not in classes:
                continue
            for p in periodes:
                if p.debut <= fin and p.fin >= debut:
                    resultat.append(Periode(PFMP, p.debut, p.fin, f"{p.libelle or 'PFMP'} – {classe}"))
        return sorted(resultat, key=lambda p: (p.debut, p.genre, p.libelle))


def calendriers(etablissements: Iterable) -> dict[int, Calendrier]:
    """The calendars of several LPs, their PFMP read in one query."""
    etablissements = list(etablissements)
    periodes = defaultdict(list)
    for periode in PeriodePFMP.objects.filter(etablissement__in=[e.pk for e in etablissements]):
        periodes[periode.etablissement_id].append(periode)
    return {e.pk: Calendrier(e, periodes[e.pk]) for e in etablissements}

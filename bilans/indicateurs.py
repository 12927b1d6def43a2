"""The review's indicators (fiche 3, « Bilan qualité et indicateurs »), computed in the database.

`indicateurs_par_dispositif(ids)` computes every indicator of many dispositifs with a
fixed number of grouped queries (one per source table), whatever their number: the
académie dashboard and the exports use it as well as one LP's page.
Each indicator carries its written definition, shown next to its value.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from binomes.models import Binome, StatutBinome
from etablissements.models import LigneBudget, TypeLigneBudget
from seances.models import Participation, Presence, StatutSeance

from .models import ResultatEleve, Situation

# A binôme "started" once it left the proposal stage, whatever became of it.
STATUTS_COMMENCES = [StatutBinome.ACTIF, StatutBinome.SUSPENDU, StatutBinome.TERMINE, StatutBinome.ROMPU]

DEFINITIONS = {
    "filles": (
        "Filles mentorées",
        "Nombre d’élèves filles ayant au moins un binôme commencé dans l’année "
        "(actif, suspendu, terminé ou rompu ; un binôme seulement proposé ne compte pas).",
    ),
    "garcons": (
        "Garçons mentorés",
        "Nombre d’élèves garçons ayant au moins un binôme commencé dans l’année, selon la même règle.",
    ),
    "mentors": ("Mentors", "Nombre de mentors distincts ayant au moins un binôme commencé dans l’année."),
    "entreprises": (
        "Entreprises impliquées",
        "Nombre d’entreprises ou structures distinctes qui emploient ces mentors.",
    ),
    "absenteisme": (
        "Taux d’absentéisme",
        "Absences d’élèves (excusées ou non) rapportées au nombre de présences d’élèves attendues "
        "aux séances tenues de l’année. Les séances annulées ou seulement prévues ne comptent pas.",
    ),
    "abandon": (
        "Taux d’abandon",
        "Binômes rompus avant leur date de fin prévue, rapportés au nombre de binômes commencés dans l’année.",
    ),
    "reussite": (
        "Taux de réussite aux examens",
        "Élèves admis rapportés aux élèves présentés à l’examen, d’après les résultats saisis élève par élève.",
    ),
    "insertion": (
        "Taux d’insertion",
        "Élèves en emploi ou en formation à la date constatée, rapportés aux élèves dont la situation est "
        "renseignée (saisie élève par élève).",
    ),
    "alloue": ("Sommes allouées", "Total des sommes allouées au dispositif, toutes sources confondues."),
    "engage": ("Sommes engagées", "Total des sommes engagées ou dépensées, toutes natures confondues."),
}

ORDRE = list(DEFINITIONS)
POURCENTAGES = {"absenteisme", "abandon", "reussite", "insertion"}
MONTANTS = {"alloue", "engage"}


@dataclass
class Indicateur:
    code: str
    valeur: float | int | Decimal | None
    numerateur: int | Decimal | None = None
    denominateur: int | None = None

    @property
    def libelle(self) -> str:
        return DEFINITIONS[self.code][0]

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.code][1]

    @property
    def affichage(self) -> str:
        """French display; a rate over nothing is "—", never 0 %."""
        if self.valeur is None:
            return "—"
        if self.code in POURCENTAGES:
            return f"{self.valeur:.1f} %".replace(".", ",")
        if self.code in MONTANTS:
            return f"{self.valeur:,.2f} €".replace(",", " ").replace(".", ",")
        return str(self.valeur)

    @property
    def detail(self) -> str:
        if self.code in POURCENTAGES and self.denominateur:
            return f"{self.numerateur} sur {self.denominateur}"
        return ""


@dataclass
class Indicateurs:
    dispositif_id: int
    valeurs: dict[str, Indicateur] = field(default_factory=dict)

    def __getitem__(self, code):
        return self.valeurs[code]

    def __iter__(self):
        return (self.valeurs[code] for code in ORDRE)


def _taux(numerateur, denominateur):
    if not denominateur:
        return None
    return round(100 * numerateur / denominateur, 1)


def indicateurs_par_dispositif(ids) -> dict[int, Indicateurs]:
    """Every indicator of the dispositifs `ids`, in five grouped queries."""
    ids = list(ids)
    resultats = {pk: {} for pk in ids}

    abandon = Q(statut=StatutBinome.ROMPU) & (
        Q(date_fin_prevue__isnull=True) | Q(date_fin__isnull=True) | Q(date_fin__lt=F("date_fin_prevue"))
    )
    for ligne in (
        Binome.objects.filter(dispositif__in=ids, statut__in=STATUTS_COMMENCES)
        .values("dispositif")
        .annotate(
            commences=Count("id"),
            abandons=Count("id", filter=abandon),
            filles=Count("eleve", filter=Q(eleve__sexe="F"), distinct=True),
            garcons=Count("eleve", filter=Q(eleve__sexe="M"), distinct=True),
            mentors=Count("mentor", distinct=True),
            entreprises=Count("mentor__entreprise", distinct=True),
        )
    ):
        resultats[ligne.pop("dispositif")].update(ligne)

    for ligne in (
        Participation.objects.filter(seance__dispositif__in=ids, seance__statut=StatutSeance.TENUE, eleve__isnull=False)
        .values("seance__dispositif")
        .annotate(
            attendues=Count("id"),
            absences=Count("id", filter=Q(presence__in=[Presence.ABSENT_EXCUSE, Presence.ABSENT_NON_EXCUSE])),
        )
    ):
        resultats[ligne.pop("seance__dispositif")].update(ligne)

    for ligne in (
        ResultatEleve.objects.filter(dispositif__in=ids)
        .values("dispositif")
        .annotate(
            presentes=Count("id", filter=Q(presente=True)),
            admis=Count("id", filter=Q(presente=True, admis=True)),
            situations=Count("id", filter=~Q(situation=Situation.INCONNUE)),
            inseres=Count("id", filter=Q(situation__in=[Situation.EMPLOI, Situation.FORMATION])),
        )
    ):
        resultats[ligne.pop("dispositif")].update(ligne)

    for ligne in (
        LigneBudget.objects.filter(dispositif__in=ids)
        .values("dispositif")
        .annotate(
            alloue=Sum("montant", filter=Q(type=TypeLigneBudget.ALLOCATION)),
            engage=Sum("montant", filter=Q(type=TypeLigneBudget.ENGAGEMENT)),
        )
    ):
        resultats[ligne.pop("dispositif")].update(ligne)

    return {pk: _assembler(pk, chiffres) for pk, chiffres in resultats.items()}


def _assembler(pk, c) -> Indicateurs:
    g = c.get
    i = Indicateurs(pk)
    for code in ("filles", "garcons", "mentors", "entreprises"):
        i.valeurs[code] = Indicateur(code, g(code, 0))
    i.valeurs["absenteisme"] = Indicateur(
        "absenteisme", _taux(g("absences", 0), g("attendues", 0)), g("absences", 0), g("attendues", 0)
    )
    i.valeurs["abandon"] = Indicateur(
        "abandon", _taux(g("abandons", 0), g("commences", 0)), g("abandons", 0), g("commences", 0)
    )
    i.valeurs["reussite"] = Indicateur(
        "reussite", _taux(g("admis", 0), g("presentes", 0)), g("admis", 0), g("presentes", 0)
    )
    i.valeurs["insertion"] = Indicateur(
        "insertion", _taux(g("inseres", 0), g("situations", 0)), g("inseres", 0), g("situations", 0)
    )
    i.valeurs["alloue"] = Indicateur("alloue", g("alloue") or Decimal("0"))
    i.valeurs["engage"] = Indicateur("engage", g("engage") or Decimal("0"))
    return i


def indicateurs(dispositif) -> Indicateurs:
    return indicateurs_par_dispositif([dispositif.pk])[dispositif.pk]

"""Validators for the French identifiers the app stores (UAI, SIRET, INE), and the bounds of numbers and dates."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible

UAI_LETTRES = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI_RE = re.compile(r"^\d{7}[A-Z]$")
_INE_RE = re.compile(r"^(\d{10}[A-Z]|\d{9}[A-Z]{2})$")


def lettre_cle_uai(sept_chiffres: str) -> str:
    """The check letter of a UAI: the remainder of the seven digits by 23, as a letter."""
    return UAI_LETTRES[int(sept_chiffres) % 23]


def valider_uai(valeur: str) -> None:
    valeur = (valeur or "").strip().upper()
    if not _UAI_RE.match(valeur):
        raise ValidationError(
            "Le code UAI comporte 7 chiffres suivis d’une lettre (par exemple 0750654D).",
            code="uai_format",
        )
    attendue = lettre_cle_uai(valeur[:7])
    if valeur[7] != attendue:
        raise ValidationError(
            "La lettre clé du code UAI est incorrecte : pour %(chiffres)s, la lettre attendue est %(lettre)s.",
            code="uai_cle",
            params={"chiffres": valeur[:7], "lettre": attendue},
        )


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for position, caractere in enumerate(reversed(chiffres)):
        n = int(caractere)
        if position % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def valider_siret(valeur: str) -> None:
    valeur = (valeur or "").replace(" ", "")
    if not (len(valeur) == 14 and valeur.isdigit()):
        raise ValidationError("Le SIRET comporte 14 chiffres.", code="siret_format")
    if not luhn_valide(valeur):
        raise ValidationError(
            "Ce SIRET n’est pas valide (la clé de contrôle ne correspond pas) : vérifiez sa saisie.",
            code="siret_cle",
        )


def valider_ine(valeur: str) -> None:
    valeur = (valeur or "").strip().upper()
    if not _INE_RE.match(valeur):
        raise ValidationError(
            "L’INE comporte 11 caractères : 10 chiffres et 1 lettre, ou 9 chiffres et 2 lettres.",
            code="ine_format",
        )


# --- Bounds of numbers and dates -------------------------------------------------------------
# The database holds fixed bounds (a CHECK constraint cannot read the clock); the models and the
# forms hold tighter ones that move with today, so a typo (2205 for 2025) is caught at input while
# the database still refuses what no code path should ever write.

ANNEE_MIN = 2000
ANNEE_MAX = 2099  # its school year, and every milestone of it, ends before DATE_MAX
DATE_MIN = date(ANNEE_MIN, 1, 1)
DATE_MAX = date(2100, 12, 31)
# How far ahead a programme date may be typed: a convention or a budget line runs over a few years.
ANNEES_D_AVANCE = 5


def _date_francaise(jour: date) -> str:
    return f"{jour:%d/%m/}{jour.year:04d}"


def date_max_plausible(annees_apres: int = ANNEES_D_AVANCE) -> date:
    """The last date accepted at input: 31 December, `annees_apres` years after this one."""
    return min(date(timezone.localdate().year + annees_apres, 12, 31), DATE_MAX)


@deconstructible
class DatePlausible:
    """A programme date: from 1 January 2000 to the end of the year `annees_apres` years ahead."""

    def __init__(self, annees_apres: int = ANNEES_D_AVANCE):
        self.annees_apres = annees_apres

    def __call__(self, valeur):
        if isinstance(valeur, datetime):
            valeur = valeur.date()
        maximum = date_max_plausible(self.annees_apres)
        if not DATE_MIN <= valeur <= maximum:
            raise ValidationError(
                "Saisissez une date entre le %(min)s et le %(max)s.",
                code="date_hors_bornes",
                params={"min": _date_francaise(DATE_MIN), "max": _date_francaise(maximum)},
            )

    def __eq__(self, autre):
        return isinstance(autre, DatePlausible) and self.annees_apres == autre.annees_apres


@deconstructible
class AnneePlausible:
    """A school year (its first calendar year): from 2000 to `annees_apres` years after the current one."""

    def __init__(self, annees_apres: int = 1):
        self.annees_apres = annees_apres

    def __call__(self, valeur):
        maximum = min(timezone.localdate().year + self.annees_apres, ANNEE_MAX)
        if not ANNEE_MIN <= valeur <= maximum:
            raise ValidationError(
                "Saisissez une année entre %(min)s et %(max)s.",
                code="annee_hors_bornes",
                params={"min": ANNEE_MIN, "max": maximum},
            )

    def __eq__(self, autre):
        return isinstance(autre, AnneePlausible) and self.annees_apres == autre.annees_apres


def entre(minimum, maximum, message: str) -> list:
    """Min and max validators sharing one French message that names both bounds."""
    return [
        MinValueValidator(minimum, message=message),
        MaxValueValidator(maximum, message=message),
    ]


def q_entre(champ: str, minimum, maximum, *, nullable: bool = False) -> Q:
    """The condition of a CHECK constraint holding `champ` within [minimum, maximum] (or NULL)."""
    condition = Q(**{f"{champ}__gte": minimum, f"{champ}__lte": maximum})
    return Q(**{f"{champ}__isnull": True}) | condition if nullable else condition


def q_date(champ: str, *, nullable: bool = False) -> Q:
    return q_entre(champ, DATE_MIN, DATE_MAX, nullable=nullable)


def q_ordonnees(debut: str, fin: str) -> Q:
    """`debut` on or before `fin` when both are known."""
    return Q(**{f"{debut}__isnull": True}) | Q(**{f"{fin}__isnull": True}) | Q(**{f"{debut}__lte": F(fin)})

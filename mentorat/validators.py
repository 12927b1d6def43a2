"""Validators for the French identifiers the app stores (UAI, SIRET, INE)."""

import re

from django.core.exceptions import ValidationError

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

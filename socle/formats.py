"""Numbers, amounts, rates, plurals and gender agreement as a French reader expects them.

One place for every page, email, PDF and history row. The thousands separator is the one
of Django's `fr` locale (a no-break space, U+00A0), so a figure never breaks across lines;
the same no-break space goes before "€" and "%".
"""

from decimal import Decimal, InvalidOperation

from django.utils import numberformat
from django.utils.formats import get_format

ESPACE = "\xa0"  # Django's fr THOUSAND_SEPARATOR
VIDE = "—"


def _decimal(valeur):
    if valeur is None or valeur == "" or isinstance(valeur, bool):
        return None
    try:
        return Decimal(str(valeur))
    except (InvalidOperation, ValueError):
        return None


def nombre(valeur, decimales: int | None = None) -> str:
    """« 1 250 », « 12,5 »: French separators; `decimales` fixes the digits after the comma."""
    nombre_ = _decimal(valeur)
    if nombre_ is None:
        return VIDE if valeur in (None, "") else str(valeur)
    return numberformat.format(
        nombre_,
        get_format("DECIMAL_SEPARATOR", "fr"),
        decimal_pos=decimales,
        grouping=get_format("NUMBER_GROUPING", "fr"),
        thousand_sep=get_format("THOUSAND_SEPARATOR", "fr"),
        force_grouping=True,
    )


def montant(valeur) -> str:
    """« 2 100,00 € »; "—" when there is no amount."""
    if _decimal(valeur) is None:
        return VIDE
    return f"{nombre(valeur, 2)}{ESPACE}€"


def pourcentage(valeur, decimales: int = 1) -> str:
    """« 12,5 % » for a rate already in percent; "—" when there is no rate."""
    if _decimal(valeur) is None:
        return VIDE
    return f"{nombre(valeur, decimales)}{ESPACE}%"


def pluriel(n, singulier: str, pluriel_: str | None = None) -> str:
    """The word for `n` things: French keeps 0 and 1 singular. The plural defaults to singular + "s"."""
    return singulier if abs(n or 0) < 2 else (pluriel_ or f"{singulier}s")


def compte(n, singulier: str, pluriel_: str | None = None) -> str:
    """« 1 élève », « 2 élèves », « 1 250 élèves »."""
    return f"{nombre(n or 0)} {pluriel(n, singulier, pluriel_)}"


def accorder(personne, masculin: str, feminin: str) -> str:
    """The word agreed with the person's gender when known (`sexe` "F"), else the masculine."""
    return accorder_sexe(getattr(personne, "sexe", ""), masculin, feminin)


def accorder_sexe(sexe: str | None, masculin: str, feminin: str) -> str:
    """`accorder` from the bare `sexe` value (None: no person, or a mentor)."""
    return feminin if sexe == "F" else masculin


def date_courte(valeur) -> str:
    """« 07/03/2026 »: `{{ valeur|date:"d/m/Y" }}`, written directly: Django's date formatter parses its
    format and builds a formatter object for each date, some 40 µs, and a list page shows a hundred
    dates (issue 18). "" for no date. An aware datetime is written as given (the template filter
    turns it to local time first)."""
    if valeur in (None, ""):
        return ""
    try:
        return f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year:04d}"
    except AttributeError:
        return ""


def heure_courte(valeur) -> str:
    """« 14:05 »: `{{ valeur|time:"H:i" }}`, written directly, as `date_courte` (a time or a datetime)."""
    if valeur in (None, ""):
        return ""
    try:
        return f"{valeur.hour:02d}:{valeur.minute:02d}"
    except AttributeError:
        return ""

"""Template filters for French figures and wording (built in: no `{% load %}` needed).

{{ ligne.montant|montant }}            2 100,00 €
{{ total|nombre }}                      1 250
{{ taux|pourcentage }}                  12,5 %
{{ n|compte:"élève" }}                  2 élèves
{{ n|compte:"réunion à venir,réunions à venir" }}
{{ n|pluriel:"créé,créés" }}            créés
{{ eleve|accorder:"absent,absente" }}   absente
{{ binome.date_debut|date_courte }}     07/03/2026 (as `date:"d/m/Y"`, for the dates of long lists)
{{ seance.heure|heure_courte }}         14:05 (as `time:"H:i"`)
"""

from django import template

from socle import formats

register = template.Library()


def _formes(arg: str) -> tuple[str, str | None]:
    singulier, _, pluriel = arg.partition(",")
    return singulier, pluriel or None


register.filter("montant", formats.montant)
register.filter("pourcentage", formats.pourcentage)


@register.filter
def nombre(valeur, decimales=None):
    return formats.nombre(valeur, None if decimales in (None, "") else int(decimales))


@register.filter
def compte(n, formes: str):
    return formats.compte(n, *_formes(formes))


@register.filter
def pluriel(n, formes: str):
    return formats.pluriel(n, *_formes(formes))


@register.filter
def accorder(personne, formes: str):
    masculin, feminin = _formes(formes)
    return formats.accorder(personne, masculin, feminin or masculin)


@register.filter(expects_localtime=True)
def date_courte(valeur):
    """`{{ valeur|date:"d/m/Y" }}`, written directly: Django's date formatter parses its format and
    builds a formatter object for each date, some 40 µs, and a list page shows a hundred dates (issue 18).

    Like the `date` filter: an aware datetime in local time (`expects_localtime`), "" for no date.
    """
    if valeur in (None, ""):
        return ""
    try:
        return f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year:04d}"
    except AttributeError:
        return ""


@register.filter(expects_localtime=True)
def heure_courte(valeur):
    """`{{ valeur|time:"H:i" }}`, written directly, as `date_courte` (a time or an aware datetime)."""
    if valeur in (None, ""):
        return ""
    try:
        return f"{valeur.hour:02d}:{valeur.minute:02d}"
    except AttributeError:
        return ""

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


# `expects_localtime`: an aware datetime is shown in local time, as by the `date` and `time` filters.
register.filter("date_courte", formats.date_courte, expects_localtime=True)
register.filter("heure_courte", formats.heure_courte, expects_localtime=True)

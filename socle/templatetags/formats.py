"""Template filters for French figures and wording (built in: no `{% load %}` needed).

{{ ligne.montant|montant }}            2 100,00 €
{{ total|nombre }}                      1 250
{{ taux|pourcentage }}                  12,5 %
{{ n|compte:"élève" }}                  2 élèves
{{ n|compte:"réunion à venir,réunions à venir" }}
{{ n|pluriel:"créé,créés" }}            créés
{{ eleve|accorder:"absent,absente" }}   absente
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

"""The country's figures for the national pilots: one row per académie, and the national total.

An académie's row is the sum of its dispositifs' counts (exact: a student, a mentor record and a
company record belong to one LP, which has one dispositif a year). The beat job
`bilans.tasks.rafraichir_indicateurs` computes every dispositif by set-based SQL, one pass per
académie, and builds this table from those figures, without a second pass over the country.
Cached and dated like the académie's table; a page that finds no table in the cache builds it
from the dispositifs' recent figures (`indicateurs.chiffres_recents`: the cache, else the rows the
job kept in the database, else computed), so that a Redis restart costs a read, not the country's
computation. Aggregates only: the rows name académies, never an LP or a person.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from etablissements.models import Academie, Dispositif

from .indicateurs import DUREE_CACHE, Indicateur, Indicateurs, _assembler, chiffres_recents, total


def _cle(annee) -> str:
    return f"bilans:national:v1:{annee}"


@dataclass
class LigneAcademie:
    """One académie: how many LPs it has, how many run the programme this year, and their figures."""

    pk: int
    nom: str
    etablissements: int
    dispositifs: int
    chiffres: dict

    def __str__(self):
        return self.nom

    @cached_property
    def indicateurs(self) -> Indicateurs:
        return _assembler(self.pk, self.chiffres)

    @property
    def cellules(self) -> list[str]:
        """The values as displayed, in ORDRE."""
        return [indicateur.affichage for indicateur in self.indicateurs]


@dataclass
class TableauNational:
    lignes: list[LigneAcademie]
    total: dict[str, Indicateur]
    etablissements: int
    dispositifs: int
    calcule_le: datetime


def dispositifs_par_academie(annee) -> dict[int, list[int]]:
    """{académie id: [ids of its LPs' dispositifs of `annee`]}, in one query."""
    groupes: dict[int, list[int]] = {}
    for pk, academie_id in Dispositif.objects.filter(annee=annee).values_list("pk", "etablissement__academie"):
        groupes.setdefault(academie_id, []).append(pk)
    return groupes


def calculer(annee, par_academie=None, entrees=None) -> TableauNational:
    """The country's table for the school year `annee` from the dispositifs' recent figures
    (`entrees`, {pk: (date, counts)}, as the beat job computed them; else read or computed)."""
    if par_academie is None:
        par_academie = dispositifs_par_academie(annee)
    if entrees is None:
        entrees = chiffres_recents([pk for ids in par_academie.values() for pk in ids], lots=par_academie.values())
    chiffres: dict[int, dict] = {}
    for academie_id, ids in par_academie.items():
        somme = chiffres.setdefault(academie_id, {})
        for pk in ids:
            for cle, valeur in entrees[pk][1].items():
                somme[cle] = somme.get(cle, 0) + (valeur or 0)
    lignes = [
        LigneAcademie(pk, nom, etablissements, len(par_academie.get(pk, [])), chiffres.get(pk, {}))
        for pk, nom, etablissements in Academie.objects.annotate(nb_lp=Count("etablissements"))
        .order_by("nom")
        .values_list("pk", "nom", "nb_lp")
    ]
    return TableauNational(
        lignes=lignes,
        total=total(ligne.indicateurs for ligne in lignes),
        etablissements=sum(ligne.etablissements for ligne in lignes),
        dispositifs=sum(ligne.dispositifs for ligne in lignes),
        # As old as its oldest figures (the dispositifs are computed académie by académie).
        calcule_le=min((date for date, _ in entrees.values()), default=timezone.now()),
    )


def rafraichir(annee, par_academie=None, entrees=None) -> TableauNational:
    """Build the country's table and keep it in the cache (the beat job passes the figures it computed)."""
    tableau = calculer(annee, par_academie, entrees)
    cache.set(_cle(annee), tableau, DUREE_CACHE)
    return tableau


def tableau_national(annee) -> TableauNational:
    """The country's recent table: one cache read, or computed and cached when missing or expired."""
    tableau = cache.get(_cle(annee))
    if tableau is None:
        tableau = rafraichir(annee)
    return tableau

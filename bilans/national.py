"""The country's figures for the national pilots: one row per académie, and the national total.

Computed by set-based SQL over the whole country, grouped by académie (`indicateurs._compter`:
one query per source table, plus one for the académies and their LPs), never LP by LP: its
cost grows with the rows the database reads, not with the number of queries. Cached and dated
like the académie's table: the beat job `bilans.tasks.rafraichir_indicateurs` recomputes it
every RAFRAICHISSEMENT minutes; a page that finds no entry computes it on the spot and caches it.
Aggregates only: the rows name académies, never an LP or a person.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from etablissements.models import Academie

from .indicateurs import DUREE_CACHE, Indicateur, Indicateurs, _assembler, _compter, total


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


def calculer(annee) -> TableauNational:
    """The country's table for the school year `annee`, computed now (five queries)."""
    maintenant = timezone.now()
    chiffres: dict[int, dict] = {}
    for academie_id, ligne in _compter({"annee": annee}, "etablissement__academie"):
        chiffres.setdefault(academie_id, {}).update(ligne)
    lignes = [
        LigneAcademie(pk, nom, etablissements, dispositifs, chiffres.get(pk, {}))
        for pk, nom, etablissements, dispositifs in Academie.objects.annotate(
            nb_lp=Count("etablissements", distinct=True),
            nb_dispositifs=Count(
                "etablissements__dispositifs", filter=Q(etablissements__dispositifs__annee=annee), distinct=True
            ),
        )
        .order_by("nom")
        .values_list("pk", "nom", "nb_lp", "nb_dispositifs")
    ]
    return TableauNational(
        lignes=lignes,
        total=total(ligne.indicateurs for ligne in lignes),
        etablissements=sum(ligne.etablissements for ligne in lignes),
        dispositifs=sum(ligne.dispositifs for ligne in lignes),
        calcule_le=maintenant,
    )


def rafraichir(annee) -> TableauNational:
    """Compute the country's table now and keep it in the cache (the beat job)."""
    tableau = calculer(annee)
    cache.set(_cle(annee), tableau, DUREE_CACHE)
    return tableau


def tableau_national(annee) -> TableauNational:
    """The country's recent table: one cache read, or computed and cached when missing or expired."""
    tableau = cache.get(_cle(annee))
    if tableau is None:
        tableau = rafraichir(annee)
    return tableau

"""The country's figures for the national pilots: one row per académie, and the national total.

An académie's row is the sum of its dispositifs' counts (exact: a student, a mentor record and a
company record belong to one LP, which has one dispositif a year). The beat job
`bilans.tasks.rafraichir_indicateurs` computes every dispositif by set-based SQL, one pass per
académie, and builds this table from those figures, without a second pass over the country.
Cached and dated like the académie's table; a page that finds no table in the cache builds it
from the dispositifs' figures (`indicateurs.chiffres_recents`: the cache, else the rows the job kept
in the database, whatever their age, else computed), so that a Redis restart or a stopped beat job
costs a read, not the country's computation (7 s at 2,100 LPs): figures older than the job's period
are shown with their date and a warning, and a new computation is asked of the workers. Dispositifs
never computed (a new LP; a deployment whose job never ran) are computed on the page up to
CALCUL_SUR_LA_PAGE, académie by académie; the académies beyond are shown « calcul en cours », the
national total waits for them, and the workers are asked. Aggregates only: the rows name académies,
never an LP or a person.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from etablissements.models import Academie, Dispositif
from socle.tasks import apres_commit

from .indicateurs import (
    DUREE_CACHE,
    RAFRAICHISSEMENT,
    Indicateur,
    Indicateurs,
    _assembler,
    chiffres_recents,
    total,
)

# Set while a computation asked by a page is on its way: one request per job period, not per view.
CLE_DEMANDE = "bilans:national:calcul-demande"
# How long a table built from old figures is cached: the page checks again soon for the new ones.
DUREE_PERIME = 60
# Dispositifs never computed that a page computes itself (whole académies, ≈ 2 ms each at 120 LPs):
# a deployment's first view of a national dashboard answers in under a second, the rest is the
# workers' (issue 18: the whole country computed on the page took 7 s at 2,100 LPs).
CALCUL_SUR_LA_PAGE = 150


def _cle(annee) -> str:
    # v2: rows may be pending (`en_attente`); a v1 table cached before a deployment is not read.
    return f"bilans:national:v2:{annee}"


@dataclass
class LigneAcademie:
    """One académie: how many LPs it has, how many run the programme this year, and their figures."""

    pk: int
    nom: str
    etablissements: int
    dispositifs: int
    chiffres: dict | None  # None: some of its dispositifs were never computed yet (calcul en cours)

    def __str__(self):
        return self.nom

    @property
    def en_attente(self) -> bool:
        return self.chiffres is None

    @cached_property
    def indicateurs(self) -> Indicateurs | None:
        return None if self.en_attente else _assembler(self.pk, self.chiffres)

    @property
    def cellules(self) -> list[str]:
        """The values as displayed, in ORDRE (none while pending)."""
        return [indicateur.affichage for indicateur in self.indicateurs] if self.indicateurs else []


@dataclass
class TableauNational:
    lignes: list[LigneAcademie]
    total: dict[str, Indicateur] | None  # None while an académie is pending: a partial sum would mislead
    etablissements: int
    dispositifs: int
    calcule_le: datetime

    @property
    def en_attente(self) -> int:
        """How many académies wait for their first computation."""
        return sum(ligne.en_attente for ligne in self.lignes)

    @property
    def perime(self) -> bool:
        """Older than the job's period and its margin: the beat job has not run since."""
        return timezone.now() - self.calcule_le > timedelta(seconds=DUREE_CACHE)


def dispositifs_par_academie(annee) -> dict[int, list[int]]:
    """{académie id: [ids of its LPs' dispositifs of `annee`]}, in one query."""
    groupes: dict[int, list[int]] = {}
    for pk, academie_id in Dispositif.objects.filter(annee=annee).values_list("pk", "etablissement__academie"):
        groupes.setdefault(academie_id, []).append(pk)
    return groupes


def calculer(annee, par_academie=None, entrees=None, *, anciens=False, plafond=None) -> TableauNational:
    """The country's table for the school year `annee` from the dispositifs' recent figures
    (`entrees`, {pk: (date, counts)}, as the beat job computed them; else read or computed; with
    `anciens`, kept figures of any age are read rather than computed again; with `plafond`, at most
    that many never-computed dispositifs are computed, the académies left waiting are pending)."""
    if par_academie is None:
        par_academie = dispositifs_par_academie(annee)
    if entrees is None:
        entrees = chiffres_recents(
            [pk for ids in par_academie.values() for pk in ids],
            lots=par_academie.values(),
            anciens=anciens,
            plafond=plafond,
        )
    chiffres: dict[int, dict | None] = {}
    for academie_id, ids in par_academie.items():
        if any(pk not in entrees for pk in ids):
            chiffres[academie_id] = None
            continue
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
        total=None if any(ligne.en_attente for ligne in lignes) else total(ligne.indicateurs for ligne in lignes),
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
    """The country's table: one cache read; when missing, built from the kept figures whatever their
    age (old ones dated and a new computation asked), the never-computed ones computed up to
    CALCUL_SUR_LA_PAGE (the académies beyond pending, their computation asked), and cached."""
    tableau = cache.get(_cle(annee))
    if tableau is None:
        tableau = calculer(annee, anciens=True, plafond=CALCUL_SUR_LA_PAGE)
        incomplet = tableau.perime or tableau.en_attente
        if incomplet:
            demander_calcul()
        cache.set(_cle(annee), tableau, DUREE_PERIME if incomplet else DUREE_CACHE)
    return tableau


def demander_calcul():
    """Ask the workers for the beat job's computation, once per period whatever the page views
    (sent after commit; a broker down is logged, the page still answers)."""
    if cache.add(CLE_DEMANDE, True, RAFRAICHISSEMENT * 60):
        apres_commit("bilans.tasks.rafraichir_indicateurs")

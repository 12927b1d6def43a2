"""Queries that every signed-in request runs, compiled to SQL once (issue 18).

Each signed-in page reads the session, the user, their roles and their current LP before any work
of its own: four small queries, each answered by PostgreSQL in a tenth of a millisecond, but each
costing the ORM about a millisecond of CPU on the slow machines of the load test (building the
queryset, resolving its lookups, compiling it to SQL, reading the rows): a third of the cost of a
bare page. Their SQL never changes, only the value looked up, so `RequeteCompilee` compiles each
once per database connection and runs it again with the new value: the rows come back through
Django's own converters, exactly as `values_list()` would give them.

The same holds for a few page queries whose shape never changes and which cost milliseconds to build
(an LP's indicator counts, its dashboard's dispositifs and pairs' health, the séance entry's lists):
`lignes()` gives the rows of a `values_list()` query, `objets()` the model instances of a query of
instances (its `select_related()` and annotations included), each on the database the routers choose.

Only for queries looking up integers or strings by equality: other values (dates, None, lists) are
written in SQL differently depending on the database, or are not parameters at all.
"""

import weakref
from collections.abc import Callable
from functools import cached_property

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# Values placed in the query where the looked-up values go, then found among its SQL parameters (each
# must be there once: a constant of the query equal to a marker is refused, never mistaken for it). The
# integers fit every integer column, a positive 16-bit one included: Django answers an out-of-range
# value without SQL. The strings, no key or email contains.
_MARQUEURS_ENTIERS = tuple(31_337 + rang for rang in range(4))
_MARQUEURS_TEXTES = tuple(f"\x00marqueur-{rang}\x00" for rang in range(4))


class RequeteCompilee:
    """A `values_list()` query compiled once per database connection, run with other values.

    `fabrique(*valeurs)` returns the queryset for the given values; it is called once per connection
    with markers of the types in `types` (int or str), to find where each value goes in the SQL.
    `lignes(*valeurs)` then runs the compiled SQL: the same rows as `list(fabrique(*valeurs))`, in one
    query, without building the queryset again, on the database the routers choose for reading its
    model, as the queryset would (a dashboard marked to read the replica reads it there too).
    """

    def __init__(self, fabrique: Callable[..., QuerySet], *types: type):
        if not types or any(t not in (int, str) for t in types):
            raise TypeError("RequeteCompilee : des valeurs entières ou textuelles seulement.")
        self.fabrique = fabrique
        self.types = types
        # Per connection object (Django gives each thread its own): the compiler holds the converters
        # of that connection's database, and no two threads share one.
        self._compilees: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _marqueurs(self) -> list:
        compteurs = {int: iter(_MARQUEURS_ENTIERS), str: iter(_MARQUEURS_TEXTES)}
        return [next(compteurs[t]) for t in self.types]

    @cached_property
    def modele(self):
        """The model the queries read (for the routers), from a queryset built once with markers."""
        return self.fabrique(*self._marqueurs()).model

    def _compiler(self, connexion, alias):
        compilee = self._compilees.get(connexion)
        if compilee is None:
            marqueurs = self._marqueurs()
            queryset = self.fabrique(*marqueurs)
            if queryset._prefetch_related_lookups or queryset._known_related_objects:
                raise ValueError("RequeteCompilee : ni prefetch_related, ni queryset d’un gestionnaire de relation.")
            compiler = queryset.query.get_compiler(using=alias)
            sql, parametres = compiler.as_sql()
            positions = []
            for marqueur in marqueurs:
                trouves = [rang for rang, valeur in enumerate(parametres) if valeur == marqueur]
                if len(trouves) != 1:
                    raise ValueError(f"RequeteCompilee : la valeur {marqueur!r} doit paraître une fois dans {sql}")
                positions.append(trouves[0])
            instances = queryset._iterable_class is ModelIterable
            compilee = self._compilees[connexion] = (compiler, sql, tuple(parametres), tuple(positions), instances)
        return compilee

    def _executer(self, valeurs, using, *, instances):
        """(compiler, rows as the database gave them, alias) of the compiled query run with `valeurs`;
        `instances`: whether it must be a query of model instances, or of values."""
        if len(valeurs) != len(self.types) or any(type(v) is not t for v, t in zip(valeurs, self.types, strict=True)):
            raise TypeError(f"RequeteCompilee : valeurs attendues de types {self.types}, reçu {valeurs!r}")
        using = using or router.db_for_read(self.modele)
        connexion = connections[using]
        compiler, sql, parametres, positions, d_instances = self._compiler(connexion, using)
        if d_instances is not instances:
            raise TypeError(
                "RequeteCompilee : objets() lit une requête d’instances, lignes() une requête values_list()."
            )
        parametres = list(parametres)
        for position, valeur in zip(positions, valeurs, strict=True):
            parametres[position] = valeur
        with connexion.cursor() as curseur:
            curseur.execute(sql, parametres)
            return compiler, curseur.fetchall(), using

    def lignes(self, *valeurs, using: str | None = None) -> list[tuple]:
        """The rows of a `values_list()` query, converted as the queryset would give them."""
        compiler, lignes, _alias = self._executer(valeurs, using, instances=False)
        return list(compiler.results_iter(results=[lignes], tuple_expected=True))

    def objets(self, *valeurs, using: str | None = None) -> list:
        """The model instances of a query of instances, as iterating its queryset gives them: the
        fields it reads, the objects of its `select_related()`, its annotations (Django's ModelIterable,
        over the rows of the compiled SQL)."""
        compiler, lignes, alias = self._executer(valeurs, using, instances=True)
        klass_info, select = compiler.klass_info, compiler.select
        debut, fin = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        champs = [colonne[0].target.attname for colonne in select[debut:fin]]
        liees = get_related_populators(klass_info, select, alias)
        annotations = compiler.annotation_col_map
        objets = []
        for ligne in compiler.results_iter(results=[lignes]):
            objet = klass_info["model"].from_db(alias, champs, ligne[debut:fin])
            for liee in liees:
                liee.populate(ligne, objet)
            for nom, position in annotations.items():
                setattr(objet, nom, ligne[position])
            objets.append(objet)
        return objets

"""Queries that every signed-in request runs, compiled to SQL once (issue 18).

Each signed-in page reads the session, the user, their roles and their current LP before any work
of its own: four small queries, each answered by PostgreSQL in a tenth of a millisecond, but each
costing the ORM about a millisecond of CPU on the slow machines of the load test (building the
queryset, resolving its lookups, compiling it to SQL, reading the rows): a third of the cost of a
bare page. Their SQL never changes, only the value looked up, so `RequeteCompilee` compiles each
once per database connection and runs it again with the new value: the rows come back through
Django's own converters, exactly as `values_list()` would give them.

Only for queries looking up integers or strings by equality: other values (dates, None, lists) are
written in SQL differently depending on the database, or are not parameters at all.
"""

import weakref
from collections.abc import Callable
from functools import cached_property

from django.db import connections, router
from django.db.models import QuerySet

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
            compiler = queryset.query.get_compiler(using=alias)
            sql, parametres = compiler.as_sql()
            positions = []
            for marqueur in marqueurs:
                trouves = [rang for rang, valeur in enumerate(parametres) if valeur == marqueur]
                if len(trouves) != 1:
                    raise ValueError(f"RequeteCompilee : la valeur {marqueur!r} doit paraître une fois dans {sql}")
                positions.append(trouves[0])
            compilee = self._compilees[connexion] = (compiler, sql, tuple(parametres), tuple(positions))
        return compilee

    def lignes(self, *valeurs, using: str | None = None) -> list[tuple]:
        if len(valeurs) != len(self.types) or any(type(v) is not t for v, t in zip(valeurs, self.types, strict=True)):
            raise TypeError(f"RequeteCompilee : valeurs attendues de types {self.types}, reçu {valeurs!r}")
        using = using or router.db_for_read(self.modele)
        connexion = connections[using]
        compiler, sql, parametres, positions = self._compiler(connexion, using)
        parametres = list(parametres)
        for position, valeur in zip(positions, valeurs, strict=True):
            parametres[position] = valeur
        with connexion.cursor() as curseur:
            curseur.execute(sql, parametres)
            lignes = curseur.fetchall()
        return list(compiler.results_iter(results=[lignes], tuple_expected=True))

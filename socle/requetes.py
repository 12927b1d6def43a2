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

Only for queries looking up integers or strings by equality, or lists of integers by `__in` (the
perimeter of a user of several LPs, the people chosen in a form): other values (dates, None) are
written in SQL differently depending on the database, or are not parameters at all. A list's
`IN (%s)` is written once per length (the SQL of each length kept with the compiled query); an empty
or very long list is left to the ORM (`__in=[]` is no SQL at all).

On PostgreSQL, a compiled query run twice on a connection is prepared there (`PREPARE`, then
`EXECUTE` by name): the server no longer parses and plans it at each page (`REQUETES_PREPAREES`).
"""

import itertools
import logging
import re
import weakref
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import QuerySet
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    get_related_populators,
)

# Values placed in the query where the looked-up values go, then found among its SQL parameters (each
# must be there once: a constant of the query equal to a marker is refused, never mistaken for it). The
# integers fit every integer column, a positive 16-bit one included: Django answers an out-of-range
# value without SQL. The strings, no key or email contains.
_MARQUEURS_ENTIERS = tuple(31_337 + rang for rang in range(4))
_MARQUEURS_TEXTES = tuple(f"\x00marqueur-{rang}\x00" for rang in range(4))
# A list of integers is looked for as a list of one marker: `__in=[m]` is written `IN (%s)`, m its parameter.
_MARQUEURS_LISTES = tuple(41_337 + rang for rang in range(4))
# Longer lists are left to the ORM (SQLite bounds the number of parameters; the lists met are short).
LISTE_MAX = 500
# Integers beyond a 32-bit column's range are left to the ORM (ids of this size are never met).
ENTIER_MIN, ENTIER_MAX = -(2**31), 2**31 - 1
# The SQL written for at most this many lengths (or couples of lengths) is kept per compiled query.
LONGUEURS_GARDEES = 128
# A parameter's place in Django's SQL ("%%" is a literal percent sign).
_PLACE = re.compile(r"%%|%s")
# On PostgreSQL, a compiled query run a second time on a connection is prepared there (PREPARE), then
# run by name (EXECUTE): the server parses and plans it once per connection instead of once per run.
# The dashboard's dispositifs query (some forty subqueries) cost PostgreSQL ≈ 5 ms of planning at each
# page (issue 18). A prepared statement lasts as long as its connection (a rollback keeps it): they are
# counted per connection, and prepared again on a new one. The first run is plain SQL: a connection
# opened for one request only (CONN_MAX_AGE=0) prepares nothing.
EXECUTIONS_AVANT_PREPARATION = 2
_NOMS = itertools.count(1)
journal = logging.getLogger(__name__)


class RequeteCompilee:
    """A `values_list()` query compiled once per database connection, run with other values.

    `fabrique(*valeurs)` returns the queryset for the given values; it is called once per connection
    with markers of the types in `types` (int or str), to find where each value goes in the SQL.
    `lignes(*valeurs)` then runs the compiled SQL: the same rows as `list(fabrique(*valeurs))`, in one
    query, without building the queryset again, on the database the routers choose for reading its
    model, as the queryset would (a dashboard marked to read the replica reads it there too).
    """

    def __init__(self, fabrique: Callable[..., QuerySet], *types: type):
        if not types or any(t not in (int, str, list) for t in types):
            raise TypeError("RequeteCompilee : des valeurs entières, textuelles ou des listes d’entiers seulement.")
        self.fabrique = fabrique
        self.types = types
        # Per connection object (Django gives each thread its own): the compiler holds the converters
        # of that connection's database, and no two threads share one.
        self._compilees: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _marqueurs(self) -> list:
        compteurs = {int: iter(_MARQUEURS_ENTIERS), str: iter(_MARQUEURS_TEXTES), list: iter(_MARQUEURS_LISTES)}
        return [[next(compteurs[t])] if t is list else next(compteurs[t]) for t in self.types]

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
            if queryset._iterable_class in (FlatValuesListIterable, NamedValuesListIterable):
                raise ValueError("RequeteCompilee : values_list() sans flat ni named (des tuples, comme lignes()).")
            compiler = queryset.query.get_compiler(using=alias)
            sql, parametres = compiler.as_sql()
            positions = []
            for marqueur in marqueurs:
                cherche = marqueur[0] if isinstance(marqueur, list) else marqueur
                trouves = [rang for rang, valeur in enumerate(parametres) if valeur == cherche]
                if len(trouves) != 1:
                    raise ValueError(f"RequeteCompilee : la valeur {marqueur!r} doit paraître une fois dans {sql}")
                positions.append(trouves[0])
            # Where each parameter is written in the SQL (offsets of its "%s"), to write a list's
            # "IN (%s)" with as many parameters as the list has values.
            places = [m.start() for m in _PLACE.finditer(sql) if m.group() == "%s"]
            if len(places) != len(parametres):
                raise ValueError(f"RequeteCompilee : paramètres et emplacements ne correspondent pas dans {sql}")
            instances = queryset._iterable_class is ModelIterable
            compilee = self._compilees[connexion] = _Compilee(
                compiler, sql, tuple(parametres), tuple(positions), instances, tuple(places)
            )
        return compilee

    def _verifier(self, valeurs):
        if len(valeurs) != len(self.types) or any(
            type(v) is not t or (t is list and any(type(e) is not int for e in v))
            for v, t in zip(valeurs, self.types, strict=True)
        ):
            raise TypeError(f"RequeteCompilee : valeurs attendues de types {self.types}, reçu {valeurs!r}")

    def _par_l_orm(self, valeurs) -> bool:
        """Whether `valeurs` are left to the ORM: a list empty (no SQL at all) or very long, or an
        integer beyond a 32-bit column's range (an id typed in a URL: Django answers nothing found
        without asking the database, whose prepared statement would refuse it)."""
        return any(
            (not 0 < len(v) <= LISTE_MAX or not all(ENTIER_MIN <= e <= ENTIER_MAX for e in v))
            if type(v) is list
            else type(v) is int and not ENTIER_MIN <= v <= ENTIER_MAX
            for v in valeurs
        )

    def _executer(self, valeurs, using, *, instances):
        """(compiler, rows as the database gave them, alias) of the compiled query run with `valeurs`;
        `instances`: whether it must be a query of model instances, or of values."""
        using = using or router.db_for_read(self.modele)
        connexion = connections[using]
        compilee = self._compiler(connexion, using)
        if compilee.instances is not instances:
            raise TypeError(
                "RequeteCompilee : objets() lit une requête d’instances, lignes() une requête values_list()."
            )
        sql, parametres = compilee.avec(valeurs)
        with connexion.cursor() as curseur:
            nom = compilee.preparee(connexion, sql) if connexion.vendor == "postgresql" else None
            if nom is None:
                curseur.execute(sql, parametres)
            else:
                curseur.execute(f"EXECUTE {nom}({', '.join(['%s'] * len(parametres))})", parametres)
            return compilee.compiler, curseur.fetchall(), using

    def lignes(self, *valeurs, using: str | None = None) -> list[tuple]:
        """The rows of a `values_list()` query, converted as the queryset would give them."""
        self._verifier(valeurs)
        if self._par_l_orm(valeurs):
            return list(self.fabrique(*valeurs).using(using or router.db_for_read(self.modele)))
        compiler, lignes, _alias = self._executer(valeurs, using, instances=False)
        return list(compiler.results_iter(results=[lignes], tuple_expected=True))

    def objets(self, *valeurs, using: str | None = None) -> list:
        """The model instances of a query of instances, as iterating its queryset gives them: the
        fields it reads, the objects of its `select_related()`, its annotations (Django's ModelIterable,
        over the rows of the compiled SQL)."""
        self._verifier(valeurs)
        if self._par_l_orm(valeurs):
            return list(self.fabrique(*valeurs).using(using or router.db_for_read(self.modele)))
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


class _Compilee:
    """A query compiled for one connection: its compiler, SQL and parameters with the markers, where
    each value goes, and the SQL written for each length of its lists."""

    __slots__ = (
        "compiler", "sql", "parametres", "positions", "instances", "places", "_sql_par_longueurs",
        "_connexion_brute", "_preparees", "_executions", "_refusees",
    )  # fmt: skip

    def __init__(self, compiler, sql, parametres, positions, instances, places):
        self.compiler, self.sql, self.parametres, self.positions = compiler, sql, parametres, positions
        self.instances, self.places = instances, places
        self._sql_par_longueurs = {}
        # The server connection the statements below were prepared on: {SQL: statement name}, and the
        # runs of each SQL not prepared yet on it.
        self._connexion_brute = None
        self._preparees: dict[str, str] = {}
        self._executions: dict[str, int] = {}
        self._refusees: set[str] = set()

    def preparee(self, connexion, sql) -> str | None:
        """The name of `sql` prepared on the connection's current server connection, prepared now on
        its second run there; None to run it as plain SQL (first run, refused by the server, queries
        logged, or `REQUETES_PREPAREES` off: behind a pooler in transaction mode, whose server
        connections change from one transaction to the next)."""
        if not settings.REQUETES_PREPAREES or sql in self._refusees or connexion.queries_logged:
            # Queries logged (DEBUG, a test counting or reading them): run as written, so that the log
            # shows their SQL, not a statement's name.
            return None
        if connexion.connection is not self._connexion_brute:
            # A new server connection (reconnected, or the first use): nothing is prepared on it.
            self._connexion_brute = connexion.connection
            self._preparees, self._executions = {}, {}
        nom = self._preparees.get(sql)
        if nom is not None:
            return nom
        executions = self._executions[sql] = self._executions.get(sql, 0) + 1
        if executions < EXECUTIONS_AVANT_PREPARATION:
            return None
        nom = f"mentorat_requete_{next(_NOMS)}"
        numeros = itertools.count(1)
        texte = _PLACE.sub(lambda m: "%" if m.group() == "%%" else f"${next(numeros)}", sql)
        try:
            # In a savepoint: a refusal must not break the transaction around it (a test's, a view's).
            with transaction.atomic(using=connexion.alias), connexion.cursor() as curseur:
                curseur.execute(f"PREPARE {nom} AS {texte}")
        except DatabaseError:
            journal.warning("Requête compilée non préparée (exécutée telle quelle) : %s", sql, exc_info=True)
            self._refusees.add(sql)
            return None
        self._preparees[sql] = nom
        return nom

    def avec(self, valeurs) -> tuple[str, list]:
        """(SQL, parameters) of the query run with `valeurs` (each list's "IN (%s)" widened to its length)."""
        parametres = list(self.parametres)
        longueurs = tuple(len(v) for v in valeurs if type(v) is list)
        sql = self._sql_par_longueurs.get(longueurs) if longueurs else self.sql
        a_ecrire = sql is None
        if a_ecrire:
            sql = self.sql
        # From the last parameter to the first: the offsets and positions of those before stay true.
        for position, valeur in sorted(zip(self.positions, valeurs, strict=True), reverse=True):
            if type(valeur) is not list:
                parametres[position] = valeur
                continue
            parametres[position : position + 1] = valeur
            if a_ecrire:
                debut = self.places[position]
                sql = sql[:debut] + ", ".join(["%s"] * len(valeur)) + sql[debut + 2 :]
        # A handful of lengths per query (a user's LPs, a form's chosen people): kept, up to a bound.
        if a_ecrire and len(self._sql_par_longueurs) < LONGUEURS_GARDEES:
            self._sql_par_longueurs[longueurs] = sql
        return sql, parametres


def ranger_comme_prefetch(instance, relation: str, objets) -> None:
    """Keep `objets` as `instance.<relation>.all()` (a reverse foreign key), as `prefetch_related()`
    keeps what it read (Django's prefetch_one_level): for a page reading them by a compiled query.
    Each object's link back to `instance` is set too, so that reaching it costs no query."""
    descripteur = getattr(type(instance), relation, None)
    if not isinstance(descripteur, ReverseManyToOneDescriptor):
        raise TypeError(f"ranger_comme_prefetch : {relation} n’est pas une relation inverse d’une clé étrangère.")
    gestionnaire = getattr(instance, relation)
    champ = gestionnaire.field
    objets = list(objets)
    for objet in objets:
        champ.set_cached_value(objet, instance)
    queryset = gestionnaire.get_queryset()
    queryset._result_cache = objets
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[champ.remote_field.cache_name] = queryset

"""Pages of a long list spread over many groups, read group by group (issue 18).

A coordinator's séances are those of 10 LPs over 3 years: 45,000 rows in 30 dispositifs. Sorted
by date for a page of 25, PostgreSQL read and sorted all of them (≈ 50 ms of its CPU per page):
no index gives the date order across dispositifs. ``TranchesParGroupe`` asks instead, for each
group, its first rows in the list's order from an index on (group, order…), then merges these
few rows (one ``LATERAL`` join: one query, whatever the number of groups). The cost is
groups × (offset + page) index entries instead of the whole list.

Give it to a ``Paginator`` in place of the queryset::

    Paginator(TranchesParGroupe(qs, champ="dispositif", groupes=dispositifs.values("pk"),
                                ordre=["-date", "-heure", "-pk"]), 25)

``groupes`` must contain every group the queryset's rows belong to (a superset is fine: a group
without rows adds nothing); ``ordre`` must end with the primary key, so that the order is total
and the merge of the groups gives exactly the queryset's order. A `values_list()` queryset gives
its rows as tuples, which must start with the primary key. Other databases (SQLite in
development) slice the queryset as usual.
"""

from django.db import connections
from django.db.models.expressions import RawSQL

__all__ = ["TranchesParGroupe"]


def _cle(ligne):
    """The primary key of a row: a record's, or the first value of a `values_list()` row."""
    return ligne[0] if isinstance(ligne, tuple) else ligne.pk


class TranchesParGroupe:
    ordered = True  # the Paginator's check: the rows come in `ordre`

    def __init__(self, queryset, *, champ: str, groupes, ordre: list[str]):
        if not ordre or ordre[-1].lstrip("-") not in ("pk", queryset.model._meta.pk.name):
            raise ValueError("L’ordre doit finir par la clé primaire (ordre total).")
        self.queryset = queryset.order_by(*ordre)
        self.champ = champ
        self.groupes = groupes
        self.ordre = ordre

    def count(self):
        return self.queryset.count()

    def __getitem__(self, tranche):
        if not isinstance(tranche, slice) or tranche.step not in (None, 1) or tranche.stop is None:
            raise TypeError("Seule une tranche [début:fin] est lue.")
        debut, fin = tranche.start or 0, tranche.stop
        if fin <= debut:
            return []
        connexion = connections[self.queryset.db]
        if connexion.vendor != "postgresql":
            return list(self.queryset[debut:fin])
        noms = [terme.lstrip("-") for terme in self.ordre]
        # Each group's first `fin` rows, in the list's order: the outer row "g" names the group.
        interne = self.queryset.filter(**{self.champ: RawSQL("g.cle", [])}).values(*noms)[:fin]
        sql_interne, params_interne = interne.query.sql_with_params()
        sql_groupes, params_groupes = self.groupes.query.sql_with_params()
        # values() names each selected column after its field name ("pk" included).
        tri = ", ".join(
            f"t.{connexion.ops.quote_name(nom)} {'DESC' if terme.startswith('-') else 'ASC'}"
            for nom, terme in zip(noms, self.ordre, strict=True)
        )
        cle = connexion.ops.quote_name(noms[-1])
        sql = (
            f"SELECT t.{cle} FROM ({sql_groupes}) AS g(cle) CROSS JOIN LATERAL ({sql_interne}) AS t "
            f"ORDER BY {tri} OFFSET %s LIMIT %s"
        )
        with connexion.cursor() as curseur:
            curseur.execute(sql, (*params_groupes, *params_interne, debut, fin - debut))
            cles = [ligne[0] for ligne in curseur.fetchall()]
        objets = {_cle(objet): objet for objet in self.queryset.filter(pk__in=cles)}
        return [objets[cle] for cle in cles if cle in objets]

"""CHECK constraints validated in Python before a save, instead of by a query each (issue 18).

Since Django 4.1 ``Model.full_clean()`` validates each ``CheckConstraint`` by asking the database
(``SELECT 1 WHERE <condition>``, inside a savepoint when a transaction is open): saving a séance
validated its two bounds twice (its form, then the service), 12 statements and ≈ 6 ms of CPU per
POST. The project's conditions are simple (a field within bounds, or null; two fields in order;
a field equal to a value): ``Verification`` evaluates them on the instance's values with SQL's
three-valued logic (a comparison with NULL is unknown, and an unknown result passes, as in the
database), and falls back to Django's query for anything else (another lookup, a join, an
expression, values of types that do not compare).

The constraint in the database is the same ``CHECK``: ``deconstruct()`` names Django's class, so
migrations see no change. ``socle/tests/test_contraintes.py`` checks, for every constraint of
every model, that both ways agree on values around each bound.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q

__all__ = ["Verification"]

_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "gte": lambda a, b: a >= b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
    "in": lambda a, b: a in b,
}


class _NonEvaluable(Exception):
    """The condition needs the database: Django's own validation runs."""


class _Exclu(Exception):
    """The condition reads a field left out of validation (it has its own error): not checked."""


class Verification(models.CheckConstraint):
    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            resultat = _evaluer(Q(self.condition), model, instance, set(exclude or ()))
        except _Exclu:
            return
        except _NonEvaluable:
            return super().validate(model, instance, exclude=exclude, using=using)
        if resultat is False:  # None (unknown, a NULL compared) passes, as CHECK does
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)


def _valeur(model, instance, exclude, nom):
    if nom == "pk":
        nom = model._meta.pk.name
    try:
        champ = model._meta.get_field(nom)
    except FieldDoesNotExist:
        raise _NonEvaluable from None
    if not getattr(champ, "concrete", False) or champ.many_to_many or champ.one_to_many:
        raise _NonEvaluable
    if champ.name in exclude or champ.attname in exclude:
        raise _Exclu
    return getattr(instance, champ.attname)


def _comparer(model, instance, exclude, cle, attendu):
    parties = cle.split("__")
    lookup = parties.pop() if len(parties) > 1 else "exact"
    if len(parties) != 1 or (lookup not in _LOOKUPS and lookup != "isnull"):
        raise _NonEvaluable
    valeur = _valeur(model, instance, exclude, parties[0])
    if lookup == "isnull":
        if not isinstance(attendu, bool):
            raise _NonEvaluable
        return (valeur is None) == attendu
    if isinstance(attendu, F):
        if "__" in attendu.name:
            raise _NonEvaluable
        attendu = _valeur(model, instance, exclude, attendu.name)
    elif hasattr(attendu, "resolve_expression") or (lookup == "in") != isinstance(attendu, (list, tuple, set)):
        raise _NonEvaluable
    if lookup == "in" and (None in attendu or any(hasattr(a, "resolve_expression") for a in attendu)):
        raise _NonEvaluable
    if valeur is None or attendu is None:
        return None  # NULL compared: unknown
    try:
        return bool(_LOOKUPS[lookup](valeur, attendu))
    except TypeError:
        raise _NonEvaluable from None


def _evaluer(q, model, instance, exclude):
    """True, False or None (unknown) for `q` on the instance, as SQL would evaluate it."""
    resultats = []
    for enfant in q.children:
        if isinstance(enfant, Q):
            resultats.append(_evaluer(enfant, model, instance, exclude))
        else:
            resultats.append(_comparer(model, instance, exclude, *enfant))
    if q.connector == Q.AND:
        resultat = False if False in resultats else (None if None in resultats else True)
    elif q.connector == Q.OR:
        resultat = True if True in resultats else (None if None in resultats else False)
    else:
        raise _NonEvaluable
    if q.negated and resultat is not None:
        resultat = not resultat
    return resultat

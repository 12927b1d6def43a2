"""CHECK constraints validated in Python (socle.contraintes.Verification) agree with the database.

For every CHECK constraint of every model of the project: it is a `Verification` (so saving a form
asks no query per constraint), and on values around each of its bounds (and NULL) the Python
evaluation and Django's query (`Q.check`, the database's own answer) give the same verdict.
"""

import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from socle.contraintes import Verification, _evaluer

APPS = {"socle", "etablissements", "binomes", "seances", "bilans", "rgpd", "mentorat"}


def _contraintes():
    for modele in apps.get_models():
        if modele._meta.app_label not in APPS:
            continue
        for contrainte in modele._meta.constraints:
            if isinstance(contrainte, models.CheckConstraint):
                yield pytest.param(modele, contrainte, id=f"{modele._meta.label}.{contrainte.name}")


def _feuilles(q):
    for enfant in q.children:
        if isinstance(enfant, Q):
            yield from _feuilles(enfant)
        else:
            yield enfant


def _candidats(modele, nom, constantes):
    champ = modele._meta.get_field(nom)
    valeurs = {None}
    for c in constantes:
        if isinstance(c, (list, tuple, set)):
            valeurs |= set(c)
        elif isinstance(c, datetime.date):
            valeurs |= {c, c - datetime.timedelta(days=1), c + datetime.timedelta(days=1)}
        elif isinstance(c, (int, Decimal)) and not isinstance(c, bool):
            valeurs |= {c, c - 1, c + 1}
        else:
            valeurs.add(c)
    if isinstance(champ, models.DateField):
        valeurs |= {datetime.date(2026, 1, 1), datetime.date(2026, 6, 1)}
    elif isinstance(champ, models.BooleanField):
        valeurs |= {True, False}
    elif isinstance(champ, (models.IntegerField, models.DecimalField, models.ForeignKey)):
        valeurs |= {1, 5}
    elif isinstance(champ, models.CharField):
        valeurs |= {"", "x"}
    typees = [v for v in valeurs if v is None or _compatible(champ, v)]
    return sorted(typees, key=repr)


def _compatible(champ, valeur):
    if isinstance(champ, models.DateField):
        return isinstance(valeur, datetime.date)
    if isinstance(champ, models.BooleanField):
        return isinstance(valeur, bool)
    if isinstance(champ, (models.IntegerField, models.DecimalField, models.ForeignKey)):
        return isinstance(valeur, (int, Decimal)) and not isinstance(valeur, bool)
    if isinstance(champ, models.CharField):
        return isinstance(valeur, str)
    return True


def test_chaque_contrainte_est_verifiee_en_python():
    autres = [p.id for p in _contraintes() if not isinstance(p.values[1], Verification)]
    assert not autres, f"CheckConstraint à écrire avec socle.contraintes.Verification : {autres}"


@pytest.mark.django_db
@pytest.mark.parametrize(("modele", "contrainte"), list(_contraintes()))
def test_python_et_base_d_accord(modele, contrainte):
    condition = Q(contrainte.condition)
    noms, constantes = set(), []
    for cle, valeur in _feuilles(condition):
        noms.add(cle.split("__")[0])
        if isinstance(valeur, F):
            noms.add(valeur.name)
        elif not isinstance(valeur, bool) or not cle.endswith("__isnull"):
            constantes.append(valeur)
    noms = sorted(noms)
    pools = [_candidats(modele, nom, constantes) for nom in noms]
    combinaisons = list(itertools.product(*pools))
    # Every combination when they are few; a fixed sample of 150 otherwise (each asks the database).
    if len(combinaisons) > 150:
        combinaisons = random.Random(contrainte.name).sample(combinaisons, 150)
    essais = 0
    for combinaison in combinaisons:
        instance = modele()
        for nom, valeur in zip(noms, combinaison, strict=True):
            setattr(instance, modele._meta.get_field(nom).attname, valeur)
        python = _evaluer(condition, modele, instance, set())
        against = instance._get_field_expression_map(meta=modele._meta)
        base = condition.check(against)
        assert (python is not False) == base, (dict(zip(noms, combinaison, strict=True)), python, base)
        # And through the constraint's own validation.
        if base:
            contrainte.validate(modele, instance)
        else:
            with pytest.raises(ValidationError):
                contrainte.validate(modele, instance)
        essais += 1
    assert essais >= 2

"""Every form a page of the project renders: its fields written in Python equal the templates' ones.

The pages and the cast are those of the forms' fuzzing (tests/test_formulaires_hypothesis.py):
each target page is rendered (unbound forms), its form posted with wrong values (bound forms with
errors, where the view renders them again), and each form it rendered is bound to wrong values and
to nothing, then rendered with its own helper. Every field goes through socle/tests/
test_crispy_dsfr_champs.py's comparison with the templates.
"""

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.db import transaction

from socle.tests.test_crispy_dsfr_champs import MECHANT, comparaison
from tests.test_formulaires_hypothesis import (
    CIBLES,
    _connecter,
    _formulaires_rendus,
    _page,
    _url,
    monde,  # noqa: F401 (fixture)
)


def _faux(form):
    """A wrong value for every field of `form`, with the form's prefix."""
    donnees = {}
    for field in form:
        if isinstance(field.field.widget, forms.MultiWidget):
            for index in range(len(field.field.widget.widgets)):
                donnees[f"{field.html_name}_{index}"] = MECHANT
        else:
            donnees[field.html_name] = MECHANT
    return donnees


def _rendre_lie(form, donnees):
    """`form` bound to `donnees` (no file), validated and rendered with its helper."""
    form.data, form.files, form.is_bound, form._errors = donnees, {}, True, None
    form.full_clean()
    render_crispy_form(form, getattr(form, "helper", None))


def _rendre_page(client, le_monde, nom, cible, avec_erreurs):
    """The target's page, its form posted with wrong values, and each of its forms bound."""
    _connecter(client, le_monde, cible)
    url = _url(nom, cible, le_monde)
    reponse, url = _page(client, le_monde, nom, cible, url)
    rendus = [form for form in _formulaires_rendus(reponse) if not isinstance(form, forms.BaseFormSet)]
    donnees = {}
    for form in rendus:
        donnees.update(_faux(form))
    if cible.methode == "post":
        client.post(url, donnees)
    else:
        client.get(url, donnees)
    for form in rendus:
        for faux in (_faux(form), {}):
            _rendre_lie(form, faux)
            if form.errors:
                avec_erreurs.add(type(form).__name__)


@pytest.mark.django_db
def test_chaque_formulaire_des_pages_comme_les_gabarits(client, monde):  # noqa: F811
    avec_erreurs = set()
    with comparaison() as comparer:
        for nom, cible in CIBLES.items():
            with transaction.atomic():  # the wrong posts change nothing for the next page
                _rendre_page(client, monde, nom, cible, avec_erreurs)
                transaction.set_rollback(True)
    comparer.verifier()
    print(f"{len(comparer.par_python)} fields written in Python, {len(comparer.par_gabarit)} by the templates")
    assert len(comparer.par_python) > 1000
    assert any(erreurs for _nom, erreurs in comparer.par_python)
    assert len(avec_erreurs) > 50

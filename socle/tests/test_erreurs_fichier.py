"""The one table of an imported file's errors, included by every import page."""

from types import SimpleNamespace

from django.template import Context, Template


def test_legende_colonnes_et_lignes_echappees():
    gabarit = Template(
        '{% load formats %}{% with legende=n|compte:"erreur"|add:" dans le fichier" %}'
        '{% include "socle/_erreurs_fichier.html" with erreurs=e legende=legende colonne_champ="Colonne" %}'
        "{% endwith %}"
    )
    html = gabarit.render(Context({"n": 2, "e": [SimpleNamespace(ligne=3, champ="Classe", raison="<b>vide</b>")]}))
    assert "<caption>2 erreurs dans le fichier</caption>" in html
    assert '<th scope="col">Ligne</th>' in html and '<th scope="col">Colonne</th>' in html
    assert "<td>3</td>" in html and "&lt;b&gt;vide&lt;/b&gt;" in html
    assert '<table tabindex="0">' in html  # scrollable on a phone: reachable by keyboard

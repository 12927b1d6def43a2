"""socle.chemins and the built-in `{% url %}` give what Django's reverse() gives, for every URL."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from socle.chemins import chemin

from .urls_inventaire import motifs

# Named routes whose arguments are all integers, as many as each takes.
ROUTES_PAR_IDS = [
    (nom, len(re.findall(r"<int:\w+>", route)))
    for nom, route, _ in motifs()
    if nom and not nom.startswith("admin:") and re.findall(r"<(?:\w+:)?\w+>", route) == re.findall(r"<int:\w+>", route)
]
IDS = (0, 7, 12345, 9_182_736_450, 10**12)


def test_l_inventaire_compte_des_routes_par_ids_et_sans_argument():
    # Guards the test below against an empty parametrisation.
    assert sum(1 for _, n in ROUTES_PAR_IDS if n) > 50
    assert sum(1 for _, n in ROUTES_PAR_IDS if n == 0) > 50


@pytest.mark.parametrize(("nom", "nombre"), ROUTES_PAR_IDS)
def test_chemin_egale_reverse_pour_chaque_route(nom, nombre):
    for i, premier in enumerate(IDS):
        args = [premier, *IDS[i + 1 : i + nombre]][:nombre]
        args += [3] * (nombre - len(args))
        assert chemin(nom, *args) == reverse(nom, args=args)


def test_les_autres_arguments_passent_par_reverse():
    # A string, a negative number, a boolean: what reverse() answers, error included.
    assert chemin("page_publique", "0750001A") == reverse("page_publique", args=["0750001A"])
    with pytest.raises(NoReverseMatch):
        chemin("seances:detail", -1)
    with pytest.raises(NoReverseMatch):
        chemin("seances:detail", "1/2")
    with pytest.raises(NoReverseMatch):
        chemin("seances:detail", True)  # not an id, though an int to Python
    with pytest.raises(NoReverseMatch):
        chemin("nom_inconnu", 1)
    with pytest.raises(NoReverseMatch):
        chemin("seances:detail")  # an argument missing


def test_chemin_suit_le_prefixe_du_script():
    # Served under a sub-path (SCRIPT_NAME), every link carries it: the cache is per prefix.
    set_script_prefix("/mentorat/")
    try:
        assert chemin("seances:detail", 5) == "/mentorat" + "/seances/5/" == reverse("seances:detail", args=[5])
        assert chemin("accueil") == reverse("accueil")
    finally:
        set_script_prefix("/")
    assert chemin("seances:detail", 5) == "/seances/5/"


def test_la_balise_url_rend_ce_que_rend_celle_de_django():
    requete = RequestFactory().get("/")
    gabarit = Template(
        "{% url 'seances:detail' seance %}|{% url 'accueil' %}|{% url 'page_publique' uai %}|"
        "{% url 'seances:detail' pk=seance %}|{% url 'seances:detail' seance as lien %}[{{ lien }}]|"
        "{% url 'nom_inconnu' 3 as rien %}[{{ rien }}]"
    )
    rendu = gabarit.render(Context({"seance": 42, "uai": "0750001A", "request": requete}))
    assert rendu == (
        f"{reverse('seances:detail', args=[42])}|{reverse('accueil')}|{reverse('page_publique', args=['0750001A'])}|"
        f"{reverse('seances:detail', kwargs={'pk': 42})}|[{reverse('seances:detail', args=[42])}]|[]"
    )
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nom_inconnu' 3 %}").render(Context({}))

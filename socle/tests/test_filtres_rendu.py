"""A list's filter form is drawn once per process for the same inputs (`DsfrFilterSet.html`, issue 18).

What must hold: the HTML is exactly what `{% crispy filtre.form %}` draws; it is drawn again as soon
as anything it shows changes (an option, its label, a value chosen, the filter set's class); a form
with errors is always drawn (its messages are the user's own).
"""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from binomes.filters import BinomeFiltre, EleveFiltre, MentorFiltre
from binomes.models import Binome, Eleve, Mentor
from etablissements.filters import DispositifFiltre, EntrepriseFiltre, PartenaireFiltre
from etablissements.models import Dispositif, Entreprise, Etablissement, Partenaire
from etablissements.tests.factories import EntrepriseFactory, FormationFactory
from seances.filters import SeanceFiltre
from seances.models import Seance
from socle import filters
from socle.filters import JournalFiltre
from socle.models import JournalAcces

pytestmark = pytest.mark.django_db

CRISPY = Template("{% load crispy_forms_tags %}{% crispy filtre.form %}")


def _tous(lp, donnees):
    return [
        BinomeFiltre(donnees, Binome.objects.none(), etablissement=lp),
        EleveFiltre(donnees, Eleve.objects.none(), etablissement=lp),
        MentorFiltre(donnees, Mentor.objects.none(), etablissement=lp),
        SeanceFiltre(donnees, queryset=Seance.objects.none(), etablissements=Etablissement.objects.all()),
        EntrepriseFiltre(donnees, queryset=Entreprise.objects.all()),
        PartenaireFiltre(donnees, queryset=Partenaire.objects.all()),
        DispositifFiltre(donnees, queryset=Dispositif.objects.all(), etablissements=Etablissement.objects.all()),
        JournalFiltre(donnees, queryset=JournalAcces.objects.none()),
    ]


@pytest.fixture
def dessins(monkeypatch):
    """The filter forms actually drawn (not served from memory), by class name."""
    faits = []
    dessiner = filters.render_crispy_form

    def compter(form, helper):
        faits.append(type(form).__name__)
        return dessiner(form, helper)

    monkeypatch.setattr(filters, "render_crispy_form", compter)
    return faits


@pytest.mark.parametrize(
    "donnees",
    [None, {"page": "2"}, {"classe": "1MV2", "nom": "Gar", "type": "collective"}, {"depuis": "32/13"}],
    ids=["vierge", "page", "valeurs", "erreur"],
)
def test_meme_html_que_crispy(cast, donnees, dessins):
    EntrepriseFactory(etablissement=cast.lp_a, nom="Menuiserie <Durand> & fils", secteur="Bois")
    FormationFactory(etablissement=cast.lp_a)
    avec_erreurs = 0
    for filtre in _tous(cast.lp_a, donnees):
        attendu = CRISPY.render(Context({"filtre": filtre}))
        assert filtre.html == attendu, type(filtre).__name__
        # A new filter set of the same inputs: the same HTML, from memory unless the form has errors
        # (then drawn each time, with its messages).
        autre = type(filtre)(donnees, queryset=filtre.queryset, **_extra(filtre, cast))
        assert autre.html == attendu, type(filtre).__name__
        nom = f"{type(filtre).__name__}Form"
        assert dessins.count(nom) == (2 if filtre.form.errors else 1), nom
        avec_erreurs += bool(filtre.form.errors)
    assert len(dessins) == 8 + avec_erreurs
    if donnees and "depuis" in donnees:
        # An impossible date: the séances' and the journal's forms show the message.
        assert avec_erreurs == 2
        assert (
            "Saisissez une date valide"
            in SeanceFiltre(donnees, queryset=Seance.objects.none(), etablissements=Etablissement.objects.all()).html
        )
    else:
        # Only the partners' type refuses « collective » (a séance's type).
        assert avec_erreurs == (1 if donnees and "type" in donnees else 0)


def _extra(filtre, cast):
    if isinstance(filtre, (BinomeFiltre, EleveFiltre, MentorFiltre)):
        return {"etablissement": cast.lp_a}
    if isinstance(filtre, (SeanceFiltre, DispositifFiltre)):
        return {"etablissements": Etablissement.objects.all()}
    return {}


def test_redessine_quand_ce_qu_il_montre_change(cast, dessins):
    entreprise = EntrepriseFactory(etablissement=cast.lp_a, nom="Garage Martin")

    def html(donnees=None, lp=cast.lp_a):
        return BinomeFiltre(donnees, Binome.objects.none(), etablissement=lp).html

    premier = html()
    assert html() == premier and len(dessins) == 1
    # A new option, a renamed one, another LP's options, a value chosen: drawn again, showing it.
    EntrepriseFactory(etablissement=cast.lp_a, nom="Boulangerie Petit")
    assert "Boulangerie Petit" in html() and len(dessins) == 2
    entreprise.nom = "Garage Martin et fils"
    entreprise.save()
    assert "Garage Martin et fils" in html() and len(dessins) == 3
    assert "Garage Martin" not in html(lp=cast.lp_b) and len(dessins) == 4
    choisi = html({"entreprise": str(entreprise.pk)})
    assert f'<option value="{entreprise.pk}" selected>' in choisi and len(dessins) == 5
    assert html({"entreprise": str(entreprise.pk)}) == choisi and len(dessins) == 5
    # Another list with the same options is its own form.
    assert "Garage Martin et fils" in MentorFiltre(None, Mentor.objects.none(), etablissement=cast.lp_a).html
    assert len(dessins) == 6


def test_memoire_bornee(cast, dessins, monkeypatch):
    monkeypatch.setattr(filters, "_RENDUS_MAX", 3)

    def html(classe):
        return BinomeFiltre({"classe": classe}, Binome.objects.none(), etablissement=cast.lp_a).html

    for rang in range(5):
        assert f'value="C{rang}"' in html(f"C{rang}")
    assert len(filters._RENDUS) == 3
    # The oldest were forgotten: drawn again; the latest are served from memory.
    assert 'value="C4"' in html("C4")
    assert 'value="C0"' in html("C0")
    assert len(dessins) == 6


def test_page_de_liste(client, cast, dessins):
    """The list pages draw their filter form through `filtre.html`: the second view draws nothing."""
    client.force_login(cast.referent_a)

    def page(nom):
        # The page's CSRF token (the sign-out form) changes at each view.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get(reverse(nom)).content.decode())

    for nom in ("binomes:binomes", "binomes:eleves", "binomes:mentors", "seances:liste"):
        premiere = page(nom)
        assert page(nom) == premiere
        assert 'method="get"' in premiere and ">Filtrer<" in premiere.replace("\n", "").replace(" ", "")
    assert len(dessins) == 4

"""The forms of the pages seen all day are drawn once per process for the same inputs (socle.dessins,
issue 18): the lists' filter forms (`DsfrFilterSet.html`) and the séance entry form.

What must hold: the HTML is exactly what `{% crispy form %}` draws; it is drawn again as soon as
anything it shows changes (an option, its label, a value chosen, the class); a form with errors is
always drawn (its messages are the user's own), and so is a form whose drawing holds a CSRF token.
"""

import re

import pytest
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from binomes.filters import BinomeFiltre, EleveFiltre, MentorFiltre
from binomes.models import Binome, Eleve, Mentor
from binomes.tests.factories import BinomeFactory
from etablissements.filters import DispositifFiltre, EntrepriseFiltre, PartenaireFiltre
from etablissements.models import Dispositif, Entreprise, Etablissement, Partenaire
from etablissements.tests.factories import EntrepriseFactory, FormationFactory
from seances.filters import SeanceFiltre
from seances.forms import SeanceForm
from seances.models import Seance
from socle import dessins as memoire
from socle.crispy_dsfr import DsfrFormHelper
from socle.dessins import dessiner
from socle.filters import JournalFiltre
from socle.models import JournalAcces

pytestmark = pytest.mark.django_db

CRISPY = Template("{% load crispy_forms_tags %}{% crispy filtre.form %}")
CRISPY_FORM = Template("{% load crispy_forms_tags %}{% crispy form %}")


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
    dessiner_vraiment = memoire.render_crispy_form

    def compter(form, helper, contexte=None):
        faits.append(type(form).__name__)
        return dessiner_vraiment(form, helper, contexte)

    monkeypatch.setattr(memoire, "render_crispy_form", compter)
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
    monkeypatch.setattr(memoire._DESSINS, "maximum", 3)

    def html(classe):
        return BinomeFiltre({"classe": classe}, Binome.objects.none(), etablissement=cast.lp_a).html

    for rang in range(5):
        assert f'value="C{rang}"' in html(f"C{rang}")
    assert len(memoire._DESSINS) == 3
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


# --- The séance entry form ----------------------------------------------------------------------


def test_formulaire_de_seance_comme_crispy(cast, dessins):
    """The séance form, blank then sent back with errors: what `{% crispy form %}` draws, the blank
    one drawn once, the one with errors every time (with its message)."""
    vierge = SeanceForm(instance=Seance(dispositif=cast.dispositif_a))
    attendu = CRISPY_FORM.render(Context({"form": vierge}))
    assert "csrfmiddlewaretoken" not in attendu  # the page's form writes the token, not the drawing
    assert dessiner(vierge) == attendu
    assert dessiner(SeanceForm(instance=Seance(dispositif=cast.dispositif_a))) == attendu
    assert dessins == ["SeanceForm"]
    erronees = {"type": "entretien", "date": "31/02/2026", "statut": "tenue", "duree": "60", "lieu": "lycee"}
    for _ in range(2):
        form = SeanceForm(erronees, instance=Seance(dispositif=cast.dispositif_a))
        html = dessiner(form)
        assert html == CRISPY_FORM.render(Context({"form": form}))
        assert "Saisissez une date valide" in html
    assert dessins == ["SeanceForm"] * 3  # each form with errors drawn again


def test_un_jeton_csrf_n_est_jamais_garde(cast, dessins):
    """A helper that writes the request's CSRF token is drawn every time, with each request's token."""

    class AvecJeton(forms.Form):
        nom = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = DsfrFormHelper(self)

    jetons = []
    for _ in range(2):
        requete = RequestFactory().get("/")
        html = Template("{% load crispy_dsfr_tags %}{% crispy_memorise form %}").render(
            RequestContext(requete, {"form": AvecJeton()})
        )
        jetons.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert len(set(jetons)) == 2 and dessins == ["AvecJeton"] * 2


def _formulaire_nom(classe, mise_en_page):
    """A form class named `classe` with one field, `nom`, drawn without a <form> tag in the layout object
    `mise_en_page()` builds (one per form, as a form's helper is)."""

    def __init__(self, *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.helper = DsfrFormHelper(self, submit_label=None)
        self.helper.form_tag = False
        self.helper.layout = Layout(mise_en_page())

    return type(classe, (forms.Form,), {"nom": forms.CharField(), "__init__": __init__})


def test_des_morceaux_html_lisent_la_page(cast, dessins):
    """`HTML` pieces of a layout read the page's context: such a form is drawn every time, with it."""

    AvecMorceau = _formulaire_nom("AvecMorceau", lambda: Fieldset("Qui", "nom", HTML("<p>Bonjour {{ qui }}</p>")))
    gabarit = Template("{% load crispy_dsfr_tags %}{% crispy_memorise form %}")
    for qui in ("Léa", "Omar"):
        assert f"<p>Bonjour {qui}</p>" in gabarit.render(Context({"form": AvecMorceau(), "qui": qui}))
    assert dessins == ["AvecMorceau"] * 2


def test_page_de_saisie(client, cast, dessins):
    """The entry page draws its form through `{% crispy_memorise %}`: the second blank page draws nothing,
    and its one CSRF token per form is the request's own."""
    BinomeFactory(dispositif=cast.dispositif_a, mentor__verifie=True)
    client.force_login(cast.coordonnateur_a)
    url = reverse("seances:nouvelle")
    pages = [client.get(url).content.decode() for _ in range(2)]
    assert dessins == ["SeanceForm"]
    saisie = [re.search(r'<form method="post" id="saisie-seance">(.*?)</form>', page, re.S).group(1) for page in pages]
    assert [s.count("csrfmiddlewaretoken") for s in saisie] == [1, 1]
    assert 'name="date"' in saisie[0] and 'name="p-TOTAL_FORMS"' in saisie[0]


def test_une_mise_en_page_qui_ne_fait_pas_de_cle_est_dessinee_a_chaque_fois(cast, dessins):
    """A layout object referring to itself (a cycle): no key can say it, the form is drawn every time."""

    class Boucle(Div):
        def __init__(self, *champs):
            super().__init__(*champs)
            self.moi = self

    AvecBoucle = _formulaire_nom("AvecBoucle", lambda: Boucle("nom"))
    for _ in range(2):
        assert 'name="nom"' in dessiner(AvecBoucle())
    assert dessins == ["AvecBoucle"] * 2

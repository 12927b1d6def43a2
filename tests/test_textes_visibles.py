"""A sweep of the pages of the main journeys, as their users read them: real plurals (no « (s) »),
no space before a comma in lists, and the cast's figures in the French format."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from binomes.tests.factories import BinomeFactory, EleveFactory
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.tests.factories import AffectationFactory, DispositifFactory, EntrepriseFactory, LigneBudgetFactory
from seances.models import Participation, Presence
from seances.tests.factories import EvenementFactory, SeanceFactory
from socle.roles import Role
from tests.urls_inventaire import OBJETS_DU_LP_A, motifs

# Files, feeds and actions: no page to read.
NON_PAGES = re.compile(r"export|telecharger|ical|calendrier|\.ics|deconnexion|logout|admin:|sante|api")
LECTEURS = ["referent_a", "chef_a", "coordonnateur_a", "mentor_a", "cpe_a", "pilotage", "pilotage_national"]


class _Texte(HTMLParser):
    """The text a person reads: the character data outside scripts and styles, whitespace collapsed."""

    CACHES = {"script", "style", "template", "head"}

    def __init__(self):
        super().__init__()
        self.morceaux, self.cache = [], 0

    def handle_starttag(self, tag, attrs):
        self.cache += tag in self.CACHES

    def handle_endtag(self, tag):
        self.cache -= tag in self.CACHES and self.cache > 0

    def handle_data(self, data):
        if not self.cache:
            self.morceaux.append(data)


def texte_visible(html: str) -> str:
    analyseur = _Texte()
    analyseur.feed(html)
    # Collapse HTML whitespace only: the no-break spaces of French figures stay.
    return re.sub(r"[ \t\n\r\f]+", " ", "".join(analyseur.morceaux)).strip()


def test_le_texte_visible_colle_les_virgules():
    assert texte_visible("<td><a>Léa</a> (absente), <a>Tom</a></td><script>x , y</script>") == "Léa (absente), Tom"
    assert texte_visible("<p>Léa\n   , Tom</p>") == "Léa , Tom"


def _pages(cast):
    for nom, route, _vue in motifs():
        if not nom or NON_PAGES.search(nom) or NON_PAGES.search(route):
            continue
        if nom in OBJETS_DU_LP_A:
            yield reverse(nom, kwargs=OBJETS_DU_LP_A[nom](cast))
        elif "<" not in route:
            yield reverse(nom)


@pytest.fixture
def donnees(cast):
    """Lists where commas join items: a collective séance with students (a girl absent without
    excuse), an event with two companies, an ended binôme, a past year, two chefs, a séance's place."""
    binomes = [
        BinomeFactory(dispositif=cast.dispositif_a, eleve=EleveFactory(etablissement=cast.lp_a, sexe=sexe))
        for sexe in ("F", "M")
    ]
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binomes[0], lieu_precision="salle B12")
    Participation.objects.create(seance=seance, eleve=binomes[1].eleve, presence=Presence.ABSENT_NON_EXCUSE)
    Participation.objects.filter(seance=seance, eleve=binomes[0].eleve).update(presence=Presence.ABSENT_NON_EXCUSE)
    SeanceFactory(dispositif=cast.dispositif_a, binome=binomes[0], prevue=True, lieu_precision="salle B12")
    evenement = EvenementFactory(dispositif=cast.dispositif_a)
    evenement.entreprises_invitees.set([EntrepriseFactory(), EntrepriseFactory()])
    fini = BinomeFactory(
        dispositif=cast.dispositif_a, date_fin=datetime.date(2026, 11, 20), fin_saisie_par=cast.referent_a
    )
    DispositifFactory(etablissement=cast.lp_a, annee=annee_scolaire_courante() - 1)
    AffectationFactory(role=Role.CHEF, etablissement=cast.lp_a)
    # The national pilot is not in the shared cast: only these sweeps read as one.
    cast.pilotage_national = AffectationFactory(pilotage_national=True).user
    extra = [
        reverse("seances:evenement", args=[evenement.pk]),
        reverse("binomes:binome", args=[fini.pk]),
        reverse("seances:detail", args=[seance.pk]),
    ]
    return binomes, extra


@pytest.mark.django_db
def test_ni_s_entre_parentheses_ni_espace_avant_une_virgule(client, cast, donnees):
    _binomes, extra = donnees
    pages = list(dict.fromkeys([*_pages(cast), *extra]))
    lues, fautes = 0, []
    for lecteur in LECTEURS:
        client.force_login(getattr(cast, lecteur))
        for url in pages:
            reponse = client.get(url)
            if reponse.status_code != 200 or "text/html" not in reponse.get("Content-Type", ""):
                continue
            lues += 1
            texte = texte_visible(reponse.content.decode())
            for motif in ("(s)", " ,"):
                for m in re.finditer(re.escape(motif), texte):
                    fautes.append(f"{lecteur} {url}: « …{texte[max(0, m.start() - 40) : m.end() + 20]}… »")
    assert lues > 60, lues  # the sweep really read the pages
    assert not fautes, "\n".join(fautes)


@pytest.mark.django_db
def test_la_liste_des_seances_accorde_et_ponctue(client, cast, donnees):
    fille, garcon = (b.eleve for b in donnees[0])
    client.force_login(cast.referent_a)
    texte = texte_visible(client.get(reverse("seances:liste")).content.decode())
    assert f"{fille} (absente non excusée)" in texte
    assert f"{garcon} (absent non excusé)" in texte


@pytest.mark.django_db
def test_le_budget_en_euros_a_la_francaise(client, cast):
    LigneBudgetFactory(dispositif=cast.dispositif_a, montant=Decimal("2100"))
    client.force_login(cast.referent_a)
    texte = texte_visible(client.get(reverse("etablissements:budget", args=[cast.dispositif_a.pk])).content.decode())
    assert "2\xa0100,00\xa0€" in texte

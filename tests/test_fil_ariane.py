"""Sweep: every page below the first level shows the DSFR breadcrumb, and no two pages share a <title>.

Every URL pattern of the project is opened once with GET, on objects of LP A, by the first user of
the cast who reads it (the référent of LP A first, then roles held elsewhere, then anonymously).
The first level is the home page and the pages of the main menu (socle/navigation.py MENU).
"""

from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from binomes.models import Mentor
from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.models import Convention
from etablissements.tests.factories import AffectationFactory
from seances.tests import factories as seances_f
from socle.navigation import MENU
from socle.tests.factories import UserFactory
from tests.test_get_sans_ecriture import ARGUMENTS, _noms

PREMIER_NIVEAU = {"accueil", "login"} | {entree.url_name for entree in MENU}
# Pages opened from a link sent to someone without an account (a survey, an invitation): the
# trail would lead to a home page they cannot open.
PAGES_D_ENTREE_PAR_LIEN = {
    "bilans:repondre",
    "seances:avis_repondre",
    "seances:invitation_repondre",
    "invitation",
    "page_publique",
    "seances:rappel",
    # The LP's public signalement form, opened by a student or a parent from a poster or a QR code.
    "seances:signalement_public",
    "seances:signalement_envoye",
}


def _convention(cast, **etat):
    convention = cast.dispositif_a.conventions.get()
    Convention.objects.filter(pk=convention.pk).update(**etat)
    return {"pk": convention.pk}


# Pages shown only in a given state (each page's setup is rolled back after its GET).
ETATS = {
    "etablissements:convention_modifier": lambda cast: _convention(
        cast, statut="brouillon", date_signature_etablissement=None, date_signature_partenaire=None
    ),
    "etablissements:convention_signer": lambda cast: _convention(
        cast, statut="soumise", date_signature_etablissement=None, date_signature_partenaire=None
    ),
    "etablissements:convention_signer_partenaire": lambda cast: _convention(
        cast, statut="soumise", date_signature_etablissement=None, date_signature_partenaire=None
    ),
    # A séance to come of the mentor's binôme: whose absence is still to declare.
    "seances:declarer_absence": lambda cast: {
        "pk": seances_f.SeanceFactory(
            dispositif=cast.dispositif_a,
            prevue=True,
            binome=BinomeFactory(dispositif=cast.dispositif_a, mentor=Mentor.objects.get(user=cast.mentor_a)),
        ).pk
    },
}
# Two addresses of one page: the menu's « Cadre du dispositif » is the current LP's own page.
MEMES_PAGES = {"etablissements:etablissement": "etablissements:detail"}


class Page(HTMLParser):
    """The <title>, and the items of the nav.fr-breadcrumb: (href, aria-current, text) each."""

    def __init__(self):
        super().__init__()
        self.titre, self.fil, self.dans_titre, self.dans_fil, self.lien = "", None, False, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title" and not self.titre:  # the page's, not an SVG chart's <title>
            self.dans_titre = True
        elif tag == "nav" and "fr-breadcrumb" in (attrs.get("class") or "").split():
            self.dans_fil, self.fil = True, []
        elif tag == "a" and self.dans_fil:
            self.lien = [attrs.get("href"), attrs.get("aria-current"), ""]
            self.fil.append(self.lien)

    def handle_endtag(self, tag):
        if tag == "title":
            self.dans_titre = False
        elif tag == "nav":
            self.dans_fil = False
        elif tag == "a":
            self.lien = None

    def handle_data(self, data):
        if self.dans_titre:
            self.titre += data
        elif self.lien is not None:
            self.lien[2] += data


def _normaliser(texte):
    return " ".join(texte.split())


@pytest.mark.django_db
def test_fil_d_ariane_et_titres_distincts(cast, settings):
    # The administrators' second factor has its own tests (socle); this sweep is about the pages.
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    seances_f.SeanceFactory(
        dispositif=cast.dispositif_a, binome=BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    )
    admin_academique = UserFactory()
    AffectationFactory(user=admin_academique, admin_academique=True, academie=cast.lp_a.academie)
    responsable = UserFactory()
    AffectationFactory(user=responsable, responsable=True, partenaire=cast.partenaire_a)
    pilote_national = AffectationFactory(pilotage_national=True).user
    lecteurs = []
    for user in (
        cast.referent_a,
        cast.chef_a,
        cast.cpe_a,
        admin_academique,
        cast.pilotage,
        pilote_national,
        responsable,
        cast.mentor_a,
    ):
        client = Client()
        client.force_login(user)
        lecteurs.append(client)
    lecteurs.append(Client())

    sans_fil, titres, lues = [], defaultdict(list), []
    for nom in _noms():
        with transaction.atomic():
            arguments = ETATS.get(nom) or ARGUMENTS.get(nom)
            url = reverse(nom, kwargs=arguments(cast) if arguments else None)
            for client in lecteurs:
                reponse = client.get(url)
                if reponse.status_code == 200:
                    break
            transaction.set_rollback(True)
        if reponse.status_code != 200 or not reponse["Content-Type"].startswith("text/html"):
            continue
        lues.append(nom)
        page = Page()
        page.feed(reponse.content.decode())
        titres[_normaliser(page.titre)].append(MEMES_PAGES.get(nom, nom))
        if nom in PREMIER_NIVEAU or nom in PAGES_D_ENTREE_PAR_LIEN:
            continue
        fil = page.fil or []
        if not (
            len(fil) >= 2
            and fil[0][0] == "/"
            and _normaliser(fil[0][2]) == "Accueil"
            and fil[-1][1] == "page"
            and not any(item[1] for item in fil[:-1])
        ):
            sans_fil.append(f"{nom} ({url}) : {fil}")

    # The sweep really opened the project's pages, those of every kind of role among them.
    assert len(lues) > 80, lues
    assert {"etablissements:academie", "etablissements:lycee_creer", "binomes:honorabilite_saisir"} <= set(lues)
    assert {"seances:calendrier", "password_reset", "accessibilite", "etablissements:budget"} <= set(lues)
    assert "bilans:national" in lues
    assert set(ETATS) <= set(lues)
    doublons = {titre: noms for titre, noms in titres.items() if len(set(noms)) > 1}
    assert not sans_fil, "Pages sans fil d’Ariane DSFR correct :\n" + "\n".join(sans_fil)
    assert not doublons, "Titres partagés par plusieurs pages :\n" + "\n".join(
        f"« {titre} » : {', '.join(noms)}" for titre, noms in doublons.items()
    )


def test_fil_ariane_echappe_les_libelles_et_accepte_une_liste():
    gabarit = Template("{% fil_ariane fil nom '/x/' %}{{ page }}{% endfil_ariane %}")
    html = gabarit.render(Context({"fil": [("Élèves", "binomes:eleves")], "nom": "<b>Léa</b>", "page": "<i>"}))
    page = Page()
    page.feed(html)
    assert [(href, texte.strip()) for href, _courant, texte in page.fil] == [
        ("/", "Accueil"),
        (reverse("binomes:eleves"), "Élèves"),
        ("/x/", "<b>Léa</b>"),
        (None, "<i>"),
    ]
    assert "<b>" not in html and "<i>" not in html
    assert page.fil[-1][1] == "page"

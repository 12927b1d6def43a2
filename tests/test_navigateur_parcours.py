"""In Chromium at a phone's size (390 × 844): the pages of every role's main journey fit the screen
(the document never scrolls sideways; a wide table scrolls inside its own frame) and axe-core finds
no serious or critical accessibility violation on them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory, ReunionAppariementFactory
from etablissements.tests.factories import VersionCadrageFactory
from seances.models import Presence
from seances.tests.factories import (
    AlerteFactory,
    EntretienAbsenceFactory,
    ParticipationFactory,
    ReunionSuiviFactory,
    SeanceFactory,
)

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

TELEPHONE = {"width": 390, "height": 844}


class Parcours:
    """The LP A of the cast with what each page lists: binômes, séances, absences, a pairing meeting…"""

    def __init__(self, cast):
        mentor = MentorFactory(
            etablissement=cast.lp_a,
            user=cast.mentor_a,
            verifie=True,
            prenom="Nadia",
            nom="Benali-Fontaine-de-la-Croix-Rousse",
            email="nadia.benali-fontaine@entreprise-de-maintenance-industrielle.fr",
        )
        # Long words are what push a phone's page sideways: a compound name, a long email.
        eleve = EleveFactory(
            etablissement=cast.lp_a, prenom="Jean-Baptiste", nom="Constantinopoulos-Vandenberghe", classe="1MELEC"
        )
        self.binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, eleve=eleve)
        autres = BinomeFactory.create_batch(3, dispositif=cast.dispositif_a)
        self.seance = SeanceFactory(dispositif=cast.dispositif_a, binome=self.binome)
        for binome in autres:
            SeanceFactory(dispositif=cast.dispositif_a, binome=binome)
        absente = ParticipationFactory(
            seance=self.seance, eleve=autres[0].eleve, presence=Presence.ABSENT_NON_EXCUSE
        ).eleve
        EntretienAbsenceFactory(seance=self.seance, eleve=absente)
        SeanceFactory(dispositif=cast.dispositif_a, binome=self.binome, prevue=True)
        self.eleve = eleve
        self.reunion = ReunionAppariementFactory(dispositif=cast.dispositif_a)
        EleveFactory.create_batch(2, etablissement=cast.lp_a)
        VersionCadrageFactory(dispositif=cast.dispositif_a)
        ReunionSuiviFactory(dispositif=cast.dispositif_a)
        AlerteFactory(destinataire=cast.referent_a, etablissement=cast.lp_a)
        self.dispositif = cast.dispositif_a
        self.convention = cast.dispositif_a.conventions.get()


@pytest.fixture
def parcours(cast):
    return Parcours(cast)


def connexion(page, email):
    page.goto(reverse("login"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def defauts(page, chemin):
    """What is wrong with the page at `chemin`: sideways scrolling, serious or critical axe violations."""
    reponse = page.goto(chemin)
    if reponse.status != 200:
        return [f"{chemin} : réponse {reponse.status}"]
    trouves = []
    largeur, fenetre = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if largeur > fenetre:
        # Name the widest elements sticking out, to say what to fix.
        depassent = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             && !e.closest('.fr-table'))
                .slice(0, 5)
                .map(e => e.tagName + '.' + [...e.classList].join('.'))"""
        )
        trouves.append(f"{chemin} : largeur {largeur} > {fenetre} ({depassent})")
    resultats = Axe().run(page)
    for violation in resultats.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            cibles = [noeud["target"] for noeud in violation["nodes"]][:3]
            trouves.append(f"{chemin} : axe {violation['id']} ({violation['impact']}) {cibles}")
    return trouves


def parcourir(page, email, chemins):
    page.set_viewport_size(TELEPHONE)
    if email:
        connexion(page, email)
    trouves = [defaut for chemin in chemins for defaut in defauts(page, chemin)]
    assert not trouves, "\n".join(trouves)


def test_pages_sans_compte(page, live_server):
    parcourir(page, None, [reverse("login")])


def test_parcours_du_referent(page, cast, parcours):
    d = parcours.dispositif.pk
    parcourir(
        page,
        "referent.a@exemple.fr",
        [
            reverse("accueil"),
            reverse("etablissements:etablissement"),
            reverse("etablissements:dispositif", args=[d]),
            reverse("etablissements:convention", args=[parcours.convention.pk]),
            reverse("etablissements:cadrage", args=[d]),
            reverse("etablissements:equipe", args=[d]),
            reverse("binomes:eleves"),
            reverse("binomes:eleve", args=[parcours.eleve.pk]),
            reverse("binomes:mentors"),
            reverse("binomes:binomes"),
            reverse("binomes:binome", args=[parcours.binome.pk]),
            reverse("binomes:reunion", args=[parcours.reunion.pk]),
            reverse("seances:liste"),
            reverse("seances:entretiens"),
            reverse("seances:alertes"),
            reverse("seances:reunions"),
            reverse("bilans:bilan"),
            reverse("bilans:rapport", args=[d]),
        ],
    )


def test_parcours_du_chef(page, cast, parcours):
    parcourir(
        page,
        "chef.a@exemple.fr",
        [reverse("accueil"), reverse("bilans:bilan"), reverse("bilans:rapport", args=[parcours.dispositif.pk])]
        + [reverse("journal")],
    )


def test_parcours_du_coordonnateur(page, cast, parcours):
    parcourir(
        page,
        "coordonnateur.a@exemple.fr",
        [
            reverse("accueil"),
            reverse("seances:nouvelle"),
            reverse("seances:modifier", args=[parcours.seance.pk]),
            reverse("seances:nouvelle") + "?tous=1",
            reverse("seances:liste"),
        ],
    )


def test_parcours_du_mentor(page, cast, parcours):
    parcourir(
        page,
        "mentor.a@exemple.fr",
        [
            reverse("accueil"),
            reverse("binomes:binomes"),
            reverse("binomes:binome", args=[parcours.binome.pk]),
            reverse("seances:detail", args=[parcours.seance.pk]),
        ],
    )

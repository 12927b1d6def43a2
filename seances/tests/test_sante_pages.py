"""The pair's health where the référent reads it: the binôme page (with the student's answers) and
the dashboard; acceptance 2's health part: a student's « no » shows in the pair's health."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binomes.models import StatutBinome
from binomes.tests.factories import BinomeFactory, MentorFactory
from seances.alertes import alertes_calculer
from seances.models import Continuer, Presence
from seances.tests.factories import AvisEleveFactory, EpisodeRisqueFactory, NoteMentorFactory, SeanceFactory
from tests.outils import requetes_constantes

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def gele():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 7, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def binome(cast):
    b = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))
    SeanceFactory(dispositif=cast.dispositif_a, binome=b, date=datetime.date(2026, 11, 23))
    return b


def page(client, user, binome):
    client.force_login(user)
    return client.get(reverse("binomes:binome", args=[binome.pk]))


def test_la_reponse_non_de_l_eleve_apparait_dans_la_sante_du_binome(client, cast, binome):
    """Acceptance 2, health part: the answer shows in the pair's health on the binôme page, and in no
    other page naming the student (the dashboard and the alerts point to the binôme page instead)."""
    texte = page(client, cast.referent_a, binome).content.decode()
    assert "Santé du binôme" in texte and "Bonne" in texte
    assert "L’élève n’a pas encore répondu." in texte
    AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, 24), continuer=Continuer.NON)
    texte = page(client, cast.referent_a, binome).content.decode()
    assert "En risque" in texte
    assert "L’élève ne souhaite pas continuer" in texte
    assert "24/11/2026" in texte and "Je ne sais pas" not in texte
    with time_machine.travel(datetime.datetime(2026, 11, 25, 7, 0, tzinfo=PARIS), tick=False):
        alertes_calculer()
    for url in (reverse("accueil"), reverse("seances:alertes")):
        ailleurs = client.get(url).content.decode()
        assert str(binome.eleve) in ailleurs, url
        assert "ne souhaite pas continuer" not in ailleurs, url


def test_seul_le_referent_lit_la_sante_et_les_reponses(client, cast, binome):
    """The reasons repeat the student's answers: the chef, the CPE and the coordinator read the page
    without them; the mentor of the pair too."""
    binome.mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    binome.save()
    AvisEleveFactory(binome=binome, continuer=Continuer.NON)
    for user in (cast.chef_a, cast.cpe_a, cast.coordonnateur_a, cast.mentor_a):
        reponse = page(client, user, binome)
        assert reponse.status_code == 200, user
        texte = reponse.content.decode()
        assert "Santé du binôme" not in texte and "ne souhaite pas continuer" not in texte, user


def test_le_referent_d_un_autre_lp_ne_voit_pas_le_binome(client, cast, binome):
    assert page(client, cast.referent_b, binome).status_code == 404


def test_tableau_de_bord_du_referent_liste_les_binomes_en_risque(client, cast, binome):
    AvisEleveFactory(binome=binome, continuer=Continuer.NON)
    surveille = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))
    SeanceFactory(dispositif=cast.dispositif_a, binome=surveille, date=datetime.date(2026, 11, 2))
    BinomeFactory(dispositif=cast.dispositif_b, date_debut=datetime.date(2026, 9, 1))  # LP B, at risk: not here
    client.force_login(cast.referent_a)
    texte = client.get(reverse("accueil")).content.decode()
    assert "1 binôme en risque" in texte
    assert f'href="{reverse("binomes:binome", args=[binome.pk])}"' in texte
    # The dashboard names the student: their answer itself shows on the binôme page only.
    assert "Les réponses de l’élève appellent l’attention (voir la page du binôme)" in texte
    assert "ne souhaite pas continuer" not in texte
    assert "1 binôme à surveiller" in texte
    assert str(surveille.eleve) not in texte
    # The chef reads the dashboard without the pairs' health.
    client.force_login(cast.chef_a)
    assert "Santé des binômes" not in client.get(reverse("accueil")).content.decode()


def test_tableau_de_bord_du_referent_en_requetes_constantes(client, cast):
    def binome_en_risque():
        b = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))
        s = SeanceFactory(dispositif=cast.dispositif_a, binome=b, date=datetime.date(2026, 11, 23))
        s.participations.filter(eleve__isnull=False).update(presence=Presence.ABSENT_NON_EXCUSE)
        NoteMentorFactory(seance=s, mentor=b.mentor, difficulte=True)
        AvisEleveFactory(binome=b, continuer=Continuer.NON)

    binome_en_risque()
    client.force_login(cast.referent_a)

    def plus():
        for _ in range(8):
            binome_en_risque()

    # The référent's dashboard (11: the frise's evidence read with the dispositif's row; no own
    # indicator to read, said by that row), the needs flagged in the mentors' notes (1) and the
    # health of all the LP's pairs (3: the pairs with their latest answers, their séances, the
    # notes), computed when something it reads was written, whatever the number of pairs; else
    # read from the cache.
    with CaptureQueriesContext(connection) as premiere:
        client.get(reverse("accueil"))
    with CaptureQueriesContext(connection) as seconde:
        client.get(reverse("accueil"))
    plus()
    with CaptureQueriesContext(connection) as apres:
        reponse = client.get(reverse("accueil"))
    assert reponse.content.decode().count("Le mentor signale une difficulté avec l’élève") == 9
    assert (len(premiere), len(seconde), len(apres)) == (11 + 1 + 3, 11 + 1, 11 + 1 + 3)


def test_page_du_binome_en_requetes_constantes(client, cast, binome):
    client.force_login(cast.referent_a)

    def plus():
        for jour in range(10, 20):
            AvisEleveFactory(binome=binome, recu_le=datetime.date(2026, 11, jour))
            SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 11, jour))

    nombre, _ = requetes_constantes(client, reverse("binomes:binome", args=[binome.pk]), plus)
    # The page (6), its health section: the référent's right (cached), the answers shown, and the
    # pair's health (3 queries); the mentor's notes (1), the objectives (1) and the pair's
    # successor across years (1).
    assert nombre == 6 + 4 + 3


def test_la_page_du_bilan_lit_les_abandons_au_regard_des_signaux(client, cast, binome):
    binome.statut, binome.date_fin = StatutBinome.ROMPU, datetime.date(2026, 11, 27)
    binome.save()
    EpisodeRisqueFactory(binome=binome, debut=datetime.date(2026, 11, 25), fin=datetime.date(2026, 11, 28))
    client.force_login(cast.chef_a)
    texte = client.get(reverse("bilans:bilan")).content.decode()
    assert "Sur 1 binôme rompu avant sa fin prévue, 1 avait été signalé en risque auparavant." in texte
    assert str(binome.eleve) not in texte

"""Sweep: no GET of any page writes to the database.

Every URL pattern of the project is opened with GET by each user of the fixed cast (and
anonymously), on objects of LP A; between two GETs every row of every model is compared.
A page that creates or changes a row on display (a token, the year's surveys...) fails here:
such a write belongs to an explicit POST (a button), so that a prefetching browser, a crawler
or a reload cannot make it happen.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bilans.models import Enquete, Invitation
from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.models import PagePublique
from etablissements.tests import factories as etab_f
from seances.avis import liens_avis_creer
from seances.communication import invitations_envoyer
from seances.models import JetonCalendrier
from seances.tests import factories as seances_f
from tests.urls_inventaire import OBJETS_DU_LP_A, motifs

# Written on read by design, each for its reason; everything else must stay as it was.
ECRITS_A_LA_LECTURE = {
    # The access log records who read a student's or a mentor's personal data (RGPD accountability).
    "mentorat.JournalAcces",
    # The session keeps the current LP and the activity time that ends an idle session.
    "sessions.Session",
    # django-axes records logins and their attempts.
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}


def _jeton_calendrier(cast):
    mentor = seances_f.MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a)
    return {"jeton": JetonCalendrier.objects.create(mentor=mentor).jeton}


def _invitation(cast):
    enquete = Enquete.objects.get_or_create(dispositif=cast.dispositif_a, population="eleves")[0]
    return {"jeton": Invitation.objects.create(enquete=enquete).jeton}


def _lien_d_invitation(cast):
    # Opening an invitation's link shows it; only the form's POST accepts it.
    etab_f.InvitationFactory(etablissement=cast.lp_a, jeton="jeton-ouvert-en-get")
    return {"jeton": "jeton-ouvert-en-get"}


def _lien_avis(cast):
    # Opening the student's link shows the questions; only the POST spends it.
    seance = seances_f.SeanceFactory(dispositif=cast.dispositif_a, binome=BinomeFactory(dispositif=cast.dispositif_a))
    return {"jeton": liens_avis_creer(seance=seance)[0].jeton}


def _page_publiee(cast):
    PagePublique.objects.create(etablissement=cast.lp_a, publiee=True)
    return {"uai": cast.lp_a.uai}


def _invitation_evenement(cast):
    evenement = seances_f.EvenementFactory(dispositif=cast.dispositif_a, date=datetime.date(2027, 6, 18))
    BinomeFactory(dispositif=cast.dispositif_a)
    return {"jeton": invitations_envoyer(evenement=evenement, categories=["famille"]).lettres[0][1]}


ARGUMENTS = OBJETS_DU_LP_A | {
    "seances:invitation_repondre": _invitation_evenement,
    "page_publique": _page_publiee,
    "page_publique_affiche": _page_publiee,
    "seances:avis_repondre": _lien_avis,
    "seances:calendrier_ics": _jeton_calendrier,
    "bilans:repondre": _invitation,
    "seances:rappel": seances_f.lien_de_rappel,
    "password_reset_confirm": lambda cast: {"uidb64": "MQ", "token": "faux-jeton"},
    "invitation": _lien_d_invitation,
}


def _noms():
    # The admin's own pages are Django's, not the project's code; they are left out.
    return sorted({nom for nom, _route, _vue in motifs() if nom and not nom.startswith("admin:")})


def photo() -> dict:
    """Every row of every model (proxies aside), in primary key order: cheap on a test database."""
    return {
        modele._meta.label: list(modele._base_manager.order_by("pk").values_list())
        for modele in apps.get_models()
        if not modele._meta.proxy and modele._meta.label not in ECRITS_A_LA_LECTURE
    }


def differences(avant: dict, apres: dict) -> list[str]:
    return [label for label in avant if avant[label] != apres[label]]


TABLES_EXEMPTEES = {apps.get_model(label)._meta.db_table for label in ECRITS_A_LA_LECTURE}
_ECRITURE = re.compile(r'^\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def ecritures(requetes) -> list[str]:
    """The SQL writes among `requetes`, but to the tables written on read by design."""
    trouvees = []
    for requete in requetes:
        m = _ECRITURE.match(requete["sql"])
        if m and m.group(2) not in TABLES_EXEMPTEES:
            trouvees.append(requete["sql"][:120])
    return trouvees


@pytest.mark.django_db
@pytest.mark.parametrize("nom", _noms())
def test_aucun_get_n_ecrit(cast, nom):
    # The mentor account gets a mentor record, a binôme and a séance, so that its own pages
    # (calendar, séances) have something to show, and to write if they wrongly did.
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    seances_f.SeanceFactory(
        dispositif=cast.dispositif_a, binome=BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    )
    url = reverse(nom, kwargs=ARGUMENTS[nom](cast) if nom in ARGUMENTS else None)
    lecteurs = {"anonyme": Client()}
    for qui in (
        "referent_a",
        "chef_a",
        "cpe_a",
        "ddfpt_a",
        "personnel_a",
        "mentor_a",
        "coordonnateur_a",
        "pilotage",
        "referent_b",
        "sans_role",
    ):
        lecteurs[qui] = Client()
        lecteurs[qui].force_login(getattr(cast, qui))  # a login writes (last_login): before the first photo
    lecteurs["pilotage_national"] = Client()
    lecteurs["pilotage_national"].force_login(etab_f.AffectationFactory(pilotage_national=True).user)
    avant = photo()
    for qui, client in lecteurs.items():
        # Each GET's statements name the culprit; the photo of every row, taken once around all of
        # them (cheaper), also catches a write that would not go through this connection's SQL log.
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url)
        assert reponse.status_code < 500, (nom, qui)
        assert not ecritures(requetes.captured_queries), (
            f"GET {url} par {qui} écrit : {ecritures(requetes.captured_queries)}"
        )
    assert not differences(avant, photo()), f"GET {url} a écrit dans {differences(avant, photo())}"

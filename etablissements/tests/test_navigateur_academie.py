"""In Chromium: the académie's administrator creates an LP with its chef's invitation."""

import re

import pytest
from django.core import mail

from etablissements.models import Etablissement
from etablissements.tests.factories import AcademieFactory, AffectationFactory
from socle.roles import Role
from socle.validators import lettre_cle_uai

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "mot-de-passe-de-test"


def test_l_administrateur_cree_un_lycee_et_invite_son_chef(page, live_server, settings):
    # The administrator's second factor is tested in socle (test_double_authentification):
    # here it is switched off, so that the journey starts at the pages of this issue.
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    academie = AcademieFactory(nom="Lyon")
    AffectationFactory(
        role=Role.ADMIN_ACADEMIQUE, etablissement=None, academie=academie, user__email="admin@ac-lyon.fr"
    )
    uai = "0691234" + lettre_cle_uai("0691234")

    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill("admin@ac-lyon.fr")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/$"))

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Administration").click()
    page.get_by_role("heading", level=1, name="Administration de l’académie").wait_for()
    page.get_by_role("link", name="Créer un lycée").click()
    page.get_by_role("textbox", name="Nom", exact=True).fill("Lycée professionnel Gamma")
    page.get_by_label("Code UAI").fill(uai)
    page.get_by_label("Commune").fill("Vénissieux")
    page.get_by_label("Adresse électronique du chef d’établissement").fill("proviseure.gamma@ac-lyon.fr")
    page.get_by_label("Prénom du chef d’établissement").fill("Claire")
    page.get_by_label("Nom du chef d’établissement", exact=True).fill("Durand")
    page.get_by_role("button", name="Créer le lycée").click()

    page.get_by_text("Le lycée « Lycée professionnel Gamma » est créé.").wait_for()
    ligne = page.get_by_role("row").filter(has_text="Lycée professionnel Gamma")
    assert ligne.get_by_text("chef invité, en attente").is_visible()
    assert ligne.get_by_text(uai).is_visible()
    assert Etablissement.objects.get(uai=uai).academie == academie
    assert [m.to for m in mail.outbox] == [["proviseure.gamma@ac-lyon.fr"]]

"""In Chromium: the référent makes the links of a séance and prints the sheet; the student opens
their link on a phone (390 × 844), answers the three questions, and the link then answers 410."""

import re

import pytest
from django.urls import reverse

from binomes.tests.factories import BinomeFactory
from conftest import contexte_navigateur
from seances.models import AvisEleve
from seances.tests.factories import SeanceFactory
from tests.test_navigateur_parcours import TELEPHONE, connexion, defauts

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_l_eleve_donne_son_avis_sur_son_telephone_une_seule_fois(browser, live_server, page, cast):
    binome = BinomeFactory(dispositif=cast.dispositif_a, eleve__prenom="Maëlys")
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome)

    connexion(page, "referent.a@exemple.fr")
    page.goto(reverse("seances:detail", args=[seance.pk]))
    page.get_by_role("link", name="Avis des élèves (lien ou code QR)").click()
    page.get_by_role("button", name="Créer les liens et la fiche à imprimer").click()
    carte = page.locator(".fiche-avis")
    assert carte.get_by_text("Maëlys", exact=True).is_visible()
    assert carte.locator("svg").count() == 1
    adresse = carte.locator(".fiche-avis__adresse").inner_text()
    chemin = re.search(r"/avis/[\w-]+/", adresse).group(0)

    telephone = contexte_navigateur(browser, live_server, viewport=TELEPHONE)
    eleve = telephone.new_page()
    assert defauts(eleve, chemin) == []  # fits the screen, no serious accessibility violation
    assert "Maëlys" not in eleve.content()
    eleve.get_by_text("Moyennement").click()
    eleve.get_by_text("Un peu utile").click()
    eleve.get_by_text("Je ne sais pas").click()
    eleve.get_by_role("button", name="Envoyer mon avis").click()
    eleve.get_by_role("heading", name="Merci pour ton avis !").wait_for()

    avis = AvisEleve.objects.get()
    assert avis.binome_id == binome.pk
    assert (avis.ressenti, avis.utilite, avis.continuer) == ("moyen", "un_peu", "ne_sais_pas")
    reponse = eleve.goto(chemin)
    assert reponse.status == 410
    assert eleve.get_by_text("Tu as déjà donné ton avis avec ce lien").is_visible()
    telephone.close()

    page.goto(reverse("seances:avis_liens", args=[seance.pk]))
    assert page.get_by_text("Avis donné").is_visible()

"""In Chromium on a phone (390 × 844): a student reports from the LP's public link, without an account,
then the chef reads the report and suspends the mentor."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from binomes.models import Signalement, StatutBinome, Suspension
from binomes.tests.factories import BinomeFactory, MentorFactory
from tests.outils import cocher

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

TEXTE = "Après la séance, le mentor m’a envoyé des messages le soir sur mon téléphone personnel."


def _defauts(page) -> list[str]:
    trouves = []
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        trouves.append("la page défile de côté")
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            trouves.append(f"axe {violation['id']} ({violation['impact']})")
    return trouves


def test_un_eleve_signale_sur_son_telephone_puis_le_chef_suspend_le_mentor(page, live_server, cast, mailoutbox):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True, prenom="Hugo", nom="Garnier")
    binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, statut=StatutBinome.ACTIF)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("seances:signalement_public", args=[cast.lp_a.code_public]))
    assert _defauts(page) == []
    # The honeypot is there for robots, not for people.
    assert not page.locator("#id_site_web").is_visible()
    cocher(page.get_by_label("Élève"))
    page.get_by_label("Ce qui s’est passé").fill(TEXTE)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_role("heading", name="Votre signalement est envoyé").wait_for()
    assert page.get_by_role("link", name="119").is_visible()
    assert _defauts(page) == []
    signalement = Signalement.objects.get()
    assert signalement.texte == TEXTE
    assert len(mailoutbox) == 1 and TEXTE not in mailoutbox[0].body

    page.goto(reverse("login"))
    page.get_by_label("Adresse électronique").fill("chef.a@exemple.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    page.goto(reverse("seances:signalement", args=[signalement.pk]))
    assert page.get_by_text(TEXTE).is_visible()
    page.get_by_label("Mentor concerné").select_option(label=str(mentor))
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le suivi du signalement est enregistré.").wait_for()
    page.get_by_role("button", name=f"Suspendre {mentor}").click()
    page.get_by_text(f"{mentor} est suspendu").first.wait_for()
    assert Suspension.objects.get().mentor == mentor
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.SUSPENDU

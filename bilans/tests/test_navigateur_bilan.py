"""In Chromium: the chef d'établissement opens the dashboard, asks for the year-end report and downloads it;
axe-core finds no serious or critical accessibility violation on the dashboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from binomes.tests.factories import BinomeFactory
from seances.tests.factories import SeanceFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _connexion(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_chef_demande_et_telecharge_le_rapport(page, live_server, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    binome = BinomeFactory(dispositif=cast.dispositif_a)
    SeanceFactory(dispositif=cast.dispositif_a, binome=binome)

    _connexion(page, "chef.a@exemple.fr")
    assert page.get_by_role("heading", name="Indicateurs de l’année").is_visible()

    resultats = Axe().run(page)
    graves = [v for v in resultats.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not graves, resultats.generate_report()

    page.get_by_role("link", name="Voir ou générer le rapport annuel (PDF)").click()
    page.get_by_role("button", name="Générer le rapport").click()
    # Tasks run in-process here (eager): the page comes back with the report ready.
    assert page.get_by_text("Prêt", exact=True).is_visible()
    with page.expect_download() as attente:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    chemin = tmp_path / "rapport.pdf"
    attente.value.save_as(chemin)
    texte = "".join(p.extract_text() for p in PdfReader(chemin).pages)
    assert "Rapport annuel du dispositif de mentorat" in texte
    assert cast.lp_a.nom in texte

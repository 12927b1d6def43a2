"""In Chromium: the référent signs in, sees the French DSFR page with the Marianne font, signs out."""

import pytest

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_connexion_page_dsfr_et_deconnexion(page, live_server, cast):
    polices = []
    page.on("response", lambda r: polices.append(r.url) if "/fonts/Marianne" in r.url and r.ok else None)
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)

    page.goto("/")
    assert "/connexion/" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Adresse électronique").fill("referent.a@exemple.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
    assert page.locator("header.fr-header").is_visible()
    assert page.get_by_role("link", name="Accessibilité : non conforme").is_visible()
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Marianne')")
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert polices and all(url.startswith(live_server.url) for url in polices), polices
    assert not [e for e in erreurs if "Content Security Policy" in e], erreurs

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")
    page.goto("/")
    assert "/connexion/" in page.url

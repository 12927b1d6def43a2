"""In Chromium, by visible text (issue 14, acceptance 3): the référent submits the cadrage, the chef
finds it in « À faire » and by email, sends it back with a comment, the référent reads the comment and
submits again, the chef validates."""

import email
import re
from email.header import decode_header, make_header

import pytest

from etablissements.tests.factories import AffectationFactory, VersionCadrageFactory
from socle.roles import Role

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def se_connecter(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def se_deconnecter(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")


def courriels(dossier) -> list[str]:
    """Each email written by the file backend, as a person reads it: recipients, subject, plain text."""
    lus = []
    for fichier in sorted(dossier.glob("*.log"), key=lambda f: f.stat().st_mtime):
        message = email.message_from_bytes(fichier.read_bytes())
        texte = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        sujet = str(make_header(decode_header(message["Subject"])))
        lus.append(f"To: {message['To']}\nSujet : {sujet}\n{texte.get_payload(decode=True).decode()}")
    return lus


def ouvrir_le_cadrage(page):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Cadre du dispositif").click()
    page.get_by_role("link", name=re.compile(r"^Dispositif \d{4}-\d{4}")).first.click()
    page.get_by_role("navigation", name=re.compile("Dispositif")).get_by_role(
        "link", name="Document de cadrage"
    ).click()


def test_le_chef_renvoie_le_cadrage_avec_un_commentaire_puis_le_valide(page, live_server, cast, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.SITE_URL = live_server.url
    AffectationFactory(role=Role.CHEF, etablissement=cast.lp_b, user__email="chef.b@exemple.fr")
    VersionCadrageFactory(dispositif=cast.dispositif_a)

    # 1. The référent submits the draft.
    se_connecter(page, "referent.a@exemple.fr")
    ouvrir_le_cadrage(page)
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("button", name="Soumettre au chef d’établissement").click()
    page.get_by_text("soumis à la validation du chef d’établissement").wait_for()
    se_deconnecter(page)

    # 2. The chef of this LP, and only them, is told by email; the dashboard lists it « À faire ».
    (message,) = courriels(tmp_path)
    assert "To: chef.a@exemple.fr" in message and "chef.b@exemple.fr" not in message
    assert "Document de cadrage à valider" in message and live_server.url in message
    se_connecter(page, "chef.a@exemple.fr")
    a_faire = page.get_by_role("heading", name="À faire").locator("xpath=..")
    a_faire.get_by_role("link", name="Document de cadrage, version 1, soumis à votre validation").click()

    # 3. The chef sends it back with a comment (required: see test_validations.py).
    page.get_by_label("Ce qu’il faut modifier").fill("Précisez le calendrier des réunions de suivi.")
    page.get_by_role("button", name="Renvoyer pour modification").click()
    page.get_by_text("La version 1 est renvoyée au référent pour modification.").wait_for()
    se_deconnecter(page)
    assert "Précisez le calendrier des réunions de suivi." in courriels(tmp_path)[-1]

    # 4. The référent reads the comment on the cadrage page, changes the draft and submits again.
    se_connecter(page, "referent.a@exemple.fr")
    ouvrir_le_cadrage(page)
    renvoi = page.get_by_role("heading", name="Renvoyé pour modification").locator("xpath=..")
    assert renvoi.get_by_text("Précisez le calendrier des réunions de suivi.").is_visible()
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Précisions sur les activités").fill("Réunions de suivi en novembre, février et mai.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La version 1 du document de cadrage est enregistrée.").wait_for()
    page.get_by_role("button", name="Soumettre au chef d’établissement").click()
    page.get_by_text("soumis à la validation du chef d’établissement").wait_for()
    se_deconnecter(page)

    # 5. The chef validates; the decisions are listed: who, what, when.
    se_connecter(page, "chef.a@exemple.fr")
    page.get_by_role("link", name="Document de cadrage, version 1, soumis à votre validation").click()
    page.get_by_role("button", name="Valider cette version").click()
    page.get_by_text("La version 1 du document de cadrage est validée.").wait_for()
    decisions = page.get_by_role("heading", name="Décisions").locator("xpath=following-sibling::ol[1]")
    textes = decisions.get_by_role("listitem").all_inner_texts()
    assert [t.split(" le ")[0] for t in textes] == [
        "Soumission à validation",
        "Renvoi pour modification",
        "Soumission à validation",
        "Validation",
    ], textes
    assert "Précisez le calendrier des réunions de suivi." in textes[1], textes
    assert cast.chef_a.get_full_name() in textes[3], textes
    page.goto("/")
    assert page.get_by_text("soumis à votre validation").count() == 0

"""In Chromium, by visible text: the chef invites a CPE, who creates their account from the
emailed link and works on that LP only; the chef withdraws the role; the link serves once and
expires after seven days."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import contexte_navigateur

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "Une phrase de passe solide 2026"


def se_connecter(page, email, mot_de_passe="mot-de-passe-de-test"):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def courriels(dossier) -> list[str]:
    return [f.read_text() for f in sorted(dossier.glob("*.log"), key=lambda f: f.stat().st_mtime)]


def lien(texte: str) -> str:
    return re.search(r"http://\S+/invitation/[^/\s]+/", texte).group(0)


def inviter(page, email, prenom, nom, role="CPE / vie scolaire"):
    page.get_by_role("link", name="Cadre du dispositif").first.click()
    page.get_by_role("link", name="Comptes et accès").click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Prénom").fill(prenom)
    page.get_by_label("Nom", exact=True).fill(nom)
    page.get_by_label("Rôle").select_option(label=role)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    assert page.get_by_text(f"Invitation envoyée à {email}").is_visible()


def test_le_chef_invite_un_cpe_puis_lui_retire_son_role(page, browser, live_server, cast, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.SITE_URL = live_server.url

    se_connecter(page, "chef.a@exemple.fr")
    inviter(page, "nadia.benali@exemple.fr", "Nadia", "Benali")
    assert page.get_by_role("row", name=re.compile("nadia.benali@exemple.fr")).is_visible()

    (message,) = courriels(tmp_path)
    assert "To: nadia.benali@exemple.fr" in message and "CPE / vie scolaire" in message
    url = lien(message)

    # The CPE opens the link in their own browser.
    cpe = contexte_navigateur(browser, live_server).new_page()
    cpe.goto(url)
    assert cpe.get_by_role("heading", name="Créer votre compte").is_visible()
    cpe.get_by_label("Choisissez un mot de passe").fill(MOT_DE_PASSE)
    cpe.get_by_label("Confirmez le mot de passe").fill(MOT_DE_PASSE)
    cpe.get_by_role("button", name="Créer mon compte").click()
    cpe.wait_for_url(f"{live_server.url}/")
    assert cpe.get_by_text("Votre compte est créé").is_visible()
    # Signed out, the CPE signs in again with the password just chosen.
    cpe.get_by_role("button", name="Se déconnecter").click()
    cpe.wait_for_url("**/connexion/")
    se_connecter(cpe, "nadia.benali@exemple.fr", MOT_DE_PASSE)
    # The CPE pages of that LP, and nothing of LP B.
    cpe.get_by_role("link", name="Absences et entretiens").click()
    assert cpe.get_by_role("heading", level=1).is_visible()
    assert cpe.goto(f"/etablissements/{cast.lp_b.pk}/").status == 404
    assert cpe.goto(f"/etablissements/{cast.lp_a.pk}/").status == 200

    # The link served once.
    autre = contexte_navigateur(browser, live_server).new_page()
    autre.goto(url)
    assert autre.get_by_text("Ce lien d’invitation a déjà été utilisé").is_visible()

    # The chef withdraws the role; the CPE's next request is refused.
    page.goto(f"/etablissements/acces/lycee/{cast.lp_a.pk}/")
    page.get_by_role("button", name="Retirer le rôle CPE / vie scolaire de nadia.benali@exemple.fr").click()
    assert page.get_by_text("n’a plus le rôle « CPE / vie scolaire »").is_visible()
    reponse = cpe.goto("/absences/")
    assert reponse.status in (403, 404)
    assert cpe.goto(f"/etablissements/{cast.lp_a.pk}/").status == 404


def test_un_lien_ouvert_apres_7_jours_a_expire(page, browser, live_server, cast, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.SITE_URL = live_server.url

    se_connecter(page, "chef.a@exemple.fr")
    inviter(page, "tardif@exemple.fr", "Jules", "Tardif")
    url = lien(courriels(tmp_path)[0])

    invite = contexte_navigateur(browser, live_server).new_page()
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        invite.goto(url)
        assert invite.get_by_role("heading", name="Invitation non valable").is_visible()
        assert invite.get_by_text("Cette invitation a expiré").is_visible()
        assert invite.get_by_text("Demandez-en une nouvelle à").is_visible()

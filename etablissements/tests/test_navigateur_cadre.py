"""In Chromium: a référent sets up the frame of the dispositif, the chef validates the cadrage (acceptance 5)."""

import re

import pytest

from etablissements.tests.factories import AffectationFactory
from socle.roles import Role
from tests.outils import cocher

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "mot-de-passe-de-test"


def connexion(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/$"))


def deconnexion(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")


def statut(page, code):
    return page.locator(f"#jalon-{code}").get_attribute("data-statut")


def test_referent_met_en_place_le_cadre_et_le_chef_valide(page, live_server):
    referent = AffectationFactory(role=Role.REFERENT, user__email="referent.nouveau@exemple.fr").user
    lp = referent.affectations.get().etablissement
    AffectationFactory(role=Role.CHEF, etablissement=lp, user__email="chef.nouveau@exemple.fr")
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)

    # 1. The référent creates the dispositif of the year from the LP's page.
    connexion(page, "referent.nouveau@exemple.fr")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Cadre du dispositif").click()
    page.get_by_role("link", name="Créer un dispositif").click()
    page.get_by_role("button", name="Créer le dispositif").click()
    page.get_by_role("heading", level=1, name=re.compile(r"^Dispositif \d{4}-\d{4}$")).wait_for()
    sous_navigation = page.get_by_role("navigation", name=re.compile("Dispositif"))

    sous_navigation.get_by_role("link", name="Frise chronologique").click()
    avant = {code: statut(page, code) for code in ("reflexion", "partenaire", "cadrage")}
    assert "fait" not in avant.values(), avant

    # 2. The diagnostic.
    sous_navigation.get_by_role("link", name="Diagnostic").click()
    page.get_by_role("link", name="Remplir le diagnostic").click()
    cocher(page.get_by_label("Démarche Qualéduc"))
    cocher(page.get_by_label("Enquêtes locales de climat scolaire"))
    page.get_by_label("Besoins et attentes identifiés").fill("Trouver des lieux de stage, prendre confiance.")
    cocher(page.get_by_label("Insertion professionnelle"))
    page.get_by_label("Public d’élèves ciblé").fill("Élèves volontaires de première bac pro.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le diagnostic est enregistré.").wait_for()
    assert page.get_by_text("Démarche Qualéduc").is_visible()

    # 3. The partner and its convention.
    sous_navigation.get_by_role("link", name="Partenaire et convention").click()
    page.get_by_role("link", name="Ajouter un partenaire").click()
    page.get_by_label("Ou nouveau partenaire : nom").fill("Association Cap Avenir")
    page.get_by_role("button", name="Enregistrer le partenaire et préparer la convention").click()
    page.get_by_role("heading", level=1, name="Convention avec Association Cap Avenir").wait_for()
    page.get_by_label("Vérification de l’honorabilité des mentors").fill("Attestation de l’association.")
    page.get_by_label(re.compile(r"^\s*Assurance")).fill("Responsabilité civile de l’association.")
    page.get_by_label("Respect des valeurs de la République (laïcité, neutralité)").fill("Charte signée.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La convention est enregistrée.").wait_for()
    assert page.get_by_role("heading", name="Historique des modifications").is_visible()
    assert page.get_by_text("Responsabilité civile de l’association.").first.is_visible()
    page.get_by_role("button", name="Soumettre à la signature du chef d’établissement").click()
    page.get_by_text("La convention est soumise à la signature du chef d’établissement.").wait_for()

    # 4. The cadrage: written, then submitted.
    sous_navigation.get_by_role("link", name="Document de cadrage").click()
    page.get_by_role("button", name="Rédiger le document de cadrage").click()
    page.get_by_label("Objectifs du dispositif").fill("Accompagner les élèves vers leur stage.")
    page.get_by_label("Public ciblé").fill("Premières bac pro volontaires.")
    page.get_by_label("Durée du mentorat (en mois)").fill("8")
    cocher(page.get_by_label("Taux d’abandon"))
    cocher(page.get_by_label("Visites d’entreprise"))
    page.locator("#id_comites-0-nom").fill("Comité de pilotage")
    page.locator("#id_comites-0-membres").fill("Chef, référent, association")
    page.locator("#id_comites-0-frequence").fill("Deux fois par an")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La version 1 du document de cadrage est enregistrée.").wait_for()
    page.get_by_role("button", name="Soumettre au chef d’établissement").click()
    page.get_by_text("soumis à la validation du chef d’établissement").wait_for()
    url_version = page.url
    deconnexion(page)

    # 5. The chef signs the convention, validates the cadrage; the PDF is offered.
    connexion(page, "chef.nouveau@exemple.fr")
    page.get_by_role("link", name="Convention avec Association Cap Avenir soumise à votre signature").click()
    page.get_by_role("link", name="Signer la convention").click()
    page.get_by_label("Signataire pour le partenaire").fill("Amina Diallo, directrice")
    page.get_by_label("Date de signature du partenaire").fill("2026-06-22")
    page.get_by_role("button", name="Signer la convention").click()
    page.get_by_text("La convention est signée.").wait_for()
    page.goto(url_version)
    page.get_by_role("button", name="Valider cette version").click()
    page.get_by_text("La version 1 du document de cadrage est validée.").wait_for()
    assert page.get_by_role("link", name="Télécharger le PDF").is_visible()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert telechargement.value.suggested_filename.endswith("-v1.pdf")

    # 6. The timeline shows what the data now says.
    page.get_by_role("navigation", name=re.compile("Dispositif")).get_by_role(
        "link", name="Frise chronologique"
    ).click()
    apres = {code: statut(page, code) for code in ("reflexion", "partenaire", "cadrage")}
    assert apres == {"reflexion": "fait", "partenaire": "fait", "cadrage": "fait"}, apres
    assert statut(page, "designation") != "fait"
    assert not [e for e in erreurs if "Content Security Policy" in e], erreurs

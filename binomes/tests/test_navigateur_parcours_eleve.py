"""Issue 14, acceptance 2, in Chromium: a student imported from SIECLE is proposed by a teacher,
retained and interviewed by the référent (needs, agreement, parents' agreement), offered to the
pairing meeting with class and needs, and paired; a non-eligible student never appears and the
service refuses him."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.exceptions import ValidationError

from binomes import services
from binomes.models import Binome, Eleve, StatutEleve
from etablissements.models.dispositif import annee_scolaire_courante
from tests.outils import cocher

from . import fichiers
from .factories import EleveFactory, MentorFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def connexion(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def deconnexion(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")


def sans_violation_grave(page):
    resultats = Axe().run(page)
    graves = [v for v in resultats.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not graves, resultats.generate_report()


def jour(d):
    return d.isoformat()


def entretien(page, *, aujourd_hui, besoin, disponibilites, accord_parental):
    page.get_by_role("link", name="Enregistrer l’entretien").click()
    sans_violation_grave(page)
    page.get_by_label("Entretien d’identification mené le").fill(jour(aujourd_hui))
    cocher(page.get_by_label(besoin))
    page.get_by_label("Disponibilités").fill(disponibilites)
    cocher(page.get_by_label("L’élève est volontaire"))
    page.get_by_label("Volontaire depuis le").fill(jour(aujourd_hui))
    page.get_by_label("Responsables légaux informés le").fill(jour(aujourd_hui))
    if accord_parental:
        page.get_by_label(re.compile(r"Accord des responsables légaux(?! donné)")).select_option(label="Oui")
        page.get_by_label("Accord des responsables légaux donné le").fill(jour(aujourd_hui))
    page.get_by_role("button", name="Enregistrer").click()


def test_eleve_importe_propose_retenu_volontaire_puis_apparie(page, live_server, cast):
    annee = annee_scolaire_courante()
    aujourd_hui = datetime.date.today()
    # Both are minors all the school year long.
    eleves = [
        ("123456789AB", "Dupré", "Léa", "2", f"02/04/{annee - 16}", "2MELEC", "", ""),
        ("1234567890C", "Martin", "Théo", "1", f"15/01/{annee - 16}", "1MCV", "", ""),
    ]
    mentor = MentorFactory(etablissement=cast.lp_a, nom="Arnaud", prenom="Mentor", capacite=2, verifie=True)
    mentor.honorabilite_expiration = aujourd_hui + datetime.timedelta(days=700)
    mentor.save()

    # The référent imports the SIECLE file: both students are only "inscrits".
    connexion(page, "referent.a@exemple.fr")
    page.get_by_role("link", name="Élèves", exact=True).first.click()
    page.get_by_role("link", name="Importer depuis SIECLE").click()
    contenu = fichiers.xml(cast.lp_a.uai, annee=str(annee), eleves=eleves)
    page.get_by_label("Export SIECLE").set_input_files(
        {"name": "ElevesSansAdresses.xml", "mimeType": "text/xml", "buffer": contenu}
    )
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_text("Import terminé : 2 élèves créés").wait_for()
    assert set(Eleve.objects.values_list("statut", flat=True)) == {StatutEleve.INSCRIT}
    deconnexion(page)

    # A teacher finds the imported student and proposes her, without typing her again.
    connexion(page, "enseignant.a@exemple.fr")
    page.get_by_role("link", name="Élèves", exact=True).first.click()
    page.get_by_role("link", name="Ajouter ou proposer un élève").click()
    page.get_by_label("Rechercher un élève déjà inscrit").fill("Dupré")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_text("Léa Dupré — 2MELEC").wait_for()
    sans_violation_grave(page)
    page.get_by_role("link", name="Proposer Léa Dupré pour le mentorat").click()
    page.get_by_label("Identifié par").select_option(label="Enseignant")
    page.get_by_role("button", name="Proposer pour le mentorat").click()
    page.get_by_text("Léa Dupré est proposée pour le mentorat : le référent va confirmer.").wait_for()
    deconnexion(page)

    # The référent confirms, then records the interview: needs, her agreement, her parents'.
    connexion(page, "referent.a@exemple.fr")
    page.get_by_role("link", name="Élèves", exact=True).first.click()
    page.get_by_role("link", name="Dupré Léa").click()
    page.get_by_text("Proposée, à confirmer (proposée par").wait_for()
    page.get_by_role("button", name="Confirmer la proposition").click()
    page.get_by_text("Léa Dupré est retenue pour le mentorat.").wait_for()
    entretien(
        page,
        aujourd_hui=aujourd_hui,
        besoin="Recherche de stage / PFMP",
        disponibilites="mercredi après-midi",
        accord_parental=True,
    )
    page.get_by_text("L’entretien est enregistré : Léa Dupré est éligible à l’appariement.").wait_for()

    # Théo is retained and volunteers, but his parents have not answered: not eligible.
    page.get_by_role("link", name="Élèves", exact=True).first.click()
    page.get_by_role("link", name="Martin Théo").click()
    page.get_by_role("link", name="Proposer pour le mentorat").click()
    page.get_by_label("Identifié par").select_option(label="CPE")
    page.get_by_role("button", name="Proposer pour le mentorat").click()
    page.get_by_text("Théo Martin est retenu pour le mentorat").wait_for()
    entretien(
        page,
        aujourd_hui=aujourd_hui,
        besoin="Orientation",
        disponibilites="mercredi après-midi",
        accord_parental=False,
    )
    page.get_by_text("est mineur sans accord daté de ses responsables légaux").first.wait_for()

    # The pairing meeting offers Léa with her class, needs and availability; never Théo.
    EleveFactory(etablissement=cast.lp_a, prenom="Inès", nom="Ben Saïd", classe="1MELEC")
    page.get_by_role("link", name="Binômes", exact=True).first.click()
    page.get_by_role("link", name="Réunions d’appariement").click()
    page.get_by_role("link", name="Nouvelle réunion d’appariement").click()
    page.get_by_label("Date de la réunion").fill(jour(aujourd_hui))
    page.get_by_role("button", name="Créer la réunion").click()
    lea = "Léa Dupré — 2MELEC — besoins : Recherche de stage / PFMP — disponibilités : mercredi après-midi"
    page.get_by_label(lea, exact=True).wait_for(state="attached")
    sans_violation_grave(page)
    assert "Théo Martin" not in page.content()
    assert page.get_by_label(re.compile("^Inès Ben Saïd — 1MELEC")).count() == 1
    page.get_by_label("Classe", exact=True).select_option("1MELEC")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**classe=1MELEC**")
    assert page.get_by_label(lea, exact=True).count() == 0
    assert page.get_by_label(re.compile("^Inès Ben Saïd — 1MELEC")).count() == 1
    page.get_by_label("Classe", exact=True).select_option("2MELEC")
    page.get_by_role("button", name="Filtrer").click()
    cocher(page.get_by_label(lea, exact=True))
    cocher(page.get_by_label(str(mentor), exact=True))
    page.get_by_role("button", name="Calculer les propositions").click()
    page.get_by_text("1 proposition calculée").wait_for()
    tableau = page.locator("table")
    assert tableau.get_by_role("cell", name="2MELEC", exact=True).count() == 1
    assert tableau.get_by_role("cell", name="Recherche de stage / PFMP", exact=True).count() == 1
    page.get_by_role("button", name="Accepter la proposition pour Léa Dupré").click()
    page.get_by_text(f"Binôme proposé : {mentor} – Léa Dupré").wait_for()
    assert Binome.objects.get().eleve.nom == "Dupré"

    # Théo is not offered by the manual binôme form either, and the service refuses him.
    page.get_by_role("link", name="Binômes", exact=True).first.click()
    page.get_by_role("link", name="Créer un binôme").click()
    options = page.get_by_label("Élève", exact=True).locator("option").all_inner_texts()
    assert not [o for o in options if "Théo Martin" in o]
    theo = Eleve.objects.get(nom="Martin")
    with pytest.raises(ValidationError, match="Théo Martin n’est pas éligible à l’appariement"):
        services.binome_creer(dispositif=cast.dispositif_a, mentor=mentor, eleve=theo)
    assert Binome.objects.count() == 1

"""In Chromium: import SIECLE, confirm, pair a group, accept two proposals, change one (acceptance 5)."""

import datetime
import re

import pytest

from binomes.models import Binome, Consentement, Eleve, StatutEleve
from etablissements.models.dispositif import annee_scolaire_courante
from tests.outils import cocher

from . import fichiers
from .factories import MentorFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

ELEVES = [
    ("123456789AB", "Dupré", "Léa", "2", "02/04/2009", "2MELEC", "", ""),
    ("1234567890C", "Lefèvre", "Théo", "1", "15/11/2008", "1MELEC", "", ""),
    ("098765432DE", "Ben Saïd", "Inès", "2", "30/01/2010", "2MCV", "", ""),
]


def test_import_puis_appariement(page, live_server, cast):
    expiration = datetime.date.today() + datetime.timedelta(days=700)
    mentors = [
        MentorFactory(etablissement=cast.lp_a, nom=nom, prenom="Mentor", capacite=1, verifie=True)
        for nom in ("Arnaud", "Bernard", "Carpentier", "Dumas")
    ]
    for mentor in mentors:
        mentor.honorabilite.expiration = expiration
        mentor.honorabilite.save()

    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill("referent.a@exemple.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Élèves", exact=True).first.click()
    page.get_by_role("link", name="Importer depuis SIECLE").click()
    contenu = fichiers.xml(cast.lp_a.uai, annee=str(annee_scolaire_courante()), eleves=ELEVES)
    page.get_by_label("Export SIECLE").set_input_files(
        {"name": "ElevesSansAdresses.xml", "mimeType": "text/xml", "buffer": contenu}
    )
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("heading", name="Aperçu de l’import SIECLE").wait_for()
    assert "3</strong> élèves à créer" in page.content()
    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_text("Import terminé : 3 élèves créés").wait_for()
    assert Eleve.objects.filter(etablissement=cast.lp_a).count() == 3
    # Their path into the programme (proposal, interview, agreements) is walked in
    # test_navigateur_parcours_eleve.py; here they are recorded as eligible directly.
    Eleve.objects.filter(etablissement=cast.lp_a).update(
        statut=StatutEleve.RETENU,
        volontaire=True,
        date_volontariat=datetime.date.today(),
        consentement_parental=Consentement.OUI,
        consentement_parental_le=datetime.date.today(),
    )

    page.goto("/binomes/appariements/")
    page.get_by_role("link", name="Nouvelle réunion d’appariement").click()
    page.get_by_label("Date de la réunion").fill("2026-11-30")
    page.get_by_label("Participants").fill("Référent, coordonnatrice, RH de Rhône Électricité")
    page.get_by_role("button", name="Créer la réunion").click()
    for prenom, nom in (("Léa", "Dupré"), ("Théo", "Lefèvre"), ("Inès", "Ben Saïd")):
        cocher(page.get_by_label(re.compile(f"^{prenom} {nom} — ")))
    for mentor in mentors[:3]:
        cocher(page.get_by_label(str(mentor), exact=True))
    page.get_by_role("button", name="Calculer les propositions").click()
    page.get_by_text("3 propositions calculées").wait_for()
    assert "Aucun critère commun" in page.content()

    page.get_by_role("button", name="Accepter la proposition pour Léa Dupré").click()
    page.get_by_text("Binôme proposé :").first.wait_for()
    page.get_by_role("button", name="Accepter la proposition pour Théo Lefèvre").click()
    page.get_by_role("link", name="Changer le mentor de Inès Ben Saïd").click()
    page.get_by_label("Autre mentor").select_option(label=f"{mentors[3]} — métier non renseigné (sans employeur)")
    page.get_by_role("button", name="Apparier avec ce mentor").click()
    page.get_by_text(f"Binôme proposé : {mentors[3]} – Inès Ben Saïd").wait_for()

    page.get_by_role("link", name="Binômes", exact=True).first.click()
    tableau = page.locator("table")
    for nom in ("Dupré", "Lefèvre", "Ben Saïd"):
        assert tableau.get_by_text(nom, exact=False).count() == 1
    assert Binome.objects.filter(dispositif=cast.dispositif_a).count() == 3
    assert Binome.objects.get(eleve__nom="Ben Saïd").mentor == mentors[3]

"""In Chromium: the CPE imports the day's absence export, chooses its columns once, and calls the roll (issue 16)."""

import datetime

import pytest

from binomes.tests.factories import BinomeFactory, EleveFactory
from seances.models import Notification, Participation, Presence
from tests.outils import cocher

from .factories import SeanceFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_le_cpe_importe_les_absences_puis_fait_l_appel(page, live_server, cast, binome_a):
    aujourd_hui = datetime.date.today()
    eleve = binome_a.eleve
    eleve.nom, eleve.prenom, eleve.ine = "Dupré", "Léa", "123456789AB"
    eleve.save()
    seance = SeanceFactory(
        dispositif=cast.dispositif_a, binome=binome_a, prevue=True, date=aujourd_hui, heure=datetime.time(14, 0)
    )
    theo = BinomeFactory(
        dispositif=cast.dispositif_a,
        mentor=binome_a.mentor,
        eleve=EleveFactory(etablissement=cast.lp_a, nom="Martin", prenom="Théo", sexe="M"),
    )
    autre = SeanceFactory(
        dispositif=cast.dispositif_a, binome=theo, prevue=True, date=aujourd_hui, heure=datetime.time(10, 0)
    )

    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill("cpe.a@exemple.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto("/absences/")
    page.get_by_role("link", name="Importer les absences de la vie scolaire").click()
    contenu = f"Élève;Jour;De;À;Réglée\r\nDUPRÉ Léa;{aujourd_hui:%d/%m/%Y};13:00;17:00;N\r\n".encode("cp1252")
    page.get_by_label("Export des absences").set_input_files(
        {"name": "absences.csv", "mimeType": "text/csv", "buffer": contenu}
    )
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("heading", name="Aperçu de l’import des absences").wait_for()
    # « Jour », « De », « À », « Réglée » are usual headers; « Élève » is not: the CPE picks it
    # for the name and the first name.
    page.locator("#id_nom").select_option(label="Élève")
    page.locator("#id_prenom").select_option(label="Élève")
    page.get_by_role("button", name="Utiliser ces colonnes").click()
    page.get_by_text("Les colonnes sont retenues").wait_for()
    assert "1 élève à noter absent" in page.content()
    page.get_by_role("button", name="Enregistrer les absences").click()
    page.get_by_text("1 absence enregistrée aux séances ; 1 alerte envoyée aux mentors.").wait_for()
    assert Participation.objects.get(seance=seance, eleve=eleve).presence == Presence.ABSENT_NON_EXCUSE

    page.goto("/absences/")
    page.get_by_role("link", name="Appel des séances du jour").click()
    cocher(page.get_by_label("Absent : Théo Martin"))
    cocher(page.get_by_label("Justifiée : Théo Martin"))
    page.get_by_role("button", name="Valider l’appel").click()
    page.get_by_text("1 absence enregistrée aux séances ; 1 alerte envoyée aux mentors.").wait_for()
    assert Participation.objects.get(seance=autre, eleve=theo.eleve).presence == Presence.ABSENT_EXCUSE
    assert Notification.objects.count() == 2

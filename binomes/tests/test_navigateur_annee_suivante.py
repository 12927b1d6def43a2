"""Issue 16, acceptance 4, in Chromium: the year change.

Last year Léa (CAP 1re année) and Hugo (terminale) each had a mentor. This year's SIECLE
import lists Léa again, in CAP 2e année; Hugo has left. The référent renews Léa's pair with
both agreements, and its history across the two years shows on the binôme page; Hugo's pair
ends with last year. This year's indicators started at zero, last year's stay identical.
"""

import datetime

import pytest

from binomes.models import Binome, StatutBinome
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.tests.factories import DispositifFactory

from . import fichiers
from .factories import BinomeFactory, EleveFactory, MentorFactory
from .test_navigateur_parcours_eleve import connexion, sans_violation_grave

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

INDICATEURS_SUIVIS = ("Filles mentorées", "Garçons mentorés", "Mentors")


def indicateurs(page, annee):
    """{indicator: (this year, last year)} as the référent's home page shows them."""
    page.goto("/")
    tableau = page.locator("table", has=page.get_by_text(f"Indicateurs {annee}-{annee + 1}"))
    valeurs = {}
    for libelle in INDICATEURS_SUIVIS:
        ligne = tableau.locator("tr", has=page.get_by_role("rowheader", name=libelle, exact=True))
        cellules = ligne.locator("td").all_inner_texts()
        valeurs[libelle] = (cellules[0].strip(), cellules[1].strip())
    return valeurs


def test_la_cap_1_est_reconduite_en_cap_2_et_le_sortant_termine(page, live_server, cast):
    annee = annee_scolaire_courante()
    aujourd_hui = datetime.date.today()
    precedent = DispositifFactory(etablissement=cast.lp_a, annee=annee - 1, partenaire=cast.partenaire_a)
    naissance = datetime.date(annee - 16, 4, 2)
    lea = EleveFactory(
        etablissement=cast.lp_a,
        prenom="Léa",
        nom="Dupré",
        sexe="F",
        ine="123456789AB",
        date_naissance=naissance,
        classe="1CAPEL",
        code_mef="50025001210",
    )
    hugo = EleveFactory(
        etablissement=cast.lp_a, prenom="Hugo", nom="Martin", sexe="M", classe="TMELEC", code_mef="40025510330"
    )
    mentors = [
        MentorFactory(
            etablissement=cast.lp_a,
            prenom=prenom,
            nom=nom,
            honorabilite__statut="verifiee",
            honorabilite__date=aujourd_hui - datetime.timedelta(days=300),
            honorabilite__expiration=aujourd_hui + datetime.timedelta(days=700),
        )
        for prenom, nom in (("Claire", "Arnaud"), ("Paul", "Bernard"))
    ]
    debut = precedent.date_debut + datetime.timedelta(days=30)
    b_lea = BinomeFactory(dispositif=precedent, eleve=lea, mentor=mentors[0], date_debut=debut, date_fin_prevue=None)
    b_hugo = BinomeFactory(dispositif=precedent, eleve=hugo, mentor=mentors[1], date_debut=debut, date_fin_prevue=None)

    connexion(page, "referent.a@exemple.fr")
    # This year's dispositif is open and empty: its figures start at zero, last year's are there.
    depart = indicateurs(page, annee)
    assert depart == {"Filles mentorées": ("0", "1"), "Garçons mentorés": ("0", "1"), "Mentors": ("0", "2")}

    # This year's SIECLE import: Léa is in CAP 2e année; Hugo is not listed any more.
    page.goto("/binomes/eleves/import/")
    contenu = fichiers.xml(
        cast.lp_a.uai,
        annee=str(annee),
        eleves=[("123456789AB", "Dupré", "Léa", "2", naissance.strftime("%d/%m/%Y"), "2CAPEL", "50025001220", "")],
    )
    page.get_by_label("Export SIECLE").set_input_files(
        {"name": "ElevesSansAdresses.xml", "mimeType": "text/xml", "buffer": contenu}
    )
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_text("Import terminé").first.wait_for()

    # From this year's dispositif, the référent opens the year change.
    page.goto(cast.dispositif_a.get_absolute_url())
    page.get_by_role("link", name="Binômes de l’année précédente : reconduire ou terminer").click()
    page.get_by_role("heading", name=f"Passage à l’année {annee}-{annee + 1}").wait_for()
    sans_violation_grave(page)
    a_reconduire = page.locator("table", has=page.get_by_text("Binômes proposés à la reconduction"))
    assert "CAP 2e année" in a_reconduire.inner_text()
    assert "Hugo" not in a_reconduire.inner_text()
    sortants = page.locator("table", has=page.get_by_text("Binômes qui s’arrêtent avec l’année"))
    assert "Hugo Martin" in sortants.inner_text() and "Tle bac pro" in sortants.inner_text()

    # Léa and her mentor both agreed: the pair is renewed.
    a_reconduire.get_by_role("link", name="Reconduire").click()
    sans_violation_grave(page)
    hier = aujourd_hui - datetime.timedelta(days=1)
    page.get_by_label("Date de l’accord du mentor").fill(hier.isoformat())
    page.get_by_label("Date de l’accord de l’élève").fill(aujourd_hui.isoformat())
    page.get_by_role("button", name="Reconduire le binôme").click()
    page.get_by_text(f"est reconduit en {annee}-{annee + 1}").wait_for()
    suivant = Binome.objects.get(precedent=b_lea)
    assert page.url.endswith(f"/binomes/{suivant.pk}/")

    # The binôme page tells the pair's story across the two years.
    historique = page.locator("table", has=page.get_by_text("Historique du binôme d’année en année"))
    texte = historique.inner_text()
    assert f"{annee - 1}-{annee}" in texte and f"{annee}-{annee + 1} (cette page)" in texte
    assert f"mentor le {hier:%d/%m/%Y}, élève le {aujourd_hui:%d/%m/%Y}" in texte
    sans_violation_grave(page)
    historique.get_by_role("link", name=f"{annee - 1}-{annee}").click()
    page.get_by_text("Reconduit en").first.wait_for()

    # Hugo's pair ends with last year.
    page.goto(f"/binomes/annee/{cast.dispositif_a.pk}/")
    page.get_by_role("button", name="Terminer les binômes des élèves sortants").click()
    page.get_by_text("1 binôme d’élève sortant terminé.").wait_for()
    b_hugo.refresh_from_db()
    assert (b_hugo.statut, b_hugo.date_fin) == (StatutBinome.TERMINE, precedent.date_fin)
    page.goto(f"/binomes/{b_hugo.pk}/")
    page.get_by_text("Fin de l’année scolaire : élève en dernière année du cursus").wait_for()

    # This year counts only the renewed pair; last year's figures did not move.
    assert indicateurs(page, annee) == {
        "Filles mentorées": ("1", "1"),
        "Garçons mentorés": ("0", "1"),
        "Mentors": ("1", "2"),
    }

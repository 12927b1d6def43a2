"""The dispositif's own indicators: each source measured on a small data set recounted by hand,
a rate over nothing, rights (404 to other LPs, 403 to readers), the dashboard and the report."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bilans import rapports
from bilans.models import IndicateurPersonnalise, NatureIndicateur
from bilans.personnalises import mesurer
from binomes.models import StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import DispositifFactory, EntrepriseFactory
from seances.models import Presence, StatutSeance, TypeReunion, TypeSeance
from seances.tests.factories import (
    EntretienAbsenceFactory,
    ParticipationFactory,
    ReunionSuiviFactory,
    SeanceFactory,
)
from socle.pdf import rendre_pdf

pytestmark = pytest.mark.django_db


def _indicateur(dispositif, source, **autres):
    return IndicateurPersonnalise.objects.create(
        dispositif=dispositif, libelle=autres.pop("libelle", source), source=source, **autres
    )


@pytest.fixture
def donnees(cast):
    """A small year of LP A, recounted by hand in each test (and noise in LP B)."""
    d = cast.dispositif_a
    lp = cast.lp_a
    x, y = EntrepriseFactory(etablissement=lp), EntrepriseFactory(etablissement=lp)
    m1 = MentorFactory(etablissement=lp, entreprise=x, verifie=True)
    m2 = MentorFactory(etablissement=lp, entreprise=x, verifie=True)
    m3 = MentorFactory(etablissement=lp, entreprise=y, verifie=True)
    e = {n: EleveFactory(etablissement=lp) for n in range(1, 7)}
    # Started: b1 (active), b2 (ended), b3 (broken after it started), b5 (suspended); b4 only proposed.
    BinomeFactory(dispositif=d, mentor=m1, eleve=e[1], statut=StatutBinome.ACTIF)
    BinomeFactory(dispositif=d, mentor=m2, eleve=e[2], statut=StatutBinome.TERMINE, date_fin=datetime.date(2026, 11, 1))
    BinomeFactory(dispositif=d, mentor=m3, eleve=e[3], statut=StatutBinome.ROMPU, date_fin=datetime.date(2026, 11, 1))
    BinomeFactory(dispositif=d, eleve=e[4], statut=StatutBinome.PROPOSE, date_debut=None)
    BinomeFactory(dispositif=d, mentor=m1, eleve=e[5], statut=StatutBinome.SUSPENDU)
    # Séances: held collective s1, held CV workshops s2 and s3; a planned one and a cancelled one.
    s1 = SeanceFactory(dispositif=d, type=TypeSeance.COLLECTIVE)
    s2 = SeanceFactory(dispositif=d, type=TypeSeance.ATELIER_CV)
    s3 = SeanceFactory(dispositif=d, type=TypeSeance.ATELIER_CV)
    s4 = SeanceFactory(dispositif=d, type=TypeSeance.ATELIER_CV, prevue=True)
    SeanceFactory(dispositif=d, type=TypeSeance.ATELIER_CV, statut=StatutSeance.ANNULEE)
    # Present: e1 at s1, s2, s3; e2 at s1 (absent at s2); e6 (never paired) at s1, s2; e5 expected at s4.
    for seance in (s1, s2, s3):
        ParticipationFactory(seance=seance, eleve=e[1])
    ParticipationFactory(seance=s1, eleve=e[2])
    ParticipationFactory(seance=s2, eleve=e[2], presence=Presence.ABSENT_NON_EXCUSE)
    ParticipationFactory(seance=s1, eleve=e[6])
    ParticipationFactory(seance=s2, eleve=e[6])
    ParticipationFactory(seance=s4, eleve=e[5], presence=Presence.ATTENDU)
    # Interviews after absence: e1 held; e2 one pending, one held; e6 pending.
    EntretienAbsenceFactory(seance=s2, eleve=e[1], fait_trait=True)
    EntretienAbsenceFactory(seance=s2, eleve=e[2])
    EntretienAbsenceFactory(seance=s3, eleve=e[2], fait_trait=True)
    EntretienAbsenceFactory(seance=s1, eleve=e[6])
    # Meetings: two past (a follow-up meeting, a steering committee), one to come.
    aujourd_hui = timezone.localdate()
    ReunionSuiviFactory(dispositif=d, date=aujourd_hui - datetime.timedelta(days=20))
    ReunionSuiviFactory(dispositif=d, date=aujourd_hui, type=TypeReunion.COMITE_PILOTAGE)
    ReunionSuiviFactory(dispositif=d, date=aujourd_hui + datetime.timedelta(days=10))
    # LP B: its own séance, binôme and meeting, which LP A never counts.
    b = BinomeFactory(dispositif=cast.dispositif_b)
    SeanceFactory(dispositif=cast.dispositif_b, type=TypeSeance.ATELIER_CV, binome=b)
    ReunionSuiviFactory(dispositif=cast.dispositif_b, date=aujourd_hui)
    return d


ATTENDUS = [
    # (source, parameters, value, numerator, denominator)
    ("seances_tenues", {}, 3, None, None),  # s1, s2, s3
    ("seances_tenues", {"type_seance": TypeSeance.ATELIER_CV}, 2, None, None),  # s2, s3
    ("seances_tenues", {"type_seance": TypeSeance.VISITE}, 0, None, None),
    ("eleves_presents", {"seuil": 2}, 2, None, None),  # e1 (3), e6 (2); e2 only once
    ("eleves_presents", {"seuil": 1}, 3, None, None),  # e1, e2, e6
    ("reunions_suivi", {}, 2, None, None),  # the one to come does not count
    ("entreprises_mentors", {}, 2, None, None),  # x (m1, m2), y (m3)
    ("eleves_fin_annee", {}, 2, None, None),  # e1 (active), e2 (ended)
    ("entretiens_menes", {}, 2, None, None),
    ("taux_entretiens", {}, 66.7, 2, 3),  # e1, e2 of e1, e2, e6
    ("taux_binomes_fin_annee", {}, 50.0, 2, 4),  # b1, b2 of b1, b2, b3, b5
    ("taux_eleves_assidus", {"seuil": 2}, 25.0, 1, 4),  # e1 of e1, e2, e3, e5 (e6 was never paired)
]


def test_chaque_source_recomptee_a_la_main(donnees):
    for source, parametres, *_ in ATTENDUS:
        _indicateur(donnees, source, **parametres)
    mesures = mesurer([donnees.pk])[donnees.pk]
    obtenus = [(m.indicateur.source, m.valeur, m.numerateur, m.denominateur) for m in mesures]
    assert obtenus == [(source, valeur, n, d) for source, _, valeur, n, d in ATTENDUS]


def test_une_requete_par_famille_de_sources(donnees, django_assert_num_queries):
    for source, parametres, *_ in ATTENDUS:
        _indicateur(donnees, source, **parametres)
    autre = DispositifFactory(etablissement=donnees.etablissement, annee=donnees.annee - 1)
    _indicateur(autre, "seances_tenues")
    # The indicators (1), séances (1), attendance and mentored students (2), meetings (1),
    # binômes (1), interviews (1): whatever the number of indicators and dispositifs.
    with django_assert_num_queries(7):
        resultat = mesurer([donnees.pk, autre.pk])
    assert len(resultat[donnees.pk]) == len(ATTENDUS) and resultat[autre.pk][0].valeur == 0


def test_taux_sur_rien_affiche_un_tiret(cast):
    indicateur = _indicateur(cast.dispositif_a, "taux_binomes_fin_annee", cible=Decimal("80"))
    (mesure,) = mesurer([cast.dispositif_a.pk])[cast.dispositif_a.pk]
    assert indicateur.nature == NatureIndicateur.TAUX
    assert (mesure.valeur, mesure.affichage, mesure.detail, mesure.cible) == (None, "—", "", "80 %")


def test_affichage_d_un_taux_et_d_un_nombre(donnees):
    _indicateur(donnees, "taux_eleves_assidus", seuil=2, cible=Decimal("60"))
    _indicateur(donnees, "seances_tenues", type_seance=TypeSeance.ATELIER_CV, cible=Decimal("12.5"))
    taux, nombre = mesurer([donnees.pk])[donnees.pk]
    assert (taux.affichage, taux.detail, taux.cible) == ("25,0 %", "1 sur 4", "60 %")
    assert (nombre.affichage, nombre.detail, nombre.cible) == ("2", "", "12,5")
    assert "au moins 2 séances" in taux.definition


# --- Management from the cadrage page --------------------------------------------------------------


def test_le_referent_ajoute_modifie_et_supprime(client, cast):
    client.force_login(cast.referent_a)
    url = reverse("bilans:indicateur_ajouter", args=[cast.dispositif_a.pk])
    assert "Ajouter un indicateur propre au dispositif" in client.get(url).content.decode()
    reponse = client.post(
        url, {"libelle": "Élèves assidus", "source": "taux_eleves_assidus", "seuil": "3", "cible": "75"}
    )
    assert reponse.status_code == 302
    indicateur = IndicateurPersonnalise.objects.get(dispositif=cast.dispositif_a)
    assert (indicateur.nature, indicateur.seuil, indicateur.cible) == ("taux", 3, Decimal("75"))
    page = client.get(reverse("etablissements:cadrage", args=[cast.dispositif_a.pk])).content.decode()
    assert "Élèves assidus" in page and "au moins 3 séances" in page and "Modifier" in page

    reponse = client.post(
        reverse("bilans:indicateur_modifier", args=[indicateur.pk]),
        {"libelle": "Ateliers CV", "source": "seances_tenues", "type_seance": "atelier_cv", "seuil": "3"},
    )
    assert reponse.status_code == 302
    indicateur.refresh_from_db()
    assert (indicateur.libelle, indicateur.nature, indicateur.seuil, indicateur.cible) == (
        "Ateliers CV",
        "nombre",
        None,
        None,
    )
    assert client.post(reverse("bilans:indicateur_supprimer", args=[indicateur.pk])).status_code == 302
    assert not IndicateurPersonnalise.objects.exists()


@pytest.mark.parametrize(
    "donnees_form, champ, message",
    [
        ({"source": "eleves_presents"}, "seuil", "Indiquez le nombre minimal de présences"),
        ({"source": "taux_entretiens", "cible": "120"}, "cible", "de 0 à 100"),
        ({"source": "reunions_suivi", "type_seance": "visite"}, "type_seance", "ne s’applique qu’au nombre"),
        ({"source": "reunions_suivi", "cible": "-1"}, "cible", "ne peut pas être négative"),
        ({"source": "inconnue"}, "source", "Sélectionnez un choix valide"),
    ],
)
def test_saisie_refusee_en_francais(client, cast, donnees_form, champ, message):
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("bilans:indicateur_ajouter", args=[cast.dispositif_a.pk]), {"libelle": "X", **donnees_form}
    )
    assert reponse.status_code == 200
    assert message in " ".join(reponse.context["form"].errors[champ])
    assert not IndicateurPersonnalise.objects.exists()


def test_autre_lp_404_et_lecteur_403(client, cast):
    indicateur = _indicateur(cast.dispositif_a, "seances_tenues")
    ajouter = reverse("bilans:indicateur_ajouter", args=[cast.dispositif_a.pk])
    modifier = reverse("bilans:indicateur_modifier", args=[indicateur.pk])
    supprimer = reverse("bilans:indicateur_supprimer", args=[indicateur.pk])
    client.force_login(cast.referent_b)
    assert client.get(ajouter).status_code == 404
    assert client.post(ajouter, {"libelle": "X", "source": "reunions_suivi"}).status_code == 404
    assert client.get(modifier).status_code == 404
    assert client.post(supprimer).status_code == 404
    client.force_login(cast.cpe_a)
    assert client.get(ajouter).status_code == 403
    assert client.post(ajouter, {"libelle": "X", "source": "reunions_suivi"}).status_code == 403
    assert client.get(modifier).status_code == 403
    assert client.post(supprimer).status_code == 403
    assert list(IndicateurPersonnalise.objects.all()) == [indicateur]
    # The reader sees the indicator on the cadrage page, without the buttons.
    page = client.get(reverse("etablissements:cadrage", args=[cast.dispositif_a.pk])).content.decode()
    assert "seances_tenues" in page and "Ajouter un indicateur mesuré" not in page and supprimer not in page


# --- Dashboard and report ---------------------------------------------------------------------------


def test_tableau_de_bord_affiche_valeur_detail_et_cible(client, donnees, cast):
    _indicateur(donnees, "taux_eleves_assidus", libelle="Élèves assidus", seuil=2, cible=Decimal("60"))
    _indicateur(donnees, "taux_entretiens", libelle="Entretiens menés")
    _indicateur(DispositifFactory(), "reunions_suivi", libelle="Indicateur d’un autre lycée")
    client.force_login(cast.chef_a)
    page = client.get(reverse("accueil")).content.decode()
    assert "Indicateurs propres au dispositif" in page
    assert "Élèves assidus" in page and "25,0 %" in page and "(1 sur 4)" in page and "60 %" in page
    assert "Entretiens menés" in page and "66,7 %" in page and "(2 sur 3)" in page
    assert "Indicateur d’un autre lycée" not in page


def test_rapport_pdf_liste_les_indicateurs_propres(donnees):
    _indicateur(donnees, "taux_binomes_fin_annee", libelle="Binômes menés au bout", cible=Decimal("90"))
    _indicateur(donnees, "seances_tenues", libelle="Ateliers CV tenus", type_seance=TypeSeance.ATELIER_CV)
    pdf = rendre_pdf("bilans/rapport_pdf.html", rapports.contenu(donnees), titre="Rapport")
    texte = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    texte = " ".join(texte.split())
    assert "Indicateurs propres au dispositif" in texte
    assert "Binômes menés au bout" in texte and "50,0 %" in texte and "2 sur 4" in texte and "90 %" in texte
    assert "Ateliers CV tenus" in texte


def test_rapport_sans_indicateur_propre_le_dit(cast):
    pdf = rendre_pdf("bilans/rapport_pdf.html", rapports.contenu(cast.dispositif_a), titre="Rapport")
    texte = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())
    assert "Le document de cadrage n’ajoute aucun indicateur mesuré." in texte


@pytest.mark.parametrize("binomes", [1, 20])
def test_tableau_lp_requetes_avec_indicateurs_propres(client, cast, binomes, django_assert_num_queries):
    for _ in range(binomes):
        BinomeFactory(dispositif=cast.dispositif_a)
    for source, parametres, *_ in ATTENDUS:
        _indicateur(cast.dispositif_a, source, **parametres)
    client.force_login(cast.chef_a)
    client.get(reverse("accueil"))
    # The dashboard's 11 queries (test_tableaux_de_bord), the own indicators (1) and one per family of
    # sources: séances, attendance and mentored students (2), meetings, binômes, interviews.
    with django_assert_num_queries(11 + 1 + 6):
        client.get(reverse("accueil"))

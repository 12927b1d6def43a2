"""Each milestone of the frise follows the data that shows it done, or a status fixed by hand (issue 14, acceptance 4).

Time is frozen (time_machine) on the last day of each milestone's period and on the first
day after it; the dispositif is the 2026-2027 one. The evidence of each milestone is the
table in `etablissements.frise`'s docstring.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from bilans.models import BilanQualitatif, Enquete
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory, ReunionAppariementFactory
from etablissements import frise, services
from etablissements.models import Dispositif
from etablissements.models.jalon import JALONS
from etablissements.tests.factories import (
    ConventionFactory,
    DiagnosticFactory,
    DispositifFactory,
    MembreEquipeFactory,
    PartenaireFactory,
    VersionCadrageFactory,
)
from seances.models import TypeEvenement
from seances.tests.factories import EvenementFactory, ReunionSuiviFactory, SeanceFactory
from socle.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANNEE = 2026
UN_JOUR = datetime.timedelta(days=1)


def _bilan(d, **parties):
    BilanQualitatif.objects.create(dispositif=d, **parties)


BILAN_COMPLET = {
    "relations_partenaires": "Confiance, réunions tenues.",
    "difficultes": "Emplois du temps des terminales.",
    "ameliorations": "Appariement dès octobre.",
}

# code -> what shows it done, dated within its period (or before).
PREUVES = {
    "reflexion": lambda d: DiagnosticFactory(dispositif=d),
    "partenaire": lambda d: ConventionFactory(dispositif=d, partenaire=PartenaireFactory()),
    "cadrage": lambda d: VersionCadrageFactory(dispositif=d, validee=True),
    "designation": lambda d: [
        MembreEquipeFactory(dispositif=d, role="referent"),
        MembreEquipeFactory(dispositif=d, role="coordonnateur"),
    ],
    "sourcing": lambda d: MentorFactory(etablissement=d.etablissement, verifie=True),
    "eleves": lambda d: EleveFactory(etablissement=d.etablissement, volontaire=True),
    "presentation": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.PRESENTATION, date=datetime.date(2026, 9, 18)
    ),
    "appariement": lambda d: BinomeFactory(dispositif=d),
    "lancement": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.LANCEMENT, date=datetime.date(2026, 11, 6)
    ),
    "deroulement": lambda d: [SeanceFactory(dispositif=d), ReunionSuiviFactory(dispositif=d)],
    "bilan": lambda d: _bilan(d, **BILAN_COMPLET),
    "reunion_fin": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.FIN_ANNEE, date=datetime.date(2027, 6, 18)
    ),
    "evenement_fin": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.CEREMONIE, date=datetime.date(2027, 6, 25)
    ),
}

# code -> what shows it under way only.
EN_COURS = {
    "reflexion": lambda d: DiagnosticFactory(dispositif=d, vide=True),
    "partenaire": lambda d: ConventionFactory(dispositif=d, partenaire=PartenaireFactory(), brouillon=True),
    "cadrage": lambda d: VersionCadrageFactory(dispositif=d, soumise=True),
    "designation": lambda d: MembreEquipeFactory(dispositif=d, role="referent"),
    "sourcing": lambda d: MentorFactory(etablissement=d.etablissement),
    "eleves": lambda d: EleveFactory(etablissement=d.etablissement, volontaire=False),
    # Scheduled after the day looked at.
    "presentation": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.PRESENTATION, date=datetime.date(2026, 10, 8)
    ),
    "appariement": lambda d: ReunionAppariementFactory(dispositif=d),
    "lancement": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.LANCEMENT, date=datetime.date(2027, 1, 28)
    ),
    "deroulement": lambda d: ReunionSuiviFactory(dispositif=d),
    "bilan": lambda d: Enquete.objects.create(dispositif=d, population="eleves"),
    "reunion_fin": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.FIN_ANNEE, date=datetime.date(2027, 9, 3)
    ),
    "evenement_fin": lambda d: EvenementFactory(
        dispositif=d, type=TypeEvenement.CEREMONIE, date=datetime.date(2027, 9, 3)
    ),
}
CODES = [d.code for d in JALONS]


def test_chaque_jalon_a_sa_preuve():
    assert sorted(PREUVES) == sorted(EN_COURS) == sorted(CODES)


@pytest.fixture
def dispositif():
    return DispositifFactory(annee=ANNEE, partenaire=None)


def _le(jour):
    """Frozen at noon, Paris time, on `jour`."""
    return time_machine.travel(datetime.datetime.combine(jour, datetime.time(12), datetime.UTC), tick=False)


def etat(dispositif, code):
    """The milestone as the frise shows it today (the frozen day)."""
    return next(e for e in frise.frise(dispositif) if e.jalon.code == code)


def _fin(dispositif, code):
    return dispositif.jalons.get(code=code).fin


@pytest.mark.parametrize("code", CODES)
def test_a_faire_puis_en_retard_sans_preuve(dispositif, code):
    fin = _fin(dispositif, code)
    with _le(fin):
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard, e.libelle_statut) == ("a_faire", False, "À faire")
    with _le(fin + UN_JOUR):
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard, e.libelle_statut) == ("a_faire", True, "En retard")


@pytest.mark.parametrize("code", CODES)
def test_fait_avec_sa_preuve(dispositif, code):
    fin = _fin(dispositif, code)
    PREUVES[code](dispositif)
    with _le(fin + UN_JOUR):
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard, e.libelle_statut) == ("fait", False, "Fait")
        assert e.derive_des_donnees and not e.fixe_a_la_main
        assert code not in {j.code for j in frise.jalons_en_retard(dispositif.jalons.all())}


@pytest.mark.parametrize("code", CODES)
def test_en_cours_reste_en_retard_apres_la_periode(dispositif, code):
    fin = _fin(dispositif, code)
    EN_COURS[code](dispositif)
    with _le(fin):
        assert (etat(dispositif, code).statut, etat(dispositif, code).en_retard) == ("en_cours", False)
    with _le(fin + UN_JOUR):
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard) == ("en_cours", True)


@pytest.mark.parametrize("code", CODES)
def test_le_statut_fixe_a_la_main_l_emporte_et_dit_qui(dispositif, code):
    referent = UserFactory(prenom="Nadia", nom="Benali")
    fin = _fin(dispositif, code)
    jalon = dispositif.jalons.get(code=code)
    # Done by hand without any evidence: never late.
    with _le(fin - UN_JOUR):
        services.jalon_modifier(jalon=jalon, statut="fait", commentaire="Fait hors application", auteur=referent)
    with _le(fin + UN_JOUR):
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard, e.fixe_a_la_main, e.libelle_derive) == ("fait", False, True, "À faire")
        assert (e.jalon.modifie_par, e.jalon.modifie_le.date()) == (referent, fin - UN_JOUR)
    # « À faire » by hand wins over the evidence.
    PREUVES[code](dispositif)
    with _le(fin + UN_JOUR):
        services.jalon_modifier(jalon=jalon, statut="a_faire", commentaire="À refaire", auteur=referent)
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard, e.fixe_a_la_main, e.libelle_derive) == ("a_faire", True, True, "Fait")
        assert code in {j.code for j in frise.jalons_en_retard(dispositif.jalons.all())}
        # Removing it gives the milestone back to the data.
        services.jalon_modifier(jalon=jalon, statut="", commentaire="", auteur=referent)
        e = etat(dispositif, code)
        assert (e.statut, e.en_retard, e.fixe_a_la_main) == ("fait", False, False)


def test_les_preuves_d_un_autre_lp_ne_comptent_pas(dispositif):
    autre = DispositifFactory(annee=ANNEE, partenaire=None)
    for code in CODES:
        PREUVES[code](autre)
    with _le(datetime.date(2027, 7, 11)):
        assert {e.statut for e in frise.frise(dispositif)} == {"a_faire"}
        assert {e.statut for e in frise.frise(autre)} == {"fait"}


def test_lancement_par_la_premiere_seance_tenue(dispositif):
    SeanceFactory(dispositif=dispositif, prevue=True)
    with _le(datetime.date(2027, 1, 11)):
        assert etat(dispositif, "lancement").libelle_statut == "En retard"
    SeanceFactory(dispositif=dispositif, date=datetime.date(2026, 12, 3))
    with _le(datetime.date(2027, 1, 11)):
        assert (etat(dispositif, "lancement").statut, etat(dispositif, "lancement").en_retard) == ("fait", False)


def test_evenement_compte_une_fois_sa_date_venue(dispositif):
    EvenementFactory(dispositif=dispositif, type=TypeEvenement.LANCEMENT, date=datetime.date(2026, 12, 4))
    with _le(datetime.date(2026, 12, 3)):
        assert etat(dispositif, "lancement").statut == "en_cours"
    with _le(datetime.date(2026, 12, 4)):
        assert etat(dispositif, "lancement").statut == "fait"


def test_deroulement_en_cours_tant_que_la_periode_court(dispositif):
    PREUVES["deroulement"](dispositif)
    with _le(datetime.date(2027, 5, 31)):
        assert etat(dispositif, "deroulement").statut == "en_cours"
    SeanceFactory._meta.model.objects.filter(dispositif=dispositif).delete()
    with _le(datetime.date(2027, 6, 1)):  # a follow-up meeting alone is not a year of mentoring
        assert etat(dispositif, "deroulement").libelle_statut == "En retard"


def test_honorabilite_expiree_ne_compte_plus(dispositif):
    MentorFactory(
        etablissement=dispositif.etablissement, verifie=True, honorabilite__expiration=datetime.date(2026, 9, 20)
    )
    with _le(datetime.date(2026, 9, 20)):
        assert etat(dispositif, "sourcing").statut == "fait"
    with _le(datetime.date(2026, 9, 21)):
        assert etat(dispositif, "sourcing").statut == "en_cours"


def test_eleve_sorti_avant_l_annee_ne_compte_pas(dispositif):
    EleveFactory(etablissement=dispositif.etablissement, date_sortie=datetime.date(2026, 6, 30))
    with _le(datetime.date(2026, 10, 1)):
        assert etat(dispositif, "eleves").libelle_statut == "En retard"


def test_bilan_commence_est_en_cours(dispositif):
    _bilan(dispositif, difficultes="Emplois du temps.")
    with _le(datetime.date(2027, 7, 11)):
        assert etat(dispositif, "bilan").libelle_statut == "En retard"
        assert etat(dispositif, "bilan").statut == "en_cours"


# --- The page ---------------------------------------------------------------------------


def _statut(page, code):
    return re.search(rf'id="jalon-{code}"\s+data-statut="(\w+)"', page).group(1)


@pytest.fixture
def dispositif_a(cast):
    d, _ = Dispositif.objects.get_or_create(etablissement=cast.lp_a, annee=ANNEE)
    frise.generer_jalons(d)
    return d


@time_machine.travel("2027-01-20 09:00 +0100", tick=False)
def test_lancement_tenu_n_est_pas_en_retard_en_janvier(client, cast, dispositif_a):
    """The issue's case: the launch event was held, the frise says so in January."""
    client.force_login(cast.referent_a)
    url = reverse("etablissements:frise", args=[dispositif_a.pk])
    assert _statut(client.get(url).content.decode(), "lancement") == "en_retard"
    EvenementFactory(dispositif=dispositif_a, type=TypeEvenement.LANCEMENT, date=datetime.date(2026, 11, 11))
    page = client.get(url).content.decode()
    assert _statut(page, "lancement") == "fait"
    alerte = re.search(r"(\d+) jalons? en retard</h2>(.*?)</ul>", page, re.S)
    assert "Lancement" not in alerte.group(2)


@time_machine.travel("2026-10-05 10:00 +0200", tick=False)
def test_referent_fixe_a_la_main_puis_revient_aux_donnees(client, cast, dispositif_a):
    jalon = dispositif_a.jalons.get(code="presentation")
    url_frise = reverse("etablissements:frise", args=[dispositif_a.pk])
    url = reverse("etablissements:jalon_modifier", args=[jalon.pk])
    client.force_login(cast.referent_a)
    assert "Suivre les données de l’application (aujourd’hui : À faire)" in client.get(url).content.decode()
    reponse = client.post(url, {"statut": "fait", "commentaire": "Présenté au conseil pédagogique"})
    assert reponse.status_code == 302
    page = client.get(url_frise).content.decode()
    assert _statut(page, "presentation") == "fait"
    assert f"fixé à la main par {cast.referent_a} le 5 octobre 2026" in page
    jalon.refresh_from_db()
    assert (jalon.statut, jalon.modifie_par) == ("fait", cast.referent_a)
    # Back to the data: no presentation meeting recorded, the milestone is late again.
    assert client.post(url, {"statut": "", "commentaire": ""}).status_code == 302
    page = client.get(url_frise).content.decode()
    assert _statut(page, "presentation") == "en_retard"
    assert "fixé à la main" not in page
    jalon.refresh_from_db()
    assert (jalon.statut, jalon.modifie_par) == ("", cast.referent_a)


@time_machine.travel("2027-06-15 09:00 +0200", tick=False)
def test_page_frise_nombre_de_requetes_fixe(client, cast, dispositif_a, django_assert_num_queries):
    """One query for every source of evidence, not one per milestone nor per row of data."""
    client.force_login(cast.referent_a)
    url = reverse("etablissements:frise", args=[dispositif_a.pk])
    client.get(url)
    with django_assert_num_queries(NOMBRE_DE_REQUETES_FRISE):
        assert client.get(url).status_code == 200
    for code in CODES:
        PREUVES[code](dispositif_a)
        if code not in ("reflexion", "bilan"):  # one diagnostic, one review per dispositif
            EN_COURS[code](dispositif_a)
    services.jalon_modifier(
        jalon=dispositif_a.jalons.get(code="bilan"), statut="en_cours", commentaire="", auteur=cast.referent_a
    )
    with django_assert_num_queries(NOMBRE_DE_REQUETES_FRISE):
        page = client.get(url).content.decode()
    assert _statut(page, "lancement") == "fait"


# Session, user, roles, LP, dispositif (5); the milestones with who fixed them (1); then one
# query for the evidence of every app that knows some (etablissements, binomes, seances, bilans:
# their annotations on one Dispositif row); the LP's PFMP periods for the school calendar under
# the milestones (1).
NOMBRE_DE_REQUETES_FRISE = 8


@time_machine.travel("2027-01-20 09:00 +0100", tick=False)
def test_tableau_de_bord_du_chef_suit_la_frise(client, cast, dispositif_a):
    EvenementFactory(dispositif=dispositif_a, type=TypeEvenement.LANCEMENT, date=datetime.date(2026, 11, 11))
    services.jalon_modifier(
        jalon=dispositif_a.jalons.get(code="presentation"), statut="fait", commentaire="", auteur=cast.referent_a
    )
    client.force_login(cast.chef_a)
    page = client.get(reverse("accueil")).content.decode()
    ligne = re.search(r'<th scope="row">Lancement</th>(.*?)</tr>', page, re.S).group(1)
    assert 'class="fr-badge fr-badge--sm fr-badge--success">Fait<' in ligne
    ligne = re.search(r'<th scope="row">Présentation du projet.*?</th>(.*?)</tr>', page, re.S).group(1)
    assert "fixé à la main" in ligne and ">Fait<" in ligne


def _statuts(dispositif, jour):
    return [(e.jalon.code, e.statut, e.statut_derive) for e in frise.frise(dispositif, jour)]


@pytest.mark.parametrize("code", CODES)
def test_la_frise_lue_avec_la_ligne_du_dispositif_dit_la_meme_chose(code, dispositif, django_assert_num_queries):
    """A page that reads its dispositif with `avec_la_frise` (the LP dashboard) gets the same statuses as
    the frise's own query, without that query; a row read for another day is not trusted."""
    PREUVES[code](dispositif)
    for jour in (datetime.date(2026, 9, 30), datetime.date(2027, 7, 11)):
        with _le(jour):
            attendu = _statuts(dispositif, jour)
            if jour.year > ANNEE:  # the evidence is dated within its period: the milestone moved
                assert any(statut != "a_faire" for _, statut, _ in attendu)
            ligne = frise.avec_la_frise(Dispositif.objects.all(), jour).get(pk=dispositif.pk)
            with django_assert_num_queries(1):  # the milestones only
                lue = _statuts(ligne, jour)
            assert lue == attendu
            with django_assert_num_queries(2):  # the row was read for another day: the frise reads again
                lendemain = _statuts(ligne, jour + UN_JOUR)
            assert lendemain == _statuts(dispositif, jour + UN_JOUR)

"""The timeline's statuses follow the data and the date (acceptance 3).

Dispositif 2026-2027 throughout: its periods are fixed by `etablissements.frise.JALONS`.
"""

import re
from datetime import date

import pytest
import time_machine
from django.db.models import Value
from django.urls import reverse

from binomes.tests.factories import BinomeFactory
from etablissements import frise
from etablissements.models import Dispositif, Jalon
from etablissements.models.convention import StatutConvention
from etablissements.models.jalon import StatutJalon
from etablissements.tests.factories import (
    ConventionFactory,
    DiagnosticFactory,
    DispositifFactory,
    MembreEquipeFactory,
    PartenaireFactory,
    VersionCadrageFactory,
)

pytestmark = pytest.mark.django_db

ANNEE = 2026


@pytest.fixture
def dispositif():
    return DispositifFactory(annee=ANNEE, partenaire=None)


def etat(dispositif, code, jour):
    return next(e for e in frise.frise(dispositif, jour) if e.jalon.code == code)


def test_chaque_dispositif_recoit_les_jalons_de_la_fiche(dispositif):
    codes = list(dispositif.jalons.order_by("ordre").values_list("code", flat=True))
    assert codes == [d.code for d in frise.JALONS]
    lancement = dispositif.jalons.get(code="lancement")
    assert (lancement.debut, lancement.fin) == (date(2026, 10, 1), date(2027, 1, 10))
    frise.generer_jalons(dispositif)  # idempotent
    assert dispositif.jalons.count() == len(frise.JALONS)


# (code, last day before the period, a day inside, the period's last day, first day late)
PERIODES = [
    ("reflexion", date(2026, 4, 30), date(2026, 6, 15), date(2026, 8, 31), date(2026, 9, 1)),
    ("partenaire", date(2026, 4, 30), date(2026, 6, 15), date(2026, 8, 31), date(2026, 9, 1)),
    ("cadrage", date(2026, 4, 30), date(2026, 6, 15), date(2026, 8, 31), date(2026, 9, 1)),
    ("designation", date(2026, 4, 30), date(2026, 6, 15), date(2026, 8, 31), date(2026, 9, 1)),
    ("sourcing", date(2026, 4, 30), date(2026, 9, 15), date(2026, 9, 30), date(2026, 10, 1)),
    ("eleves", date(2026, 8, 31), date(2026, 9, 15), date(2026, 9, 30), date(2026, 10, 1)),
    ("presentation", date(2026, 8, 31), date(2026, 9, 15), date(2026, 9, 30), date(2026, 10, 1)),
    ("appariement", date(2026, 9, 30), date(2027, 1, 15), date(2027, 5, 31), date(2027, 6, 1)),
    ("lancement", date(2026, 9, 30), date(2026, 12, 1), date(2027, 1, 10), date(2027, 1, 11)),
    ("deroulement", date(2026, 9, 30), date(2027, 3, 1), date(2027, 5, 31), date(2027, 6, 1)),
    ("bilan", date(2027, 5, 31), date(2027, 6, 20), date(2027, 7, 10), date(2027, 7, 11)),
    ("reunion_fin", date(2027, 5, 31), date(2027, 6, 20), date(2027, 7, 10), date(2027, 7, 11)),
    ("evenement_fin", date(2027, 5, 31), date(2027, 6, 20), date(2027, 7, 10), date(2027, 7, 11)),
]


@pytest.mark.parametrize("code,avant,pendant,dernier_jour,apres", PERIODES)
def test_retard_selon_la_date(dispositif, code, avant, pendant, dernier_jour, apres):
    e = etat(dispositif, code, avant)
    assert (e.statut, e.en_retard, e.en_periode, e.libelle_statut) == ("a_faire", False, False, "À faire")
    e = etat(dispositif, code, pendant)
    assert (e.en_retard, e.en_periode) == (False, True)
    assert not etat(dispositif, code, dernier_jour).en_retard
    e = etat(dispositif, code, apres)
    assert (e.en_retard, e.libelle_statut, e.badge) == (True, "En retard", "fr-badge--error")


@pytest.mark.parametrize("code,avant,pendant,dernier_jour,apres", PERIODES)
def test_un_jalon_fait_a_la_main_n_est_jamais_en_retard(dispositif, code, avant, pendant, dernier_jour, apres):
    Jalon.objects.filter(dispositif=dispositif, code=code).update(statut=StatutJalon.FAIT)
    e = etat(dispositif, code, apres)
    assert (e.statut, e.en_retard, e.libelle_statut) == ("fait", False, "Fait")
    assert frise.jalons_en_retard(Jalon.objects.filter(dispositif=dispositif, code=code), jour=apres) == []


def test_en_cours_a_la_main_reste_en_retard_apres_la_periode(dispositif):
    Jalon.objects.filter(dispositif=dispositif, code="lancement").update(statut=StatutJalon.EN_COURS)
    assert etat(dispositif, "lancement", date(2027, 1, 10)).libelle_statut == "En cours"
    assert etat(dispositif, "lancement", date(2027, 1, 11)).libelle_statut == "En retard"


def test_limite_de_janvier_pour_le_lancement(dispositif):
    assert not etat(dispositif, "lancement", date(2027, 1, 5)).en_retard
    assert not etat(dispositif, "lancement", date(2027, 1, 10)).en_retard
    assert etat(dispositif, "lancement", date(2027, 1, 11)).en_retard
    # Other October-to-May milestones are not late in January.
    assert not etat(dispositif, "appariement", date(2027, 1, 11)).en_retard


APRES_PREPARATION = date(2026, 9, 15)


def test_diagnostic_rempli_rend_la_reflexion_faite(dispositif):
    assert etat(dispositif, "reflexion", APRES_PREPARATION).en_retard
    diagnostic = DiagnosticFactory(dispositif=dispositif, vide=True)
    e = etat(dispositif, "reflexion", APRES_PREPARATION)
    assert (e.statut, e.en_retard) == ("en_cours", True)
    DiagnosticFactory._meta.model.objects.filter(pk=diagnostic.pk).update(
        sources=["qualeduc"], besoins="Stages", types_mentorat=["insertion"], public_cible="Premières"
    )
    e = etat(dispositif, "reflexion", APRES_PREPARATION)
    assert (e.statut, e.en_retard, e.derive_des_donnees) == ("fait", False, True)


def test_convention_signee_rend_le_partenaire_identifie(dispositif):
    convention = ConventionFactory(dispositif=dispositif, partenaire=PartenaireFactory(), brouillon=True)
    assert etat(dispositif, "partenaire", APRES_PREPARATION).statut == "en_cours"
    convention.statut = StatutConvention.SIGNEE
    convention.save()
    e = etat(dispositif, "partenaire", APRES_PREPARATION)
    assert (e.statut, e.en_retard) == ("fait", False)


def test_cadrage_valide_rend_la_redaction_faite(dispositif):
    VersionCadrageFactory(dispositif=dispositif)
    assert etat(dispositif, "cadrage", APRES_PREPARATION).statut == "en_cours"
    assert etat(dispositif, "cadrage", APRES_PREPARATION).en_retard
    VersionCadrageFactory(dispositif=dispositif, soumise=True)
    assert etat(dispositif, "cadrage", APRES_PREPARATION).statut == "en_cours"
    VersionCadrageFactory(dispositif=dispositif, validee=True)
    e = etat(dispositif, "cadrage", APRES_PREPARATION)
    assert (e.statut, e.en_retard) == ("fait", False)


def test_referent_et_coordonnateur_designes(dispositif):
    MembreEquipeFactory(dispositif=dispositif, role="referent")
    assert etat(dispositif, "designation", APRES_PREPARATION).statut == "en_cours"
    MembreEquipeFactory(dispositif=dispositif, role="ddfpt")
    assert etat(dispositif, "designation", APRES_PREPARATION).statut == "en_cours"
    MembreEquipeFactory(dispositif=dispositif, role="coordonnateur")
    assert etat(dispositif, "designation", APRES_PREPARATION).statut == "fait"


def test_appariement_fait_des_qu_un_binome_existe(dispositif):
    jour = date(2027, 6, 2)
    assert etat(dispositif, "appariement", jour).en_retard
    BinomeFactory(dispositif=dispositif, statut="propose")
    assert etat(dispositif, "appariement", jour).statut == "en_cours"
    BinomeFactory(dispositif=dispositif, statut="actif")
    e = etat(dispositif, "appariement", jour)
    assert (e.statut, e.en_retard) == ("fait", False)


def test_les_donnees_d_un_autre_dispositif_ne_comptent_pas(dispositif):
    autre = DispositifFactory(annee=ANNEE)
    VersionCadrageFactory(dispositif=autre, validee=True)
    BinomeFactory(dispositif=autre)
    assert etat(dispositif, "cadrage", APRES_PREPARATION).statut == "a_faire"
    assert etat(dispositif, "appariement", APRES_PREPARATION).statut == "a_faire"


def test_enregistrer_une_derivation_inconnue_est_refuse():
    with pytest.raises(ValueError):
        frise.enregistrer_derivation("inconnu", lambda d, jour: {})
    with pytest.raises(ValueError):
        frise.enregistrer_derivation([], lambda d, jour: {})


def test_une_derivation_ne_parle_que_de_ses_jalons(dispositif):
    def bavarde(d, jour):
        return {"bilan": frise.FAIT}

    frise.enregistrer_derivation("lancement", bavarde)
    try:
        with pytest.raises(ValueError, match="bilan"):
            frise.frise(dispositif, APRES_PREPARATION)
    finally:
        del frise._DERIVATIONS[bavarde]


def test_deux_derivations_ne_partagent_pas_un_nom_d_annotation(dispositif):
    def doublon(d, jour):
        return {}

    frise.enregistrer_derivation("lancement", doublon, lambda jour: {"cadrage": Value(True)})
    try:
        with pytest.raises(ValueError, match="cadrage"):
            frise.frise(dispositif, APRES_PREPARATION)
    finally:
        del frise._DERIVATIONS[doublon]


def test_les_preuves_sont_construites_une_fois_par_jour_et_lues_a_chaque_fois(dispositif):
    """The annotated query is built once per day and reused (issue 18), yet each frise reads the
    data of that moment, and a new day builds it again with its own date."""
    jours = []

    def temoin(d, jour):
        return {}

    def preuves(jour):
        jours.append(jour)
        return {}

    frise.enregistrer_derivation("lancement", temoin, preuves)
    try:
        assert etat(dispositif, "appariement", APRES_PREPARATION).statut == "a_faire"
        BinomeFactory(dispositif=dispositif, statut="actif")
        assert etat(dispositif, "appariement", APRES_PREPARATION).statut == "fait"
        assert jours == [APRES_PREPARATION]
        lendemain = date.fromordinal(APRES_PREPARATION.toordinal() + 1)
        assert etat(dispositif, "appariement", lendemain).statut == "fait"
        assert jours == [APRES_PREPARATION, lendemain]
    finally:
        del frise._DERIVATIONS[temoin]


def test_jalons_en_retard_suit_donnees_et_date(django_assert_max_num_queries, dispositif):
    autre = DispositifFactory(annee=ANNEE)
    VersionCadrageFactory(dispositif=autre, validee=True)
    jour = date(2027, 1, 11)
    # The milestones, then one query for the evidence of every app that knows some.
    with django_assert_max_num_queries(1 + 1) as requetes:
        retards = frise.jalons_en_retard(jour=jour)
    nombre = len(requetes.captured_queries)
    par_dispositif = {}
    for jalon in retards:
        par_dispositif.setdefault(jalon.dispositif_id, set()).add(jalon.code)
    attendus = {"reflexion", "partenaire", "cadrage", "designation", "sourcing", "eleves", "presentation", "lancement"}
    assert par_dispositif[dispositif.pk] == attendus
    # The other dispositif has a validated cadrage and a signed convention (its factory's partner).
    assert "cadrage" not in par_dispositif[autre.pk]
    # More dispositifs, same number of queries.
    for _ in range(3):
        DispositifFactory(annee=ANNEE)
    with django_assert_max_num_queries(nombre):
        assert len({j.dispositif_id for j in frise.jalons_en_retard(jour=jour)}) == 5
    assert frise.jalons_en_retard(Jalon.objects.filter(dispositif=dispositif), jour=date(2026, 8, 31)) == []


@time_machine.travel("2027-01-11 09:00 +0100", tick=False)
def test_page_frise_montre_le_retard_du_lancement(client, cast):
    dispositif, _ = Dispositif.objects.get_or_create(etablissement=cast.lp_a, annee=ANNEE)
    client.force_login(cast.referent_a)
    page = client.get(reverse("etablissements:frise", args=[dispositif.pk])).content.decode()
    assert _statut(page, "lancement") == "en_retard"
    assert _statut(page, "appariement") == "a_faire"


@time_machine.travel("2027-01-10 18:00 +0100", tick=False)
def test_page_frise_lancement_a_l_heure_le_10_janvier(client, cast):
    dispositif, _ = Dispositif.objects.get_or_create(etablissement=cast.lp_a, annee=ANNEE)
    client.force_login(cast.referent_a)
    page = client.get(reverse("etablissements:frise", args=[dispositif.pk])).content.decode()
    assert _statut(page, "lancement") == "a_faire"
    assert _statut(page, "cadrage") == "en_retard"


def _statut(page, code):
    m = re.search(rf'id="jalon-{code}"\s+data-statut="(\w+)"', page)
    return m.group(1)


def test_statut_modifie_a_la_main(client, cast):
    jalon = cast.dispositif_a.jalons.get(code="presentation")
    client.force_login(cast.referent_a)
    url = reverse("etablissements:jalon_modifier", args=[jalon.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"statut": "fait", "commentaire": "Réunion du 12 septembre"})
    assert reponse.status_code == 302
    jalon.refresh_from_db()
    assert (jalon.statut, jalon.commentaire, jalon.modifie_par) == ("fait", "Réunion du 12 septembre", cast.referent_a)
    assert client.post(url, {"statut": "termine"}).status_code == 200
    for lecteur in (cast.chef_a, cast.cpe_a, cast.coordonnateur_a):
        client.force_login(lecteur)
        assert client.post(url, {"statut": "a_faire"}).status_code == 403
    jalon.refresh_from_db()
    assert jalon.statut == "fait"

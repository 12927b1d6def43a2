"""Each indicator on a small hand-built data set; expected values computed by hand in the comments."""

import datetime
from decimal import Decimal

import pytest
from django.db import connections

from bilans.indicateurs import _chiffres, _comptages_d_un_dispositif, indicateurs, indicateurs_par_dispositif
from bilans.models import ResultatEleve, Situation
from binomes.models import StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.models import LigneBudget
from etablissements.tests.factories import DispositifFactory, EntrepriseFactory
from seances.models import Participation, Presence, StatutSeance
from seances.tests.factories import SeanceFactory

pytestmark = pytest.mark.django_db

FIN_PREVUE = datetime.date(2027, 5, 28)


@pytest.fixture
def donnees(cast):
    d = cast.dispositif_a
    lp = cast.lp_a
    e1, e2 = EntrepriseFactory(etablissement=lp), EntrepriseFactory(etablissement=lp)
    m1, m2 = (
        MentorFactory(etablissement=lp, entreprise=e1, verifie=True),
        MentorFactory(etablissement=lp, entreprise=e1, verifie=True),
    )
    m3 = MentorFactory(etablissement=lp, entreprise=e2, verifie=True)
    m4 = MentorFactory(etablissement=lp, entreprise=None, verifie=True)
    f1, f2 = EleveFactory(etablissement=lp, sexe="F"), EleveFactory(etablissement=lp, sexe="F")
    g1, g2, g3 = (EleveFactory(etablissement=lp, sexe="M") for _ in range(3))

    def binome(mentor, eleve, statut, **kw):
        return BinomeFactory(dispositif=d, mentor=mentor, eleve=eleve, statut=statut, date_fin_prevue=FIN_PREVUE, **kw)

    binome(m1, f1, StatutBinome.ACTIF)
    binome(m2, f2, StatutBinome.TERMINE)
    binome(m3, g1, StatutBinome.ROMPU, date_fin=datetime.date(2027, 1, 15))  # before planned end: abandon
    binome(m3, g2, StatutBinome.ROMPU, date_fin=datetime.date(2027, 6, 1))  # after planned end: not an abandon
    binome(m4, g3, StatutBinome.PROPOSE)  # never started: counts nowhere
    binome(m2, f1, StatutBinome.TERMINE)  # f1 re-paired: still one girl

    def seance(statut, presences):
        s = SeanceFactory(dispositif=d, statut=statut)
        for eleve, presence in presences:
            Participation.objects.create(seance=s, eleve=eleve, presence=presence)
        return s

    s1 = seance(
        StatutSeance.TENUE,
        [(f1, Presence.PRESENT), (g1, Presence.ABSENT_NON_EXCUSE), (g2, Presence.ABSENT_EXCUSE)],
    )
    Participation.objects.create(seance=s1, mentor=m1, presence=Presence.ABSENT_NON_EXCUSE)  # mentors don't count
    seance(StatutSeance.TENUE, [(f2, Presence.PRESENT), (f1, Presence.ATTENDU)])
    seance(StatutSeance.ANNULEE, [(g1, Presence.ABSENT_NON_EXCUSE)])
    seance(StatutSeance.PREVUE, [(f1, Presence.ABSENT_EXCUSE)])

    ResultatEleve.objects.create(dispositif=d, eleve=f1, presente=True, admis=True, situation=Situation.EMPLOI)
    ResultatEleve.objects.create(dispositif=d, eleve=f2, presente=True, admis=False, situation=Situation.RECHERCHE)
    ResultatEleve.objects.create(dispositif=d, eleve=g1, presente=False, situation=Situation.FORMATION)
    ResultatEleve.objects.create(dispositif=d, eleve=g2, presente=False)

    LigneBudget.objects.create(dispositif=d, type="allocation", source="academie", libelle="Crédits", montant=1500)
    LigneBudget.objects.create(dispositif=d, type="allocation", source="mecenat", libelle="Don", montant="500.50")
    LigneBudget.objects.create(dispositif=d, type="engagement", nature="evenements", libelle="Café", montant="320.25")
    return d


def test_effectifs(donnees):
    i = indicateurs(donnees)
    assert i["filles"].valeur == 2  # f1, f2
    assert i["garcons"].valeur == 2  # g1, g2 (g3 only proposed)
    assert i["mentors"].valeur == 3  # m1, m2, m3 (m4 only proposed)
    assert i["entreprises"].valeur == 2  # e1 (m1, m2), e2 (m3)


def test_taux_d_absenteisme(donnees):
    # Held séances only, students only: 5 expected (3 + 2), 2 absent (g1 unexcused, g2 excused).
    a = indicateurs(donnees)["absenteisme"]
    assert (a.numerateur, a.denominateur, a.valeur) == (2, 5, 40.0)
    assert a.affichage == "40,0\xa0%"
    assert a.detail == "2 sur 5"


def test_taux_d_abandon(donnees):
    # Started: 5 (all but the proposed one); broken before planned end: 1.
    a = indicateurs(donnees)["abandon"]
    assert (a.numerateur, a.denominateur, a.valeur) == (1, 5, 20.0)


def test_taux_de_reussite_et_d_insertion(donnees):
    i = indicateurs(donnees)
    # Presented: f1, f2; admitted: f1.
    assert (i["reussite"].numerateur, i["reussite"].denominateur, i["reussite"].affichage) == (1, 2, "50,0\xa0%")
    # Known situation: f1 (emploi), f2 (recherche), g1 (formation); inserted: f1, g1 -> 2/3.
    assert (i["insertion"].numerateur, i["insertion"].denominateur, i["insertion"].affichage) == (2, 3, "66,7\xa0%")


def test_sommes(donnees):
    i = indicateurs(donnees)
    assert i["alloue"].valeur == Decimal("2000.50")
    assert i["engage"].valeur == Decimal("320.25")
    assert i["alloue"].affichage == "2\xa0000,50\xa0€"


def test_dispositif_vide_division_par_zero_en_tiret(cast):
    i = indicateurs(cast.dispositif_b)
    assert [i[c].valeur for c in ("filles", "garcons", "mentors", "entreprises")] == [0, 0, 0, 0]
    for code in ("absenteisme", "abandon", "reussite", "insertion"):
        assert i[code].valeur is None
        assert i[code].affichage == "—"
    assert i["engage"].affichage == "0,00\xa0€"


def test_chaque_indicateur_a_sa_definition(donnees):
    for indicateur in indicateurs(donnees):
        assert indicateur.libelle and len(indicateur.definition) > 40


def test_nombre_de_requetes_constant(donnees, django_assert_num_queries):
    autres = [DispositifFactory().pk for _ in range(5)]
    with django_assert_num_queries(4):
        indicateurs_par_dispositif([donnees.pk])
    with django_assert_num_queries(4):
        tous = indicateurs_par_dispositif([donnees.pk, *autres])
    assert tous[donnees.pk]["filles"].valeur == 2
    assert tous[autres[0]]["filles"].valeur == 0


def test_un_dispositif_seul_compte_comme_plusieurs(donnees, cast):
    """One dispositif's counts run the queries compiled once per connection (the dashboards and reports);
    several run the ORM's querysets: the same figures, types included (budget sums are Decimals)."""
    seul = _chiffres([donnees.pk])[donnees.pk]
    avec_d_autres = _chiffres([donnees.pk, cast.dispositif_b.pk])
    assert seul == avec_d_autres[donnees.pk]
    assert seul["commences"] == 5 and seul["alloue"] == Decimal("2000.50") and type(seul["alloue"]) is Decimal
    assert _chiffres([cast.dispositif_b.pk])[cast.dispositif_b.pk] == avec_d_autres[cast.dispositif_b.pk] == {}
    # Built once per connection: another dispositif reuses the compiled SQL.
    compilees = [compilee._compilees for compilee, _noms in _comptages_d_un_dispositif()]
    assert all(connections["default"] in par_connexion for par_connexion in compilees)
    avant = [dict(par_connexion) for par_connexion in compilees]
    _chiffres([DispositifFactory().pk])
    assert [dict(par_connexion) for par_connexion in compilees] == avant

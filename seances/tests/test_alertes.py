"""Acceptance 3: the beat jobs, run twice on the same data with frozen time, alert once per recipient."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binomes.models import StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import AffectationFactory
from seances.alertes import alertes_calculer, alertes_jalons_en_retard
from seances.models import Alerte, Participation, Presence, StatutSeance, TypeAlerte
from seances.tasks import alertes_quotidiennes
from seances.tests.conftest import pages_constantes
from seances.tests.factories import AlerteFactory, SeanceFactory
from socle.roles import Role

PARIS = ZoneInfo("Europe/Paris")
AUJOURD_HUI = datetime.date(2026, 12, 15)
MAINTENANT = datetime.datetime(2026, 12, 15, 7, 0, tzinfo=PARIS)


def il_y_a(jours):
    return AUJOURD_HUI - datetime.timedelta(days=jours)


@pytest.fixture
def gele():
    with time_machine.travel(MAINTENANT, tick=False):
        yield


def binome_avec_seance(cast, jours):
    binome = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 1))
    SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=il_y_a(jours))
    return binome


def cles(type_):
    return set(Alerte.objects.filter(type=type_).values_list("cle", "destinataire__email"))


def test_binome_sans_seance_cinq_semaines_de_classe_alerte_quatre_non(cast, gele):
    # 40 days: five whole weeks of classes since the séance (a Thursday); 31 days: four.
    vieux = binome_avec_seance(cast, 40)
    recent = binome_avec_seance(cast, 31)
    # A séance 29 days ago that was cancelled does not count as held.
    annule = binome_avec_seance(cast, 40)
    SeanceFactory(dispositif=cast.dispositif_a, binome=annule, date=il_y_a(5), statut=StatutSeance.ANNULEE)
    BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.TERMINE, date_debut=datetime.date(2026, 9, 1))
    alertes_calculer()
    binomes_alertes = {c.split(":")[1] for c, _email in cles(TypeAlerte.BINOME_SANS_SEANCE)}
    assert binomes_alertes == {str(vieux.pk), str(annule.pk)}
    assert str(recent.pk) not in binomes_alertes
    destinataires = {e for _c, e in cles(TypeAlerte.BINOME_SANS_SEANCE)}
    assert destinataires == {"referent.a@exemple.fr", "coordonnateur.a@exemple.fr"}


def test_binome_jamais_vu_alerte_depuis_son_debut(cast, gele):
    binome = BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(45))
    BinomeFactory(dispositif=cast.dispositif_a, date_debut=il_y_a(10))
    alertes_calculer()
    assert {c for c, _e in cles(TypeAlerte.BINOME_SANS_SEANCE)} == {
        f"binome_sans_seance:{binome.pk}:{il_y_a(45).isoformat()}"
    }


def absent(cast, eleve=None, mentor=None, jours=10, statut=StatutSeance.TENUE):
    seance = SeanceFactory(dispositif=cast.dispositif_a, date=il_y_a(jours), statut=statut)
    return Participation.objects.create(seance=seance, eleve=eleve, mentor=mentor, presence=Presence.ABSENT_NON_EXCUSE)


def test_eleve_deux_absences_non_excusees(cast, gele):
    souvent = EleveFactory(etablissement=cast.lp_a)
    une_fois = EleveFactory(etablissement=cast.lp_a)
    absent(cast, eleve=souvent, jours=10)
    absent(cast, eleve=souvent, jours=3)
    absent(cast, eleve=une_fois)
    # An absence left on a séance that was then cancelled is not an absence.
    absent(cast, eleve=une_fois, jours=2, statut=StatutSeance.ANNULEE)
    alertes_calculer()
    assert cles(TypeAlerte.ABSENCES_ELEVE) == {
        (f"absences_eleve:{souvent.pk}:2", "referent.a@exemple.fr"),
        (f"absences_eleve:{souvent.pk}:2", "cpe.a@exemple.fr"),
    }
    # A third absence is a new fact, told once more.
    absent(cast, eleve=souvent, jours=1)
    nouvelles = alertes_calculer()
    assert {a.cle for a in nouvelles} == {f"absences_eleve:{souvent.pk}:3"}


def test_mentor_absent_et_honorabilite_bientot_expiree(cast, gele):
    absent_m = MentorFactory(etablissement=cast.lp_a, verifie=True)
    absent(cast, mentor=absent_m)
    absent(cast, mentor=MentorFactory(etablissement=cast.lp_a, verifie=True), statut=StatutSeance.ANNULEE)
    expire = MentorFactory(
        etablissement=cast.lp_a, verifie=True, honorabilite__expiration=AUJOURD_HUI + datetime.timedelta(days=30)
    )
    MentorFactory(
        etablissement=cast.lp_a, verifie=True, honorabilite__expiration=AUJOURD_HUI + datetime.timedelta(days=31)
    )
    MentorFactory(
        etablissement=cast.lp_a, verifie=True, honorabilite__expiration=AUJOURD_HUI - datetime.timedelta(days=1)
    )
    alertes_calculer()
    assert {c for c, _e in cles(TypeAlerte.ABSENCES_MENTOR)} == {f"absences_mentor:{absent_m.pk}:1"}
    assert {c for c, _e in cles(TypeAlerte.HONORABILITE)} == {f"honorabilite:{expire.pk}:2027-01-14"}
    assert {e for _c, e in cles(TypeAlerte.HONORABILITE)} == {"referent.a@exemple.fr", "coordonnateur.a@exemple.fr"}


def test_jalons_en_retard_alertent_le_referent(cast, gele):
    from etablissements.models import Jalon
    from etablissements.models.jalon import StatutJalon

    jalons = Jalon.objects.filter(dispositif=cast.dispositif_a)
    en_retard = {j.pk for j in jalons if j.fin < AUJOURD_HUI}
    assert en_retard  # the preparation milestones ended before December
    alertes_calculer()
    cles = set(
        Alerte.objects.filter(type=TypeAlerte.JALON_EN_RETARD, etablissement=cast.lp_a).values_list(
            "cle", "destinataire__email"
        )
    )
    # The convention of the cast is signed: the data shows « identification du partenaire » done.
    partenaire = jalons.get(code="partenaire").pk
    assert {c for c, _e in cles} == {f"jalon_en_retard:{pk}" for pk in en_retard - {partenaire}}
    assert {e for _c, e in cles} == {"referent.a@exemple.fr"}
    # Marked done by hand: no new alert.
    Alerte.objects.all().delete()
    Jalon.objects.update(statut=StatutJalon.FAIT)
    assert alertes_jalons_en_retard(AUJOURD_HUI, None) == []


def test_les_jobs_lances_deux_fois_alertent_une_fois(cast, gele, mailoutbox):
    from etablissements.models import Jalon

    Jalon.objects.update(statut="fait")  # milestones have their own test
    binome_avec_seance(cast, 40)
    eleve = EleveFactory(etablissement=cast.lp_a)
    absent(cast, eleve=eleve)
    absent(cast, eleve=eleve, jours=2)
    AffectationFactory(role=Role.CPE, etablissement=cast.lp_b)  # another LP's CPE hears nothing
    alertes_quotidiennes.delay()
    premier = set(Alerte.objects.values_list("cle", "destinataire"))
    envoyes = sorted(m.to[0] for m in mailoutbox)
    alertes_quotidiennes.delay()
    assert set(Alerte.objects.values_list("cle", "destinataire")) == premier
    # One digest per recipient, never a second one for the same facts.
    assert envoyes == ["coordonnateur.a@exemple.fr", "cpe.a@exemple.fr", "referent.a@exemple.fr"]
    assert len(mailoutbox) == 3
    referent = next(m for m in mailoutbox if m.to == ["referent.a@exemple.fr"])
    assert referent.subject == "[Mentorat LP] 2 alertes du mentorat"
    assert "absences non excusées" in referent.body and "http://127.0.0.1:8000/alertes/" in referent.body
    assert referent.alternatives[0][1] == "text/html"


def test_page_des_alertes_ne_montre_que_les_miennes(client, cast):
    mienne = AlerteFactory(destinataire=cast.referent_a, etablissement=cast.lp_a, lien="/seances/")
    AlerteFactory(destinataire=cast.cpe_a, etablissement=cast.lp_a)
    client.force_login(cast.referent_a)
    reponse = client.get(reverse("seances:alertes"))
    assert list(reponse.context["page"]) == [mienne]
    assert mienne.message in reponse.content.decode()


def test_page_des_alertes_requetes_constantes(client, cast, django_assert_max_num_queries, django_assert_num_queries):
    AlerteFactory(destinataire=cast.cpe_a, etablissement=cast.lp_a)
    client.force_login(cast.cpe_a)
    pages_constantes(
        client,
        reverse("seances:alertes"),
        lambda: AlerteFactory.create_batch(5, destinataire=cast.cpe_a, etablissement=cast.lp_a),
        django_assert_max_num_queries,
        django_assert_num_queries,
    )


@pytest.mark.parametrize("nombre", [1, 12])
def test_calcul_des_alertes_en_requetes_constantes(cast, gele, nombre):
    for _ in range(nombre):
        eleve = EleveFactory(etablissement=cast.lp_a)
        absent(cast, eleve=eleve, jours=10)
        absent(cast, eleve=eleve, jours=3)
        binome_avec_seance(cast, 40)
    with CaptureQueriesContext(connection) as requetes:
        nouvelles = alertes_calculer()
    assert len(nouvelles) == Alerte.objects.count()
    # Two facts per student (absences, binôme without séance) told to two people each.
    assert len(cles(TypeAlerte.ABSENCES_ELEVE)) + len(cles(TypeAlerte.BINOME_SANS_SEANCE)) == 4 * nombre
    # 13 (two of them read the LPs of the active binômes and their PFMP periods, for the school weeks,
    # before the binômes are streamed; one reads the late milestones' statuses from every app, which
    # took one query per app: 4), and 7 for the pairs' health (seances.sante: 1 + 3) and their
    # periods at risk (the open ones read in a savepoint, 3; none to close or open here).
    assert len(requetes.captured_queries) == 13 + 7
    # Run again: nothing new, still a bounded number of queries (nothing to write this time).
    with CaptureQueriesContext(connection) as requetes:
        assert alertes_calculer() == []
    assert len(requetes.captured_queries) == 12 + 7

"""Acceptance 1 of issue 16: the school calendar, with frozen time.

LP A is in the académie de Lyon, zone A: Christmas holidays from Saturday 19 December 2026
to Sunday 3 January 2027 (official dates). The inactivity alert counts whole weeks of
classes only; planning a séance on a day without classes warns without refusing.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.models import PeriodePFMP
from seances.alertes import alertes_calculer
from seances.models import Alerte, Seance, TypeAlerte
from seances.tests.conftest import donnees
from seances.tests.factories import SeanceFactory

PARIS = ZoneInfo("Europe/Paris")


def jours(debut, fin):
    jour = debut
    while jour <= fin:
        yield jour
        jour += datetime.timedelta(days=1)


def alertes_du(jour):
    """Run the daily job as it runs at 7:00 on `jour`; the keys of the binôme alerts it adds."""
    with time_machine.travel(datetime.datetime.combine(jour, datetime.time(7), tzinfo=PARIS), tick=False):
        return {a.cle for a in alertes_calculer() if a.type == TypeAlerte.BINOME_SANS_SEANCE}


def binome(cast, classe, derniere_seance):
    b = BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 9, 14), eleve__classe=classe)
    SeanceFactory(dispositif=cast.dispositif_a, binome=b, date=derniere_seance)
    return b


def test_le_lp_du_cast_est_en_zone_a(cast):
    # Deduced from the académie de Lyon: the other tests rest on it.
    assert cast.lp_a.zone_vacances == "A"


def test_pas_d_alerte_pendant_les_vacances_de_noel_puis_une_apres_cinq_semaines_de_classe(cast):
    # Last séance on Thursday 26 November: three weeks of classes before the holidays.
    b = binome(cast, "2MELEC", datetime.date(2026, 11, 26))
    cle = f"binome_sans_seance:{b.pk}:2026-11-26"
    # 30 days later (the old rule's month) falls in the holidays: nothing, nor on any other day of them.
    for jour in jours(datetime.date(2026, 11, 27), datetime.date(2027, 1, 16)):
        assert alertes_du(jour) == set(), jour
    # The fifth week of classes ends on Sunday 17 January: one alert, told once.
    assert alertes_du(datetime.date(2027, 1, 17)) == {cle}
    assert alertes_du(datetime.date(2027, 1, 18)) == set()
    assert Alerte.objects.filter(cle=cle).count() == 2  # the référent and the coordinator
    assert "5 semaines de classe" in Alerte.objects.filter(cle=cle).first().message


def test_pas_d_alerte_pendant_la_pfmp_de_la_classe(cast):
    PeriodePFMP.objects.create(
        etablissement=cast.lp_a, classe="1MELEC", debut=datetime.date(2026, 11, 2), fin=datetime.date(2026, 12, 11)
    )
    # Both last met on Friday 16 October, the eve of the Toussaint holidays.
    en_pfmp = binome(cast, "1MELEC", datetime.date(2026, 10, 16))
    au_lycee = binome(cast, "1CAP", datetime.date(2026, 10, 16))
    vues = set()
    for jour in jours(datetime.date(2026, 10, 17), datetime.date(2027, 1, 16)):
        vues |= {(jour, cle.split(":")[1]) for cle in alertes_du(jour)}
    # The student in the LP: five weeks of classes from 2 November, told on Sunday 6 December.
    # The student in PFMP until 11 December: one week of classes before the holidays, then two
    # after them: no alert yet on 16 January; the fifth week of classes ends on 31 January.
    assert vues == {(datetime.date(2026, 12, 6), str(au_lycee.pk))}
    assert str(en_pfmp.pk) not in {pk for _j, pk in vues}
    assert alertes_du(datetime.date(2027, 1, 30)) == set()
    assert alertes_du(datetime.date(2027, 1, 31)) == {f"binome_sans_seance:{en_pfmp.pk}:2026-10-16"}


@pytest.fixture
def coordonnateur(client, cast):
    # On the day the séance is planned (a session opened on another day would have expired).
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, tzinfo=PARIS), tick=False):
        client.force_login(cast.coordonnateur_a)
        yield client


def test_une_seance_prevue_pendant_les_vacances_avertit_sans_refuser(coordonnateur, cast):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    b = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, eleve__classe="2MELEC")
    url = reverse("seances:nouvelle")
    personnes = [(f"m{mentor.pk}", "attendu"), (f"e{b.eleve.pk}", "attendu")]
    reponse = coordonnateur.post(url, donnees(personnes, date="2026-12-22", statut="prevue"), follow=True)
    seance = Seance.objects.get()
    assert seance.date == datetime.date(2026, 12, 22)
    page = reponse.content.decode()
    assert "Le 22/12/2026 tombe un jour sans cours au lycée : Vacances de Noël (zone A)." in page
    # Opened again to edit it, the séance still shows the warning.
    page = coordonnateur.get(reverse("seances:modifier", args=[seance.pk])).content.decode()
    assert "Vacances de Noël (zone A)" in page
    # A public holiday, and the class's PFMP, warn too; an ordinary Tuesday does not.
    PeriodePFMP.objects.create(
        etablissement=cast.lp_a, classe="2MELEC", debut=datetime.date(2027, 1, 11), fin=datetime.date(2027, 1, 29)
    )
    avertis = {
        date: coordonnateur.post(url, donnees(personnes, date=date, statut="prevue"), follow=True).content.decode()
        for date in ("2027-01-01", "2027-01-12", "2027-01-05")
    }
    assert "tombe un jour sans cours au lycée : jour férié (Jour de l" in avertis["2027-01-01"]
    assert f"{b.eleve} est en entreprise ce jour-là : PFMP de la classe 2MELEC" in avertis["2027-01-12"]
    assert "avertissements-calendrier" not in avertis["2027-01-05"]
    assert Seance.objects.count() == 4


def test_le_formulaire_renvoye_pour_erreur_avertit_aussi(coordonnateur, cast):
    eleve = BinomeFactory(dispositif=cast.dispositif_a).eleve
    # No participant: refused, and the day typed is already flagged.
    reponse = coordonnateur.post(reverse("seances:nouvelle"), donnees([(f"e{eleve.pk}", "")], date="2026-12-26"))
    assert reponse.status_code == 200
    assert "Choisissez au moins un participant" in reponse.content.decode()
    assert "week-end" in reponse.content.decode()

"""Acceptance 3: the health rules of a binôme, one frozen-time test per reason, and their cost."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binomes.models import Binome, StatutBinome
from binomes.tests.factories import BinomeFactory, MentorFactory
from seances.models import Continuer, Participation, Presence, Ressenti, StatutSeance, Utilite
from seances.sante import (
    SEMAINES_A_SURVEILLER,
    SEMAINES_EN_RISQUE,
    Niveau,
    avec_le_dernier_avis,
    sante_des_binomes,
    sante_des_binomes_du_dispositif,
)
from seances.tests.factories import AvisEleveFactory, NoteMentorFactory, SeanceFactory

PARIS = ZoneInfo("Europe/Paris")
AUJOURD_HUI = datetime.date(2026, 11, 30)


def il_y_a(jours):
    return AUJOURD_HUI - datetime.timedelta(days=jours)


@pytest.fixture(autouse=True)
def gele():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 7, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def binome(cast):
    return BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))


def seance(binome, jours, *, eleve=Presence.PRESENT, statut=StatutSeance.TENUE):
    s = SeanceFactory(dispositif=binome.dispositif, binome=binome, date=il_y_a(jours), statut=statut)
    Participation.objects.filter(seance=s, eleve=binome.eleve).update(presence=eleve)
    return s


def sante(binome):
    """The pair's health, read both ways: the answers by their own query (the alerts), and with the pair
    (`avec_le_dernier_avis`, the dashboard); both say the same."""
    lue = sante_des_binomes([binome])[binome.pk]
    avec_la_paire = sante_des_binomes(avec_le_dernier_avis(Binome.objects.filter(pk=binome.pk)))[binome.pk]
    assert (avec_la_paire.niveau, avec_la_paire.textes) == (lue.niveau, lue.textes)
    return lue


def seul_motif(binome, niveau, texte):
    s = sante(binome)
    assert s.textes == [texte]
    assert s.niveau == niveau


def test_bonne_sante_sans_aucun_signal(binome):
    seance(binome, 10)
    NoteMentorFactory(seance=seance(binome, 3), mentor=binome.mentor)
    AvisEleveFactory(binome=binome)
    s = sante(binome)
    assert (s.niveau, s.libelle, s.textes) == (Niveau.BONNE, "Bonne", [])


# Inactivity.


def test_quatre_semaines_sans_seance_a_surveiller(binome):
    seance(binome, 7 * SEMAINES_A_SURVEILLER)
    seul_motif(binome, Niveau.A_SURVEILLER, "Aucune séance tenue depuis 4 semaines")


def test_six_semaines_sans_seance_en_risque(binome):
    seance(binome, 7 * SEMAINES_EN_RISQUE + 2)
    # A séance planned or cancelled since does not count as held.
    seance(binome, 5, statut=StatutSeance.ANNULEE)
    seance(binome, 1, statut=StatutSeance.PREVUE)
    seul_motif(binome, Niveau.EN_RISQUE, "Aucune séance tenue depuis 6 semaines")


def test_aucune_seance_depuis_le_debut(binome):
    # Started on 5 October, nothing held: 8 weeks on 30 November.
    seul_motif(binome, Niveau.EN_RISQUE, "Aucune séance tenue depuis le début du binôme, il y a 8 semaines")


def test_trois_semaines_sans_seance_n_est_pas_un_signal(binome):
    seance(binome, 7 * SEMAINES_A_SURVEILLER - 1)
    assert sante(binome).niveau == Niveau.BONNE


def test_une_seance_avec_un_autre_mentor_ne_compte_pas(cast, binome):
    """The pair's séances are those where both its student and its mentor are expected."""
    autre = MentorFactory(etablissement=cast.lp_a)
    s = SeanceFactory(dispositif=binome.dispositif, date=il_y_a(2))
    Participation.objects.create(seance=s, eleve=binome.eleve, presence=Presence.PRESENT)
    Participation.objects.create(seance=s, mentor=autre, presence=Presence.PRESENT)
    seance(binome, 7 * SEMAINES_EN_RISQUE)
    assert sante(binome).textes == ["Aucune séance tenue depuis 6 semaines"]


# Attendance.


def test_deux_absences_non_excusees_sur_trois_en_risque(binome):
    seance(binome, 20, eleve=Presence.ABSENT_NON_EXCUSE)  # older than the last three: not read
    seance(binome, 14)
    seance(binome, 7, eleve=Presence.ABSENT_EXCUSE)
    seance(binome, 2, eleve=Presence.ABSENT_NON_EXCUSE)
    seul_motif(binome, Niveau.A_SURVEILLER, "1 absence non excusée sur les 3 dernières séances")
    seance(binome, 1, eleve=Presence.ABSENT_NON_EXCUSE)
    seul_motif(binome, Niveau.EN_RISQUE, "2 absences non excusées sur les 3 dernières séances")


def test_une_absence_non_excusee_a_surveiller(binome):
    seance(binome, 2, eleve=Presence.ABSENT_NON_EXCUSE)
    seul_motif(binome, Niveau.A_SURVEILLER, "1 absence non excusée sur la dernière séance")


# The mentor's latest note.


def test_le_mentor_signale_une_difficulte(binome):
    note = NoteMentorFactory(seance=seance(binome, 2), mentor=binome.mentor, difficulte=True)
    seul_motif(binome, Niveau.EN_RISQUE, "Le mentor signale une difficulté avec l’élève")
    # Once the référent has handled the need, it no longer counts.
    note.besoin_traite_le = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=PARIS)
    note.save()
    assert sante(binome).niveau == Niveau.BONNE


def test_le_mentor_demande_l_aide_du_referent(binome):
    NoteMentorFactory(seance=seance(binome, 2), mentor=binome.mentor, aide=True)
    seul_motif(binome, Niveau.A_SURVEILLER, "Le mentor demande l’aide du référent")


def test_le_mentor_signale_une_absence_non_prevenue(binome):
    NoteMentorFactory(seance=seance(binome, 2), mentor=binome.mentor, absence=True)
    seul_motif(binome, Niveau.A_SURVEILLER, "Le mentor signale une absence non prévenue")


def test_selon_le_mentor_la_seance_n_a_pas_eu_lieu(binome):
    NoteMentorFactory(seance=seance(binome, 2), mentor=binome.mentor, pas_eu_lieu=True)
    seul_motif(binome, Niveau.A_SURVEILLER, "Selon le mentor, la dernière séance n’a pas eu lieu")


def test_une_note_plus_recente_efface_la_precedente(cast, binome):
    NoteMentorFactory(
        seance=seance(binome, 9),
        mentor=binome.mentor,
        difficulte=True,
        ecrite_le=datetime.datetime(2026, 11, 21, 18, 0, tzinfo=PARIS),
    )
    NoteMentorFactory(
        seance=seance(binome, 2), mentor=binome.mentor, ecrite_le=datetime.datetime(2026, 11, 28, 18, 0, tzinfo=PARIS)
    )
    # The mentor's note on a séance with another of their students says nothing of this pair.
    autre = BinomeFactory(dispositif=cast.dispositif_a, mentor=binome.mentor)
    NoteMentorFactory(seance=seance(autre, 1), mentor=binome.mentor, difficulte=True)
    assert sante(binome).niveau == Niveau.BONNE
    assert sante(autre).niveau == Niveau.EN_RISQUE


# The student's latest answers.


def test_l_eleve_ne_souhaite_pas_continuer(binome):
    seance(binome, 2)
    AvisEleveFactory(binome=binome, recu_le=il_y_a(2), arreter=True)
    seul_motif(binome, Niveau.EN_RISQUE, "L’élève ne souhaite pas continuer")
    # A newer answer replaces it.
    AvisEleveFactory(binome=binome, recu_le=il_y_a(1))
    assert sante(binome).niveau == Niveau.BONNE


def test_l_eleve_ne_sait_pas_s_il_souhaite_continuer(binome):
    seance(binome, 2)
    AvisEleveFactory(binome=binome, continuer=Continuer.NE_SAIS_PAS)
    seul_motif(binome, Niveau.A_SURVEILLER, "L’élève ne sait pas s’il souhaite continuer")


def test_la_seance_s_est_mal_passee_pour_l_eleve(binome):
    seance(binome, 2)
    AvisEleveFactory(binome=binome, ressenti=Ressenti.MAL)
    seul_motif(binome, Niveau.A_SURVEILLER, "L’élève dit que la dernière séance s’est mal passée")


def test_l_eleve_juge_la_seance_inutile(binome):
    seance(binome, 2)
    AvisEleveFactory(binome=binome, utilite=Utilite.PAS_UTILE)
    seul_motif(binome, Niveau.A_SURVEILLER, "L’élève juge la dernière séance inutile")


def test_trois_signaux_a_surveiller_font_un_binome_en_risque(binome):
    NoteMentorFactory(seance=seance(binome, 2), mentor=binome.mentor, aide=True)
    AvisEleveFactory(binome=binome, continuer=Continuer.NE_SAIS_PAS)
    assert sante(binome).niveau == Niveau.A_SURVEILLER
    AvisEleveFactory(binome=binome, recu_le=il_y_a(0), continuer=Continuer.NE_SAIS_PAS, utilite=Utilite.PAS_UTILE)
    s = sante(binome)
    assert s.niveau == Niveau.EN_RISQUE
    assert s.textes[-1] == "3 signaux à surveiller en même temps"


def test_seuls_les_binomes_actifs_ont_une_sante(cast):
    suspendu = BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.SUSPENDU)
    assert sante_des_binomes([suspendu]) == {}


# Cost: dashboards list many pairs.


@pytest.mark.parametrize("nombre", [1, 15])
def test_sante_du_dispositif_en_requetes_constantes(cast, nombre):
    for i in range(nombre):
        b = BinomeFactory(dispositif=cast.dispositif_a)
        NoteMentorFactory(seance=seance(b, 2 + i % 3, eleve=Presence.ABSENT_NON_EXCUSE), mentor=b.mentor)
        AvisEleveFactory(binome=b, arreter=True)
        AvisEleveFactory(binome=b, recu_le=il_y_a(1))
    with CaptureQueriesContext(connection) as requetes:
        santes = sante_des_binomes_du_dispositif(cast.dispositif_a)
        textes = [s.textes for s in santes]
    # The binômes with their latest answers, the participations of their students and mentors
    # (one query), the notes.
    assert len(requetes.captured_queries) == 3
    assert textes == [["1 absence non excusée sur la dernière séance"]] * nombre

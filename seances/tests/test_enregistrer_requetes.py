"""`seance_enregistrer` makes the same number of queries whatever the number of participants (issue 8)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binomes.tests.factories import EleveFactory, MentorFactory
from seances.models import EntretienAbsence, Participation, Presence, Seance, StatutSeance
from seances.services import seance_enregistrer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def maintenant():
    # Mentors' honorabilité is checked on the séance's date; interviews are due a week from today.
    with time_machine.travel("2026-11-20 10:00 +0100", tick=False):
        yield


def enregistrer(cast, participants, seance=None):
    seance = seance or Seance(dispositif=cast.dispositif_a, date=date(2026, 11, 19), statut=StatutSeance.TENUE)
    with CaptureQueriesContext(connection) as capture:
        seance_enregistrer(seance=seance, participants=participants)
    return seance, len(capture.captured_queries)


def test_nouvelle_seance_requetes_constantes(cast):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    un = [(mentor, Presence.PRESENT), (EleveFactory(etablissement=cast.lp_a), Presence.ABSENT_NON_EXCUSE)]
    classe = [(mentor, Presence.PRESENT)] + [
        (EleveFactory(etablissement=cast.lp_a), Presence.ABSENT_NON_EXCUSE) for _ in range(12)
    ]

    _, requetes_un = enregistrer(cast, un)
    seance, requetes_classe = enregistrer(cast, classe)

    assert requetes_classe == requetes_un
    assert Participation.objects.filter(seance=seance).count() == 13
    assert EntretienAbsence.objects.filter(seance=seance).count() == 12


def test_modification_requetes_constantes_et_resultat(cast):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    eleves = [EleveFactory(etablissement=cast.lp_a) for _ in range(6)]
    seance, _ = enregistrer(cast, [(mentor, Presence.PRESENT)] + [(e, Presence.PRESENT) for e in eleves])

    # Two students become absent, one is removed, one is added.
    nouveau = EleveFactory(etablissement=cast.lp_a)
    participants = (
        [(mentor, Presence.PRESENT)]
        + [(e, Presence.ABSENT_NON_EXCUSE) for e in eleves[:2]]
        + [(e, Presence.PRESENT) for e in eleves[2:5]]
        + [(nouveau, Presence.PRESENT)]
    )
    _, requetes = enregistrer(cast, participants, seance)

    presences = dict(Participation.objects.filter(seance=seance, eleve__isnull=False).values_list("eleve", "presence"))
    assert presences == {
        **{e.pk: Presence.ABSENT_NON_EXCUSE for e in eleves[:2]},
        **{e.pk: Presence.PRESENT for e in eleves[2:5]},
        nouveau.pk: Presence.PRESENT,
    }
    assert set(EntretienAbsence.objects.filter(seance=seance).values_list("eleve", flat=True)) == {
        e.pk for e in eleves[:2]
    }

    # The same change on a larger séance costs the same number of queries.
    autres = [EleveFactory(etablissement=cast.lp_a) for _ in range(10)]
    grande, _ = enregistrer(cast, [(mentor, Presence.PRESENT)] + [(e, Presence.PRESENT) for e in eleves + autres])
    participants_grande = (
        [(mentor, Presence.PRESENT)]
        + [(e, Presence.ABSENT_NON_EXCUSE) for e in eleves[:2]]
        + [(e, Presence.PRESENT) for e in eleves[2:5] + autres]
        + [(nouveau, Presence.PRESENT)]
    )
    _, requetes_grande = enregistrer(cast, participants_grande, grande)
    assert requetes_grande == requetes


def test_le_dispositif_lu_par_l_appelant_n_est_pas_reverifie_celui_donne_par_son_id_l_est(cast):
    """A dispositif the caller read exists: checking it again cost a query per séance logged. Given by
    its id only, it is still checked (a clear error, not the database's)."""
    from django.core.exceptions import ValidationError

    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    participants = [(mentor, Presence.PRESENT), (EleveFactory(etablissement=cast.lp_a), Presence.PRESENT)]
    seance = Seance(dispositif=cast.dispositif_a, date=date(2026, 11, 19), statut=StatutSeance.TENUE)
    with CaptureQueriesContext(connection) as capture:
        seance_enregistrer(seance=seance, participants=participants)
    assert not any('FROM "etablissements_dispositif"' in q["sql"] for q in capture.captured_queries)

    absent = Seance(dispositif_id=cast.dispositif_a.pk + 1000, date=date(2026, 11, 19), statut=StatutSeance.TENUE)
    with pytest.raises(ValidationError) as erreur:
        seance_enregistrer(seance=absent, participants=participants)
    assert "dispositif" in erreur.value.message_dict


@pytest.mark.parametrize("lus_avec_leur_suspension", [True, False])
def test_mentor_suspendu_refuse_qu_il_soit_lu_avec_sa_suspension_ou_non(cast, lus_avec_leur_suspension):
    """The séance entry page reads the mentors with their running suspension (no second query);
    any other caller's mentors are checked by a query: the same verdicts either way."""
    from django.core.exceptions import ValidationError

    from binomes.models import Mentor, Suspension

    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    Suspension.objects.create(mentor=mentor, par=cast.chef_a)  # since now, 20 November 2026
    if lus_avec_leur_suspension:
        mentor = Mentor.objects.avec_suspension().get(pk=mentor.pk)
    eleve = EleveFactory(etablissement=cast.lp_a)

    # A séance held before the suspension stays correctable.
    avant = Seance(dispositif=cast.dispositif_a, date=date(2026, 11, 19), statut=StatutSeance.TENUE)
    with CaptureQueriesContext(connection) as capture:
        seance_enregistrer(seance=avant, participants=[(mentor, Presence.PRESENT), (eleve, Presence.PRESENT)])
    suspensions_lues = [q for q in capture.captured_queries if "binomes_suspension" in q["sql"]]
    assert len(suspensions_lues) == (0 if lus_avec_leur_suspension else 1)

    apres = Seance(dispositif=cast.dispositif_a, date=date(2026, 11, 20), statut=StatutSeance.PREVUE)
    with pytest.raises(ValidationError, match="Mentor suspendu par le chef d’établissement : .*depuis le 20/11/2026"):
        seance_enregistrer(seance=apres, participants=[(mentor, Presence.ATTENDU), (eleve, Presence.ATTENDU)])

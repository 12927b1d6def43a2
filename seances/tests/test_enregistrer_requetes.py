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

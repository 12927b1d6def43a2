"""Acceptance 2: with the broker down, declaring an absence still succeeds fast; the email goes out once later."""

import time

import pytest
from django.urls import reverse

from seances.models import DeclarationAbsence, Notification, StatutNotification
from seances.tasks import relayer_notifications
from seances.tests.factories import SeanceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_absence_enregistree_vite_puis_un_seul_courriel(client, cast, binome_a, broker_mort, mailoutbox):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True)
    participation = seance.participations.get(eleve=binome_a.eleve)
    client.force_login(cast.cpe_a)

    debut = time.monotonic()
    reponse = client.post(reverse("seances:declarer_absence", args=[seance.pk]), {"participation": participation.pk})
    duree = time.monotonic() - debut

    assert reponse.status_code == 302, reponse.content
    assert duree < 2, f"la requête a pris {duree:.2f} s"
    assert DeclarationAbsence.objects.filter(participation=participation).exists()
    notification = Notification.objects.get()
    assert notification.statut == StatutNotification.EN_ATTENTE
    assert mailoutbox == []

    # Redis is back (eager, as `make run`): the beat relay sends the pending notification, once.
    broker_mort.undo()
    relayer_notifications.delay()
    relayer_notifications.delay()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@entreprise.fr"]
    notification.refresh_from_db()
    assert notification.statut == StatutNotification.ENVOYEE and notification.envoyee_le is not None

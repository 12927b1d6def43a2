"""Acceptance 1 with a real Celery worker fed through Redis (required in CI), then in eager mode.

The worker is a separate process, as in production, on a queue of its own, reading the
test database (PostgreSQL in CI: an in-memory SQLite test database cannot be shared).
"""

import email
import email.policy
import time
from pathlib import Path

import pytest
from django.urls import reverse

from mentorat.celery import app
from seances.models import Notification, StatutNotification
from seances.tasks import envoyer_notifications
from seances.tests.factories import SeanceFactory


@pytest.fixture
def worker(transactional_db, lancer_worker, monkeypatch):
    """A worker on the test database; the notification task is routed to its queue."""
    worker = lancer_worker(base_de_test=True)
    monkeypatch.setattr(envoyer_notifications, "queue", worker.file, raising=False)
    # A task caches its routing options on first send: drop the cache so `queue` applies.
    monkeypatch.setattr(envoyer_notifications, "_exec_options", None)
    return worker.emails


def declarer(client, cast, binome_a):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True)
    participation = seance.participations.get(eleve=binome_a.eleve)
    client.force_login(cast.cpe_a)
    reponse = client.post(reverse("seances:declarer_absence", args=[seance.pk]), {"participation": participation.pk})
    assert reponse.status_code == 302


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_un_vrai_worker_envoie_un_seul_courriel_au_mentor(client, cast, binome_a, worker):
    declarer(client, cast, binome_a)
    limite = time.monotonic() + 60
    while Notification.objects.filter(statut=StatutNotification.EN_ATTENTE).exists() and time.monotonic() < limite:
        time.sleep(0.2)
    assert Notification.objects.get().statut == StatutNotification.ENVOYEE
    fichiers = list(Path(worker).glob("*.log"))
    assert len(fichiers) == 1
    message = email.message_from_string(fichiers[0].read_text(), policy=email.policy.default)
    assert message["To"] == "nadia@entreprise.fr"
    assert str(message["Subject"]).strip() == "[Mentorat LP] Absence prévue à la séance du 10/12/2026"


@pytest.mark.django_db(transaction=True)
def test_en_mode_eager_le_meme_scenario(client, cast, binome_a, mailoutbox):
    # The `make run` default: no broker, the task runs in the request once committed.
    assert app.conf.task_always_eager
    declarer(client, cast, binome_a)
    assert [m.to for m in mailoutbox] == [["nadia@entreprise.fr"]]
    assert Notification.objects.get().statut == StatutNotification.ENVOYEE

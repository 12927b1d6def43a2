"""Acceptance 2 with a real Celery worker and a real beat, fed through Redis (required in CI).

Beat fires the reminder job of the project's schedule every second (tests/beat_rapide.py) on
the worker's queue; the worker reads the test database (PostgreSQL). Time flows for real,
from the tests' clock (worker and beat run on it too, tests/horloge.py): the séance two days
ahead is reminded, once however many times the job runs; the one three days ahead is not yet.
Then the mentor's link is used once, and the impediment reaches the coordinator.
"""

import datetime
import email
import email.policy
import os
import subprocess
import threading
import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from conftest import manque
from seances import rappels
from seances.models import Notification, Rappel, ReponseRappel, StatutNotification, StatutRappel
from seances.tasks import envoyer_notifications
from seances.tests.factories import SeanceFactory
from tests import horloge
from tests.pile import attendre

MENTOR, COORDONNATEUR = "nadia@entreprise.fr", "coordonnateur.a@exemple.fr"


def courriels(dossier):
    """Every email the worker wrote (the file backend writes one file per connection)."""
    messages = []
    for fichier in sorted(dossier.glob("*.log")):
        for bloc in fichier.read_text().split("-" * 79):
            if bloc.strip():
                messages.append(email.message_from_string(bloc.strip(), policy=email.policy.default))
    return messages


@pytest.fixture
def beat(tmp_path):
    """Start the one-second beat on `file`; stopped (by its own pid) after the test."""
    processus = []

    def lancer(file):
        journal = open(tmp_path / "beat.log", "w")  # noqa: SIM115 (closed when beat stops)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentorat.settings",
            "DEBUG": "1",
            "BEAT_TACHE": "envoyer-rappels",
            "BEAT_FILE": file,
            "BEAT_PLANNING": str(tmp_path / "beat-planning"),
        }
        popen = subprocess.Popen(
            horloge.commande("tests.beat_rapide"),
            cwd=settings.BASE_DIR,
            env=env,
            stdout=journal,
            stderr=subprocess.STDOUT,
        )
        processus.append((popen, journal))
        return tmp_path / "beat.log"

    yield lancer
    for popen, journal in processus:
        popen.terminate()
        try:
            popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait()
        journal.close()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_et_beat_reels_un_rappel_deux_jours_avant_puis_un_lien_a_usage_unique(
    client, cast, binome_a, lancer_worker, beat, monkeypatch
):
    worker = lancer_worker(base_de_test=True)
    # The impediment's notification goes to the worker's queue too.
    monkeypatch.setattr(envoyer_notifications, "queue", worker.file, raising=False)
    monkeypatch.setattr(envoyer_notifications, "_exec_options", None)
    aujourdhui = timezone.localdate()
    dans_deux_jours = SeanceFactory(
        dispositif=cast.dispositif_a,
        binome=binome_a,
        prevue=True,
        date=aujourdhui + datetime.timedelta(days=2),
        heure=datetime.time(14, 0),
        lieu_precision="Salle B12",
    )
    SeanceFactory(
        dispositif=cast.dispositif_a, binome=binome_a, prevue=True, date=aujourdhui + datetime.timedelta(days=3)
    )
    journal_beat = beat(worker.file)

    def envoyes():
        return {m["To"] for m in courriels(worker.emails)} >= {MENTOR, COORDONNATEUR}

    attendre(envoyes, delai=90, pas=0.5, message="rappels jamais envoyés :\n" + journal_beat.read_text())
    # Beat keeps firing the job every second: give it several more runs, then count.
    debut = time.monotonic()
    attendre(lambda: journal_beat.read_text().count("Sending due task") >= 5, delai=60, pas=0.5)
    time.sleep(max(0.0, 2 - (time.monotonic() - debut)))
    rappels = courriels(worker.emails)
    assert sorted(m["To"] for m in rappels) == [COORDONNATEUR, MENTOR]
    assert {str(m["Subject"]).strip() for m in rappels} == {
        f"[Mentorat LP] Rappel : séance de mentorat le {dans_deux_jours.date:%d/%m/%Y} à 14:00"
    }
    assert Rappel.objects.filter(statut=StatutRappel.ENVOYE, seance=dans_deux_jours).count() == 2
    assert Rappel.objects.count() == 2  # nothing yet for the séance three days ahead

    # The mentor's link, from the email the worker wrote (signed with the same key).
    corps = next(m for m in rappels if m["To"] == MENTOR).get_body(preferencelist=("plain",)).get_content()
    ligne = next(ligne for ligne in corps.splitlines() if "/rappels/reponse/" in ligne)
    lien = urlsplit(ligne.rsplit(" ", 1)[-1]).path
    assert client.get(lien).status_code == 200
    reponse = client.post(lien, {"reponse": ReponseRappel.EMPECHEMENT, "motif": "Réunion imprévue"})
    assert reponse.status_code == 200
    assert client.post(lien, {"reponse": ReponseRappel.CONFIRMEE}).status_code == 410

    def previens():
        return not Notification.objects.filter(statut=StatutNotification.EN_ATTENTE).exists()

    attendre(previens, delai=60, pas=0.3, message="notification d’empêchement restée en attente")
    attendre(lambda: len(courriels(worker.emails)) >= 4, delai=30, pas=0.3)
    alertes = [m for m in courriels(worker.emails) if "Absence prévue" in str(m["Subject"])]
    assert sorted(m["To"] for m in alertes) == [COORDONNATEUR, cast.referent_a.email]
    assert "Réunion imprévue" in "".join(f.read_text() for f in worker.emails.glob("*.log"))
    # And the beat still sends nothing twice.
    assert len([m for m in courriels(worker.emails) if "Rappel" in str(m["Subject"])]) == 2


@pytest.mark.django_db(transaction=True)
def test_deux_passages_en_parallele_n_envoient_qu_un_rappel_par_personne(cast, binome_a, mailoutbox):
    """Two workers running the job at the same instant (PostgreSQL: real row locks and unique key)."""
    if connection.vendor != "postgresql":
        manque("Deux transactions concurrentes demandent PostgreSQL.")
    SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True, heure=datetime.time(14, 0))
    maintenant = datetime.datetime(2026, 12, 8, 7, 5, tzinfo=ZoneInfo("Europe/Paris"))
    depart, envoyes = threading.Barrier(4), []

    def passage():
        try:
            depart.wait()
            envoyes.append(rappels.rappels_envoyer(maintenant=maintenant))
        finally:
            connections.close_all()

    fils = [threading.Thread(target=passage) for _ in range(4)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)
    assert sum(envoyes) == 2 and len(envoyes) == 4
    assert sorted(m.to[0] for m in mailoutbox) == [COORDONNATEUR, MENTOR]
    assert Rappel.objects.count() == 2

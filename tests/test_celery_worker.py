"""A real Celery worker, fed through Redis, runs a task (not eager mode); tasks go after commit."""

import datetime
import time

import pytest
import time_machine
from django.db import transaction

from mentorat.celery import app
from socle.models import JournalAcces
from socle.sante import memoire
from socle.tasks import apres_commit


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_un_vrai_worker_execute_la_tache(cast, lancer_worker):
    worker = lancer_worker(base_de_test=True)
    _entree_ancienne(cast)
    app.send_task("socle.tasks.purger_journal", queue=worker.file)
    debut = time.monotonic()
    while JournalAcces.objects.exists() and time.monotonic() - debut < 60:
        time.sleep(0.2)
    assert not JournalAcces.objects.exists()


def _entree_ancienne(cast):
    with time_machine.travel(datetime.datetime(2024, 1, 10, 10, tzinfo=datetime.UTC)):
        return JournalAcces.objects.create(
            user=cast.chef_a, etablissement_id=cast.lp_a.pk, action="consultation", objet="ancienne"
        )


@pytest.mark.django_db
def test_le_mode_eager_sans_redis_execute_sur_place(cast, django_capture_on_commit_callbacks):
    # The `make run` default: no broker, the task runs in the request's process.
    assert app.conf.task_always_eager
    _entree_ancienne(cast)
    with django_capture_on_commit_callbacks(execute=True):
        apres_commit("socle.tasks.purger_journal")
    assert not JournalAcces.objects.exists()


@pytest.mark.django_db
def test_apres_commit_n_envoie_rien_si_la_transaction_echoue(cast, django_capture_on_commit_callbacks):
    _entree_ancienne(cast)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        apres_commit("socle.tasks.purger_journal")
        raise RuntimeError("annulé")
    assert JournalAcces.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        apres_commit("socle.tasks.purger_journal")
        assert JournalAcces.objects.count() == 1
    assert not JournalAcces.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_sante_voit_le_worker(lancer_worker, client, settings):
    import json

    settings.SANTE_JETON = "jeton-de-supervision-de-test"
    lancer_worker(file_par_defaut=True)
    # The worker process takes a few seconds to start answering pings.
    debut = time.monotonic()
    while True:
        memoire.vider()  # each try checks again, instead of reading the result kept 10 s
        reponse = client.get("/sante/detail/", HTTP_AUTHORIZATION=f"Bearer {settings.SANTE_JETON}")
        if reponse.status_code == 200 or time.monotonic() - debut > 30:
            break
        time.sleep(1)
    assert reponse.status_code == 200, reponse.content
    assert set(json.loads(reponse.content)["composants"].values()) == {"ok"}

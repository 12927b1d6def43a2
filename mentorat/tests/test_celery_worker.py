"""A real Celery worker, fed through Redis, runs a task and its effect is seen (not eager mode)."""

import email
import email.policy
from pathlib import Path

import pytest

from mentorat.celery import app
from mentorat.sante import memoire
from mentorat.tasks import envoyer_courriel


@pytest.mark.worker
def test_un_vrai_worker_envoie_le_courriel(lancer_worker):
    worker = lancer_worker()
    queue, dossier = worker.file, worker.emails
    resultat = envoyer_courriel.apply_async(
        args=[["mentor@exemple.fr"], "Absence prévue", "Votre mentoré sera absent jeudi."], queue=queue
    )
    assert resultat.get(timeout=60) == 1
    fichiers = list(Path(dossier).glob("*.log"))
    assert len(fichiers) == 1
    message = email.message_from_string(fichiers[0].read_text(), policy=email.policy.default)
    assert message["Subject"] == "[Mentorat LP] Absence prévue"
    assert message["To"] == "mentor@exemple.fr"


@pytest.mark.django_db
def test_le_mode_eager_sans_redis_execute_sur_place(mailoutbox, settings):
    # The `make run` default: no broker, the task runs in the request's process.
    assert app.conf.task_always_eager
    envoyer_courriel.delay(["mentor@exemple.fr"], "Sujet", "Corps")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[Mentorat LP] Sujet"


@pytest.mark.django_db
def test_apres_commit_n_envoie_rien_si_la_transaction_echoue(mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    from mentorat.tasks import apres_commit

    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        apres_commit(envoyer_courriel, ["x@exemple.fr"], "Sujet", "Corps")
        raise RuntimeError("annulé")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        apres_commit(envoyer_courriel, ["x@exemple.fr"], "Sujet", "Corps")
        assert mailoutbox == []
    assert len(mailoutbox) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_sante_voit_le_worker(lancer_worker, client, settings):
    import json
    import time

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

"""A real Celery worker, fed through Redis, runs a task and its effect is seen (not eager mode)."""

import email
import email.policy
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from mentorat.celery import app
from mentorat.tasks import envoyer_courriel

EXIGER_TOUT = os.environ.get("MENTORAT_EXIGER_TOUT") == "1"


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        if EXIGER_TOUT:
            pytest.fail("REDIS_URL doit être défini pour ce test (exigé en CI).")
        pytest.skip("REDIS_URL absent : pas de worker Celery réel à lancer.")
    return url


@pytest.fixture
def worker(redis_url, tmp_path):
    """A worker process on a queue of its own, writing emails as files under tmp_path."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "DEBUG": "1",
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "emails"),
    }
    journal = open(tmp_path / "worker.log", "w")  # noqa: SIM115 (closed when the worker stops)
    processus = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentorat", "worker", "-Q", queue, "-c", "1", "--pool", "solo"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=journal,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, tmp_path / "emails"
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()
        journal.close()


@pytest.mark.worker
def test_un_vrai_worker_envoie_le_courriel(worker, monkeypatch):
    queue, dossier = worker
    monkeypatch.setitem(app.conf, "task_always_eager", False)
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

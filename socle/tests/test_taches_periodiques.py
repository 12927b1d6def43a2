"""`make run`'s periodic jobs: in development, in this process, on the beat schedule."""

import io
import subprocess

import pytest
from celery import shared_task
from django.conf import settings
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_chaque_tache_du_planning_s_execute_une_fois(settings):
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("taches_periodiques", "--une-fois", stdout=sortie, stderr=erreurs)
    lignes = sortie.getvalue().splitlines()
    assert sorted(ligne.split(" ", 1)[1].split(" :")[0] for ligne in lignes) == sorted(settings.CELERY_BEAT_SCHEDULE)
    assert all(": fait" in ligne for ligne in lignes), lignes
    assert erreurs.getvalue() == ""


@shared_task
def tache_en_panne():
    raise RuntimeError("panne simulée")


@pytest.mark.django_db
def test_une_tache_en_echec_est_signalee_sans_arreter_les_autres(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "panne": {"task": "socle.tests.test_taches_periodiques.tache_en_panne", "schedule": 60},
        "heartbeat": {"task": "socle.tasks.heartbeat", "schedule": 60},
    }
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("taches_periodiques", "--une-fois", stdout=sortie, stderr=erreurs)
    assert "panne : échec" in erreurs.getvalue()
    assert "heartbeat : fait ('ok')" in sortie.getvalue()


def test_refuse_en_production(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError, match="celery beat"):
        call_command("taches_periodiques", "--une-fois")


def test_make_run_lance_les_taches_et_donne_son_adresse_aux_liens():
    commandes = subprocess.run(
        ["make", "-n", "run", "ADDRESS=0.0.0.0:8123"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py taches_periodiques" in commandes
    assert 'SITE_URL="${SITE_URL:-http://0.0.0.0:8123}"' in commandes
    assert "runserver 0.0.0.0:8123" in commandes

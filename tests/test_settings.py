"""Production settings pass `check --deploy`; bad settings fail loudly."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _manage(*args, **env):
    # Start from the machine's environment without what the test settings put into it.
    retires = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "STATICFILES_BACKEND"}
    retires |= {"SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
    environnement = {k: v for k, v in os.environ.items() if k not in retires}
    environnement.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_propre_en_production():
    resultat = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="lp.fr"
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout
    assert "WARNING" not in resultat.stdout + resultat.stderr


def test_sans_cle_secrete_la_production_refuse_de_demarrer():
    resultat = _manage("check", ALLOWED_HOSTS="lp.fr")
    assert resultat.returncode != 0
    assert "SECRET_KEY doit être défini" in resultat.stderr


def test_valeur_invalide_refusee():
    resultat = _manage("check", DEBUG="1", AXES_FAILURE_LIMIT="beaucoup")
    assert resultat.returncode != 0
    assert "beaucoup" in resultat.stderr


def test_csp_sans_unsafe_inline_pour_les_scripts(client):
    en_tete = client.get("/connexion/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in en_tete.split(";"))
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in en_tete


def test_reglages_francais():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr"]
    assert settings.TIME_ZONE == "Europe/Paris"


def test_en_tetes_de_securite(client):
    reponse = client.get("/connexion/")
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in reponse["Cache-Control"]


def _reglage(expression, **env):
    """The value of a settings expression, as a process started with this environment sees it."""
    resultat = _manage("shell", "-c", f"from django.conf import settings; print(repr(({expression})))", **env)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    return resultat.stdout.strip().splitlines()[-1]


def test_connexions_persistantes_en_production_pas_en_developpement():
    connexion = 'settings.DATABASES["default"]["CONN_MAX_AGE"], settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]'
    production = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "lp.fr"}
    assert _reglage(connexion, **production) == "(60, True)"
    assert _reglage(connexion, **production, CONN_MAX_AGE="300") == "(300, True)"
    assert _reglage(connexion, DEBUG="1") == "(0, True)"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_les_workers_celery_sont_recycles():
    from mentorat.celery import app

    assert (app.conf.worker_max_tasks_per_child, app.conf.worker_max_memory_per_child) == (50, 400_000)
    recyclage = "settings.CELERY_WORKER_MAX_TASKS_PER_CHILD, settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD"
    env = {"DEBUG": "1", "CELERY_WORKER_MAX_TASKS_PER_CHILD": "10", "CELERY_WORKER_MAX_MEMORY_PER_CHILD": "250000"}
    assert _reglage(recyclage, **env) == "(10, 250000)"
    resultat = _manage("check", DEBUG="1", CELERY_WORKER_MAX_TASKS_PER_CHILD="0")
    assert resultat.returncode != 0 and "CELERY_WORKER_MAX_TASKS_PER_CHILD" in resultat.stderr


def test_le_serveur_web_gele_ce_qu_il_charge_au_demarrage():
    """The WSGI module moves what it loads out of the garbage collector's reach (gc.freeze), and runs
    young collections every 20,000 allocations, not Python's 700."""
    environnement = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "mentorat.settings"}
    resultat = subprocess.run(
        [sys.executable, "-c", "import gc, mentorat.wsgi; print(gc.get_threshold()); print(gc.get_freeze_count())"],
        cwd=settings.BASE_DIR,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultat.returncode == 0, resultat.stderr
    seuils, geles = resultat.stdout.strip().splitlines()[-2:]
    assert int(geles) > 10_000
    assert seuils == "(20000, 50, 100)"

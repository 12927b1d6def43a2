"""Shared fixtures: the fixed clock, the fixed cast of users, the browser, and CI's no-skip rule."""

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from etablissements.tests.factories import (
    AffectationFactory,
    ConventionFactory,
    DispositifFactory,
    EtablissementFactory,
    PartenaireFactory,
)
from socle.roles import Role
from socle.tests.factories import UserFactory
from tests import horloge

# In CI every test must run: a skipped browser or worker test fails the run.
EXIGER_TOUT = os.environ.get("MENTORAT_EXIGER_TOUT") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _horloge(request):
    """Every test starts at the same instant, tests.horloge.HORLOGE (30 November 2026, 10:00 in
    Paris; why that day is said there), whatever the machine's date, and time flows from there.

    Per test rather than once per session: each test starts at exactly the same instant,
    whatever ran before it on its xdist worker, and a test marked `horloge_reelle` simply runs
    on the machine's clock. A test's own time_machine.travel / move_to nests inside this one.
    Code run at import, before any test, is still on the machine's clock: dates belong in tests.
    """
    if request.node.get_closest_marker("horloge_reelle"):
        yield
        return
    with time_machine.travel(horloge.HORLOGE, tick=True):
        yield


@pytest.fixture(autouse=True)
def _cache_vide():
    """Each test starts with an empty cache: cached figures (bilans.indicateurs) of one test's
    dispositif must not show up in another test whose rows got the same primary keys. Nor may
    a health result kept in memory (socle.sante) hide the outage another test makes, nor a filter
    form drawn by another test (socle.dessins) spare this one the drawing it checks."""
    from django.core.cache import cache

    from socle.dessins import oublier_les_dessins
    from socle.sante import memoire

    cache.clear()
    memoire.vider()
    oublier_les_dessins()
    yield
    cache.clear()
    memoire.vider()
    oublier_les_dessins()


@dataclass
class Distribution:
    """Two LPs of one académie, each with its dispositif and its partner, and one user per role."""

    lp_a: object
    lp_b: object
    dispositif_a: object
    dispositif_b: object
    partenaire_a: object
    referent_a: object
    chef_a: object
    cpe_a: object
    ddfpt_a: object
    personnel_a: object
    mentor_a: object
    coordonnateur_a: object
    referent_b: object
    pilotage: object
    sans_role: object

    def lecteurs_b(self):
        """Every user who may not see LP A's objects."""
        return [self.referent_b, self.sans_role]


@pytest.fixture
def cast(db):
    lp_a = EtablissementFactory(nom="Lycée professionnel Alpha")
    lp_b = EtablissementFactory(nom="Lycée professionnel Bêta")
    partenaire_a = PartenaireFactory(nom="Association Alpha Mentorat")
    dispositif_a = DispositifFactory(etablissement=lp_a, partenaire=partenaire_a)
    dispositif_b = DispositifFactory(etablissement=lp_b, partenaire=PartenaireFactory(nom="Association Bêta"))
    ConventionFactory(dispositif=dispositif_a)
    ConventionFactory(dispositif=dispositif_b)

    def user(email, role, **lieu):
        u = UserFactory(email=email)
        AffectationFactory(user=u, role=role, **lieu)
        return u

    return Distribution(
        lp_a=lp_a,
        lp_b=lp_b,
        dispositif_a=dispositif_a,
        dispositif_b=dispositif_b,
        partenaire_a=partenaire_a,
        referent_a=user("referent.a@exemple.fr", Role.REFERENT, etablissement=lp_a),
        chef_a=user("chef.a@exemple.fr", Role.CHEF, etablissement=lp_a),
        cpe_a=user("cpe.a@exemple.fr", Role.CPE, etablissement=lp_a),
        ddfpt_a=user("ddfpt.a@exemple.fr", Role.DDFPT, etablissement=lp_a),
        personnel_a=user("enseignant.a@exemple.fr", Role.PERSONNEL, etablissement=lp_a),
        mentor_a=user("mentor.a@exemple.fr", Role.MENTOR, etablissement=lp_a),
        coordonnateur_a=user(
            "coordonnateur.a@exemple.fr", Role.COORDONNATEUR, etablissement=None, partenaire=partenaire_a
        ),
        referent_b=user("referent.b@exemple.fr", Role.REFERENT, etablissement=lp_b),
        pilotage=user("academie@exemple.fr", Role.PILOTAGE, etablissement=None, academie=lp_a.academie),
        sans_role=UserFactory(email="sans.role@exemple.fr"),
    )


def manque(message):
    """A missing service: skip locally, fail in CI (MENTORAT_EXIGER_TOUT=1)."""
    if EXIGER_TOUT:
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Worker:
    file: str
    emails: Path
    media: Path


@pytest.fixture
def lancer_worker(tmp_path, settings, monkeypatch):
    """Start a real Celery worker process fed through Redis, stopped after the test.

    `lancer_worker(base_de_test=True)` gives it this test's database (PostgreSQL only: an
    in-memory SQLite test database cannot be shared with another process; the test then
    needs `transactional_db`). The worker consumes a queue of its own (plus `celery` with
    `file_par_defaut=True`), writes emails as files and shares MEDIA_ROOT with the test.
    Publishing from the test goes through Redis too (not eager).
    """
    from django.db import connection

    processus = []

    def lancer(*, base_de_test=False, file_par_defaut=False):
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            manque("REDIS_URL absent : pas de worker Celery réel à lancer.")
        if base_de_test and connection.vendor != "postgresql":
            manque("Le worker réel a besoin d’une base de test partagée : lancez ce test sur PostgreSQL.")
        file = f"test-{uuid.uuid4().hex[:8]}"
        worker = Worker(file, tmp_path / "emails", tmp_path / "media")
        settings.MEDIA_ROOT = worker.media
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentorat.settings",
            "DEBUG": "1",
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(worker.emails),
            "MEDIA_ROOT": str(worker.media),
        }
        if base_de_test:
            env["DATABASE_URL"] = url_base_de_test()
        publier_vers(monkeypatch, redis_url)
        files = f"{file},celery" if file_par_defaut else file
        journal = open(tmp_path / f"worker-{file}.log", "w")  # noqa: SIM115 (closed when the worker stops)
        processus.append(
            (
                subprocess.Popen(
                    # On the test's clock: its tasks date what they do as the test does.
                    horloge.commande("celery", "-A", "mentorat", "worker", "-Q", files, "-c", "1", "-P", "solo"),
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=journal,
                    stderr=subprocess.STDOUT,
                ),
                journal,
            )
        )
        return worker

    yield lancer
    for p, journal in processus:
        p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        journal.close()


def url_base_de_test() -> str:
    """DATABASE_URL of the test database (PostgreSQL), for the processes a test starts."""
    from django.conf import settings

    base = settings.DATABASES["default"]
    return (
        f"postgres://{base['USER']}:{base['PASSWORD']}@{base['HOST'] or '127.0.0.1'}:"
        f"{base['PORT'] or 5432}/{base['NAME']}"
    )


def publier_vers(monkeypatch, broker_url):
    """Publish tasks through `broker_url` instead of running them in-process; restored after the test."""
    from mentorat.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", broker_url)
    # Connection and producer pools are built from the broker URL on first use: rebuild them.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    return app


@pytest.fixture
def broker_mort(monkeypatch):
    """Point Celery at a port where nothing listens, as if Redis were stopped; restored afterwards."""
    publier_vers(monkeypatch, "redis://127.0.0.1:1/0")
    yield monkeypatch


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright; `playwright install` cannot download browsers here."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian « chromium »."
        if EXIGER_TOUT:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test around it stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        navigateur = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield navigateur
        finally:
            navigateur.close()
            # ORM calls made while Playwright's loop runs open connections in its context:
            # close them here, or PostgreSQL refuses to drop the test database.
            from django.db import connections

            connections.close_all()


@pytest.fixture(scope="session")
def live_server(django_db_setup):
    """pytest-django's live server, stopped before the test database is dropped.

    Its own fixture does not depend on the database: on PostgreSQL the server's thread
    could still hold a connection when the test database is dropped.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    yield server
    server.stop()


def contexte_navigateur(browser, live_server, **options):
    """A French browser context on the live server, the JavaScript clock of its pages on the test's.

    Chromium runs on the machine's clock: `Date` in a page starts at the test's instant instead
    (Playwright's fake clock, ticking from there). Cookies need nothing: Django gives every
    lasting one a Max-Age, which Chromium counts on its own clock, and the session cookie
    ends with the browser.
    """
    contexte = browser.new_context(locale="fr-FR", base_url=live_server.url, **options)
    contexte.clock.install(time=timezone.now())
    return contexte


@pytest.fixture
def page(browser, live_server):
    contexte = contexte_navigateur(browser, live_server)
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    yield page
    contexte.close()


_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if EXIGER_TOUT and _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if EXIGER_TOUT and _skipped:
        terminalreporter.write_line(
            f"ÉCHEC : {len(_skipped)} test(s) ignoré(s) alors que MENTORAT_EXIGER_TOUT=1 : " + ", ".join(_skipped),
            red=True,
        )

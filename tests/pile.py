"""A production stack for the fault tests, started and broken for real.

A private Redis (its own port, so stopping it disturbs nothing else), gunicorn and a Celery
worker running the production settings (DEBUG off) on the test database, and a small HTTP
client that signs in like a browser. Each service is a real process: "stopped" is SIGTERM,
"frozen" is SIGSTOP, "killed" is SIGKILL. gunicorn and the workers run on the tests' clock
(tests/horloge.py): the pages they serve see the same school year as the test's data.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings

from conftest import url_base_de_test
from tests import horloge

MOT_DE_PASSE = "mot-de-passe-de-test"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre(condition, *, delai=30.0, pas=0.1, message="condition jamais remplie"):
    """Poll `condition` until it returns a true value, or fail after `delai` seconds."""
    fin = time.monotonic() + delai
    while True:
        valeur = condition()
        if valeur:
            return valeur
        if time.monotonic() > fin:
            raise AssertionError(message)
        time.sleep(pas)


class Processus:
    """A child process whose output goes to a file, stopped at the end in any case."""

    def __init__(self, nom: str, commande: list[str], *, dossier: Path, env: dict | None = None):
        self.nom, self.commande, self.env = nom, commande, env
        self.journal = dossier / f"{nom}.log"
        self.popen = None

    def demarrer(self):
        with open(self.journal, "a") as sortie:
            self.popen = subprocess.Popen(
                self.commande,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=sortie,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def signaler(self, signal_):
        os.killpg(self.popen.pid, signal_)

    def arreter(self, *, signal_=signal.SIGTERM, delai=20):
        if self.popen is None or self.popen.poll() is not None:
            return
        try:
            self.signaler(signal.SIGCONT)
            self.signaler(signal_)
            self.popen.wait(timeout=delai)
        except subprocess.TimeoutExpired:
            self.signaler(signal.SIGKILL)
            self.popen.wait()
        except ProcessLookupError:
            pass

    def lire_journal(self) -> str:
        return self.journal.read_text(errors="replace") if self.journal.exists() else ""


class RedisPrive(Processus):
    def __init__(self, dossier: Path):
        self.port = port_libre()
        super().__init__(
            "redis",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            dossier=dossier,
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def repond(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def demarrer(self):
        super().demarrer()
        attendre(self.repond, message="Redis privé ne répond pas")
        return self

    def geler(self):
        self.signaler(signal.SIGSTOP)

    def degeler(self):
        self.signaler(signal.SIGCONT)


def environnement(*, redis_url: str, dossier: Path, **autres) -> dict:
    """The production settings (DEBUG off) on the test database, files kept under `dossier`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "DEBUG": "0",
        "SECRET_KEY": "cle-des-tests-de-panne-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DATABASE_URL": url_base_de_test(),
        "CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(dossier / "emails"),
        "MEDIA_ROOT": str(dossier / "media"),
        "LOG_LEVEL": "WARNING",
        **autres,
    }


class Gunicorn(Processus):
    def __init__(self, dossier: Path, env: dict, *, workers=2, threads=4):
        self.port = port_libre()
        super().__init__(
            "gunicorn",
            horloge.commande(
                "gunicorn",
                "mentorat.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
            ),
            dossier=dossier,
            env=env,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def demarrer(self):
        super().demarrer()

        def pret():
            try:
                with urllib.request.urlopen(self.url + "/connexion/", timeout=2) as reponse:
                    return reponse.status == 200
            except (OSError, urllib.error.HTTPError):
                return False

        attendre(pret, delai=60, pas=0.3, message="gunicorn ne répond pas :\n" + self.lire_journal())
        return self


class Worker(Processus):
    """`celery worker` (one process, solo pool), or the module `module` run with `python -m`."""

    def __init__(self, dossier: Path, env: dict, *, nom="worker", module=None):
        commande = (
            horloge.commande(module)
            if module
            else horloge.commande("celery", "-A", "mentorat", "worker", "-P", "solo", "--without-mingle")
        )
        super().__init__(nom, commande, dossier=dossier, env=env)


class PostgresPrive(Processus):
    """A PostgreSQL cluster of its own (Debian's binaries), run by the `postgres` system user."""

    def __init__(self, dossier: Path):
        self.port = port_libre()
        binaires = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        self.bin = binaires[-1] if binaires else None
        # The system user must reach its data folder: pytest's tmp_path is private to root.
        self.donnees = Path(tempfile.mkdtemp(prefix="mentorat-pg-"))
        super().__init__(
            "postgres",
            [
                "runuser", "-u", "postgres", "--", str(self.bin / "postgres") if self.bin else "postgres",
                "-D", str(self.donnees), "-p", str(self.port), "-k", str(self.donnees),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            ],
            dossier=dossier,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def initialiser(self):
        shutil.chown(self.donnees, "postgres")
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / "initdb"), "-D", str(self.donnees), "-A", "trust",
             "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"],
            check=True, capture_output=True,
        )  # fmt: skip
        return self

    def repond(self) -> bool:
        resultat = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"], check=False
        )
        return resultat.returncode == 0

    def demarrer(self):
        super().demarrer()
        attendre(self.repond, message="PostgreSQL privé ne répond pas :\n" + self.lire_journal())
        return self

    def arreter(self, **kwargs):
        # SIGINT is PostgreSQL's "fast" shutdown (pg_ctl stop's default): clients are cut off.
        super().arreter(signal_=signal.SIGINT)

    def supprimer(self):
        shutil.rmtree(self.donnees, ignore_errors=True)


class _SansRedirection(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """An HTTP client with its cookies, like one browser tab; redirections are not followed."""

    def __init__(self, base: str, *, delai=10.0):
        self.base, self.delai = base, delai
        self.cookies = http.cookiejar.CookieJar()
        self.ouvreur = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _SansRedirection)

    def requete(self, chemin: str, data: dict | None = None):
        """(status, body, seconds). A network error or a timeout raises."""
        corps = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode() if data else None
        requete = urllib.request.Request(self.base + chemin, data=corps)
        if corps:
            requete.add_header("Referer", self.base + chemin)
        debut = time.monotonic()
        try:
            with self.ouvreur.open(requete, timeout=self.delai) as reponse:
                return reponse.status, reponse.read().decode(errors="replace"), time.monotonic() - debut
        except urllib.error.HTTPError as erreur:
            return erreur.code, erreur.read().decode(errors="replace"), time.monotonic() - debut

    def get(self, chemin):
        return self.requete(chemin)

    def post(self, chemin, data):
        return self.requete(chemin, data)

    def csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def connecter(self, email: str, mot_de_passe: str = MOT_DE_PASSE):
        statut, page, _ = self.get("/connexion/")
        assert statut == 200, page
        statut, page, duree = self.post("/connexion/", {"username": email, "password": mot_de_passe})
        erreurs = re.findall(r'class="fr-(?:error-text|alert[^"]*)"[^>]*>(.*?)</', page, re.S)
        assert statut == 302, (statut, [re.sub(r"\s+", " ", e) for e in erreurs])
        return duree

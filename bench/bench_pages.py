"""Benchmark of Mentorat LP at académie scale (issues 8 and 18). Run by hand, never by the tests.

    .venv/bin/python bench/bench_pages.py [section] \\
        --grand postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        --petit postgres://postgres@127.0.0.1:5432/mentorat_bench_petit \\
        --redis redis://127.0.0.1:6379/14 [--json resultats.json]

The databases are filled by `manage.py generer_academie` (see docs/performance.md). Sections
(`tout` runs them all), each preceded by a fixed pure-Python loop that measures the machine's speed:

1. `pages`: server time (median, p95), CPU time, SQL time and query count of the key pages,
   measured in-process with Django's test client (the whole request/response cycle through every
   middleware, no network), on the large and on the small data set, with the ratio large/small;
2. `taches`: the year-end PDF of one LP, the beat job that refreshes the cached indicators, the
   120 LPs' PDFs through 2 Celery worker processes fed by Redis, and the delay from an absence
   declared to the mentor's email written by a real worker (outbox);
3. `echelle`: the daily alert job and the indicator refresh job, each in a child process against
   `--base`: time (wall, CPU) and memory (peak RSS, tracemalloc peak);
4. `explain`: EXPLAIN (ANALYZE, BUFFERS) of every query of the indicator computations (one LP, the
   académie's cold figures, the national table) on each of `--bases`, side by side (read-only);
5. `charge`: a bounded load test, `--passages` runs of N users (50) logging séances and browsing
   against gunicorn on 127.0.0.1 with production settings (DEBUG off) but plain HTTP, with the CPU
   per request of gunicorn, PostgreSQL and the client, and the spread of the runs.

Sections `pages` and `charge` write séances into the databases they use (the benchmark's own
databases: the benchmark refuses any database whose name does not start with mentorat_bench).
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape as html_unescape
from http.cookiejar import CookieJar
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOMAINE = "bench.mentorat.fr"
MOT_DE_PASSE = "mentorat-bench-2026"


def p95(valeurs):
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, int(round(0.95 * (len(valeurs) - 1))))]


def nom_base(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


def verifier_base(url: str):
    """The benchmark writes séances, reports and absences: only into its own databases."""
    if not nom_base(url).startswith("mentorat_bench"):
        raise SystemExit(
            f"Le banc d’essai n’utilise que les bases mentorat_bench* (pas « {nom_base(url)} », jamais « mentorat »)."
        )


# --- Measuring tools: machine speed, CPU of process trees, spread of runs, query plans ------------


def _boucle_etalon(n=600_000):
    """A fixed pure-Python workload (arithmetic, dict, strings, sort): the same work at every call."""
    total, comptes, mots = 0, {}, []
    for i in range(n):
        total = (total * 31 + i) % 1_000_003
        comptes[i % 1009] = comptes.get(i % 1009, 0) + 1
        if i % 7 == 0:
            mots.append(f"{i:x}")
    return total + len(comptes) + len("".join(sorted(mots)))


def etalonner() -> dict:
    """The machine's speed now, measured before each section (≈ 0.3 s of CPU).

    On a shared machine, results from different minutes are comparable only together with this:
    the CPU time of the loop says how fast a core runs this Python (frequency, caches, steal), its
    wall time over its CPU time how much the process had to wait for a core.
    """
    debut_cpu, debut = time.process_time(), time.perf_counter()
    _boucle_etalon()
    cpu, reel = time.process_time() - debut_cpu, time.perf_counter() - debut
    return {"cpu_ms": cpu * 1000, "reel_ms": reel * 1000, "charge_1min": os.getloadavg()[0]}


def afficher_etalon(etalon: dict, section: str):
    print(
        f"\nÉtalon avant « {section} » : boucle fixe {etalon['cpu_ms']:.0f} ms CPU, {etalon['reel_ms']:.0f} ms réel "
        f"(charge moyenne de la machine sur 1 min : {etalon['charge_1min']:.2f})"
    )


TICKS_PAR_SECONDE = os.sysconf("SC_CLK_TCK")


def lire_stat(texte: str) -> dict:
    """The fields of /proc/<pid>/stat the benchmark needs (times in clock ticks).

    The command name (field 2) is in parentheses and may itself hold spaces and parentheses: the
    numbered fields start after the last ")". Field 3 (state) is then the first, so field n is at n - 3.
    """
    champs = texte[texte.rindex(")") + 2 :].split()
    return {
        "ppid": int(champs[4 - 3]),
        "utime": int(champs[14 - 3]),
        "stime": int(champs[15 - 3]),
        "cutime": int(champs[16 - 3]),
        "cstime": int(champs[17 - 3]),
    }


def lire_processus() -> dict[int, dict]:
    """Every process's /proc/<pid>/stat, read once (a snapshot)."""
    stats = {}
    for entree in os.scandir("/proc"):
        if entree.name.isdigit():
            try:
                with open(f"/proc/{entree.name}/stat") as fichier:
                    stats[int(entree.name)] = lire_stat(fichier.read())
            except (OSError, ValueError, IndexError):
                continue  # exited while we read
    return stats


def cpu_arbre(racine: int, stats: dict[int, dict]) -> int:
    """CPU ticks (user + system) of `racine` and of its children, the living and the exited ones.

    A child that exits is waited for by its parent, and its times (with its own children's) move into
    the parent's cutime/cstime: counting the parent's four fields plus the living children's gives a
    total that only grows, so that a difference between two snapshots is the CPU spent between them,
    even by gunicorn workers or PostgreSQL backends that started or ended in between.
    """
    total = 0
    for pid, s in stats.items():
        if pid == racine or s["ppid"] == racine:
            total += s["utime"] + s["stime"] + s["cutime"] + s["cstime"]
    return total


def ticks_en_ms(ticks: int) -> float:
    return ticks * 1000 / TICKS_PAR_SECONDE


def processus_de_la_base(titre: bytes, base: str) -> bool:
    """Whether a PostgreSQL process works for `base`, from its title (/proc/<pid>/cmdline).

    A backend titles itself "postgres: [cluster: ]user database host(port) state", an autovacuum
    worker "postgres: [cluster: ]autovacuum worker database": the database's name is one of the words.
    """
    return base in titre.replace(b"\0", b" ").decode(errors="replace").split()


def cpu_backends(postmaster: int, stats: dict[int, dict], base: str) -> dict[int, int]:
    """CPU ticks of each living process of the PostgreSQL server working for `base`."""
    backends = {}
    for pid, s in stats.items():
        if s["ppid"] != postmaster:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fichier:
                titre = fichier.read()
        except OSError:
            continue
        if processus_de_la_base(titre, base):
            backends[pid] = s["utime"] + s["stime"]
    return backends


def delta_backends(avant: dict[int, int], apres: dict[int, int]) -> int:
    """CPU spent between two snapshots by the backends living at the second (a new one: all its CPU).

    A backend that exited in between is left out (its CPU goes to the postmaster's cutime, with every
    other database's): with persistent connections (CONN_MAX_AGE), the server's backends outlive the window.
    """
    return sum(ticks - avant.get(pid, 0) for pid, ticks in apres.items())


def pid_postmaster(base_url) -> int | None:
    """The PostgreSQL server's main process: the parent of our own backend (None if not on this machine)."""
    import psycopg2

    connexion = psycopg2.connect(base_url)
    try:
        with connexion.cursor() as curseur:
            curseur.execute("SELECT pg_backend_pid()")
            backend = curseur.fetchone()[0]
        with open(f"/proc/{backend}/stat") as fichier:
            ppid = lire_stat(fichier.read())["ppid"]
        with open(f"/proc/{ppid}/cmdline", "rb") as fichier:
            return ppid if b"postgres" in fichier.read() else None
    except OSError:
        return None
    finally:
        connexion.close()


def repartition_coeurs(coeurs) -> tuple[set | None, set | None]:
    """(server's cores, client's core): the load client alone on the last core from 4 cores on.

    Below 4, pinning would take half of the machine (or more) from the server for a client that
    needs little: nothing is pinned, and the output says so.
    """
    coeurs = sorted(coeurs)
    if len(coeurs) < 4:
        return None, None
    return set(coeurs[:-1]), {coeurs[-1]}


def etendue(passages: list[dict], cles) -> dict[str, dict]:
    """Min, max and spread (max − min, in % of min) of each measure over the runs (None values left out)."""
    resume = {}
    for cle in cles:
        valeurs = [p[cle] for p in passages if p.get(cle) is not None]
        if not valeurs:
            resume[cle] = {"min": None, "max": None, "ecart_pct": None}
            continue
        bas, haut = min(valeurs), max(valeurs)
        resume[cle] = {"min": bas, "max": haut, "ecart_pct": 100 * (haut - bas) / bas if bas else None}
    return resume


JOINTURES = {"Nested Loop": "NL", "Hash Join": "HJ", "Merge Join": "MJ"}


def _noeuds(plan: dict):
    yield plan
    for enfant in plan.get("Plans", ()):  # children, InitPlans and SubPlans alike
        yield from _noeuds(enfant)


def resumer_plan(explication, grandes_tables=frozenset()) -> dict:
    """What to compare of an `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` between data sizes.

    Execution and planning times, the join nodes by type, the tables read by a sequential scan
    (those of `grandes_tables` apart: a seq scan of a large table is what makes a query grow with
    the country rather than with the LP asked for), and the buffers touched (shared hit + read).
    """
    if isinstance(explication, str):
        explication = json.loads(explication)
    racine = explication[0] if isinstance(explication, list) else explication
    plan = racine["Plan"]
    jointures, sequentiels = {}, set()
    for noeud in _noeuds(plan):
        type_noeud = noeud["Node Type"]
        if type_noeud in JOINTURES:
            jointures[type_noeud] = jointures.get(type_noeud, 0) + 1
        if type_noeud == "Seq Scan":
            sequentiels.add(noeud["Relation Name"])
    return {
        "execution_ms": racine.get("Execution Time"),
        "planification_ms": racine.get("Planning Time"),
        "jointures": jointures,
        "parcours_sequentiels": sorted(sequentiels),
        "sequentiels_grandes_tables": sorted(sequentiels & set(grandes_tables)),
        "blocs": plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0),
    }


def table_principale(sql: str) -> str:
    """The table of the query's own FROM (not a subquery's): its label in the explain table."""
    for trouve in re.finditer(r'\bFROM\s+"?(\w+)"?', sql, re.I):
        avant = sql[: trouve.start()]
        if avant.count("(") == avant.count(")"):
            return trouve.group(1)
    return "?"


def env_django(base_url, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "DEBUG": "1",
        "DATABASE_URL": base_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        **extra,
    }


def initialiser_django(base_url, **extra):
    os.environ.update(env_django(base_url, **extra))
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()


# --- Forms read back from the HTML (what a browser would post) ----------------------------------


BALISE_INPUT = re.compile(r"<input\b([^>]*)>", re.S)
ATTRIBUT = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def valeurs_formulaire(html: str) -> dict:
    """The values a browser would submit from the page's inputs (text, hidden, checked radios).

    Regular expressions rather than an HTML parser: in the load test, 50 client threads share one
    Python process, and a pure-Python parser of a large form would make the client, not the server,
    the bottleneck (its time would count in the measured response times). Selects and textareas are
    filled by the caller.
    """
    valeurs = {}
    for balise in BALISE_INPUT.finditer(html):
        a = {cle: html_unescape(valeur or "") for cle, valeur in ATTRIBUT.findall(balise.group(1))}
        nom = a.get("name")
        if not nom or a.get("type") in ("submit", "button"):
            continue
        if a.get("type") in ("radio", "checkbox"):
            if "checked" in a:
                valeurs[nom] = a.get("value", "on")
        else:
            valeurs[nom] = a.get("value", "")
    return valeurs


def donnees_seance(html: str, jour) -> dict:
    """The POST of the séance logging page: a held séance, one mentor and one student present."""
    valeurs = valeurs_formulaire(html)
    donnees = dict(valeurs)
    donnees.update(
        {
            "type": "entretien",
            "date": jour.isoformat(),
            "heure": "14:00",
            "duree": "60",
            "lieu": "etablissement",
            "statut": "tenue",
            "compte_rendu": "Séance de banc d’essai.",
        }
    )
    mentor = eleve = None
    for cle, valeur in valeurs.items():
        if cle.endswith("-personne"):
            prefixe = cle[: -len("personne")]
            if valeur.startswith("m") and mentor is None:
                mentor = prefixe
            elif valeur.startswith("e") and eleve is None:
                eleve = prefixe
    for prefixe in (mentor, eleve):
        if prefixe:
            donnees[prefixe + "presence"] = "present"
    return donnees


# --- 1. Pages, in-process --------------------------------------------------------------------


def mesurer_pages(base_url, repetitions, redis_url, filtre=None):
    """Run in a child process (one database per process): time every key page."""
    # Production settings (DEBUG off, CONN_MAX_AGE, Redis cache), loaded as gunicorn loads the app
    # (the WSGI module: django.setup() and the gc.freeze() it does at start).
    import importlib

    os.environ.update(env_production(base_url, redis_url))
    sys.path.insert(0, str(RACINE))
    importlib.import_module("mentorat.wsgi")
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bilans import indicateurs, national
    from binomes.models import Eleve
    from etablissements.models import Dispositif
    from etablissements.models.dispositif import annee_scolaire_courante
    from seances.models import Seance
    from socle.models import User

    # The large and the small database share the bench's Redis database, and their primary keys
    # overlap: a dispositif's cached figures from one would be read by the other. Each child starts
    # from an empty cache (its warm-up requests fill it again).
    cache.clear()
    annee = annee_scolaire_courante()
    compte = {r: User.objects.get(email=f"{r}@{DOMAINE}") for r in ("chef", "referent", "pilotage", "coordonnateur")}
    # The national pilot exists in the data sets generated since the national level (issue 18).
    pilote_national = User.objects.filter(email=f"national@{DOMAINE}").first()
    if pilote_national is not None:
        compte["national"] = pilote_national
    lp = compte["referent"].affectations.get().etablissement
    dispositif = Dispositif.objects.get(etablissement=lp, annee=annee)
    eleve = Eleve.objects.filter(etablissement=lp, binomes__dispositif=dispositif).order_by("ine").first()
    seance = Seance.objects.filter(dispositif=dispositif).order_by("-date", "-pk").first()
    clients = {}
    for role, user in compte.items():
        clients[role] = Client()
        clients[role].force_login(user)

    tous_les_dispositifs = list(Dispositif.objects.filter(annee=annee).values_list("pk", flat=True))

    def oublier_indicateurs():
        # What a page pays when nothing is in the cache (first view ever, beat job stopped).
        cache.delete_many([indicateurs._cle(pk) for pk in tous_les_dispositifs])
        indicateurs.tableaux_perimes()

    pages = [
        ("Tableau de bord du LP (chef)", "chef", "get", "/", None),
        # The référent's adds the pairs' health and the pending work: the load test's heaviest page.
        ("Tableau de bord du LP (référent)", "referent", "get", "/", None),
        ("Tableau de bord académique", "pilotage", "get", "/bilans/academie/", None),
        (
            "Tableau de bord académique, juste après le rafraîchissement",
            "pilotage",
            "get",
            "/bilans/academie/",
            indicateurs.tableaux_perimes,
        ),
        (
            "Tableau de bord académique, chiffres à recalculer",
            "pilotage",
            "get",
            "/bilans/academie/",
            oublier_indicateurs,
        ),
        ("Tableau de bord du coordonnateur (10 LP)", "coordonnateur", "get", "/", None),
        *(
            [
                ("Tableau de bord national", "national", "get", "/bilans/national/", None),
                (
                    "Tableau de bord national, chiffres à recalculer",
                    "national",
                    "get",
                    "/bilans/national/",
                    lambda: cache.delete(national._cle(annee)),
                ),
            ]
            if "national" in compte
            else []
        ),
        ("Liste des binômes", "referent", "get", "/binomes/", None),
        ("Liste des séances (page 2)", "referent", "get", "/seances/?page=2", None),
        ("Liste des séances du coordonnateur (10 LP, page 3)", "coordonnateur", "get", "/seances/?page=3", None),
        # Where the séance entry's POST leads: the load test counts it with the POST.
        ("Fiche d’une séance", "coordonnateur", "get", f"/seances/{seance.pk}/", None),
        ("Fiche élève", "referent", "get", f"/binomes/eleves/{eleve.pk}/", None),
        (
            "Formulaire de saisie d’une séance (GET)",
            "coordonnateur",
            "get",
            f"/seances/nouvelle/?dispositif={dispositif.pk}",
            None,
        ),
        ("Saisie d’une séance (POST)", "coordonnateur", "post", f"/seances/nouvelle/?dispositif={dispositif.pk}", None),
    ]
    duree_sql = [0.0]

    def chronometrer(execute, sql, params, many, context):
        # Time in the database driver: PostgreSQL's work, the round trip and psycopg2's conversion.
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            duree_sql[0] += time.perf_counter() - debut

    resultats = []
    for libelle, role, methode, url, preparer in pages:
        if filtre and filtre.lower() not in libelle.lower():
            continue
        client = clients[role]
        temps, requetes, temps_cpu, temps_sql = [], [], [], []
        for n in range(repetitions + 2):
            if preparer:
                preparer()
            if methode == "post":
                formulaire = client.get(url)
                donnees = donnees_seance(formulaire.content.decode(), timezone.localdate())
            duree_sql[0] = 0.0
            with CaptureQueriesContext(connection) as capture, connection.execute_wrapper(chronometrer):
                debut_cpu, debut = time.process_time(), time.perf_counter()
                reponse = (
                    # Encoded as a browser sends a form without a file (the test client's default,
                    # multipart, costs ≈ 10 ms more to decode on 230 rows).
                    client.post(url, urllib.parse.urlencode(donnees), content_type="application/x-www-form-urlencoded")
                    if methode == "post"
                    else client.get(url)
                )
                duree, cpu = time.perf_counter() - debut, time.process_time() - debut_cpu
            attendu = 302 if methode == "post" else 200
            if reponse.status_code != attendu:
                raise SystemExit(f"{libelle} : HTTP {reponse.status_code} au lieu de {attendu}")
            if n >= 2:  # two warm-up requests (caches, connections, template loading)
                temps.append(duree * 1000)
                temps_cpu.append(cpu * 1000)
                temps_sql.append(duree_sql[0] * 1000)
                requetes.append(len(capture.captured_queries))
        resultats.append(
            {
                "page": libelle,
                "url": url,
                "mediane": statistics.median(temps),
                "p95": p95(temps),
                "cpu_mediane": statistics.median(temps_cpu),
                "sql_mediane": statistics.median(temps_sql),
                "requetes": max(requetes),
                # Measured with the cache emptied first: informative, not one of the key pages.
                "informatif": preparer is not None,
            }
        )
    print(json.dumps(resultats))


def section_pages(args):
    etalon = etalonner()
    afficher_etalon(etalon, "pages")
    mesures = {}
    for nom, base in (("grand", args.grand), ("petit", args.petit)):
        sortie = subprocess.run(
            [PYTHON, __file__, "_pages", "--base", base, "--repetitions", str(args.repetitions), "--redis", args.redis]
            + (["--page", args.page] if args.page else []),
            check=True,
            capture_output=True,
            text=True,
            cwd=RACINE,
        ).stdout
        mesures[nom] = json.loads(sortie.strip().splitlines()[-1])
    lignes = []
    for grand, petit in zip(mesures["grand"], mesures["petit"], strict=True):
        ratio = grand["mediane"] / petit["mediane"]
        page_sql = grand["mediane"] / grand["sql_mediane"] if grand["sql_mediane"] else None
        manquees = [
            nom
            for nom, tenue in (
                ("médiane", grand["mediane"] < 150),
                ("grand/petit", ratio <= 1.5),
                ("requêtes", grand["requetes"] <= 15),
                ("page/SQL", page_sql is None or page_sql <= 3),
            )
            if not tenue
        ]
        lignes.append(
            {
                **grand,
                "petit_mediane": petit["mediane"],
                "petit_requetes": petit["requetes"],
                "ratio": ratio,
                "page_sql": page_sql,
                "manquees": manquees,
                "ok": not manquees,
            }
        )
    print("\n## Pages (temps serveur, client de test Django, en ms ; base grande sauf colonnes « petit LP »)\n")
    print(
        "| page | médiane | p95 | CPU médiane | SQL médiane | page/SQL | requêtes SQL "
        "| médiane petit LP | requêtes petit LP | grand/petit | cible |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for ligne in lignes:
        page_sql = f"{ligne['page_sql']:.1f}" if ligne["page_sql"] is not None else "—"
        if ligne["informatif"]:
            cible = "informatif"
        else:
            cible = "tenue" if ligne["ok"] else "MANQUÉE : " + ", ".join(ligne["manquees"])
        print(
            f"| {ligne['page']} | {ligne['mediane']:.0f} | {ligne['p95']:.0f} | {ligne['cpu_mediane']:.0f} | "
            f"{ligne['sql_mediane']:.1f} | {page_sql} | {ligne['requetes']} | "
            f"{ligne['petit_mediane']:.0f} | {ligne['petit_requetes']} | {ligne['ratio']:.2f} | {cible} |"
        )
    print(
        "\nCPU : `time.process_time` du processus pendant la requête (Python et pilote psycopg2, pas PostgreSQL). "
        "SQL : somme des durées des requêtes vues du pilote (`connection.execute_wrapper`). "
        "Cibles : médiane < 150 ms, grand/petit ≤ 1,5, ≤ 15 requêtes, page/SQL ≤ 3."
    )
    return {"etalon": etalon, "pages": lignes}


# --- 2–4. PDF, Celery workers, absence-to-email --------------------------------------------------


class Workers:
    """Two Celery worker processes on a queue of our own, against the large database."""

    def __init__(self, base_url, redis_url, concurrence=2):
        self.file = f"bench-{os.getpid()}"
        self.dossier = Path(tempfile.mkdtemp(prefix="bench-mentorat-"))
        self.emails = self.dossier / "emails"
        self.media = self.dossier / "media"
        self.emails.mkdir()
        self.media.mkdir()
        env = env_django(
            base_url,
            REDIS_URL=redis_url,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.emails),
            MEDIA_ROOT=str(self.media),
        )
        self.processus = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "mentorat",
                "worker",
                "-Q",
                self.file,
                "-c",
                str(concurrence),
                "--pool",
                "prefork",
                "-n",
                f"{self.file}@%h",
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=RACINE,
            env=env,
            start_new_session=True,
        )

    def attendre_pret(self, app):
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            reponses = app.control.ping(destination=[f"{self.file}@{os.uname().nodename}"], timeout=1)
            if reponses:
                return
        raise SystemExit("Le worker Celery ne répond pas.")

    def arreter(self):
        os.killpg(self.processus.pid, signal.SIGTERM)
        try:
            self.processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.processus.pid, signal.SIGKILL)
        shutil.rmtree(self.dossier, ignore_errors=True)


def section_taches(args):
    initialiser_django(args.grand, REDIS_URL=args.redis)
    from django.conf import settings
    from django.db import transaction

    from bilans.models import RapportAnnuel, StatutRapport
    from bilans.rapports import construire
    from bilans.tasks import construire_rapport
    from etablissements.models import Dispositif
    from etablissements.models.dispositif import annee_scolaire_courante
    from mentorat.celery import app
    from seances.models import Notification, Participation, Presence, StatutNotification, StatutSeance
    from seances.services import absence_declarer
    from socle.models import User

    resultats = {}
    annee = annee_scolaire_courante() - 1  # the last complete year: the report of a finished year
    dispositifs = list(
        Dispositif.objects.filter(etablissement__academie__nom="Académie de Synthèse", annee=annee).order_by("pk")
    )
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")

    # 2. One LP's PDF, in-process.
    rapport, _ = RapportAnnuel.objects.get_or_create(dispositif=dispositifs[0])
    temps = []
    for _ in range(3):
        debut = time.perf_counter()
        construire(RapportAnnuel.objects.select_related("dispositif__etablissement").get(pk=rapport.pk))
        temps.append(time.perf_counter() - debut)
    resultats["pdf_un_lp"] = min(temps), statistics.median(temps)

    # The beat job that refreshes the cached indicators of every current dispositif.
    from bilans.tasks import rafraichir_indicateurs

    temps = []
    for _ in range(5):
        debut = time.perf_counter()
        nombre = rafraichir_indicateurs()
        temps.append(time.perf_counter() - debut)
    resultats["rafraichir"] = statistics.median(temps), nombre
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)

    workers = Workers(args.grand, args.redis)
    try:
        app.conf.task_always_eager = False
        app.conf.task_default_queue = workers.file
        workers.attendre_pret(app)

        # 3. The académie's PDFs through 2 worker processes.
        rapports = [RapportAnnuel.objects.get_or_create(dispositif=d)[0] for d in dispositifs]
        ids = [r.pk for r in rapports]
        RapportAnnuel.objects.filter(pk__in=ids).update(statut=StatutRapport.EN_ATTENTE)
        debut = time.perf_counter()
        for pk in ids:
            construire_rapport.apply_async(args=[pk], queue=workers.file)
        while True:
            restants = (
                RapportAnnuel.objects.filter(pk__in=ids)
                .exclude(statut__in=[StatutRapport.PRET, StatutRapport.ECHEC])
                .count()
            )
            if not restants or time.perf_counter() - debut > 900:
                break
            time.sleep(0.5)
        resultats["pdf_academie"] = (
            time.perf_counter() - debut,
            len(ids),
            RapportAnnuel.objects.filter(pk__in=ids, statut=StatutRapport.PRET).count(),
        )

        # 4. Absence declared → the mentor's email written by the worker.
        auteur = User.objects.get(email=f"cpe@{DOMAINE}")
        lp = auteur.affectations.get().etablissement
        participations = list(
            Participation.objects.filter(
                seance__dispositif__etablissement=lp,
                seance__statut=StatutSeance.PREVUE,
                eleve__isnull=False,
                presence=Presence.ATTENDU,
                declaration_absence__isnull=True,
            ).select_related("seance")[: args.absences]
        )
        delais = []
        for participation in participations:
            debut = time.perf_counter()
            with transaction.atomic():
                absence_declarer(participation=participation, motif="Banc d’essai", auteur=auteur)
            # The worker marks the outbox row sent in the transaction that hands the email to the
            # backend (here: files): its commit is the moment the email leaves the worker.
            envoi = Notification.objects.filter(
                donnees__participation=participation.pk, statut=StatutNotification.ENVOYEE
            )
            while not envoi.exists() and time.perf_counter() - debut < 30:
                time.sleep(0.005)
            delais.append(time.perf_counter() - debut)
        courriels = sum(1 for _ in workers.emails.iterdir())
        if not courriels:
            raise SystemExit("Aucun courriel écrit par le worker.")
        resultats["absence"] = (statistics.median(delais), max(delais), len(delais))
    finally:
        workers.arreter()
    print(json.dumps(resultats))


# --- 5. Load test against gunicorn -----------------------------------------------------------------


class Navigateur:
    """A minimal browser: cookies, CSRF token from the forms, timing of each request."""

    def __init__(self, base):
        self.base = base
        self.ouvreur = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def requete(self, chemin, donnees=None):
        corps = urllib.parse.urlencode(donnees).encode() if donnees is not None else None
        demande = urllib.request.Request(self.base + chemin, data=corps, headers={"Referer": self.base + chemin})
        debut = time.perf_counter()
        try:
            with self.ouvreur.open(demande, timeout=30) as reponse:
                contenu = reponse.read().decode()
                statut = reponse.status
        except urllib.error.HTTPError as erreur:
            contenu, statut = erreur.read().decode(errors="replace"), erreur.code
        return statut, contenu, (time.perf_counter() - debut) * 1000

    def connecter(self, email):
        _, html, _ = self.requete("/connexion/")
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        statut, html, _ = self.requete(
            "/connexion/", {"csrfmiddlewaretoken": jeton, "username": email, "password": MOT_DE_PASSE}
        )
        if "deconnexion" not in html:
            raise SystemExit(f"Connexion impossible pour {email} (HTTP {statut}).")


def env_production(base_url, redis_url):
    """Production settings (DEBUG off: CONN_MAX_AGE at its production default, Redis cache), but plain
    HTTP on the loopback: no TLS redirect nor secure-only cookies, and no collected static files."""
    env = env_django(
        base_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY="banc-d-essai-seulement-" + "x" * 40,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        PYTHONWARNINGS="ignore:No directory at",  # no collectstatic for a client that asks no static file
    )
    env.pop("CONN_MAX_AGE", None)  # the production default of mentorat/settings.py, whatever this shell says
    return env


def reglages_effectifs(env) -> dict:
    """DEBUG and CONN_MAX_AGE as the server will read them (its settings, its environment)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'CONN_MAX_AGE': s.DATABASES['default']['CONN_MAX_AGE']}))"
    )
    sortie = subprocess.run([PYTHON, "-c", code], env=env, cwd=RACINE, capture_output=True, text=True, check=True)
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def passe_charge(args, env, postmaster, coeurs_serveur, coeurs_client):
    """One run of the load test: a fresh gunicorn, N users logged in, then the measured window.

    CPU is read over the measured window only (after every user has logged in: a login hashes a
    password, ≈ 0.3 s of CPU, which the browsing does not repeat): gunicorn's master and workers,
    the PostgreSQL server's processes (shared with whatever else uses this cluster meanwhile), and
    the client's own process.
    """
    import datetime

    port = args.port
    # A server left on the port (a run interrupted earlier) would answer in place of this one, and its
    # CPU would not be counted: refuse to measure rather than report someone else's figures.
    import socket

    with socket.socket() as essai:
        if essai.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"Le port {port} est déjà occupé (un gunicorn d’un passage interrompu ?) : arrêtez-le.")
    serveur = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "mentorat.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.gunicorn),
            "--threads",
            str(args.fils),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, coeurs_serveur)) if coeurs_serveur else None,
    )
    base = f"http://127.0.0.1:{port}"
    affinite_initiale = os.sched_getaffinity(0)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/connexion/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        if coeurs_client:
            # The calling thread only, before the users' threads are made: they inherit it.
            os.sched_setaffinity(0, coeurs_client)
        mesures, erreurs, verrou, par_page = [], [], threading.Lock(), {}
        fenetre = {}
        dispositif = args.dispositif
        jour = datetime.date.today()

        def ouvrir_fenetre():
            # Run by the last user to be logged in, before any of them browses.
            stats = lire_processus()
            fenetre["debut"] = time.monotonic()
            fenetre["fin"] = fenetre["debut"] + args.duree
            fenetre["gunicorn"] = cpu_arbre(serveur.pid, stats)
            fenetre["postgresql"] = cpu_arbre(postmaster, stats) if postmaster else None
            fenetre["backends"] = cpu_backends(postmaster, stats, nom_base(args.grand)) if postmaster else None
            fenetre["client"] = time.process_time()

        depart = threading.Barrier(args.utilisateurs, action=ouvrir_fenetre)

        parcours = ["/", "/binomes/", "/seances/", "/seances/?page=3", "saisie"]

        def etape(nav, k):
            """One step of the route: [(url, status, ms)] (the séance entry is its form, then its POST)."""
            chemin = parcours[k % len(parcours)]
            if chemin != "saisie":
                statut, _, ms = nav.requete(chemin)
                return [(chemin, statut, ms)]
            url = f"/seances/nouvelle/?dispositif={dispositif}"
            statut, html, ms = nav.requete(url)
            resultats = [(url, statut, ms)]
            if statut == 200:
                statut, _, ms = nav.requete(url, donnees_seance(html, jour))
                resultats.append((url + " POST", statut, ms))
            return resultats

        def utilisateur(n):
            nav = Navigateur(base)
            hasard = random.Random(n)
            email = f"coordonnateur@{DOMAINE}" if n % 2 else f"referent@{DOMAINE}"
            try:
                nav.connecter(email)
                # Warm-up, outside the window: each gunicorn worker loads its templates and fills its
                # caches on its first requests of each page, which a short run would count.
                for k in range(args.chauffe * len(parcours)):
                    etape(nav, n + k)
                connecte = True
            except (SystemExit, OSError, AttributeError) as erreur:
                with verrou:
                    erreurs.append(("/connexion/", str(erreur)))
                connecte = False
            depart.wait()
            if not connecte:
                return
            k = n
            while time.monotonic() < fenetre["fin"]:
                resultats = etape(nav, k)
                k += 1
                with verrou:
                    for url, statut, ms in resultats:
                        mesures.append(ms)
                        par_page.setdefault(url.split("?")[0] + (" POST" if url.endswith("POST") else ""), []).append(
                            ms
                        )
                        if statut >= 400:
                            erreurs.append((url, statut))
                # Think time between two pages, as locust's `between(1, 3)`: a person reads the page.
                time.sleep(hasard.uniform(*args.pause))

        fils = [threading.Thread(target=utilisateur, args=(n,)) for n in range(args.utilisateurs)]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        stats = lire_processus()
        duree = time.monotonic() - fenetre["debut"]
        cpu = {
            "gunicorn": ticks_en_ms(cpu_arbre(serveur.pid, stats) - fenetre["gunicorn"]),
            "postgresql": ticks_en_ms(cpu_arbre(postmaster, stats) - fenetre["postgresql"]) if postmaster else None,
            "postgresql_base": ticks_en_ms(
                delta_backends(fenetre["backends"], cpu_backends(postmaster, stats, nom_base(args.grand)))
            )
            if postmaster
            else None,
            "client": (time.process_time() - fenetre["client"]) * 1000,
        }
    finally:
        os.sched_setaffinity(0, affinite_initiale)
        os.killpg(serveur.pid, signal.SIGTERM)
        serveur.wait(timeout=30)
    n = len(mesures)

    def par_requete(ms):
        return ms / n if ms is not None and n else None

    return {
        "requetes": n,
        "debit": n / duree,
        "mediane": statistics.median(mesures) if mesures else None,
        "p95": p95(mesures) if mesures else None,
        "erreurs": len(erreurs),
        "exemples_erreurs": erreurs[:5],
        "cpu_total_ms": cpu,
        "cpu_gunicorn": par_requete(cpu["gunicorn"]),
        "cpu_postgresql": par_requete(cpu["postgresql"]),
        "cpu_postgresql_base": par_requete(cpu["postgresql_base"]),
        "cpu_serveur": par_requete(cpu["gunicorn"] + (cpu["postgresql"] or 0)),
        "cpu_client": par_requete(cpu["client"]),
        "par_page": {url: (len(v), statistics.median(v), p95(v)) for url, v in sorted(par_page.items())},
    }


COLONNES_CHARGE = [
    ("requetes", "requêtes", "{:.0f}"),
    ("debit", "débit (req/s)", "{:.1f}"),
    ("mediane", "médiane (ms)", "{:.0f}"),
    ("p95", "p95 (ms)", "{:.0f}"),
    ("erreurs", "erreurs", "{:.0f}"),
    ("cpu_gunicorn", "CPU gunicorn (ms/req)", "{:.1f}"),
    ("cpu_postgresql", "CPU PostgreSQL (ms/req)", "{:.1f}"),
    ("cpu_postgresql_base", "dont backends de la base (ms/req)", "{:.1f}"),
    ("cpu_serveur", "CPU serveur (ms/req)", "{:.1f}"),
    ("cpu_client", "CPU client (ms/req)", "{:.1f}"),
]


def _cellule(format_, valeur):
    return "—" if valeur is None else format_.format(valeur)


def passe_tenue(passe) -> bool:
    return passe["p95"] is not None and passe["p95"] < 500 and not passe["erreurs"] and passe["cpu_serveur"] <= 40


def section_charge(args):
    env = env_production(args.grand, args.redis)
    reglages = reglages_effectifs(env)
    postmaster = pid_postmaster(args.grand)
    coeurs = os.sched_getaffinity(0)
    coeurs_serveur, coeurs_client = repartition_coeurs(coeurs)
    if coeurs_client:
        epinglage = (
            f"client de charge épinglé sur le cœur {min(coeurs_client)}, gunicorn sur les cœurs "
            f"{','.join(map(str, sorted(coeurs_serveur)))} (PostgreSQL et Redis non épinglés)"
        )
    else:
        epinglage = (
            f"rien n’est épinglé : {len(coeurs)} cœurs seulement, réserver un cœur au client priverait le "
            "serveur d’une part trop grande de la machine (client, gunicorn, PostgreSQL et Redis se partagent tout)"
        )
    print(
        f"\n## Charge : {args.utilisateurs} utilisateurs simultanés pendant {args.duree} s, {args.passages} passage(s)"
        f"\n\ngunicorn {args.gunicorn} processus × {args.fils} fils, DEBUG={int(reglages['DEBUG'])}, "
        f"CONN_MAX_AGE={reglages['CONN_MAX_AGE']} (réglages de production), 127.0.0.1, lecture "
        f"{args.pause[0]:g}–{args.pause[1]:g} s, chauffe {args.chauffe} tour(s) du parcours par utilisateur "
        f"(hors mesure) ; {epinglage}."
    )
    if postmaster is None:
        print("PostgreSQL n’est pas sur cette machine (ou /proc est illisible) : son CPU n’est pas mesuré.")
    passages = []
    derniere_seance = seances_du_banc(args.grand, args.dispositif)
    for numero in range(1, args.passages + 1):
        etalon = etalonner()
        afficher_etalon(etalon, f"charge, passage {numero}")
        try:
            passe = passe_charge(args, env, postmaster, coeurs_serveur, coeurs_client)
        finally:
            seances_du_banc(args.grand, args.dispositif, apres=derniere_seance)
        passe["etalon"] = etalon
        passages.append(passe)
        print(f"\n### Passage {numero}\n")
        print("| " + " | ".join(titre for _, titre, _ in COLONNES_CHARGE) + " | cible |")
        print("|" + "---:|" * len(COLONNES_CHARGE) + "---|")
        print(
            "| "
            + " | ".join(_cellule(format_, passe[cle]) for cle, _, format_ in COLONNES_CHARGE)
            + f" | {'tenue' if passe_tenue(passe) else 'MANQUÉE'} |"
        )
        print("\n| page | requêtes | médiane | p95 |\n|---|---:|---:|---:|")
        for url, (n, mediane, pire) in passe["par_page"].items():
            print(f"| `{url}` | {n} | {mediane:.0f} ms | {pire:.0f} ms |")
        if passe["exemples_erreurs"]:
            print("Exemples d’erreurs :", passe["exemples_erreurs"])
    resume = etendue(passages, [cle for cle, _, _ in COLONNES_CHARGE])
    print(f"\n### {len(passages)} passage(s) : chaque passage, puis min–max\n")
    print("| passage | étalon (ms CPU) | " + " | ".join(titre for _, titre, _ in COLONNES_CHARGE) + " | cible |")
    print("|---|---:|" + "---:|" * len(COLONNES_CHARGE) + "---|")
    for numero, passe in enumerate(passages, 1):
        print(
            f"| {numero} | {passe['etalon']['cpu_ms']:.0f} | "
            + " | ".join(_cellule(format_, passe[cle]) for cle, _, format_ in COLONNES_CHARGE)
            + f" | {'tenue' if passe_tenue(passe) else 'MANQUÉE'} |"
        )
    etalons = [p["etalon"]["cpu_ms"] for p in passages]
    print(
        f"| min–max | {min(etalons):.0f}–{max(etalons):.0f} | "
        + " | ".join(
            "—"
            if resume[cle]["min"] is None
            else f"{format_.format(resume[cle]['min'])}–{format_.format(resume[cle]['max'])}"
            for cle, _, format_ in COLONNES_CHARGE
        )
        + f" | {'tenue à chaque passage' if all(map(passe_tenue, passages)) else 'MANQUÉE'} |"
    )
    print(
        "\nCibles à chaque passage : p95 < 500 ms, aucune erreur, CPU serveur (gunicorn + PostgreSQL) ≤ 40 ms par "
        "requête. CPU : /proc/<pid>/stat (utime + stime, plus cutime + cstime des processus terminés) pendant la "
        "fenêtre mesurée, divisé par le nombre de requêtes mesurées (un POST compte avec la page où il redirige) ; "
        "PostgreSQL compte tous les processus de l’instance (backends, processus de fond, et ce que d’autres bases "
        "lui demandent pendant ce temps) ; « dont backends de la base » ne compte que les processus dont le titre "
        "nomme la base mesurée (connexions gardées par CONN_MAX_AGE : elles durent toute la fenêtre)."
    )
    return {"reglages": reglages, "epinglage": epinglage, "passages": passages, "etendue": resume}


# --- 6. Query plans at several sizes (read-only) -----------------------------------------------------


def expliquer(base_url):
    """Run in a child process: EXPLAIN ANALYZE each query of the indicator computations, on one database.

    The session is read-only (`default_transaction_read_only`): this section may run against a
    database the benchmark must not write into. Each query is explained twice, the second plan kept
    (buffers warm, as on a live server).
    """
    initialiser_django(base_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bilans import indicateurs, national
    from etablissements.models import Dispositif
    from etablissements.models.dispositif import annee_scolaire_courante
    from socle.models import User

    with connection.cursor() as curseur:
        curseur.execute("SET default_transaction_read_only = on")
        # Tables of at least 10 000 rows (statistics of the last ANALYZE): where a seq scan grows with the data.
        curseur.execute(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= 10000"
        )
        grandes_tables = dict(curseur.fetchall())
    annee = annee_scolaire_courante()
    lp = User.objects.get(email=f"referent@{DOMAINE}").affectations.get().etablissement
    dispositif = Dispositif.objects.get(etablissement=lp, annee=annee)
    academie = list(
        Dispositif.objects.filter(etablissement__academie_id=lp.academie_id, annee=annee).values_list("pk", flat=True)
    )
    calculs = [
        (
            "Indicateurs d’un LP (`indicateurs_par_dispositif([pk])`)",
            lambda: indicateurs.indicateurs_par_dispositif([dispositif.pk]),
        ),
        ("Académie à froid (`_chiffres` de ses dispositifs de l’année)", lambda: indicateurs._chiffres(academie)),
        ("Tableau national (`national.calculer`)", lambda: national.calculer(annee)),
    ]
    resultats = []
    for libelle, calcul in calculs:
        calcul()  # warm-up
        with CaptureQueriesContext(connection) as capture:
            calcul()
        requetes = []
        for requete in capture.captured_queries:
            sql = requete["sql"]
            with connection.cursor() as curseur:
                for _ in range(2):
                    curseur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                    plan = curseur.fetchone()[0]
            requetes.append(
                {"table": table_principale(sql), "resume": resumer_plan(plan, grandes_tables), "sql": sql, "plan": plan}
            )
        resultats.append({"calcul": libelle, "requetes": requetes})
    print(
        json.dumps(
            {
                "base": nom_base(base_url),
                "dispositifs_academie": len(academie),
                "grandes_tables": grandes_tables,
                "calculs": resultats,
            }
        )
    )


def cellule_plan(resume) -> str:
    jointures = " ".join(f"{JOINTURES[t]}×{n}" for t, n in sorted(resume["jointures"].items())) or "sans jointure"
    sequentiels = [
        f"**{t}**" if t in resume["sequentiels_grandes_tables"] else t for t in resume["parcours_sequentiels"]
    ]
    texte = f"{resume['execution_ms']:.1f} ms, {jointures}, {resume['blocs']} blocs"
    return texte + (f", Seq Scan : {' '.join(sequentiels)}" if sequentiels else "")


def section_explain(args):
    etalon = etalonner()
    afficher_etalon(etalon, "explain")
    bases = []
    for base in args.bases:
        sortie = subprocess.run(
            [PYTHON, __file__, "_explain", "--base", base], check=True, capture_output=True, text=True, cwd=RACINE
        ).stdout
        bases.append(json.loads(sortie.strip().splitlines()[-1]))
    print("\n## Plans des requêtes d’indicateurs (EXPLAIN ANALYZE, BUFFERS)\n")
    print(
        "| calcul | requête (table lue) | "
        + " | ".join(f"`{b['base']}` ({b['dispositifs_academie']} LP dans l’académie)" for b in bases)
        + " |"
    )
    print("|---|---|" + "---|" * len(bases))
    for c, calcul in enumerate(bases[0]["calculs"]):
        nombre = max(len(b["calculs"][c]["requetes"]) for b in bases)
        for r in range(nombre):
            cellules = []
            for b in bases:
                requetes = b["calculs"][c]["requetes"]
                cellules.append(cellule_plan(requetes[r]["resume"]) if r < len(requetes) else "—")
            table = next(b["calculs"][c]["requetes"][r]["table"] for b in bases if r < len(b["calculs"][c]["requetes"]))
            print(f"| {calcul['calcul'] if r == 0 else ''} | {r + 1}. `{table}` | " + " | ".join(cellules) + " |")
        totaux = [sum(q["resume"]["execution_ms"] for q in b["calculs"][c]["requetes"]) for b in bases]
        print("| | **total** | " + " | ".join(f"**{t:.1f} ms**" for t in totaux) + " |")
    print(
        "\nTemps d’exécution de PostgreSQL (second EXPLAIN ANALYZE de chaque requête), jointures : NL Nested Loop, "
        "HJ Hash Join, MJ Merge Join ; blocs : tampons partagés lus (en cache ou non) ; en gras, un parcours "
        "séquentiel d’une table d’au moins 10 000 lignes. Grandes tables par base : "
        + " ; ".join(f"`{b['base']}` {len(b['grandes_tables'])}" for b in bases)
        + "."
    )
    return {"etalon": etalon, "bases": bases}


# --- 7. Daily jobs at scale ------------------------------------------------------------------------------


def mesurer_tache(base_url, redis_url, tache):
    """Run in a child process (its own memory): one daily job, timed, then again under tracemalloc.

    The alert job runs in a transaction rolled back (the database is left as it was); the indicator
    refresh writes the cache (Redis) and the figures it keeps in the database
    (`bilans.ChiffresDispositif`), as in production. The URLconf is loaded first, as in a running worker.
    """
    import resource
    import tracemalloc

    os.environ.update(env_production(base_url, redis_url))
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()
    from django.db import transaction
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views, as a worker has done long before)

    if tache == "froid":
        return mesurer_tableaux_a_froid()
    if tache == "alertes":
        from seances.alertes import alertes_calculer

        def une_fois():
            with transaction.atomic():
                nombre = len(alertes_calculer())
                transaction.set_rollback(True)
            return nombre
    else:
        from bilans.tasks import rafraichir_indicateurs

        une_fois = rafraichir_indicateurs

    mesure = {"tache": tache}
    for appel in ("", "_second"):  # a fresh worker process, then one that already ran the job
        debut_cpu, debut = time.process_time(), time.perf_counter()
        mesure["nombre"] = une_fois()
        mesure["cpu_s" + appel] = time.process_time() - debut_cpu
        mesure["reel_s" + appel] = time.perf_counter() - debut
    mesure["rss_max_mo"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    une_fois()
    _courant, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mesure["pic_python_mo"] = pic / 1e6
    print(json.dumps(mesure))


def mesurer_tableaux_a_froid():
    """The national and académie dashboards when the cache does not help (in the child of mesurer_tache):
    nothing computed yet (first view ever: kept figures deleted, cache emptied), then after the refresh
    job, with the cache emptied as a Redis restart leaves it (the figures kept in the database serve)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bilans.models import ChiffresDispositif
    from bilans.tasks import rafraichir_indicateurs
    from socle.models import User

    clients = {}
    for role in ("national", "pilotage"):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=f"{role}@{DOMAINE}"))

    def mesurer(libelle, role, url, preparer, fois):
        temps, cpu, requetes = [], [], []
        for _ in range(fois):
            preparer()
            with CaptureQueriesContext(connection) as capture:
                debut, debut_cpu = time.perf_counter(), time.process_time()
                reponse = clients[role].get(url)
                temps.append((time.perf_counter() - debut) * 1000)
                cpu.append((time.process_time() - debut_cpu) * 1000)
            if reponse.status_code != 200:
                raise SystemExit(f"{libelle} : HTTP {reponse.status_code}")
            requetes.append(len(capture.captured_queries))
        return {
            "page": libelle,
            "mediane": statistics.median(temps),
            "min": min(temps),
            "max": max(temps),
            "cpu": statistics.median(cpu),
            "requetes": max(requetes),
        }

    def rien():
        ChiffresDispositif.objects.all().delete()
        cache.clear()

    mesures = [
        mesurer("Tableau national, rien de calculé (première fois)", "national", "/bilans/national/", rien, 3),
        mesurer("Tableau académique, rien de calculé", "pilotage", "/bilans/academie/", rien, 3),
    ]
    rafraichir_indicateurs()
    mesures += [
        mesurer("Tableau national, en cache", "national", "/bilans/national/", lambda: None, 10),
        mesurer(
            "Tableau national, Redis vidé (chiffres gardés en base)", "national", "/bilans/national/", cache.clear, 5
        ),
        mesurer("Tableau académique, en cache", "pilotage", "/bilans/academie/", lambda: None, 10),
        mesurer(
            "Tableau académique, Redis vidé (chiffres gardés en base)", "pilotage", "/bilans/academie/", cache.clear, 5
        ),
    ]
    print(json.dumps({"tache": "froid", "mesures": mesures}))


def section_echelle(args):
    etalon = etalonner()
    afficher_etalon(etalon, "tâches quotidiennes")
    mesures = []
    for tache in ("alertes", "rafraichir", "froid"):
        sortie = subprocess.run(
            [PYTHON, __file__, "_echelle", "--base", args.base or args.grand, "--redis", args.redis, "--tache", tache],
            check=True,
            capture_output=True,
            text=True,
            cwd=RACINE,
        ).stdout
        mesures.append(json.loads(sortie.strip().splitlines()[-1]))
    alertes, rafraichir, froid = mesures
    print(f"\n## Tâches quotidiennes sur `{nom_base(args.base or args.grand)}` (un processus enfant chacune)\n")
    print("| tâche | temps réel (1er / 2e appel) | CPU (1er / 2e) | RSS max du processus | pic Python | cible |")
    print("|---|---:|---:|---:|---:|---|")
    for libelle, m, tenue, cible in (
        (
            f"Alertes du jour (`alertes_calculer`, transaction annulée ; {alertes['nombre']} alertes nouvelles)",
            alertes,
            alertes["reel_s"] < 60 and alertes["rss_max_mo"] < 300,
            "< 60 s et < 300 Mo",
        ),
        (
            f"Rafraîchissement des indicateurs (`rafraichir_indicateurs`, {rafraichir['nombre']} dispositif(s), "
            "cache Redis)",
            rafraichir,
            rafraichir["reel_s"] < 60,
            "< 60 s",
        ),
    ):
        print(
            f"| {libelle} | {m['reel_s']:.2f} s / {m['reel_s_second']:.2f} s | {m['cpu_s']:.2f} s / "
            f"{m['cpu_s_second']:.2f} s | {m['rss_max_mo']:.0f} Mo | "
            f"{m['pic_python_mo']:.1f} Mo | {cible} : {'tenue' if tenue else 'MANQUÉE'} |"
        )
    print(
        "\nTemps et CPU d’un premier appel dans un processus neuf (réglages de production, URL déjà chargées), "
        "puis d’un second ; la cible porte sur le premier. RSS maximal du processus après ces deux appels "
        "(`ru_maxrss`, Django compris) ; pic des allocations Python pendant un troisième appel, sous `tracemalloc`. "
        "Le CPU est celui du processus Python, pas celui de PostgreSQL."
    )
    print("\n## Tableaux de plusieurs LP sans le cache (un processus enfant)\n")
    print("| page | médiane | min – max | CPU | requêtes SQL | cible |")
    print("|---|---:|---:|---:|---:|---|")
    for m in froid["mesures"]:
        print(
            f"| {m['page']} | {m['mediane']:.0f} ms | {m['min']:.0f} – {m['max']:.0f} ms | {m['cpu']:.0f} ms | "
            f"{m['requetes']} | < 1 s : {'tenue' if m['mediane'] < 1000 else 'MANQUÉE'} |"
        )
    print(
        "\n« Rien de calculé » : ni cache ni chiffres gardés (premier affichage d’un déploiement neuf, ou tâche "
        "de rafraîchissement arrêtée depuis plus de 15 minutes) ; « Redis vidé » : après la tâche, le cache "
        "perdu comme au redémarrage de Redis."
    )
    return {"etalon": etalon, "alertes": alertes, "rafraichir": rafraichir, "froid": froid}


SECTIONS = ["tout", "pages", "taches", "charge", "explain", "echelle"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "section", nargs="?", default="tout", choices=SECTIONS + ["_pages", "_taches", "_explain", "_echelle"]
    )
    parser.add_argument("--grand", default="postgres://postgres@127.0.0.1:5432/mentorat_bench")
    parser.add_argument("--petit", default="postgres://postgres@127.0.0.1:5432/mentorat_bench_petit")
    # A Redis database of its own: the pages section clears it (see mesurer_pages).
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--base", help="echelle : la base mesurée (par défaut --grand)")
    parser.add_argument("--bases", nargs="+", help="explain : les bases à comparer (par défaut --petit et --grand)")
    parser.add_argument("--tache", choices=["alertes", "rafraichir", "froid"], help=argparse.SUPPRESS)
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--page", help="ne mesurer que les pages dont le libellé contient ce texte")
    parser.add_argument("--absences", type=int, default=10)
    parser.add_argument("--utilisateurs", type=int, default=50)
    parser.add_argument("--duree", type=int, default=120, help="durée du test de charge (secondes)")
    parser.add_argument("--passages", type=int, default=3, help="nombre de passages du test de charge")
    parser.add_argument(
        "--chauffe", type=int, default=1, help="tours du parcours par utilisateur avant la fenêtre mesurée"
    )
    parser.add_argument(
        "--pause", type=float, nargs=2, default=(1.0, 3.0), help="temps de lecture (s) entre deux pages"
    )
    parser.add_argument("--gunicorn", type=int, default=4, help="processus gunicorn")
    parser.add_argument("--fils", type=int, default=4, help="fils par processus gunicorn")
    parser.add_argument("--port", type=int, default=8137)
    parser.add_argument("--json", help="écrire aussi les résultats (étalons compris) dans ce fichier JSON")
    args = parser.parse_args()
    args.bases = args.bases or [args.petit, args.grand]
    for url in [args.grand, args.petit, *args.bases] + ([args.base] if args.base else []):
        verifier_base(url)
    if args.section == "_pages":
        return mesurer_pages(args.base, args.repetitions, args.redis, args.page)
    if args.section == "_taches":
        return section_taches(args)
    if args.section == "_explain":
        return expliquer(args.base)
    if args.section == "_echelle":
        return mesurer_tache(args.base, args.redis, args.tache)
    print(
        f"Machine : {os.cpu_count()} cœurs, {os.uname().sysname} {os.uname().release}, Python {sys.version.split()[0]}"
    )
    resultats = {"machine": {"coeurs": os.cpu_count(), "noyau": os.uname().release}}
    if args.section in ("tout", "pages"):
        resultats["pages"] = section_pages(args)
    if args.section in ("tout", "taches"):
        etalon = etalonner()
        afficher_etalon(etalon, "tâches")
        sortie = subprocess.run(
            [
                PYTHON,
                __file__,
                "_taches",
                "--grand",
                args.grand,
                "--redis",
                args.redis,
                "--absences",
                str(args.absences),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=RACINE,
        ).stdout
        t = json.loads(sortie.strip().splitlines()[-1])
        resultats["taches"] = {"etalon": etalon, **t}
        print("\n## Tâches\n")
        print("| mesure | valeur | cible |")
        print("|---|---:|---|")
        print(
            "| PDF de fin d’année d’un LP (meilleur / médiane de 3) | "
            f"{t['pdf_un_lp'][0]:.2f} s / {t['pdf_un_lp'][1]:.2f} s | < 3 s |"
        )
        duree, nombre = t["rafraichir"]
        print(f"| Rafraîchissement des indicateurs en cache ({nombre} dispositifs, médiane de 5) | {duree:.2f} s | — |")
        duree, total, prets = t["pdf_academie"]
        print(f"| PDF des {total} LP, 2 workers Celery ({prets} prêts) | {duree:.0f} s | < 180 s |")
        mediane, pire, n = t["absence"]
        print(
            f"| Absence déclarée → courriel envoyé par le worker (médiane / pire de {n}) | "
            f"{mediane:.2f} s / {pire:.2f} s | < 2 s |"
        )
    if args.section in ("tout", "echelle"):
        resultats["echelle"] = section_echelle(args)
    if args.section in ("tout", "explain"):
        resultats["explain"] = section_explain(args)
    if args.section in ("tout", "charge"):
        if not args.__dict__.get("dispositif"):
            args.dispositif = dispositif_courant(args.grand)
        resultats["charge"] = section_charge(args)
    if args.json:
        Path(args.json).write_text(json.dumps(resultats, indent=2, ensure_ascii=False, default=str))
        print(f"\nRésultats écrits dans {args.json}.")


def _entier_lu(base_url, code: str) -> int:
    """The integer that `code`, run by `manage.py shell` on that database, prints last."""
    sortie = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        env=env_django(base_url),
        capture_output=True,
        text=True,
        cwd=RACINE,
        check=True,
    ).stdout
    return int(sortie.strip().splitlines()[-1])


def seances_du_banc(base_url, dispositif, apres: int | None = None) -> int:
    """The last séance id of the measured dispositif; with `apres`, first delete its séances made after
    that id (those the load test logged): each pass starts from the same dispositif, not one grown by
    the passes before it (≈ 600 séances each, which the référent's dashboard reads)."""
    code = (
        "from seances.models import Seance;"
        f"qs = Seance.objects.filter(dispositif_id={int(dispositif)});"
        + (f"qs.filter(pk__gt={int(apres)}).delete();" if apres is not None else "")
        + "print(max(qs.values_list('pk', flat=True), default=0))"
    )
    return _entier_lu(base_url, code)


def dispositif_courant(base_url):
    """The current dispositif of the first generated LP (where the load test logs its séances)."""
    code = (
        "from etablissements.models import Dispositif;"
        "from etablissements.models.dispositif import annee_scolaire_courante as a;"
        f"print(Dispositif.objects.filter(etablissement__affectations__user__email='referent@{DOMAINE}',"
        " annee=a()).values_list('pk', flat=True).get())"
    )
    return _entier_lu(base_url, code)


if __name__ == "__main__":
    main()

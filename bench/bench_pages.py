"""Benchmark of Mentorat LP at académie scale (issue 8). Run by hand, never by the tests.

    .venv/bin/python bench/bench_pages.py \\
        --grand postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        --petit postgres://postgres@127.0.0.1:5432/mentorat_bench_petit \\
        --redis redis://127.0.0.1:6379/0

Both databases are filled by `manage.py generer_academie` (see docs/performance.md). One run:

1. pages: server time (median, p95) and query count of the key pages, measured in-process with
   Django's test client (the whole request/response cycle through every middleware, no network),
   on the large and on the small data set, with the ratio large/small;
2. the year-end PDF of one LP (`bilans.rapports.construire`, in-process), and the beat job that
   refreshes the cached indicators (`bilans.tasks.rafraichir_indicateurs`);
3. the 120 LPs' PDFs through 2 Celery worker processes fed by Redis (`bilans.tasks.construire_rapport`);
4. the delay from an absence declared to the mentor's email written by a real worker (outbox);
5. a bounded load test: N users (50) logging séances and browsing against gunicorn on 127.0.0.1,
   with production settings (DEBUG off) but plain HTTP.

Sections 1 and 5 write séances into the databases they use (the benchmark's own databases).
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
    # The cache is Redis, as in production (indicators of the académie dashboard, sessions).
    initialiser_django(base_url, REDIS_URL=redis_url)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bilans import indicateurs, national
    from binomes.models import Eleve
    from etablissements.models import Dispositif
    from etablissements.models.dispositif import annee_scolaire_courante
    from socle.models import User

    annee = annee_scolaire_courante()
    compte = {r: User.objects.get(email=f"{r}@{DOMAINE}") for r in ("chef", "referent", "pilotage", "coordonnateur")}
    # The national pilot exists in the data sets generated since the national level (issue 18).
    pilote_national = User.objects.filter(email=f"national@{DOMAINE}").first()
    if pilote_national is not None:
        compte["national"] = pilote_national
    lp = compte["referent"].affectations.get().etablissement
    dispositif = Dispositif.objects.get(etablissement=lp, annee=annee)
    eleve = Eleve.objects.filter(etablissement=lp, binomes__dispositif=dispositif).order_by("ine").first()
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
    resultats = []
    for libelle, role, methode, url, preparer in pages:
        if filtre and filtre.lower() not in libelle.lower():
            continue
        client = clients[role]
        temps, requetes = [], []
        for n in range(repetitions + 2):
            if preparer:
                preparer()
            if methode == "post":
                formulaire = client.get(url)
                donnees = donnees_seance(formulaire.content.decode(), timezone.localdate())
            with CaptureQueriesContext(connection) as capture:
                debut = time.perf_counter()
                reponse = client.post(url, donnees) if methode == "post" else client.get(url)
                duree = time.perf_counter() - debut
            attendu = 302 if methode == "post" else 200
            if reponse.status_code != attendu:
                raise SystemExit(f"{libelle} : HTTP {reponse.status_code} au lieu de {attendu}")
            if n >= 2:  # two warm-up requests (caches, connections, template loading)
                temps.append(duree * 1000)
                requetes.append(len(capture.captured_queries))
        resultats.append(
            {
                "page": libelle,
                "url": url,
                "mediane": statistics.median(temps),
                "p95": p95(temps),
                "requetes": max(requetes),
                # Measured with the cache emptied first: informative, not one of the key pages.
                "informatif": preparer is not None,
            }
        )
    print(json.dumps(resultats))


def section_pages(args):
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
        ok = grand["mediane"] < 150 and ratio <= 1.5 and grand["requetes"] <= 15
        lignes.append(
            {**grand, "petit_mediane": petit["mediane"], "petit_requetes": petit["requetes"], "ratio": ratio, "ok": ok}
        )
    print("\n## Pages (temps serveur, client de test Django, en ms)\n")
    print("| page | médiane | p95 | requêtes SQL | médiane petit LP | requêtes petit LP | ratio | cible |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for ligne in lignes:
        print(
            f"| {ligne['page']} | {ligne['mediane']:.0f} | {ligne['p95']:.0f} | {ligne['requetes']} | "
            f"{ligne['petit_mediane']:.0f} | {ligne['petit_requetes']} | {ligne['ratio']:.2f} | "
            f"{'informatif' if ligne['informatif'] else 'tenue' if ligne['ok'] else 'MANQUÉE'} |"
        )
    return lignes


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


def section_charge(args):
    import datetime

    port = args.port
    # Production settings (DEBUG off, Redis cache and sessions), but plain HTTP on the loopback: no
    # TLS redirect nor secure-only cookies, and static files are not asked for by this client.
    env = env_django(
        args.grand,
        REDIS_URL=args.redis,
        DEBUG="0",
        SECRET_KEY="banc-d-essai-seulement-" + "x" * 40,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        PYTHONWARNINGS="ignore:No directory at",  # no collectstatic for a client that asks no static file
    )
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
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/connexion/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        mesures, erreurs, verrou, par_page = [], [], threading.Lock(), {}
        fin = time.monotonic() + args.duree
        dispositif = args.dispositif
        jour = datetime.date.today()

        def utilisateur(n):
            nav = Navigateur(base)
            hasard = random.Random(n)
            email = f"coordonnateur@{DOMAINE}" if n % 2 else f"referent@{DOMAINE}"
            nav.connecter(email)
            parcours = ["/", "/binomes/", "/seances/", "/seances/?page=3", "saisie"]
            k = n
            while time.monotonic() < fin:
                etape = parcours[k % len(parcours)]
                k += 1
                if etape == "saisie":
                    url = f"/seances/nouvelle/?dispositif={dispositif}"
                    statut, html, ms = nav.requete(url)
                    resultats = [(url, statut, ms)]
                    if statut == 200:
                        statut, _, ms = nav.requete(url, donnees_seance(html, jour))
                        resultats.append((url + " POST", statut, ms))
                else:
                    statut, _, ms = nav.requete(etape)
                    resultats = [(etape, statut, ms)]
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
        debut = time.monotonic()
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        duree = time.monotonic() - debut
    finally:
        os.killpg(serveur.pid, signal.SIGTERM)
        serveur.wait(timeout=30)
    return {
        "requetes": len(mesures),
        "debit": len(mesures) / duree,
        "mediane": statistics.median(mesures),
        "p95": p95(mesures),
        "erreurs": len(erreurs),
        "exemples_erreurs": erreurs[:5],
        "par_page": {url: (len(v), statistics.median(v), p95(v)) for url, v in sorted(par_page.items())},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "section", nargs="?", default="tout", choices=["tout", "pages", "taches", "charge", "_pages", "_taches"]
    )
    parser.add_argument("--grand", default="postgres://postgres@127.0.0.1:5432/mentorat_bench")
    parser.add_argument("--petit", default="postgres://postgres@127.0.0.1:5432/mentorat_bench_petit")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--base")
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--page", help="ne mesurer que les pages dont le libellé contient ce texte")
    parser.add_argument("--absences", type=int, default=10)
    parser.add_argument("--utilisateurs", type=int, default=50)
    parser.add_argument("--duree", type=int, default=120, help="durée du test de charge (secondes)")
    parser.add_argument(
        "--pause", type=float, nargs=2, default=(1.0, 3.0), help="temps de lecture (s) entre deux pages"
    )
    parser.add_argument("--gunicorn", type=int, default=4, help="processus gunicorn")
    parser.add_argument("--fils", type=int, default=4, help="fils par processus gunicorn")
    parser.add_argument("--port", type=int, default=8137)
    args = parser.parse_args()
    if "mentorat_bench" not in (args.grand + args.petit):
        raise SystemExit("Le banc d’essai n’utilise que les bases mentorat_bench* (jamais la base « mentorat »).")
    if args.section == "_pages":
        return mesurer_pages(args.base, args.repetitions, args.redis, args.page)
    if args.section == "_taches":
        return section_taches(args)
    print(
        f"Machine : {os.cpu_count()} cœurs, {os.uname().sysname} {os.uname().release}, Python {sys.version.split()[0]}"
    )
    if args.section in ("tout", "pages"):
        section_pages(args)
    if args.section in ("tout", "taches"):
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
    if args.section in ("tout", "charge"):
        if not args.__dict__.get("dispositif"):
            args.dispositif = dispositif_courant(args.grand)
        c = section_charge(args)
        print(
            f"\n## Charge : {args.utilisateurs} utilisateurs simultanés pendant {args.duree} s "
            f"(gunicorn {args.gunicorn} processus × {args.fils} fils, DEBUG=0, 127.0.0.1, "
            f"lecture {args.pause[0]:g}–{args.pause[1]:g} s)\n"
        )
        print("| requêtes | débit (req/s) | médiane | p95 | erreurs | cible |")
        print("|---:|---:|---:|---:|---:|---|")
        ok = c["p95"] < 500 and not c["erreurs"]
        print(
            f"| {c['requetes']} | {c['debit']:.1f} | {c['mediane']:.0f} ms | {c['p95']:.0f} ms | {c['erreurs']} | "
            f"{'tenue' if ok else 'MANQUÉE'} (p95 < 500 ms, aucune erreur) |"
        )
        print("\n| page | requêtes | médiane | p95 |\n|---|---:|---:|---:|")
        for url, (n, mediane, pire) in c["par_page"].items():
            print(f"| `{url}` | {n} | {mediane:.0f} ms | {pire:.0f} ms |")
        if c["exemples_erreurs"]:
            print("Exemples d’erreurs :", c["exemples_erreurs"])


def dispositif_courant(base_url):
    """The current dispositif of the first generated LP (where the load test logs its séances)."""
    code = (
        "from etablissements.models import Dispositif, annee_scolaire_courante as a;"
        f"print(Dispositif.objects.filter(etablissement__affectations__user__email='referent@{DOMAINE}',"
        " annee=a()).values_list('pk', flat=True).get())"
    )
    sortie = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        env=env_django(base_url),
        capture_output=True,
        text=True,
        cwd=RACINE,
        check=True,
    ).stdout
    return int(sortie.strip().splitlines()[-1])


if __name__ == "__main__":
    main()

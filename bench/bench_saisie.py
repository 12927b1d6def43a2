"""CPU of the séance entry page (GET and POST), in-process, before/after a change (issue 18).

    .venv/bin/python bench/bench_saisie.py \\
        --base postgres://postgres@127.0.0.1:5432/mentorat_perfa_bench \\
        --avant /tmp/avant --apres .

The database is filled by `manage.py generer_academie --lps 1` (one LP: 150 active binômes,
80 mentors, i.e. a grid of 230 rows). `--avant` and `--apres` are two checkouts of the code
(e.g. `git archive <commit> | tar -x -C /tmp/avant`); each is measured in its own child
process, alternately, `--tours` times, so that both see the same machine at the same moments.

What is measured, per request, with Django's test client (every middleware, no network):
the CPU time of this process (`time.process_time`: Python and the database driver, not
PostgreSQL's own process) and the wall time. The machine is shared: CPU time is the figure
to compare, wall time is given for reference. Queries are counted on a separate pass (capturing
them costs CPU). Each POST records a séance (one mentor and one student present, the other
rows "non concerné", as the load test of bench_pages.py posts it).
"""

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE / "bench"))

from bench_pages import DOMAINE, donnees_seance, p95  # noqa: E402


def mesurer(racine, base_url, repetitions):
    """In a child process: time the GET and the POST of the entry page with the code of `racine`."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "mentorat.settings",
            "DEBUG": "0",
            "SECRET_KEY": "banc-d-essai-de-la-saisie-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DATABASE_URL": base_url,
            "CONN_MAX_AGE": "60",
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(Path(racine).resolve()))
    # Loaded as gunicorn loads it (the WSGI module: django.setup() and what it does at start).
    importlib.import_module("mentorat.wsgi")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from etablissements.models import Dispositif
    from etablissements.models.dispositif import annee_scolaire_courante
    from socle.models import User

    coordonnateur = User.objects.get(email=f"coordonnateur@{DOMAINE}")
    referent = User.objects.get(email=f"referent@{DOMAINE}")
    lp = referent.affectations.get().etablissement
    dispositif = Dispositif.objects.get(etablissement=lp, annee=annee_scolaire_courante())
    url = f"/seances/nouvelle/?dispositif={dispositif.pk}"
    client = Client()
    client.force_login(coordonnateur)
    formulaire = client.get(url).content.decode()
    corps = urlencode(donnees_seance(formulaire, timezone.localdate()))
    lignes = formulaire.count('class="grille-choix__ligne"')

    def requete(methode):
        if methode == "post":
            # Form-encoded, as a browser sends a form without files (the test client's default,
            # multipart, costs this process some 10 ms more to parse 230 rows).
            reponse = client.post(url, corps, content_type="application/x-www-form-urlencoded")
        else:
            reponse = client.get(url)
        attendu = 302 if methode == "post" else 200
        if reponse.status_code != attendu:
            raise SystemExit(f"{methode} : HTTP {reponse.status_code} au lieu de {attendu}")

    resultats = {"lignes": lignes}
    for methode in ("get", "post"):
        with CaptureQueriesContext(connection) as capture:
            requete(methode)
        # Read now: every request empties Django's query log (`reset_queries`).
        nombre_requetes = len(capture.captured_queries)
        cpu, mur = [], []
        for n in range(repetitions + 2):
            debut_cpu, debut = time.process_time(), time.perf_counter()
            requete(methode)
            if n >= 2:  # two warm-up requests
                cpu.append((time.process_time() - debut_cpu) * 1000)
                mur.append((time.perf_counter() - debut) * 1000)
        resultats[methode] = {
            "cpu_mediane": statistics.median(cpu),
            "cpu_p95": p95(cpu),
            "mur_mediane": statistics.median(mur),
            "requetes": nombre_requetes,
        }
    print(json.dumps(resultats))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="postgres://postgres@127.0.0.1:5432/mentorat_perfa_bench")
    parser.add_argument("--avant", help="checkout of the code before the change")
    parser.add_argument("--apres", default=str(RACINE), help="checkout of the code after the change")
    parser.add_argument("--tours", type=int, default=3)
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--mesurer", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "bench" not in args.base.rsplit("/", 1)[-1]:
        raise SystemExit("Le banc n’écrit que dans une base de banc d’essai (nom contenant « bench »).")
    if args.mesurer:
        mesurer(args.mesurer, args.base, args.repetitions)
        return
    versions = {"avant": args.avant, "après": args.apres} if args.avant else {"après": args.apres}
    mesures = {nom: [] for nom in versions}
    for _tour in range(args.tours):
        for nom, racine in versions.items():
            sortie = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--base", args.base]
                + ["--repetitions", str(args.repetitions), "--mesurer", racine],
                capture_output=True,
                text=True,
                check=True,
                # In the checkout measured: Celery puts the working directory first in sys.path.
                cwd=racine,
            ).stdout
            mesures[nom].append(json.loads(sortie.strip().splitlines()[-1]))
    print(f"Grille de {mesures['après'][0]['lignes']} lignes, {args.tours} tours de {args.repetitions} requêtes")
    print("| version | requête | CPU médiane (ms), par tour | CPU p95 (ms) | temps réel médian (ms) | requêtes SQL |")
    print("|---|---|---|---|---|---:|")
    for nom, tours in mesures.items():
        for methode in ("get", "post"):
            m = [t[methode] for t in tours]

            def serie(cle, m=m):
                return " / ".join(f"{x[cle]:.1f}" for x in m)

            print(
                f"| {nom} | {methode.upper()} | {serie('cpu_mediane')} | {serie('cpu_p95')} "
                f"| {serie('mur_mediane')} | {m[0]['requetes']} |"
            )


if __name__ == "__main__":
    main()

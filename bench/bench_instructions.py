"""Instructions per request of the load test's pages, counted by valgrind (issue 18). Run by hand.

    .venv/bin/python bench/bench_instructions.py --base postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        [--repetitions 5] [--page "Liste des binômes"] [--json resultats.json]

CPU time is a poor judge of a change on a machine whose speed varies from minute to minute (the
bench's étalon went from 155 to 316 ms within an hour on the machine of the seventh session): two
runs of the same code differed by 25 %. `valgrind --tool=callgrind` counts the instructions the
Python process executes instead: the same count, run after run, whatever else the machine does
(a bare signed page: 17.05 million three times in a row in the seventh session, 9.3 million since
the eighth). Each page runs in its own Python process under callgrind, with production settings
(DEBUG off, the WSGI module loaded as gunicorn loads it, Redis cache), signed in as the load test's
users (the référent of the large LP, the coordinator of ten LPs); counting is switched on around each
measured request only (after two warm-up requests), so neither Django's start nor the test client's
preparation counts. PostgreSQL's
own work is not counted (another process): the query count is given beside it.

Under valgrind, Python runs about 50 times slower: a page takes 15 to 30 s.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE / "bench"))

import bench_pages  # noqa: E402  (the bench's shared helpers: production settings, form reading)

# label, user, URL (ids filled in by the child), method. The load test's route (bench_pages.charge),
# for each of its two users, the page its séance POST leads to, and a bare signed page.
PAGES = [
    ("Tableau de bord du LP (référent)", "referent", "/", "get"),
    ("Tableau de bord du LP (référent), juste après une écriture", "referent", "/", "apres_ecriture"),
    ("Liste des binômes (référent)", "referent", "/binomes/", "get"),
    ("Liste des séances (référent)", "referent", "/seances/", "get"),
    ("Liste des séances, page 3 (référent)", "referent", "/seances/?page=3", "get"),
    ("Tableau de bord du coordonnateur (10 LP)", "coordonnateur", "/", "get"),
    ("Liste des binômes (coordonnateur)", "coordonnateur", "/binomes/", "get"),
    ("Liste des séances (coordonnateur)", "coordonnateur", "/seances/", "get"),
    ("Liste des séances, page 3 (coordonnateur)", "coordonnateur", "/seances/?page=3", "get"),
    ("Formulaire de saisie d’une séance (GET)", "coordonnateur", "/seances/nouvelle/?dispositif={dispositif}", "get"),
    ("Saisie d’une séance (POST)", "coordonnateur", "/seances/nouvelle/?dispositif={dispositif}", "post"),
    ("Fiche d’une séance", "coordonnateur", "/seances/{seance}/", "get"),
    ("Mentions légales (page signée la plus simple)", "referent", "/mentions-legales/", "get"),
]


def _callgrind(commande: str, pid: int):
    subprocess.run(["callgrind_control", "-i", commande, str(pid)], capture_output=True, check=False)


def mesurer_page(base_url, redis_url, index, repetitions):
    """In the child process, under callgrind: run one page `repetitions` times, counting only the requests."""
    import importlib

    os.environ.update(bench_pages.env_production(base_url, redis_url))
    sys.path.insert(0, str(RACINE))
    importlib.import_module("mentorat.wsgi")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from etablissements.models import Dispositif
    from etablissements.models.dispositif import annee_scolaire_courante
    from seances import sante_en_cache
    from seances.models import Seance
    from socle.models import User

    libelle, role, url, methode = PAGES[index]
    user = User.objects.get(email=f"{role}@{bench_pages.DOMAINE}")
    lp = User.objects.get(email=f"referent@{bench_pages.DOMAINE}").affectations.get().etablissement
    dispositif = Dispositif.objects.get(etablissement=lp, annee=annee_scolaire_courante())
    seance = Seance.objects.filter(dispositif=dispositif).order_by("-date", "-pk").first()
    url = url.format(dispositif=dispositif.pk, seance=seance.pk)
    client = Client()
    client.force_login(user)
    requetes = []
    for n in range(repetitions + 2):
        donnees = None
        if methode == "apres_ecriture":
            # What a write in the LP does to the dashboard: the pairs' health is computed again.
            sante_en_cache.perimer(dispositif_id=dispositif.pk)
        if methode == "post":
            formulaire = client.get(url).content.decode()
            donnees = urllib.parse.urlencode(bench_pages.donnees_seance(formulaire, timezone.localdate()))
        mesure = n >= 2
        if mesure:
            _callgrind("on", os.getpid())
        with CaptureQueriesContext(connection) as capture:
            if methode == "post":
                reponse = client.post(url, donnees, content_type="application/x-www-form-urlencoded")
            else:
                reponse = client.get(url)
        if mesure:
            _callgrind("off", os.getpid())
            requetes.append(len(capture.captured_queries))
        if reponse.status_code != (302 if methode == "post" else 200):
            raise SystemExit(f"{libelle} : HTTP {reponse.status_code}")
    print(json.dumps({"requetes": max(requetes)}))


def mesurer(args, index) -> dict:
    with_env = {**os.environ, "PYTHONHASHSEED": "0"}
    sortie = Path(f"/tmp/bench-instructions-{os.getpid()}-{index}.out")
    debut = time.monotonic()
    fini = subprocess.run(
        [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={sortie}",
            sys.executable, __file__, "_page", "--base", args.base, "--redis", args.redis,
            "--index", str(index), "--repetitions", str(args.repetitions),
        ],
        capture_output=True, text=True, env=with_env, cwd=RACINE,
    )  # fmt: skip
    sortie.unlink(missing_ok=True)
    collectees = re.search(r"Collected : (\d+)", fini.stderr)
    if fini.returncode or not collectees:
        raise SystemExit(f"{PAGES[index][0]} : échec sous valgrind\n{fini.stderr[-2000:]}\n{fini.stdout[-2000:]}")
    mesure = json.loads(fini.stdout.strip().splitlines()[-1])
    return {
        "page": PAGES[index][0],
        "instructions": int(collectees.group(1)) / args.repetitions,
        "requetes": mesure["requetes"],
        "duree_s": time.monotonic() - debut,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("section", nargs="?", default="pages", choices=["pages", "_page"])
    parser.add_argument("--base", default="postgres://postgres@127.0.0.1:5432/mentorat_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--page", help="seulement les pages dont le libellé contient ce texte")
    parser.add_argument("--index", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", help="écrire aussi les résultats dans ce fichier JSON")
    args = parser.parse_args()
    bench_pages.verifier_base(args.base)
    if args.section == "_page":
        return mesurer_page(args.base, args.redis, args.index, args.repetitions)
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind est introuvable (paquet Debian valgrind).")
    print(f"## Instructions par requête (callgrind), {args.repetitions} requêtes mesurées par page\n")
    print("| page | instructions par requête (millions) | requêtes SQL |")
    print("|---|---:|---:|")
    resultats = []
    for index, (libelle, *_) in enumerate(PAGES):
        if args.page and args.page.lower() not in libelle.lower():
            continue
        r = mesurer(args, index)
        resultats.append(r)
        print(f"| {libelle} | {r['instructions'] / 1e6:.1f} | {r['requetes']} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(resultats, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

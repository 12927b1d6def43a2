"""Memory and time of the daily alert calculation, before/after a change (issue 18).

    .venv/bin/python bench/bench_alertes.py \\
        --base postgres://postgres@127.0.0.1:5432/mentorat_perfa_bench_alertes \\
        --avant /tmp/avant --apres .

The database is filled by `manage.py generer_academie --lps N`. `--avant` and `--apres` are
two checkouts of the code (e.g. `git archive <commit> | tar -x -C /tmp/avant`), each measured in
its own child process, alternately, `--tours` times. In each child, `seances.alertes.alertes_calculer`
runs three times inside a transaction rolled back (the database is left as it was, both versions see
the same data): once to warm up (imports, caches), once under `tracemalloc` (peak of the Python
allocations during the call), once without it (CPU time of the process and wall time). The child's peak resident memory
(`ru_maxrss`, Django and the data set included) is given too.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def mesurer(racine, base_url):
    os.environ.update({"DJANGO_SETTINGS_MODULE": "mentorat.settings", "DEBUG": "1", "DATABASE_URL": base_url})
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(Path(racine).resolve()))
    import django

    django.setup()
    from django.db import transaction

    from binomes.models import Binome, StatutBinome
    from seances.alertes import alertes_calculer

    def une_fois():
        with transaction.atomic():
            nouvelles = len(alertes_calculer())
            transaction.set_rollback(True)
        return nouvelles

    actifs = Binome.objects.filter(statut=StatutBinome.ACTIF).count()
    une_fois()  # warm-up: the first call imports the URL modules (reverse) and fills Django's caches
    tracemalloc.start()
    nouvelles = une_fois()
    _courant, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    debut_cpu, debut = time.process_time(), time.perf_counter()
    une_fois()
    cpu, mur = time.process_time() - debut_cpu, time.perf_counter() - debut
    print(
        json.dumps(
            {
                "binomes_actifs": actifs,
                "alertes": nouvelles,
                "pic_python_mo": pic / 1e6,
                "rss_max_mo": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "cpu_s": cpu,
                "mur_s": mur,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="postgres://postgres@127.0.0.1:5432/mentorat_perfa_bench_alertes")
    parser.add_argument("--avant", help="checkout of the code before the change")
    parser.add_argument("--apres", default=str(RACINE), help="checkout of the code after the change")
    parser.add_argument("--tours", type=int, default=3)
    parser.add_argument("--mesurer", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "bench" not in args.base.rsplit("/", 1)[-1]:
        raise SystemExit("Le banc ne travaille que sur une base de banc d’essai (nom contenant « bench »).")
    if args.mesurer:
        mesurer(args.mesurer, args.base)
        return
    versions = {"avant": args.avant, "après": args.apres} if args.avant else {"après": args.apres}
    mesures = {nom: [] for nom in versions}
    for _tour in range(args.tours):
        for nom, racine in versions.items():
            sortie = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--base", args.base, "--mesurer", racine],
                capture_output=True,
                text=True,
                check=True,
                # In the checkout measured: Celery puts the working directory first in sys.path.
                cwd=racine,
            ).stdout
            mesures[nom].append(json.loads(sortie.strip().splitlines()[-1]))
    premier = mesures["après"][0]
    print(f"{premier['binomes_actifs']} binômes actifs, {premier['alertes']} alertes nouvelles, {args.tours} tours")
    print("| version | pic Python (Mo) | RSS max du processus (Mo) | CPU (s) | temps réel (s) |")
    print("|---|---|---|---|---|")
    for nom, tours in mesures.items():

        def serie(cle, tours=tours):
            return " / ".join(f"{t[cle]:.1f}" if cle.endswith("mo") else f"{t[cle]:.2f}" for t in tours)

        print(f"| {nom} | {serie('pic_python_mo')} | {serie('rss_max_mo')} | {serie('cpu_s')} | {serie('mur_s')} |")


if __name__ == "__main__":
    main()

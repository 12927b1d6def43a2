"""Development: run the periodic jobs of CELERY_BEAT_SCHEDULE in this process, on their schedule.

`make run` has no Redis, no worker and no beat: tasks run in-process (eager). Without this
command, the daily alerts and the dashboards' indicator refresh would never run on a
developer's machine, and a newcomer would see neither alerts nor fresh figures. It runs
every job once at start, then each one when its Celery schedule says it is due. In
production (REDIS_URL set) it refuses: `celery beat` does this job.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Développement : exécute sur place les tâches périodiques (alertes, indicateurs…) à leur heure."

    def add_arguments(self, parser):
        parser.add_argument("--une-fois", action="store_true", help="exécute chaque tâche une fois, puis s’arrête")
        parser.add_argument(
            "--intervalle", type=float, default=20.0, help="secondes entre deux vérifications (défaut : 20)"
        )

    def handle(self, *args, une_fois=False, intervalle=20.0, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "REDIS_URL est défini : les tâches périodiques sont l’affaire de « celery beat » et des workers."
            )
        planning = settings.CELERY_BEAT_SCHEDULE
        derniere = {}
        for nom in planning:
            self._executer(nom, planning[nom]["task"])
            derniere[nom] = timezone.now()
        while not une_fois:
            time.sleep(intervalle)
            for nom, entree in planning.items():
                if entree["schedule"].is_due(derniere[nom]).is_due:
                    self._executer(nom, entree["task"])
                    derniere[nom] = timezone.now()

    def _executer(self, nom, tache):
        heure = timezone.localtime().strftime("%H:%M")
        # A failing job is reported and retried at its next time: a developer's server stays up.
        resultat = import_string(tache).apply(throw=False)
        if resultat.failed():
            self.stderr.write(f"{heure} {nom} : échec ({resultat.result!r})")
        else:
            self.stdout.write(f"{heure} {nom} : fait ({resultat.result!r})")

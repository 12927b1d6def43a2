"""A real Celery beat that runs one job of the project's schedule every second, on a given queue.

Run as `python -m tests.beat_rapide` with the production settings in the environment, and
BEAT_TACHE (the schedule entry's name), BEAT_FILE (the queue) and BEAT_PLANNING (beat's state
file). The task is the one CELERY_BEAT_SCHEDULE names: only its period changes, so that a
test need not wait for its hour. Test code only: the product has no such switch.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
django.setup()

from django.conf import settings  # noqa: E402

from mentorat.celery import app  # noqa: E402

entree = settings.CELERY_BEAT_SCHEDULE[os.environ["BEAT_TACHE"]]
app.conf.beat_schedule = {
    os.environ["BEAT_TACHE"]: {"task": entree["task"], "schedule": 1.0, "options": {"queue": os.environ["BEAT_FILE"]}}
}
app.start(["beat", "-s", os.environ["BEAT_PLANNING"], "--loglevel=INFO"])

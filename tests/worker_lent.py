"""A real Celery worker whose PDF rendering first sleeps, so that a test can kill it mid-report.

Run as `python -m tests.worker_lent` with the production settings in the environment; the
pause (seconds) is PAUSE_PDF. Test code only: the product has no such switch.
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
django.setup()

from bilans import rapports  # noqa: E402
from mentorat.celery import app  # noqa: E402

rendre = rapports.rendre_pdf


def rendre_lentement(*args, **kwargs):
    time.sleep(float(os.environ.get("PAUSE_PDF", "60")))
    return rendre(*args, **kwargs)


rapports.rendre_pdf = rendre_lentement
app.worker_main(["worker", "-P", "solo", "--without-mingle", "--loglevel=INFO"])

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
application = get_wsgi_application()

# What is loaded now (apps, models, the URLconf) lives as long as the process: frozen out of the
# garbage collector's reach, a full collection no longer walks it. Such a collection, triggered by
# the many small objects a request allocates, cost the séance entry page 100 to 190 ms at its p95
# (issue 18, docs/performance.md). With gunicorn --preload, the workers also share these pages.
get_resolver().url_patterns  # noqa: B018 (loads the URLconf before the freeze)
gc.collect()
gc.freeze()
# A request allocates tens of thousands of objects, nearly all freed by reference counting as soon as
# they are dropped; Python's default thresholds (700, 10, 10) still ran a young collection every 700
# allocations, dozens per request. One every 20,000 (and the older generations ten times less often)
# leaves a request's few cycles alive a moment longer and spares 1.5 to 2 % of the instructions of the
# load test's pages (bench/bench_instructions.py, docs/performance.md).
gc.set_threshold(20_000, 50, 100)

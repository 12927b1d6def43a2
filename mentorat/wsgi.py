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

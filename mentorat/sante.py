"""Health endpoint for monitoring: database, and Redis + Celery workers when configured."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from health_check.checks import Database
from health_check.views import HealthCheckView


def _controles():
    controles = [Database]
    if settings.REDIS_URL:
        from health_check.contrib.celery import Ping
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as ClientRedis

        controles += [
            (Redis, {"client_factory": lambda: ClientRedis.from_url(settings.REDIS_URL, socket_timeout=2)}),
            (Ping, {"timeout": datetime.timedelta(seconds=3)}),
        ]
    return controles


# Built once at import: the checks depend on settings only. The view is async (the checks
# run concurrently); monitoring reaches it without an account.
vue_sante = login_not_required(HealthCheckView.as_view(checks=_controles()))

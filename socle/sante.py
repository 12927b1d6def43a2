"""Health endpoints for monitoring.

- `/sante/` (liveness): public, answers at once without touching the database or Redis,
  so that polling it costs nothing and tells only that a web process is alive.
- `/sante/detail/`: database, Redis and Celery workers, for the monitoring (token in
  `Authorization: Bearer <SANTE_JETON>`) or a signed-in staff user; 404 to anyone else.
  The result is kept DUREE_MEMOIRE seconds in the process, so that calling it in a loop
  cannot tie up the web workers (a check can wait seconds for a dead service).

Neither body names a host, a port or a version, even when a service is down: the checks'
own messages (which may) only go to the logs.
"""

import asyncio
import datetime
import hmac
import threading
import time

from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from health_check.checks import Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as ClientRedis

DUREE_MEMOIRE = 10  # seconds a detailed result is served again without re-checking
ATTENTE_WORKERS = datetime.timedelta(seconds=3)  # how long the workers are given to answer a ping
OK, EN_PANNE = "ok", "en panne"


def controles() -> dict:
    """The checks to run, by the name the report shows: Redis and workers only where configured."""
    resultat = {"base de données": Database()}
    if settings.REDIS_URL:
        url = settings.REDIS_URL
        resultat["redis"] = Redis(
            client_factory=lambda: ClientRedis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        )
        resultat["workers celery"] = Ping(timeout=ATTENTE_WORKERS)
    return resultat


def controler() -> dict[str, str]:
    """Run every check at once (they wait on different services) and say "ok" or "en panne" for each."""
    noms, checks = zip(*controles().items(), strict=True)

    async def tous():
        return await asyncio.gather(*(check.get_result() for check in checks))

    return {nom: EN_PANNE if r.error else OK for nom, r in zip(noms, async_to_sync(tous)(), strict=True)}


class _Memoire:
    """The last detailed result of this process, and when it was taken.

    The lock makes concurrent requests wait for the check under way and share its result,
    instead of each starting its own.
    """

    def __init__(self, horloge=time.monotonic):
        self._verrou = threading.Lock()
        self.horloge = horloge
        self.vider()

    def vider(self):
        self._instant, self._etats = None, None

    def etats(self) -> dict[str, str]:
        with self._verrou:
            if self._instant is None or self.horloge() - self._instant >= DUREE_MEMOIRE:
                self._etats = controler()
                self._instant = self.horloge()
            return self._etats


memoire = _Memoire()


def _jeton_valide(request) -> bool:
    jeton = settings.SANTE_JETON
    schema, _, donne = request.headers.get("Authorization", "").partition(" ")
    return bool(jeton) and schema.lower() == "bearer" and hmac.compare_digest(donne.strip().encode(), jeton.encode())


@login_not_required
@require_GET
def vivant(request):
    reponse = JsonResponse({"statut": OK})
    add_never_cache_headers(reponse)
    return reponse


@login_not_required
@require_GET
def detail(request):
    # The token first: monitoring has no session, and reading one needs the database.
    if not (_jeton_valide(request) or request.user.is_staff):
        raise Http404
    etats = memoire.etats()
    en_panne = EN_PANNE in etats.values()
    reponse = JsonResponse(
        {"statut": EN_PANNE if en_panne else OK, "composants": etats}, status=503 if en_panne else 200
    )
    add_never_cache_headers(reponse)
    return reponse

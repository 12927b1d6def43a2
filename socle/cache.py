"""The Redis cache's connection, which gives up at once for a while after Redis failed to answer.

django-redis turns a Redis error into a cache miss (IGNORE_EXCEPTIONS), but each call still
waits for its socket timeout first: with Redis frozen (paused, swapping, a network black
hole), a dashboard making five cache calls would wait five timeouts. After one failure, every
connection of the process fails at once for REDIS_PAUSE seconds, then tries again. No
library does this for a redis-py connection pool; these few lines are the whole of it.
"""

import logging
import threading
import time

from django.conf import settings
from django_redis.serializers.pickle import PickleSerializer
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

PANNES = (RedisConnectionError, RedisTimeoutError, OSError)


class Disjoncteur:
    """Open for `pause` seconds after a failure: calls fail at once instead of waiting."""

    def __init__(self):
        self._verrou = threading.Lock()
        self._jusqua = 0.0

    def ouvert(self) -> bool:
        return time.monotonic() < self._jusqua

    def declencher(self):
        # One warning per trip (the ignored errors themselves are not logged: one per call).
        if not self.ouvert():
            logger.warning("Redis ne répond pas : le cache est ignoré pendant %s s.", settings.REDIS_PAUSE)
        with self._verrou:
            self._jusqua = time.monotonic() + settings.REDIS_PAUSE

    def refermer(self):
        with self._verrou:
            self._jusqua = 0.0

    def verifier(self):
        if self.ouvert():
            raise RedisConnectionError("Redis injoignable il y a peu : nouvel essai dans quelques secondes.")


disjoncteur = Disjoncteur()


class ConnexionDisjonctable(Connection):
    """A redis-py connection that trips the process's breaker when Redis fails to answer."""

    def connect(self, *args, **kwargs):
        disjoncteur.verifier()
        try:
            return super().connect(*args, **kwargs)
        except PANNES:
            disjoncteur.declencher()
            raise

    def send_packed_command(self, *args, **kwargs):
        disjoncteur.verifier()
        try:
            return super().send_packed_command(*args, **kwargs)
        except PANNES:
            disjoncteur.declencher()
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except PANNES:
            disjoncteur.declencher()
            raise


class SerialiseurTolerant(PickleSerializer):
    """django-redis's pickle serializer, for which an entry this code cannot read back is a miss.

    An entry pickled by another version of the code names classes as that version had them: one
    renamed, moved or removed since (or added since, read by an older process during a rolling
    deployment or after a rollback) made its unpickling raise, and the page reading it answered 500
    until the entry expired (seen in the load test, issue 18). Read as absent, it is computed again.
    `cache.get(key, default)` then gives None, not `default`: the project's readers test `is None`.
    """

    def loads(self, value):
        try:
            return super().loads(value)
        except Exception as erreur:  # noqa: BLE001 (whatever the unpickling raises, the entry is unusable)
            logger.warning("Entrée du cache illisible par cette version du code, ignorée : %r", erreur)
            return None

import logging
from datetime import timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from .models import JournalAcces

logger = logging.getLogger(__name__)


# What a publish raises when the broker (Redis) cannot be reached.
ERREURS_BROKER = (KombuOperationalError, RedisError, ConnectionError, OSError, TimeoutError)


def apres_commit(tache, *args, **kwargs):
    """Send the task named `tache` once the current transaction commits (at once when there is none).

    By name, as Celery's `send_task` does: the services sending a task are imported by the
    task's module, not the other way round, and a web process publishes without the task
    modules (only workers import them).

    A task sent before commit could read data that is not there yet, or act on a change
    that is then rolled back. If the broker is down, the error is logged and the request
    still succeeds: callers keep the fact in the database (an outbox row, a report "en
    attente"), and a beat job or the user sends it again. In eager mode (development,
    tests) the task runs here and its errors propagate.
    """
    app = current_app

    def publier():
        if app.conf.task_always_eager:
            # Eager mode runs the task's code in this process: its module is imported here.
            import_string(tache).apply_async(args=args, kwargs=kwargs)
            return
        try:
            # The transport's own retry waits 2 s first, and a frozen Redis accepts the
            # connection then never answers: too slow for a request. Try once, at once, on a
            # connection of our own whose every wait is CELERY_PUBLICATION_TIMEOUT.
            delai = settings.CELERY_PUBLICATION_TIMEOUT
            options = {
                **app.conf.broker_transport_options,
                "socket_connect_timeout": delai,
                "socket_timeout": delai,
                "interval_start": 0,
                "interval_step": 0,
            }
            with app.connection_for_write(transport_options=options) as connexion:
                app.send_task(tache, args=args, kwargs=kwargs, connection=connexion, retry=False)
        except ERREURS_BROKER:
            logger.warning("Broker injoignable : %s n’a pas pu être envoyée.", tache, exc_info=True)

    transaction.on_commit(publier)


@shared_task
def heartbeat() -> str:
    """A no-op the beat schedule sends, so monitoring can see beat and workers alive."""
    return "ok"


@shared_task
def purger_journal() -> int:
    """Delete access-log entries older than JOURNAL_CONSERVATION_JOURS (12 months by default)."""
    limite = timezone.now() - timedelta(days=settings.JOURNAL_CONSERVATION_JOURS)
    supprimees, _ = JournalAcces.objects.filter(date__lt=limite).delete()
    return supprimees

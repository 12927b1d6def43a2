import logging

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


# What a publish raises when the broker (Redis) cannot be reached.
ERREURS_BROKER = (KombuOperationalError, RedisError, ConnectionError, OSError, TimeoutError)


def apres_commit(task, *args, **kwargs):
    """Send `task` once the current transaction commits (at once when there is none).

    A task sent before commit could read data that is not there yet, or act on a change
    that is then rolled back. If the broker is down, the error is logged and the request
    still succeeds: callers keep the fact in the database (an outbox row, a report "en
    attente"), and a beat job or the user sends it again. In eager mode (development,
    tests) the task runs here and its errors propagate.
    """

    def publier():
        if task.app.conf.task_always_eager:
            task.apply_async(args=args, kwargs=kwargs)
            return
        try:
            # The transport's own retry waits 2 s first: too slow for a request. Try
            # once, at once, on a connection of our own.
            options = {**task.app.conf.broker_transport_options, "interval_start": 0, "interval_step": 0}
            with task.app.connection_for_write(transport_options=options) as connexion:
                task.apply_async(args=args, kwargs=kwargs, connection=connexion, retry=False)
        except ERREURS_BROKER:
            logger.warning("Broker injoignable : %s n’a pas pu être envoyée.", task.name, exc_info=True)

    transaction.on_commit(publier)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_courriel(destinataires: list[str], sujet: str, corps: str) -> int:
    """Send one plain-text email; returns the number sent. Used for simple notices."""
    from django.conf import settings

    return send_mail(settings.EMAIL_SUBJECT_PREFIX + sujet, corps, None, destinataires)


@shared_task
def heartbeat() -> str:
    """A no-op the beat schedule sends, so monitoring can see beat and workers alive."""
    return "ok"


@shared_task
def purger_journal() -> int:
    """Delete access-log entries older than JOURNAL_CONSERVATION_JOURS (12 months by default)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from .models import JournalAcces

    limite = timezone.now() - timedelta(days=settings.JOURNAL_CONSERVATION_JOURS)
    supprimees, _ = JournalAcces.objects.filter(date__lt=limite).delete()
    return supprimees

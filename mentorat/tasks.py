from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction


def apres_commit(task, *args, **kwargs):
    """Send `task` once the current transaction commits (at once when there is none).

    A task sent before commit could read data that is not there yet, or act on a change
    that is then rolled back.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


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

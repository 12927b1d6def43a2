"""Celery tasks of the seances app: thin wrappers around the services, safe to run twice."""

from celery import shared_task

from .alertes import alertes_calculer, alertes_envoyer_resumes
from .rappels import rappels_envoyer
from .services import notifications_envoyer


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_notifications(ids: list[int]) -> int:
    """Send the given outbox notifications, those still pending."""
    return notifications_envoyer(ids=ids)


@shared_task
def relayer_notifications() -> int:
    """Beat job: send every pending notification (those whose publication failed, say)."""
    return notifications_envoyer()


@shared_task
def alertes_quotidiennes() -> int:
    """Beat job: compute the alerts of the day and send each recipient one digest."""
    alertes_calculer()
    return alertes_envoyer_resumes()


@shared_task
def envoyer_rappels() -> int:
    """Beat job: send the reminders due before planned séances, each once."""
    return rappels_envoyer()

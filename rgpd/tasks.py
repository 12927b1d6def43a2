from celery import shared_task

from .retention import appliquer


@shared_task
def appliquer_retention() -> dict:
    """Nightly beat job: anonymise the students and mentors whose retention delay has passed."""
    bilan = appliquer()
    return {"eleves": len(bilan.eleves), "mentors": len(bilan.mentors)}

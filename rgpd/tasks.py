from celery import shared_task


@shared_task
def appliquer_retention() -> dict:
    """Nightly beat job: anonymise the students and mentors whose retention delay has passed."""
    from .retention import appliquer

    bilan = appliquer()
    return {"eleves": len(bilan.eleves), "mentors": len(bilan.mentors)}

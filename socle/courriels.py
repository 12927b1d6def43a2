"""The project's emails: French, plain text with an HTML alternative, links absolute."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def lien(chemin: str) -> str:
    """Absolute URL for emails and calendar feeds, which are built outside any request."""
    return settings.SITE_URL + chemin


def envoyer_courriel(*, destinataires: list[str], sujet: str, gabarit: str, contexte: dict) -> int:
    """Send one email rendered from the templates `<gabarit>.txt` and `<gabarit>.html`.

    `gabarit` names the pair without extension, e.g. "seances/emails/absence".
    """
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + sujet,
        body=render_to_string(f"{gabarit}.txt", contexte),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=destinataires,
    )
    message.attach_alternative(render_to_string(f"{gabarit}.html", contexte), "text/html")
    return message.send()

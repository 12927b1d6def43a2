"""Account protections: the lockout's key and its lifting, the limit on password-reset emails.

The lockout key and its reset live together: both must spell the account the same way,
or a reset would delete nothing.
"""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import DemandeReinitialisation, normaliser_email

# Password-reset requests are counted over this sliding window (limits in settings).
FENETRE_REINITIALISATION = timedelta(hours=1)


def identifiant_verrouillage(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalised email, so `DDFPT@…` and ` ddfpt@… ` share one counter.

    Axes passes the credentials given to authenticate() (already cleaned by the form), or
    none, in which case the raw POST is read.
    """
    source = credentials or getattr(request, "POST", {})
    email = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return normaliser_email(email) if email else None


def verrouillage_lever(*, user) -> int:
    """Delete the failed attempts that lock `user`'s account; returns how many were deleted.

    Called once the password has been reset by the emailed link: whoever holds the
    mailbox has proved who they are, and the lock page promises this way out.
    """
    return axes_reset(username=normaliser_email(user.email))


def reinitialisation_autoriser(*, email: str, ip: str | None) -> bool:
    """Whether a password-reset email may be sent to `email` now; counts the request if so.

    At most REINITIALISATION_PAR_COURRIEL requests per address and REINITIALISATION_PAR_IP
    per client IP over FENETRE_REINITIALISATION. The answer is the same whether an account
    exists or not (the caller shows the same page either way). Refused requests are not
    recorded: a flood cannot grow the table, and the window ends on time.
    """
    maintenant = timezone.now()
    debut = maintenant - FENETRE_REINITIALISATION
    empreinte = salted_hmac("mentorat.reinitialisation", normaliser_email(email), algorithm="sha256").hexdigest()
    with transaction.atomic():
        DemandeReinitialisation.objects.filter(date__lt=debut).delete()
        if DemandeReinitialisation.objects.filter(empreinte_email=empreinte).count() >= (
            settings.REINITIALISATION_PAR_COURRIEL
        ):
            return False
        if ip and DemandeReinitialisation.objects.filter(ip=ip).count() >= settings.REINITIALISATION_PAR_IP:
            return False
        DemandeReinitialisation.objects.create(date=maintenant, empreinte_email=empreinte, ip=ip)
    return True

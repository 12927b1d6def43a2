import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers
from django_otp.plugins.otp_totp.models import TOTPDevice


class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a signed-in user hold personal data: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionDureeMaxMiddleware:
    """Signs out a session idle for SESSION_INACTIVITE, or older than SESSION_DUREE_MAX.

    The last activity is written at most once a minute: saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) would cost a database write per page.
    """

    DEBUT = "connexion_debut"
    ACTIVITE = "derniere_activite"
    PRECISION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        maintenant = int(time.time())
        if request.user.is_authenticated:
            session = request.session
            debut = session.get(self.DEBUT, maintenant)
            activite = session.get(self.ACTIVITE, maintenant)
            if maintenant - debut > settings.SESSION_DUREE_MAX or maintenant - activite > settings.SESSION_INACTIVITE:
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous.")
                return redirect_to_login(request.get_full_path())
            if maintenant - activite >= self.PRECISION:
                session[self.ACTIVITE] = maintenant
        response = self.get_response(request)
        # A session opened before this middleware existed gets its stamps late, once.
        if request.user.is_authenticated and self.DEBUT not in request.session:
            self.horodater(request.session, maintenant)
        return response

    @classmethod
    def horodater(cls, session, maintenant=None):
        maintenant = maintenant or int(time.time())
        session[cls.DEBUT] = maintenant
        session[cls.ACTIVITE] = maintenant


# Session key: the user who signed in has a confirmed second factor, to be asked for.
CLE_APPAREIL_OTP = "otp_appareil_confirme"
# Session key: the identity provider's end of session, for a sign-in made there (ProConnect):
# {"url": its end_session_endpoint, "id_token": the ID token}; signing out goes through it.
CLE_FIN_DE_SESSION = "oidc_fin_de_session"


def horodater_la_connexion(sender, request, user, **kwargs):
    """At sign-in (`user_logged_in`): stamp the session, and note whether a TOTP code is due.

    Read once here, so that pages need no query to know it.
    """
    if request is not None and hasattr(request, "session"):
        SessionDureeMaxMiddleware.horodater(request.session)
        request.session[CLE_APPAREIL_OTP] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()

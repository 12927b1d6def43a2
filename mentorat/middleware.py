import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers


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
    """Signs out a session older than SESSION_DUREE_MAX, however active it has been.

    The inactivity limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST);
    this one bounds a session that a shared computer would keep alive all day.
    """

    CLE = "connexion_debut"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        maintenant = int(time.time())
        if request.user.is_authenticated:
            debut = request.session.get(self.CLE, maintenant)
            if maintenant - debut > settings.SESSION_DUREE_MAX:
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous.")
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # Stamp the session on the request that signs the user in (the login view).
        if request.user.is_authenticated and self.CLE not in request.session:
            request.session[self.CLE] = maintenant
        return response

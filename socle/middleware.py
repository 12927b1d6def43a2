import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import QueryDict, UnreadablePostError
from django.http.request import RawPostDataException
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
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


class ChampsPostes(QueryDict):
    """The fields of a posted form (application/x-www-form-urlencoded), as Django's `QueryDict` reads
    them — the same decoding, the same bound on the number of fields — but filled in one pass.

    `QueryDict` adds each field through `appendlist()` (a mutability check, two conversions to text,
    two dictionary lookups): the attendance grid of a séance posts some 470 fields, read in 2.8 ms of
    CPU on the slow machine of the load test, against 0.8 ms for the parsing itself (issue 18).
    """

    def __init__(self, query_string=None, mutable=False, encoding=None):
        MultiValueDict.__init__(self)
        self.encoding = encoding or settings.DEFAULT_CHARSET
        texte = query_string or ""
        if isinstance(texte, bytes):
            try:
                texte = texte.decode(self.encoding)
            except UnicodeDecodeError:
                texte = texte.decode("iso-8859-1")  # as QueryDict: some user agents misbehave
        try:
            paires = parse_qsl(
                texte,
                keep_blank_values=True,
                encoding=self.encoding,
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except ValueError as erreur:
            raise TooManyFieldsSent(
                "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
            ) from erreur
        listes: dict[str, list[str]] = {}
        for cle, valeur in paires:
            liste = listes.get(cle)
            if liste is None:
                listes[cle] = [valeur]
            else:
                liste.append(valeur)
        dict.update(self, listes)  # a MultiValueDict keeps each key's list of values
        self._mutable = mutable


class ChampsPostesMiddleware:
    """Reads a posted form's fields with `ChampsPostes` before anything asks for `request.POST`.

    Only for a form posted in UTF-8 (the only encoding Django accepts for this content type); any
    other request, or a body Django would refuse (too large, too many fields, unreadable), is left to
    Django's own reading, which answers as it always does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and (request.encoding is None or request.encoding.lower() == "utf-8")
        ):
            try:
                champs = ChampsPostes(request.body, encoding="utf-8")
            except (RequestDataTooBig, TooManyFieldsSent, UnreadablePostError, RawPostDataException):
                pass
            else:
                request.POST = champs
        return self.get_response(request)

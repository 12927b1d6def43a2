"""Signing in with ProConnect, the State's identity federation for professionals (OpenID Connect).

mozilla-django-oidc runs the protocol: authorization code with `state` and `nonce` kept in
the session, code exchanged at the token endpoint, ID token signature checked against the
provider's keys (JWKS). What is ours:

- the provider's endpoints come from its discovery document, fetched at first use (short
  timeout) and kept in the process's memory: nothing is fetched at start-up;
- ProConnect answers the userinfo as a signed JWT: its signature is checked with the same keys;
- a ProConnect sign-in never hands out a role. It finds the account by its email and accepts
  the invitations pending for that address; without an account, it creates one only for an
  address that has a pending invitation; otherwise it creates nothing and says whom to ask;
- the ID token is kept in the session, so that signing out goes through ProConnect's end of
  session (socle.views.comptes.deconnexion reads CLE_FIN_DE_SESSION).
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from socle.authentification import ModelBackend
from socle.context_processors import proconnect_configure
from socle.decorators import login_not_required
from socle.middleware import CLE_FIN_DE_SESSION
from socle.models import normaliser_email

from . import invitations
from .models import Invitation

logger = logging.getLogger(__name__)

MESSAGE_ECHEC = (
    "La connexion avec ProConnect n’a pas abouti (demande expirée, déjà utilisée ou refusée). "
    "Recommencez, ou connectez-vous avec votre mot de passe."
)
MESSAGE_INJOIGNABLE = (
    "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, "
    "ou connectez-vous avec votre mot de passe."
)


def message_sans_compte(email: str) -> str:
    return (
        f"Aucun compte Mentorat LP n’est ouvert pour l’adresse {email}. Demandez une invitation au chef "
        "d’établissement ou au référent mentorat de votre lycée — ou, pour un mentor ou un coordonnateur, "
        "à votre association."
    )


# --- The provider's discovery document ------------------------------------------------------

ENDPOINTS = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")

# Discovery documents already fetched, by URL (one per process; tests empty it).
_decouvertes: dict[str, dict] = {}


class FournisseurInjoignable(Exception):
    """ProConnect's discovery document could not be read."""


def decouverte() -> dict:
    """The provider's configuration (`.well-known/openid-configuration`), fetched once."""
    url = settings.PROCONNECT_DISCOVERY_URL
    document = _decouvertes.get(url)
    if document is None:
        try:
            reponse = requests.get(url, timeout=settings.PROCONNECT_TIMEOUT)
            reponse.raise_for_status()
            document = reponse.json()
        except (requests.RequestException, ValueError) as exc:
            raise FournisseurInjoignable(f"{url} : {exc}") from exc
        manquants = [cle for cle in ENDPOINTS if not document.get(cle)]
        if manquants:
            raise FournisseurInjoignable(f"{url} : il manque {', '.join(manquants)}")
        _decouvertes[url] = document
    return document


def oublier_la_decouverte():
    _decouvertes.clear()


# mozilla-django-oidc reads its configuration through `get_settings`: ours comes from the
# PROCONNECT_* settings and the discovery document, never from OIDC_* settings.
_REGLAGES = {
    "OIDC_RP_CLIENT_ID": lambda: settings.PROCONNECT_CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": lambda: settings.PROCONNECT_CLIENT_SECRET,
    "OIDC_RP_SIGN_ALGO": lambda: settings.PROCONNECT_ALGORITHME,
    "OIDC_RP_SCOPES": lambda: settings.PROCONNECT_SCOPES,
    "OIDC_RP_IDP_SIGN_KEY": lambda: None,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: decouverte()["authorization_endpoint"],
    "OIDC_OP_TOKEN_ENDPOINT": lambda: decouverte()["token_endpoint"],
    "OIDC_OP_USER_ENDPOINT": lambda: decouverte()["userinfo_endpoint"],
    "OIDC_OP_JWKS_ENDPOINT": lambda: decouverte()["jwks_uri"],
    "OIDC_AUTHENTICATION_CALLBACK_URL": lambda: "proconnect_callback",
    "OIDC_TIMEOUT": lambda: settings.PROCONNECT_TIMEOUT,
    "OIDC_USE_NONCE": lambda: True,
    # ProConnect refuses any parameter it does not document (PKCE's included).
    "OIDC_USE_PKCE": lambda: False,
    "OIDC_AUTH_REQUEST_EXTRA_PARAMS": dict,
    # The ID token is kept by the backend itself (CLE_FIN_DE_SESSION), after the login.
    "OIDC_STORE_ID_TOKEN": lambda: False,
    "OIDC_STORE_ACCESS_TOKEN": lambda: False,
    "OIDC_CREATE_USER": lambda: False,
}


def reglage(nom, *defaut):
    if nom in _REGLAGES:
        return _REGLAGES[nom]()
    return import_from_settings(nom, *defaut)


# --- The authentication backend --------------------------------------------------------------


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of a ProConnect sign-in; any other authenticate() call gets None."""

    get_settings = staticmethod(reglage)

    # Read when used, not when built: Django builds a backend for every sign-in attempt
    # (password ones included) and to load every request's user.
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: decouverte()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: decouverte()["userinfo_endpoint"])
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: decouverte()["jwks_uri"])
    OIDC_RP_CLIENT_ID = property(lambda self: settings.PROCONNECT_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.PROCONNECT_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.PROCONNECT_ALGORITHME)
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password sign-in never reaches the provider.
        if request is None or "nonce" not in kwargs or not proconnect_configure():
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # ModelBackend's: a deactivated account is signed out at its next request.
        return ModelBackend.get_user(self, user_id)

    def store_tokens(self, access_token, id_token):
        # Kept on the request: the login that follows may flush the session.
        self.request.proconnect_id_token = id_token

    def _verifier_emetteur_et_audience(self, claims, obligatoires: bool):
        """`iss` must be the provider and `aud` include our client id (required in an ID token)."""
        emetteur, audience = claims.get("iss"), claims.get("aud")
        if obligatoires and (emetteur is None or audience is None):
            raise SuspiciousOperation("iss ou aud absent du jeton.")
        if emetteur is not None and emetteur != decouverte()["issuer"]:
            raise SuspiciousOperation(f"Émetteur inattendu : {emetteur!r}.")
        if audience is not None:
            audiences = [audience] if isinstance(audience, str) else audience
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation(f"Audience inattendue : {audience!r}.")

    def verify_token(self, token, **kwargs):
        """The ID token: signature (JWKS), nonce (mozilla-django-oidc), then issuer and audience."""
        payload = super().verify_token(token, **kwargs)
        self._verifier_emetteur_et_audience(payload, obligatoires=True)
        return payload

    def _decoder_jwt_signe(self, jeton: str) -> dict:
        """A JWT signed by the provider with the registered algorithm, its signature checked."""
        try:
            algorithme = jwt.get_unverified_header(jeton).get("alg")
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"JWT illisible : {exc}") from exc
        if algorithme != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"Algorithme inattendu : {algorithme!r}.")
        # Public keys (JWKS) for RS/ES; the client secret for HS.
        cle = self.retrieve_matching_jwk(jeton) if algorithme.startswith(("RS", "ES")) else self.OIDC_RP_CLIENT_SECRET
        try:
            return jwt.decode(jeton, cle, algorithms=[algorithme], options={"verify_aud": False})
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"Signature du JWT refusée : {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """ProConnect's userinfo is a signed JWT (`application/jwt`); plain JSON is read as such."""
        reponse = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.PROCONNECT_TIMEOUT,
        )
        reponse.raise_for_status()
        type_ = reponse.headers.get("content-type", "").split(";")[0].strip().lower()
        if type_ == "application/jwt":
            claims = self._decoder_jwt_signe(reponse.text.strip())
            self._verifier_emetteur_et_audience(claims, obligatoires=False)
        elif type_ == "application/json":
            claims = reponse.json()
        else:
            raise SuspiciousOperation(f"Réponse userinfo de type inattendu : {type_!r}.")
        # OpenID Connect Core 5.3.2: the userinfo must be about the ID token's subject.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("Le sub de l’userinfo n’est pas celui du jeton d’identité.")
        return claims

    def verify_claims(self, claims):
        return bool(normaliser_email(claims.get("email") or ""))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=normaliser_email(claims.get("email") or ""))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("ProConnect n’a pas transmis d’adresse électronique.")
        return compte_pour(self.request, claims, self.filter_users_by_claims(claims))


@transaction.atomic
def compte_pour(request, claims: dict, comptes):
    """The account this verified identity signs in to, or None (the reason kept on the request).

    An existing account (same email, whatever its case) gets the invitations pending for its
    address. With no account, one is created only if the address has a pending invitation,
    which it accepts at once: ProConnect proves the address, invitations give the roles.
    """
    email = normaliser_email(claims["email"])
    comptes = list(comptes)
    if len(comptes) > 1:
        raise SuspiciousOperation(f"Plusieurs comptes pour {email}.")
    if comptes:
        user = comptes[0]
        if not user.is_active:
            return None
    elif Invitation.objects.en_attente().filter(email__iexact=email).exists():
        user = get_user_model().objects.create_user(
            email, None, prenom=(claims.get("given_name") or "")[:150], nom=(claims.get("usual_name") or "")[:150]
        )
    else:
        request.proconnect_refus = message_sans_compte(email)
        return None
    for affectation in invitations.accepter_en_attente(user):
        messages.success(request, f"Invitation acceptée : {affectation.get_role_display()} ({affectation.lieu}).")
    return user


# --- Views -------------------------------------------------------------------------------------


class ConnexionView(OIDCAuthenticationRequestView):
    """Sends the browser to ProConnect, with a fresh `state` and `nonce` kept in the session."""

    get_settings = staticmethod(reglage)

    def __init__(self, **kwargs):
        # mozilla-django-oidc reads the endpoint here; ours needs the discovery document.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not proconnect_configure():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = reglage("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except FournisseurInjoignable as exc:
            logger.warning("ProConnect injoignable : %s", exc)
            messages.error(request, MESSAGE_INJOIGNABLE)
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = settings.PROCONNECT_CLIENT_ID
        return super().get(request)


class RetourView(OIDCAuthenticationCallbackView):
    """ProConnect's answer: checks the `state`, authenticates, signs in or says why not."""

    get_settings = staticmethod(reglage)

    def get(self, request):
        if not proconnect_configure():
            raise Http404
        if "code" in request.GET and request.GET.get("state") not in (request.session.get("oidc_states") or {}):
            logger.warning("ProConnect : state inconnu de la session, retour refusé.")
            return self.login_failure()
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, FournisseurInjoignable) as exc:
            logger.warning("ProConnect : connexion refusée (%s).", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "proconnect_refus", MESSAGE_ECHEC))
        return redirect("login")

    def login_success(self):
        reponse = super().login_success()
        self.request.session[CLE_FIN_DE_SESSION] = {
            "url": decouverte().get("end_session_endpoint", ""),
            "id_token": getattr(self.request, "proconnect_id_token", ""),
        }
        return reponse


connexion = login_not_required(ConnexionView.as_view())
retour = login_not_required(RetourView.as_view())

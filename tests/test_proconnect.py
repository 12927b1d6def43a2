"""Signing in with ProConnect, against a real OpenID Connect provider process.

The provider is panva's oidc-provider run by Node (tests/oidc_fournisseur/serveur.js): it
signs the ID token and the userinfo in RS256 with a key of its own, asks state and nonce back,
and ends sessions. Its development login form takes any login: the email typed there is the
identity ProConnect would vouch for.
"""

import copy
import os
import re
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import pytest
import requests
from axes.models import AccessAttempt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import manque
from etablissements import proconnect
from etablissements.models import Affectation
from etablissements.models.invitation import StatutInvitation
from etablissements.tests.factories import InvitationFactory
from socle.middleware import CLE_FIN_DE_SESSION
from socle.roles import Role

# The provider runs on Node with the machine's clock and dates its tokens with it (iat, exp),
# which PyJWT checks against ours: on the tests' fixed clock, a machine later than it would
# see every userinfo "issued in the future". Shifting Node's clock instead would date its
# cookies for Chromium, which keeps the machine's. Nothing here depends on the day: these
# tests run on the machine's clock, like the provider and the browser.
pytestmark = pytest.mark.horloge_reelle

DOSSIER = Path(__file__).parent / "oidc_fournisseur"
CLIENT_ID = "mentorat-lp-test"
CLIENT_SECRET = "secret-du-client-de-test-0123456789"
TESTSERVER = "http://testserver"


@dataclass
class Fournisseur:
    issuer: str
    processus: subprocess.Popen

    @property
    def decouverte(self):
        return f"{self.issuer}/.well-known/openid-configuration"


def _demarrer(base_urls: list[str], journal: Path) -> Fournisseur:
    if not shutil.which("node"):
        manque("Node.js absent : le fournisseur OpenID Connect de test ne peut pas tourner (apt-get install nodejs).")
    if not (DOSSIER / "node_modules" / "oidc-provider").is_dir():
        manque("Modules Node absents : npm ci --prefix tests/oidc_fournisseur (fait par `make install`).")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": ",".join(f"{base}/proconnect/callback/" for base in base_urls),
        "OIDC_POST_LOGOUT_URI": ",".join(f"{base}/connexion/" for base in base_urls),
        "OIDC_PORT": "0",
    }
    with journal.open("w") as erreurs:
        processus = subprocess.Popen(
            ["node", "serveur.js"], cwd=DOSSIER, env=env, stdout=subprocess.PIPE, stderr=erreurs, text=True
        )
    prets, _, _ = select.select([processus.stdout], [], [], 20)
    ligne = processus.stdout.readline() if prets else ""
    if not ligne.startswith("PRET "):
        processus.kill()
        pytest.fail(f"Le fournisseur OpenID Connect n’a pas démarré : {ligne!r} {journal.read_text()}")
    fournisseur = Fournisseur(ligne.split()[1], processus)
    for _ in range(100):
        try:
            if requests.get(fournisseur.decouverte, timeout=1).ok:
                return fournisseur
        except requests.RequestException:
            pass
        time.sleep(0.1)
    processus.kill()
    pytest.fail(f"Le fournisseur OpenID Connect ne répond pas : {journal.read_text()}")


@pytest.fixture
def lancer_fournisseur(settings, tmp_path):
    """Start a provider for the given base URLs of the app and point ProConnect's settings at it."""
    processus = []

    def lancer(*base_urls: str) -> Fournisseur:
        fournisseur = _demarrer(list(base_urls), tmp_path / f"fournisseur-{len(processus)}.log")
        processus.append(fournisseur.processus)
        settings.PROCONNECT_DISCOVERY_URL = fournisseur.decouverte
        settings.PROCONNECT_CLIENT_ID = CLIENT_ID
        settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
        settings.PROCONNECT_ALGORITHME = "RS256"
        csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        csp["DIRECTIVES"]["form-action"].append(fournisseur.issuer)
        settings.CONTENT_SECURITY_POLICY = csp
        proconnect.oublier_la_decouverte()
        return fournisseur

    yield lancer
    proconnect.oublier_la_decouverte()
    for p in processus:
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
        p.stdout.close()


# --- Without a browser: Django's test client, the provider reached over HTTP ------------------


def _formulaire(html: str) -> tuple[str, dict]:
    """The action and hidden fields of the provider's (only) form."""
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
    champs = {
        unescape(nom): unescape(valeur)
        for nom, valeur in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }
    return action, champs


def _connexion_au_fournisseur(url: str, email: str, retour: str) -> str:
    """Follow the provider from its authorization URL: type `email`, consent; the URL sent back to `retour`."""
    navigateur = requests.Session()
    for _ in range(20):
        reponse = navigateur.get(url, allow_redirects=False, timeout=10)
        if reponse.is_redirect:
            url = urljoin(url, reponse.headers["location"])
            if url.startswith(retour):
                return url
            continue
        action, champs = _formulaire(reponse.text)
        if champs.get("prompt") == "login":
            champs |= {"login": email, "password": "peu-importe"}
        reponse = navigateur.post(urljoin(url, action), data=champs, allow_redirects=False, timeout=10)
        assert reponse.is_redirect, reponse.text
        url = urljoin(url, reponse.headers["location"])
        if url.startswith(retour):
            return url
    raise AssertionError("Le fournisseur n’a pas renvoyé vers l’application.")


def _demarrer_connexion(client: Client) -> str:
    reponse = client.get("/proconnect/connexion/")
    assert reponse.status_code == 302
    return reponse["Location"]


def _rappel(client: Client, email: str, *, state: str | None = None):
    """Sign in at the provider as `email` and come back to the callback (its `state` replaced if given)."""
    url = _connexion_au_fournisseur(_demarrer_connexion(client), email, f"{TESTSERVER}/proconnect/callback/")
    parametres = {cle: valeurs[0] for cle, valeurs in parse_qs(urlsplit(url).query).items()}
    if state is not None:
        parametres["state"] = state
    return client.get("/proconnect/callback/", parametres)


def _messages(reponse) -> list[str]:
    return [str(m) for m in get_messages(reponse.wsgi_request)]


@pytest.fixture
def fournisseur_http(lancer_fournisseur, db):
    return lancer_fournisseur(TESTSERVER)


def test_connexion_par_le_client_de_test(fournisseur_http, cast, monkeypatch):
    """The whole flow: state and nonce sent, ID token and userinfo JWT checked, session opened."""
    jwt_verifies = []
    decoder = proconnect.ProConnectBackend._decoder_jwt_signe
    monkeypatch.setattr(
        proconnect.ProConnectBackend,
        "_decoder_jwt_signe",
        lambda self, jeton: jwt_verifies.append(jeton) or decoder(self, jeton),
    )
    client = Client()
    autorisation = parse_qs(urlsplit(_demarrer_connexion(client)).query)
    assert autorisation["scope"] == ["openid email given_name usual_name"]
    assert len(autorisation["state"][0]) >= 32 and len(autorisation["nonce"][0]) >= 32
    assert "code_challenge" not in autorisation and "acr_values" not in autorisation

    reponse = _rappel(client, "CPE.A@exemple.fr")
    assert reponse.status_code == 302 and reponse["Location"] == "/"
    assert client.session["_auth_user_id"] == str(cast.cpe_a.pk)
    assert client.session["_auth_user_backend"] == "etablissements.proconnect.ProConnectBackend"
    fin = client.session[CLE_FIN_DE_SESSION]
    assert fin["url"] == f"{fournisseur_http.issuer}/session/end" and fin["id_token"].count(".") == 2
    # The userinfo came as a signed JWT and went through the signature check.
    assert len(jwt_verifies) == 1
    # user_logged_in ran as for a password sign-in: the session's clock started.
    assert "connexion_debut" in client.session
    assert client.get("/").status_code == 200


def test_axes_refus_sans_tentative_et_verrou_du_mot_de_passe(fournisseur_http, cast, settings):
    """A ProConnect refusal counts no failed attempt (no typed username); a password lockout
    (the account's typos) does not bar ProConnect, which proves the identity by itself."""
    client = Client()
    assert _rappel(client, "inconnu@exemple.fr")["Location"] == "/connexion/"
    assert AccessAttempt.objects.count() == 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/connexion/", {"username": "cpe.a@exemple.fr", "password": "faux"})
    assert AccessAttempt.objects.get(username="cpe.a@exemple.fr").failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert _rappel(client, "cpe.a@exemple.fr")["Location"] == "/"
    assert client.session["_auth_user_id"] == str(cast.cpe_a.pk)


def test_state_altere_refuse(fournisseur_http, cast):
    client = Client()
    reponse = _rappel(client, "cpe.a@exemple.fr", state="x" * 43)
    assert reponse.status_code == 302 and reponse["Location"] == "/connexion/"
    assert "_auth_user_id" not in client.session
    assert any("n’a pas abouti" in m for m in _messages(reponse))


def test_nonce_altere_refuse(fournisseur_http, cast):
    client = Client()
    url = _connexion_au_fournisseur(_demarrer_connexion(client), "cpe.a@exemple.fr", f"{TESTSERVER}/proconnect/")
    session = client.session
    etats = session["oidc_states"]
    assert len(etats) == 1
    for etat in etats.values():
        etat["nonce"] = "n" * 32
    session["oidc_states"] = etats
    session.save()
    reponse = client.get(url.removeprefix(TESTSERVER))
    assert reponse.status_code == 302 and reponse["Location"] == "/connexion/"
    assert "_auth_user_id" not in client.session
    assert any("n’a pas abouti" in m for m in _messages(reponse))


def test_jeton_signe_par_une_autre_cle_refuse(lancer_fournisseur, cast):
    """Keys of another provider (same key id, another key): the ID token's signature is refused."""
    autre = lancer_fournisseur(TESTSERVER)
    fournisseur = lancer_fournisseur(TESTSERVER)
    document = requests.get(fournisseur.decouverte, timeout=5).json()
    proconnect._decouvertes[fournisseur.decouverte] = document | {"jwks_uri": f"{autre.issuer}/jwks"}
    client = Client()
    reponse = _rappel(client, "cpe.a@exemple.fr")
    assert reponse["Location"] == "/connexion/"
    assert "_auth_user_id" not in client.session


def test_userinfo_signee_par_une_autre_cle_refusee(fournisseur_http):
    """A userinfo JWT signed by a key that is not the provider's, under its key id: refused."""
    cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jeton = jwt.encode(
        {"sub": "x@exemple.fr", "email": "x@exemple.fr", "iss": fournisseur_http.issuer, "aud": CLIENT_ID},
        cle,
        algorithm="RS256",
        headers={"kid": "cle-de-test"},
    )
    with pytest.raises(SuspiciousOperation, match="Signature"):
        proconnect.ProConnectBackend()._decoder_jwt_signe(jeton)
    with pytest.raises(SuspiciousOperation, match="Algorithme"):
        proconnect.ProConnectBackend()._decoder_jwt_signe(jwt.encode({"sub": "x"}, "s" * 32, algorithm="HS256"))


def test_double_authentification_demandee_apres_proconnect(fournisseur_http, cast):
    TOTPDevice.objects.create(user=cast.cpe_a, name="Application", confirmed=True)
    client = Client()
    assert _rappel(client, "cpe.a@exemple.fr")["Location"] == "/"
    reponse = client.get("/")
    assert reponse.status_code == 302 and reponse["Location"].startswith("/connexion/code/")


def test_compte_desactive_refuse(fournisseur_http, cast):
    cast.cpe_a.is_active = False
    cast.cpe_a.save()
    client = Client()
    assert _rappel(client, "cpe.a@exemple.fr")["Location"] == "/connexion/"
    assert "_auth_user_id" not in client.session


def test_deconnexion_par_mot_de_passe_inchangee(fournisseur_http, cast):
    client = Client()
    client.force_login(cast.cpe_a, backend="socle.authentification.ModelBackend")
    reponse = client.post("/deconnexion/")
    assert reponse.status_code == 302 and reponse["Location"] == "/connexion/"


def test_deconnexion_proconnect_passe_par_le_fournisseur(fournisseur_http, cast):
    client = Client()
    _rappel(client, "cpe.a@exemple.fr")
    id_token = client.session[CLE_FIN_DE_SESSION]["id_token"]
    reponse = client.post("/deconnexion/")
    fin = urlsplit(reponse["Location"])
    assert f"{fin.scheme}://{fin.netloc}{fin.path}" == f"{fournisseur_http.issuer}/session/end"
    parametres = parse_qs(fin.query)
    assert parametres["id_token_hint"] == [id_token]
    assert parametres["post_logout_redirect_uri"] == [f"{TESTSERVER}/connexion/"]
    assert len(parametres["state"][0]) >= 32
    assert "_auth_user_id" not in client.session
    # The provider accepts this end of session (an unregistered return URL gets a 400).
    assert requests.get(reponse["Location"], timeout=5).status_code == 200
    faux = reponse["Location"].replace("post_logout_redirect_uri=http", "post_logout_redirect_uri=https")
    assert requests.get(faux, timeout=5).status_code == 400


def test_fournisseur_injoignable(settings, db):
    settings.PROCONNECT_DISCOVERY_URL = "http://127.0.0.1:1/.well-known/openid-configuration"
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    proconnect.oublier_la_decouverte()
    client = Client()
    reponse = client.get("/proconnect/connexion/")
    assert reponse.status_code == 302 and reponse["Location"] == "/connexion/"
    assert any("ProConnect ne répond pas" in m for m in _messages(reponse))


def test_absent_sans_configuration(client, db):
    """Not configured (the test settings): no button, and its URLs answer 404."""
    assert "ProConnect" not in client.get("/connexion/").content.decode()
    assert client.get("/proconnect/connexion/").status_code == 404
    assert client.get("/proconnect/callback/", {"code": "x", "state": "y"}).status_code == 404


# --- In Chromium ------------------------------------------------------------------------------


@pytest.fixture
def fournisseur(lancer_fournisseur, live_server):
    return lancer_fournisseur(live_server.url)


@pytest.fixture
def page_hors_ligne(page):
    """The provider's development pages import a web font: nothing leaves the machine."""
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    return page


def _se_connecter_avec_proconnect(page, email):
    page.goto("/connexion/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.get_by_placeholder("Enter any login").fill(email)
    page.get_by_placeholder("and password").fill("peu-importe")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()
    consentir = page.get_by_role("button", name="Continue")
    if consentir.count():
        consentir.click()


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_navigateur_compte_existant(page_hors_ligne, live_server, fournisseur, cast):
    page = page_hors_ligne
    page.goto("/connexion/")
    assert page.get_by_role("link", name="Qu’est-ce que ProConnect ?").get_attribute("target") == "_blank"
    _se_connecter_avec_proconnect(page, "cpe.a@exemple.fr")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
    assert page.get_by_role("button", name="Se déconnecter").is_visible()


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_navigateur_sans_compte_ni_invitation(page_hors_ligne, live_server, fournisseur, cast):
    page = page_hors_ligne
    avant = get_user_model().objects.count()
    _se_connecter_avec_proconnect(page, "Inconnu@Exemple.fr")
    page.wait_for_url(f"{live_server.url}/connexion/")
    assert page.get_by_text(
        "Aucun compte Mentorat LP n’est ouvert pour l’adresse inconnu@exemple.fr. Demandez une invitation au chef "
        "d’établissement ou au référent mentorat de votre lycée — ou, pour un mentor ou un coordonnateur, "
        "à votre association."
    ).is_visible()
    assert get_user_model().objects.count() == avant


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_navigateur_invitation_en_attente(page_hors_ligne, live_server, fournisseur, cast):
    page = page_hors_ligne
    invitation = InvitationFactory(email="nouvelle.cpe@exemple.fr", role=Role.CPE, etablissement=cast.lp_a)
    _se_connecter_avec_proconnect(page, "nouvelle.cpe@exemple.fr")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("Invitation acceptée : CPE").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
    user = get_user_model().objects.get(email="nouvelle.cpe@exemple.fr")
    assert (user.prenom, user.nom, user.has_usable_password()) == ("Prénom nouvelle.cpe", "Nom nouvelle.cpe", False)
    assert Affectation.objects.filter(user=user, role=Role.CPE, etablissement=cast.lp_a).exists()
    invitation.refresh_from_db()
    assert invitation.statut == StatutInvitation.ACCEPTEE


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_navigateur_deconnexion_chez_le_fournisseur(page_hors_ligne, live_server, fournisseur, cast):
    page = page_hors_ligne
    _se_connecter_avec_proconnect(page, "cpe.a@exemple.fr")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{fournisseur.issuer}/session/end**")
    assert page.get_by_role("heading", name=re.compile("sign-out")).is_visible()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/connexion/**")
    assert page.get_by_role("heading", name="Connexion à Mentorat LP").is_visible()
    connectes = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(cast.cpe_a.pk)]
    assert connectes == []
    page.goto("/")
    assert "/connexion/" in page.url

"""A mail server that accepts connections and never answers (frozen) holds no request: past
EMAIL_TIMEOUT the sending fails, is logged where the email is sent, and the page answers."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from socle.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# How long the frozen server keeps a connection before closing it: without a timeout, the request
# would wait this long (gunicorn would have killed its worker at 30 s).
GEL = 15


@pytest.fixture
def serveur_gele():
    """A real listening socket on the loopback that accepts and never sends the SMTP greeting."""
    ecoute = socket.socket()
    ecoute.bind(("127.0.0.1", 0))
    ecoute.listen()
    connexions = []

    def accepter():
        while True:
            try:
                connexion, _ = ecoute.accept()
            except OSError:
                return
            connexions.append(connexion)
            fermeture = threading.Timer(GEL, connexion.close)
            fermeture.daemon = True  # the test's end closes it anyway: no wait at the run's exit
            fermeture.start()

    threading.Thread(target=accepter, daemon=True).start()
    yield ecoute.getsockname()[1]
    ecoute.close()
    for connexion in connexions:
        connexion.close()


def test_reinitialisation_repond_malgre_un_serveur_de_courriel_gele(client, settings, serveur_gele, caplog):
    user = UserFactory(email="camille@exemple.fr")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", serveur_gele
    settings.EMAIL_TIMEOUT = 1
    debut = time.monotonic()
    reponse = client.post(reverse("password_reset"), {"email": user.email})
    duree = time.monotonic() - debut
    assert reponse.status_code == 302 and reponse["Location"] == reverse("password_reset_done")
    assert duree < GEL / 2, f"la page a attendu le serveur de courriel {duree:.1f} s"
    assert "Failed to send password reset email" in caplog.text


def test_le_delai_par_defaut_est_borne():
    from django.conf import settings

    assert 0 < settings.EMAIL_TIMEOUT <= 15

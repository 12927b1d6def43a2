"""Health endpoints: a free public liveness answer, a detailed check kept for the monitoring.

The database outage case is in test_robustesse.py, beside the fixture that cuts the database.
"""

import platform
import socket

import celery
import django
import pytest
import redis
from django.conf import settings as reglages_django
from django.urls import reverse

from socle import sante
from socle.tests.factories import UserFactory

JETON = "jeton-de-supervision-de-test"


@pytest.fixture
def port_ferme():
    """A local port nobody listens on: a Redis that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_en_panne(settings, monkeypatch, port_ferme):
    settings.REDIS_URL = f"redis://127.0.0.1:{port_ferme}/6"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL}
    }
    # The workers are pinged through the test broker, where none ever answers: do not wait 3 s.
    monkeypatch.setattr(sante, "ATTENTE_WORKERS", sante.datetime.timedelta(milliseconds=100))
    return port_ferme


def _fuites(contenu: str, *valeurs) -> list[str]:
    """The hosts, ports and versions found in a response body (empty when nothing leaks)."""
    base = reglages_django.DATABASES["default"]
    suspects = [base.get("HOST"), base.get("NAME"), base.get("USER"), *valeurs]
    suspects += [django.get_version(), platform.python_version(), redis.__version__, celery.__version__]
    suspects += ["Django", "Python", "Redis(", "Ping(", "localhost", "127.0.0.1"]
    return [str(v) for v in suspects if v and str(v) in contenu]


@pytest.mark.django_db
def test_vivant_public_et_sans_base(client, django_assert_num_queries):
    # No timing here (a loaded CI machine makes it flaky): the liveness answer touches no database,
    # which is what keeps it fast; its speed is measured in bench/, not in tests.
    for _ in range(3):
        with django_assert_num_queries(0):
            reponse = client.get(reverse("sante"))
        assert reponse.status_code == 200
        assert reponse.json() == {"statut": "ok"}
    assert _fuites(reponse.content.decode()) == []


@pytest.mark.django_db
def test_vivant_repond_quand_redis_est_en_panne(client, redis_en_panne):
    reponse = client.get(reverse("sante"))
    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "jeton_configure,en_tete",
    [
        (JETON, None),
        (JETON, "Bearer un-autre-jeton"),
        (JETON, JETON),  # the scheme is missing
        (JETON, f"Basic {JETON}"),
        ("", "Bearer "),  # no token configured: an empty one opens nothing
    ],
)
def test_detail_refuse_sans_le_bon_jeton(client, settings, jeton_configure, en_tete):
    settings.SANTE_JETON = jeton_configure
    en_tetes = {"HTTP_AUTHORIZATION": en_tete} if en_tete is not None else {}
    assert client.get(reverse("sante_detail"), **en_tetes).status_code == 404


@pytest.mark.django_db
def test_detail_refuse_a_un_compte_ordinaire(client, settings):
    settings.SANTE_JETON = JETON
    client.force_login(UserFactory())
    assert client.get(reverse("sante_detail")).status_code == 404


@pytest.fixture
def base_seule(settings):
    """Without REDIS_URL only the database is checked (CI sets one, with no worker running)."""
    settings.REDIS_URL = ""


@pytest.mark.django_db(transaction=True)
def test_detail_avec_le_jeton(client, settings, base_seule):
    settings.SANTE_JETON = JETON
    reponse = client.get(reverse("sante_detail"), HTTP_AUTHORIZATION=f"Bearer {JETON}")
    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok", "composants": {"base de données": "ok"}}
    assert "no-cache" in reponse["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_detail_pour_un_membre_de_l_equipe_technique(client, base_seule):
    client.force_login(UserFactory(is_staff=True))
    reponse = client.get(reverse("sante_detail"))
    assert reponse.status_code == 200
    assert reponse.json()["composants"] == {"base de données": "ok"}


@pytest.mark.django_db(transaction=True)
def test_redis_en_panne_sans_hote_ni_port_ni_version(client, settings, redis_en_panne):
    settings.SANTE_JETON = JETON
    reponse = client.get(reverse("sante_detail"), HTTP_AUTHORIZATION=f"Bearer {JETON}")
    assert reponse.status_code == 503
    assert reponse.json() == {
        "statut": "en panne",
        "composants": {"base de données": "ok", "redis": "en panne", "workers celery": "en panne"},
    }
    assert _fuites(reponse.content.decode(), settings.REDIS_URL, redis_en_panne) == []


@pytest.mark.django_db(transaction=True)
def test_detail_garde_son_resultat_quelques_secondes(client, settings, monkeypatch, base_seule):
    settings.SANTE_JETON = JETON
    appels = []
    controler = sante.controler

    def compter():
        appels.append(1)
        return controler()

    monkeypatch.setattr(sante, "controler", compter)
    instant = [1000.0]
    monkeypatch.setattr(sante.memoire, "horloge", lambda: instant[0])

    def detail():
        return client.get(reverse("sante_detail"), HTTP_AUTHORIZATION=f"Bearer {JETON}")

    assert detail().status_code == 200
    instant[0] += sante.DUREE_MEMOIRE - 1
    assert detail().status_code == 200
    assert len(appels) == 1
    instant[0] += 1
    assert detail().status_code == 200
    assert len(appels) == 2

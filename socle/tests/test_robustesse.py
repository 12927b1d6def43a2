"""Faults: a database outage gives a French 503 page; the health endpoint reports the services."""

import json
import sqlite3

import pytest
from django.db import connection, connections


@pytest.fixture
def base_coupee(monkeypatch):
    """The default database becomes unreachable for the rest of the test.

    On PostgreSQL the connection really goes to a closed port. SQLite's in-memory test
    database cannot be closed, so there every new cursor fails as a lost server would.
    """
    if connection.vendor == "sqlite":

        def injoignable(*args, **kwargs):
            raise sqlite3.OperationalError("unable to open database file")

        monkeypatch.setattr(type(connections["default"]), "create_cursor", injoignable)
        yield
        monkeypatch.undo()
        return
    reglages = connection.settings_dict
    sauvegarde = dict(reglages)
    connection.close()
    reglages["HOST"], reglages["PORT"] = "127.0.0.1", "1"
    yield
    connection.close()
    reglages.clear()
    reglages.update(sauvegarde)


@pytest.fixture
def connecte(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("chef@exemple.fr", "x"))
    return client


@pytest.mark.django_db(transaction=True)
def test_base_indisponible_page_503_en_francais(connecte, base_coupee):
    connecte.raise_request_exception = False
    reponse = connecte.get("/")
    assert reponse.status_code == 503
    contenu = reponse.content.decode()
    assert "Service momentanément indisponible" in contenu
    assert "Traceback" not in contenu and "OperationalError" not in contenu
    assert reponse["Retry-After"] == "120"


def test_autre_erreur_page_500():
    from socle.views.pages import erreur_serveur

    try:
        raise RuntimeError("panne")
    except RuntimeError:
        reponse = erreur_serveur(None)
    assert reponse.status_code == 500
    assert "Le service rencontre une erreur" in reponse.content.decode()


JETON = "jeton-de-supervision-de-test"


@pytest.mark.django_db(transaction=True)
def test_sante_detaillee_base_ok(client, settings):
    settings.SANTE_JETON = JETON
    reponse = client.get("/sante/detail/", HTTP_AUTHORIZATION=f"Bearer {JETON}")
    etats = json.loads(reponse.content)["composants"]
    assert etats["base de données"] == "ok"
    if settings.REDIS_URL:
        # No worker runs in this test: the endpoint says so, and answers an error status.
        assert etats["redis"] == "ok"
        assert etats["workers celery"] == "en panne"
        assert reponse.status_code == 503
    else:
        assert reponse.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_sante_signale_la_base_en_panne_sans_dire_ou_elle_est(client, settings, base_coupee):
    settings.SANTE_JETON = JETON
    client.raise_request_exception = False
    reglages = connection.settings_dict
    reponse = client.get("/sante/detail/", HTTP_AUTHORIZATION=f"Bearer {JETON}")
    assert reponse.status_code == 503
    assert json.loads(reponse.content)["composants"]["base de données"] == "en panne"
    contenu = reponse.content.decode()
    # On PostgreSQL the fixture points the connection at 127.0.0.1:1.
    for valeur in (reglages["HOST"], reglages["NAME"], reglages["USER"], f":{reglages['PORT']}"):
        if str(valeur).strip(":"):
            assert str(valeur) not in contenu
    assert "Error" not in contenu
    # The liveness answer does not look at the database at all.
    assert client.get("/sante/").status_code == 200

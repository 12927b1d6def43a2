from django.db import connection
from django.test.utils import CaptureQueriesContext


def nb_requetes(client, url):
    """Queries of one GET of `url`, the session's own excepted.

    A first GET is made so the session is already saved; the session backend's reads vary
    between SQLite and PostgreSQL runs and are not the page's doing.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as contexte:
        reponse = client.get(url)
    assert reponse.status_code == 200, reponse.status_code
    return sum(1 for q in contexte.captured_queries if "django_session" not in q["sql"])

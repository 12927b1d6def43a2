import pytest


@pytest.fixture
def requetes_constantes(client, django_assert_max_num_queries, django_assert_num_queries):
    """GET `url` with what exists, then again after `creer_plus()`: at most 15 queries, the same count.

    A first visit warms what the session caches (current LP…), so both counts compare alike.
    Returns the count so each test can pin it.
    """

    def mesurer(url, creer_plus):
        client.get(url)
        with django_assert_max_num_queries(15) as une:
            assert client.get(url).status_code == 200
        creer_plus()
        with django_assert_num_queries(len(une.captured_queries)):
            reponse = client.get(url)
        assert reponse.status_code == 200
        return len(une.captured_queries)

    return mesurer

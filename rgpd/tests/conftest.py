import pytest

from tests.outils import requetes_constantes as mesurer


@pytest.fixture
def requetes_constantes(client):
    """`tests.outils.requetes_constantes` with the test's client; returns the count to pin."""
    return lambda url, creer_plus: mesurer(client, url, creer_plus)[0]

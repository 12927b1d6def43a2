"""The LP's lists share the project's pagination partial: the filters follow the reader from page to page."""

import pytest
from django.urls import reverse

from etablissements.tests.factories import EntrepriseFactory

pytestmark = pytest.mark.django_db


def test_la_page_suivante_garde_le_filtre(client, cast):
    for n in range(30):
        EntrepriseFactory(etablissement=cast.lp_a, nom=f"Atelier Lumière {n:02d}")
    EntrepriseFactory(etablissement=cast.lp_a, nom="Boulangerie")
    client.force_login(cast.referent_a)
    url = reverse("etablissements:entreprises")

    page1 = client.get(url, {"nom": "Atelier Lumière"}).content.decode()
    assert "Page suivante" in page1 and "1 / 2" in page1
    assert "?nom=Atelier%20Lumi%C3%A8re&amp;page=2" in page1

    page2 = client.get(url, {"nom": "Atelier Lumière", "page": 2}).content.decode()
    assert "Atelier Lumière 29" in page2 and "Boulangerie" not in page2
    assert "?nom=Atelier%20Lumi%C3%A8re&amp;page=1" in page2

import pytest
from django.urls import reverse

from seances.tests.conftest import pages_constantes
from seances.tests.factories import SeanceFactory


def test_detail_pour_les_lecteurs(client, cast, binome_a):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, compte_rendu="Bilan du stage.")
    for qui in ("chef_a", "cpe_a", "referent_a", "coordonnateur_a", "mentor_a"):
        client.force_login(getattr(cast, qui))
        reponse = client.get(seance.get_absolute_url())
        assert reponse.status_code == 200, qui
        assert "Bilan du stage." in reponse.content.decode()
        peut = reponse.context["peut_modifier"]
        assert peut == (qui in ("referent_a", "coordonnateur_a")), qui


@pytest.mark.parametrize("qui", ["personnel_a", "mentor_a", "referent_b", "sans_role"])
def test_detail_404_hors_perimetre(client, cast, qui):
    # The mentor is not expected at this séance: it is not theirs to see.
    seance = SeanceFactory(dispositif=cast.dispositif_a)
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("seances:detail", args=[seance.pk])).status_code == 404


def test_detail_requetes_constantes(client, cast, binome_a, django_assert_max_num_queries, django_assert_num_queries):
    from binomes.tests.factories import EleveFactory
    from seances.models import Participation

    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    client.force_login(cast.cpe_a)
    pages_constantes(
        client,
        seance.get_absolute_url(),
        lambda: [
            Participation.objects.create(seance=seance, eleve=EleveFactory(etablissement=cast.lp_a)) for _ in range(5)
        ],
        django_assert_max_num_queries,
        django_assert_num_queries,
    )

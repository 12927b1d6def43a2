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


def test_le_mentor_ne_voit_pas_les_presences_des_autres_eleves(client, cast, binome_a):
    """A collective séance: the mentor sees themself and their student; the staff see everyone."""
    from binomes.tests.factories import EleveFactory
    from seances.models import Participation, Presence

    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    autre = EleveFactory(etablissement=cast.lp_a, nom="Autreélève")
    Participation.objects.create(seance=seance, eleve=autre, presence=Presence.ABSENT_NON_EXCUSE)
    client.force_login(cast.mentor_a)
    page = client.get(seance.get_absolute_url()).content.decode()
    assert binome_a.eleve.nom in page
    assert "Autreélève" not in page and "non excusé" not in page
    assert "Un autre participant, que seule l’équipe du lycée voit." in page
    client.force_login(cast.referent_a)
    page = client.get(seance.get_absolute_url()).content.decode()
    assert "Autreélève" in page and "autre participant" not in page

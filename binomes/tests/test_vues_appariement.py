"""Pairing meeting pages: create, compute, accept, change, reject."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import Binome, Proposition, ReunionAppariement, StatutProposition
from etablissements.tests.factories import FormationFactory

from .factories import EleveFactory, MentorFactory, PropositionFactory, ReunionAppariementFactory
from .outils import nb_requetes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def aujourd_hui(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False)


def test_reunion_calcul_et_decisions(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("binomes:reunion_nouvelle"),
        {"date": "2026-11-25", "participants": "M. Durand (RH Rhône Électricité)", "rh_entreprises_invites": "on"},
    )
    reunion = ReunionAppariement.objects.get()
    assert reponse.status_code == 302 and reunion.rh_entreprises_invites and reunion.dispositif == cast.dispositif_a
    formation = FormationFactory(etablissement=cast.lp_a, secteur="Électricité")
    eleves = EleveFactory.create_batch(3, etablissement=cast.lp_a, formation=formation, besoin_stage=True)
    mentors = [
        MentorFactory(etablissement=cast.lp_a, verifie=True, secteur="Électricité", competences="stage", capacite=1)
        for _ in range(3)
    ]
    bloque = MentorFactory(etablissement=cast.lp_a, secteur="Électricité")
    reponse = client.post(
        reverse("binomes:reunion_calculer", args=[reunion.pk]),
        {"eleves": [e.pk for e in eleves], "mentors": [m.pk for m in [*mentors, bloque]]},
        follow=True,
    )
    contenu = reponse.content.decode()
    assert "3 propositions calculées" in contenu
    assert "Écarté du calcul" in contenu and "pas vérifiée" in contenu
    assert "Même secteur professionnel : Électricité (+5)" in contenu
    p1, p2, p3 = Proposition.objects.filter(reunion=reunion).order_by("pk")
    client.post(reverse("binomes:proposition_accepter", args=[p1.pk]))
    client.post(reverse("binomes:proposition_rejeter", args=[p2.pk]))
    # Changing p3 to p2's mentor, freed by the rejection; the blocked mentor is not offered.
    url = reverse("binomes:proposition_changer", args=[p3.pk])
    offerts = list(client.get(url).context["form"].fields["mentor"].queryset)
    assert p2.mentor in offerts and bloque not in offerts and p3.mentor not in offerts
    assert client.post(url, {"mentor": bloque.pk}).status_code == 200
    assert client.post(url, {"mentor": p2.mentor.pk}).status_code == 302
    statuts = list(Proposition.objects.filter(reunion=reunion).order_by("pk").values_list("statut", flat=True))
    assert statuts == [StatutProposition.ACCEPTEE, StatutProposition.REJETEE, StatutProposition.MODIFIEE]
    assert set(Binome.objects.values_list("mentor", "eleve")) == {
        (p1.mentor_id, p1.eleve_id),
        (p2.mentor_id, p3.eleve_id),
    }


def test_lecture_seule_403(client, cast):
    proposition = PropositionFactory(reunion__dispositif=cast.dispositif_a)
    for user in (cast.chef_a, cast.cpe_a, cast.coordonnateur_a):
        client.force_login(user)
        assert client.get(reverse("binomes:reunion", args=[proposition.reunion.pk])).status_code == 200
        assert client.get(reverse("binomes:reunion_nouvelle")).status_code == 403
        assert client.post(reverse("binomes:reunion_calculer", args=[proposition.reunion.pk])).status_code == 403
        for verbe in ("accepter", "changer", "rejeter"):
            assert client.post(reverse(f"binomes:proposition_{verbe}", args=[proposition.pk])).status_code == 403
    for user in (cast.personnel_a, cast.mentor_a, cast.pilotage):
        client.force_login(user)
        assert client.get(reverse("binomes:reunions")).status_code == 403
    proposition.refresh_from_db()
    assert proposition.statut == StatutProposition.PROPOSEE and not Binome.objects.exists()


def test_nombre_de_requetes(client, cast):
    client.force_login(cast.referent_a)
    ReunionAppariementFactory(dispositif=cast.dispositif_a)
    une = nb_requetes(client, reverse("binomes:reunions"))
    ReunionAppariementFactory.create_batch(5, dispositif=cast.dispositif_a)
    assert nb_requetes(client, reverse("binomes:reunions")) == une == 5

    reunion = ReunionAppariementFactory(dispositif=cast.dispositif_a)
    PropositionFactory(reunion=reunion)
    une = nb_requetes(client, reverse("binomes:reunion", args=[reunion.pk]))
    PropositionFactory.create_batch(5, reunion=reunion)
    assert nb_requetes(client, reverse("binomes:reunion", args=[reunion.pk])) == une == 11

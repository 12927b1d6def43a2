"""Interviews after an unexcused absence: listed for the référent and the CPE until done."""

import datetime

import pytest
from django.urls import reverse

from seances.models import EntretienAbsence
from seances.tests.conftest import pages_constantes
from seances.tests.factories import EntretienAbsenceFactory

URL = reverse("seances:entretiens")


@pytest.mark.parametrize("qui", ["cpe_a", "referent_a"])
def test_les_entretiens_a_mener_sont_listes(client, cast, qui):
    a_mener = EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a, assigne_a=cast.cpe_a)
    EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a, fait_trait=True)
    EntretienAbsenceFactory(seance__dispositif=cast.dispositif_b)
    client.force_login(getattr(cast, qui))
    reponse = client.get(URL)
    assert list(reponse.context["page"]) == [a_mener]
    assert "À traiter : 1 entretien" in reponse.content.decode()
    assert len(client.get(URL, {"tous": "1"}).context["page"]) == 2


@pytest.mark.parametrize("qui", ["chef_a", "personnel_a", "coordonnateur_a", "mentor_a", "sans_role"])
def test_autres_roles_403(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(URL).status_code == 403


def test_nombre_de_requetes_constant(client, cast, django_assert_max_num_queries, django_assert_num_queries):
    EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a, assigne_a=cast.cpe_a)
    client.force_login(cast.cpe_a)
    pages_constantes(
        client,
        URL,
        lambda: EntretienAbsenceFactory.create_batch(
            4, seance__dispositif=cast.dispositif_a, assigne_a=cast.referent_a
        ),
        django_assert_max_num_queries,
        django_assert_num_queries,
    )


def test_le_cpe_cloture_l_entretien(client, cast):
    entretien = EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a, assigne_a=cast.cpe_a)
    url = reverse("seances:entretien", args=[entretien.pk])
    client.force_login(cast.cpe_a)
    assert client.get(url).status_code == 200
    data = {"assigne_a": cast.cpe_a.pk, "echeance": "2026-11-09", "fait": "on", "fait_le": "", "issue": ""}
    reponse = client.post(url, data)
    assert "Indiquez en quelques mots" in reponse.content.decode()
    reponse = client.post(url, {**data, "issue": "Élève revu avec sa famille."})
    assert reponse.status_code == 302
    entretien.refresh_from_db()
    assert entretien.fait and entretien.fait_le is not None
    assert list(client.get(URL).context["page"]) == []


def test_seuls_les_personnels_vie_scolaire_du_lp_sont_proposes(client, cast):
    entretien = EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a)
    client.force_login(cast.referent_a)
    form = client.get(reverse("seances:entretien", args=[entretien.pk])).context["form"]
    assert set(form.fields["assigne_a"].queryset) == {cast.cpe_a, cast.referent_a}
    reponse = client.post(
        reverse("seances:entretien", args=[entretien.pk]),
        {"assigne_a": cast.referent_b.pk, "echeance": "2026-11-09"},
    )
    assert reponse.status_code == 200
    entretien.refresh_from_db()
    assert entretien.assigne_a is None and entretien.echeance == datetime.date(2026, 11, 9)


@pytest.mark.parametrize("qui", ["chef_a", "coordonnateur_a", "referent_b", "sans_role"])
def test_entretien_404_aux_autres(client, cast, qui):
    entretien = EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a)
    client.force_login(getattr(cast, qui))
    url = reverse("seances:entretien", args=[entretien.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"fait": "on", "issue": "x", "echeance": "2026-11-09"}).status_code == 404
    assert not EntretienAbsence.objects.get().fait

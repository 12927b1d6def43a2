"""Interviews after an unexcused absence: listed for the référent and the CPE until done."""

import datetime

import pytest
from django.urls import reverse

from binomes.tests.factories import BinomeFactory
from seances import services
from seances.models import EntretienAbsence, Presence, Seance, StatutSeance
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
    # « Mené » needs the date it was held.
    reponse = client.post(url, {**data, "issue": "Élève revu avec sa famille."})
    assert "Indiquez la date à laquelle l’entretien a été mené" in reponse.content.decode()
    entretien.refresh_from_db()
    assert not entretien.fait
    mene_le = entretien.seance.date
    reponse = client.post(url, {**data, "issue": "Élève revu avec sa famille.", "fait_le": mene_le.isoformat()})
    assert reponse.status_code == 302
    entretien.refresh_from_db()
    assert entretien.fait and entretien.fait_le == mene_le
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


def test_un_entretien_ne_se_date_ni_avant_l_absence_ni_dans_le_futur(client, cast):
    entretien = EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a, assigne_a=cast.cpe_a)
    absence = entretien.seance.date
    url = reverse("seances:entretien", args=[entretien.pk])
    client.force_login(cast.cpe_a)
    data = {"assigne_a": cast.cpe_a.pk, "echeance": absence.isoformat(), "fait": "on", "issue": "Revu."}
    avant = (absence - datetime.timedelta(days=1)).isoformat()
    assert "ne peut pas être mené avant" in client.post(url, {**data, "fait_le": avant}).content.decode()
    futur = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    assert "dans le futur" in client.post(url, {**data, "fait_le": futur}).content.decode()
    # A date without « mené » is a contradiction too.
    reponse = client.post(url, {**data, "fait": "", "fait_le": absence.isoformat()})
    assert "Cochez « entretien mené »" in reponse.content.decode()
    entretien.refresh_from_db()
    assert not entretien.fait and entretien.fait_le is None


def test_l_echeance_part_de_la_date_de_l_absence(cast):
    """Attendance typed 10 days after the séance: the interview was due 7 days after the absence."""
    binome = BinomeFactory(dispositif=cast.dispositif_a, mentor__verifie=True)
    il_y_a_dix_jours = datetime.date.today() - datetime.timedelta(days=10)
    seance = Seance(dispositif=cast.dispositif_a, date=il_y_a_dix_jours, statut=StatutSeance.TENUE, duree=60)
    services.seance_enregistrer(
        seance=seance, participants=[(binome.mentor, Presence.PRESENT), (binome.eleve, Presence.ABSENT_NON_EXCUSE)]
    )
    entretien = EntretienAbsence.objects.get(seance=seance)
    assert entretien.echeance == il_y_a_dix_jours + services.DELAI_ENTRETIEN

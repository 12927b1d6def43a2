"""The coordinator's one page: a séance, its participants and their attendance."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import StatutHonorabilite
from binomes.tests.factories import EleveFactory, MentorFactory
from etablissements.tests.factories import ConventionFactory, DispositifFactory
from seances.models import EntretienAbsence, Participation, Presence, Seance, StatutSeance
from seances.tests.conftest import donnees, pages_constantes
from seances.tests.factories import SeanceFactory

URL = reverse("seances:nouvelle")


@pytest.fixture
def gens(cast):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    eleves = EleveFactory.create_batch(3, etablissement=cast.lp_a)
    return mentor, eleves


def test_le_coordonnateur_saisit_une_seance_collective_tenue(client, cast, gens):
    mentor, (e1, e2, e3) = gens
    client.force_login(cast.coordonnateur_a)
    page = client.get(URL)
    assert page.status_code == 200
    assert f"m{mentor.pk}" in page.content.decode()
    reponse = client.post(
        URL,
        donnees(
            [
                (f"m{mentor.pk}", "present"),
                (f"e{e1.pk}", "present"),
                (f"e{e2.pk}", "absent_excuse"),
                (f"e{e3.pk}", "absent_non_excuse"),
            ]
        ),
    )
    seance = Seance.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == seance.get_absolute_url()
    assert seance.dispositif == cast.dispositif_a and seance.statut == StatutSeance.TENUE
    presences = {(p.eleve_id, p.mentor_id): p.presence for p in seance.participations.all()}
    assert presences == {
        (None, mentor.pk): Presence.PRESENT,
        (e1.pk, None): Presence.PRESENT,
        (e2.pk, None): Presence.ABSENT_EXCUSE,
        (e3.pk, None): Presence.ABSENT_NON_EXCUSE,
    }
    # The unexcused absence opens an interview, held by the LP's CPE by default.
    entretien = EntretienAbsence.objects.get()
    assert (entretien.eleve, entretien.assigne_a, entretien.fait) == (e3, cast.cpe_a, False)


def test_les_personnes_non_concernees_ne_sont_pas_inscrites(client, cast, gens):
    mentor, (e1, e2, _e3) = gens
    client.force_login(cast.referent_a)
    client.post(
        URL, donnees([(f"m{mentor.pk}", "attendu"), (f"e{e1.pk}", "attendu"), (f"e{e2.pk}", "")], statut="prevue")
    )
    seance = Seance.objects.get()
    assert seance.participations.count() == 2
    assert not EntretienAbsence.objects.exists()


def test_honorabilite_non_valide_refusee(client, cast, gens):
    _mentor, (e1, *_r) = gens
    douteux = MentorFactory(etablissement=cast.lp_a, honorabilite__statut=StatutHonorabilite.EN_COURS)
    expire = MentorFactory(etablissement=cast.lp_a, verifie=True, honorabilite__expiration=datetime.date(2026, 11, 1))
    client.force_login(cast.coordonnateur_a)
    for m in (douteux, expire):
        reponse = client.post(URL, donnees([(f"m{m.pk}", "present"), (f"e{e1.pk}", "present")]))
        assert reponse.status_code == 200
        assert "Honorabilité non vérifiée ou expirée" in reponse.content.decode()
    assert not Seance.objects.exists() and not Participation.objects.exists()


def test_il_faut_au_moins_un_participant(client, cast, gens):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([]))
    assert reponse.status_code == 200
    assert "au moins un participant" in reponse.content.decode()
    assert not Seance.objects.exists()


def test_co_intervention_exige_les_competences(client, cast, gens):
    _mentor, (e1, *_r) = gens
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([(f"e{e1.pk}", "present")], type="co_intervention"))
    assert "compétences du référentiel" in reponse.content.decode()
    assert not Seance.objects.exists()
    client.post(URL, donnees([(f"e{e1.pk}", "present")], type="co_intervention", competences="C3.2 Câbler"))
    assert Seance.objects.get().competences == "C3.2 Câbler"


def test_entree_invalide_sans_erreur_500(client, cast, gens):
    _mentor, (e1, *_r) = gens
    client.force_login(cast.coordonnateur_a)
    eleve_b = EleveFactory(etablissement=cast.lp_b)
    for data in (
        donnees([(f"e{eleve_b.pk}", "present")]),
        donnees([(f"e{e1.pk}", "inconnue")]),
        donnees([(f"e{e1.pk}", "present")], date="pas une date"),
        {"p-TOTAL_FORMS": "x"},
    ):
        assert client.post(URL, data).status_code == 200
    assert not Seance.objects.exists()


def test_le_coordonnateur_choisit_le_lp(client, cast, gens):
    autre = DispositifFactory(partenaire=cast.partenaire_a)
    ConventionFactory(dispositif=autre)
    eleve = EleveFactory(etablissement=autre.etablissement)
    client.force_login(cast.coordonnateur_a)
    # By default, the LP chosen in the header (the page has no selector of its own); or ?dispositif=.
    assert client.get(URL).context["dispositif"] == cast.dispositif_a
    client.post(reverse("etablissements:choisir"), {"etablissement": autre.etablissement_id})
    assert client.get(URL).context["dispositif"] == autre
    page = client.get(URL, {"dispositif": cast.dispositif_a.pk})
    assert page.context["dispositif"] == cast.dispositif_a
    client.post(URL + f"?dispositif={autre.pk}", donnees([(f"e{eleve.pk}", "present")]))
    assert Seance.objects.get().dispositif == autre
    # LP B is not served by this coordinator.
    assert client.get(URL, {"dispositif": cast.dispositif_b.pk}).status_code == 404
    assert client.get(URL, {"dispositif": "abc"}).status_code == 404
    # Last year's dispositif of a served LP, a missing one, digits of any size or script: 404 as well.
    ancien = DispositifFactory(etablissement=cast.lp_a, partenaire=cast.partenaire_a, annee=cast.dispositif_a.annee - 1)
    for cle in (ancien.pk, 10**6, 2**31, 2**63, "9" * 40, "٣", "-1", " 1"):
        assert client.get(URL, {"dispositif": cle}).status_code == 404, cle


@pytest.mark.parametrize("qui", ["chef_a", "cpe_a", "personnel_a", "mentor_a", "sans_role"])
def test_roles_sans_saisie(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(URL).status_code == 403


def test_modifier_les_presences(client, cast, binome_a):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    url = reverse("seances:modifier", args=[seance.pk])
    client.force_login(cast.coordonnateur_a)
    page = client.get(url)
    assert page.status_code == 200
    reponse = client.post(
        url,
        donnees([(f"m{binome_a.mentor.pk}", "present"), (f"e{binome_a.eleve.pk}", "absent_non_excuse")]),
    )
    assert reponse.status_code == 302
    assert seance.participations.get(eleve=binome_a.eleve).presence == Presence.ABSENT_NON_EXCUSE
    assert EntretienAbsence.objects.filter(seance=seance, eleve=binome_a.eleve).count() == 1


@pytest.mark.parametrize("qui", ["chef_a", "cpe_a"])
def test_modifier_interdit_aux_lecteurs(client, cast, qui):
    seance = SeanceFactory(dispositif=cast.dispositif_a)
    client.force_login(getattr(cast, qui))
    url = reverse("seances:modifier", args=[seance.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_modifier_hors_perimetre_404(client, cast):
    seance = SeanceFactory(dispositif=cast.dispositif_b)
    client.force_login(cast.coordonnateur_a)
    assert client.get(reverse("seances:modifier", args=[seance.pk])).status_code == 404


def test_presence_corrigee_retire_l_entretien_non_mene(client, cast, binome_a):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    url = reverse("seances:modifier", args=[seance.pk])
    client.force_login(cast.referent_a)
    mentor, eleve = f"m{binome_a.mentor.pk}", f"e{binome_a.eleve.pk}"
    client.post(url, donnees([(mentor, "present"), (eleve, "absent_non_excuse")]))
    assert EntretienAbsence.objects.count() == 1
    client.post(url, donnees([(mentor, "present"), (eleve, "present")]))
    assert not EntretienAbsence.objects.exists()


def test_pages_de_saisie_requetes_constantes(
    client, cast, binome_a, django_assert_max_num_queries, django_assert_num_queries
):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    client.force_login(cast.coordonnateur_a)

    def plus():
        for eleve in EleveFactory.create_batch(5, etablissement=cast.lp_a):
            Participation.objects.create(seance=seance, eleve=eleve)
        MentorFactory.create_batch(3, etablissement=cast.lp_a, verifie=True)

    pages_constantes(client, URL, plus, django_assert_max_num_queries, django_assert_num_queries)
    url = reverse("seances:modifier", args=[seance.pk])
    pages_constantes(
        client,
        url,
        lambda: EleveFactory.create_batch(3, etablissement=cast.lp_a),
        django_assert_max_num_queries,
        django_assert_num_queries,
    )

"""Réunions de suivi, committees and évènements of the current LP."""

import pytest
from django.urls import reverse

from etablissements.tests.factories import EntrepriseFactory
from seances.models import ActionSuivi, Evenement, ReunionSuivi, TypeEvenement
from seances.tests.conftest import pages_constantes
from seances.tests.factories import ActionSuiviFactory, EvenementFactory, ReunionSuiviFactory


def actions(*lignes):
    data = {
        "actions-TOTAL_FORMS": str(len(lignes)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for i, (libelle, responsable, echeance) in enumerate(lignes):
        data.update(
            {
                f"actions-{i}-libelle": libelle,
                f"actions-{i}-responsable": responsable,
                f"actions-{i}-echeance": echeance,
            }
        )
    return data


REUNION = {
    "type": "comite_pilotage",
    "date": "2026-11-20",
    "participants": "Proviseur\nRéférent mentorat\nAssociation",
    "points": "Assiduité",
    "decisions": "Appeler les familles",
}


def test_le_referent_cree_une_reunion_avec_ses_actions(client, cast):
    client.force_login(cast.referent_a)
    url = reverse("seances:reunion_nouvelle")
    assert client.get(url).status_code == 200
    data = {
        **REUNION,
        "partenaire": cast.partenaire_a.pk,
        **actions(("Appeler les familles", "CPE", "2026-12-01"), ("", "", "")),
    }
    reponse = client.post(url, data)
    reunion = ReunionSuivi.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == reunion.get_absolute_url()
    assert reunion.dispositif == cast.dispositif_a and reunion.partenaire == cast.partenaire_a
    assert list(reunion.actions.values_list("libelle", "responsable")) == [("Appeler les familles", "CPE")]
    page = client.get(reunion.get_absolute_url())
    assert "Appeler les familles" in page.content.decode()


def test_action_incomplete_refusee_sans_rien_ecrire(client, cast):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(reverse("seances:reunion_nouvelle"), {**REUNION, **actions(("Relancer", "", "pas une date"))})
    assert reponse.status_code == 200
    assert not ReunionSuivi.objects.exists() and not ActionSuivi.objects.exists()


def test_le_coordonnateur_modifie_une_reunion(client, cast):
    reunion = ReunionSuiviFactory(dispositif=cast.dispositif_a)
    action = ActionSuiviFactory(reunion=reunion)
    client.force_login(cast.coordonnateur_a)
    assert client.get(reunion.get_absolute_url(), {"modifier": "1"}).context["formset"] is not None
    data = {
        **REUNION,
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-id": action.pk,
        "actions-0-reunion": reunion.pk,
        "actions-0-libelle": action.libelle,
        "actions-0-responsable": "Association",
        "actions-0-echeance": "2026-12-15",
        "actions-0-faite": "on",
    }
    assert client.post(reunion.get_absolute_url(), data).status_code == 302
    action.refresh_from_db()
    assert action.faite and action.responsable == "Association"


@pytest.mark.parametrize("qui", ["chef_a", "cpe_a", "ddfpt_a"])
def test_lecteurs_lisent_mais_n_ecrivent_pas(client, cast, qui):
    reunion = ReunionSuiviFactory(dispositif=cast.dispositif_a)
    evenement = EvenementFactory(dispositif=cast.dispositif_a)
    client.force_login(getattr(cast, qui))
    for objet in (reunion, evenement):
        reponse = client.get(objet.get_absolute_url(), {"modifier": "1"})
        assert reponse.status_code == 200 and "form" not in reponse.context
        assert client.post(objet.get_absolute_url(), {}).status_code == 403
    assert client.get(reverse("seances:reunion_nouvelle")).status_code == 403
    assert client.get(reverse("seances:evenement_nouveau")).status_code == 403


@pytest.mark.parametrize("nom", ["seances:reunions", "seances:evenements"])
@pytest.mark.parametrize("qui", ["personnel_a", "mentor_a", "sans_role"])
def test_listes_refusees(client, cast, nom, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse(nom)).status_code == 403


def test_listes_du_lp_courant(client, cast):
    a = ReunionSuiviFactory(dispositif=cast.dispositif_a)
    ReunionSuiviFactory(dispositif=cast.dispositif_b)
    e = EvenementFactory(dispositif=cast.dispositif_a)
    EvenementFactory(dispositif=cast.dispositif_b)
    client.force_login(cast.chef_a)
    assert list(client.get(reverse("seances:reunions")).context["page"]) == [a]
    assert list(client.get(reverse("seances:evenements")).context["page"]) == [e]


def test_requetes_constantes_reunions(client, cast, django_assert_max_num_queries, django_assert_num_queries):
    ActionSuiviFactory(reunion=ReunionSuiviFactory(dispositif=cast.dispositif_a))
    client.force_login(cast.referent_a)

    def plus():
        for _ in range(4):
            ActionSuiviFactory.create_batch(2, reunion=ReunionSuiviFactory(dispositif=cast.dispositif_a))

    pages_constantes(
        client, reverse("seances:reunions"), plus, django_assert_max_num_queries, django_assert_num_queries
    )


def test_requetes_constantes_evenements(client, cast, django_assert_max_num_queries, django_assert_num_queries):
    EvenementFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.referent_a)
    pages_constantes(
        client,
        reverse("seances:evenements"),
        lambda: EvenementFactory.create_batch(4, dispositif=cast.dispositif_a),
        django_assert_max_num_queries,
        django_assert_num_queries,
    )


def test_ceremonie_avec_entreprises_invitees(client, cast):
    reseau = EntrepriseFactory(etablissement=cast.lp_a)
    ailleurs = EntrepriseFactory(etablissement=cast.lp_b)
    client.force_login(cast.referent_a)
    url = reverse("seances:evenement_nouveau")
    data = {
        "type": TypeEvenement.CEREMONIE,
        "date": "2027-06-20",
        "heure": "18:00",
        "lieu": "Foyer",
        "description": "Remise des attestations",
        "autres_entreprises_invitees": "Boulangerie du Centre\nGarage Martin",
    }
    # A company of another LP cannot be invited from here.
    assert client.post(url, {**data, "entreprises_invitees": [ailleurs.pk]}).status_code == 200
    assert not Evenement.objects.exists()
    assert client.post(url, {**data, "entreprises_invitees": [reseau.pk]}).status_code == 302
    evenement = Evenement.objects.get()
    assert list(evenement.entreprises_invitees.all()) == [reseau]
    page = client.get(evenement.get_absolute_url()).content.decode()
    assert "Garage Martin" in page and reseau.nom in page


def test_sans_dispositif_courant_404(client, cast):
    cast.dispositif_a.annee -= 1
    cast.dispositif_a.save()
    client.force_login(cast.referent_a)
    assert client.get(reverse("seances:reunion_nouvelle")).status_code == 404

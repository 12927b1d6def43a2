"""The record of processing (art. 30) for the current LP, and the public information notice."""

import pytest
from django.urls import reverse

from etablissements.tests.factories import AffectationFactory
from socle.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["chef_a", "referent_a"])
def test_registre_prerempli(client, cast, settings, qui):
    settings.RETENTION_ELEVES_JOURS = 400
    settings.RETENTION_MENTORS_JOURS = 500
    cast.chef_a.prenom, cast.chef_a.nom = "Claire", "Proviseure"
    cast.chef_a.save()
    client.force_login(getattr(cast, qui))
    reponse = client.get(reverse("rgpd:registre"))
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "Registre des activités de traitement" in texte
    assert "Claire Proviseure (chef.a@exemple.fr)" in texte  # responsable de traitement
    assert cast.lp_a.nom in texte and cast.lp_a.uai in texte
    assert cast.partenaire_a.nom in texte
    for attendu in ("Finalités", "Catégories de personnes", "Catégories de données", "Destinataires"):
        assert attendu in texte
    assert "400 jours" in texte and "500 jours" in texte
    assert f"{settings.JOURNAL_CONSERVATION_JOURS} jours" in texte
    assert "Mesures de sécurité" in texte
    assert cast.lp_b.nom not in texte


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["cpe_a", "ddfpt_a", "personnel_a", "mentor_a", "coordonnateur_a", "pilotage"])
def test_registre_refuse_aux_autres_roles(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("rgpd:registre")).status_code == 403
    assert client.post(reverse("rgpd:registre")).status_code == 403


@pytest.mark.django_db
def test_registre_du_lp_b_pour_son_referent(client, cast):
    client.force_login(cast.referent_b)
    texte = client.get(reverse("rgpd:registre")).content.decode()
    assert cast.lp_b.nom in texte and cast.lp_a.nom not in texte and "chef.a@" not in texte


@pytest.mark.django_db
def test_registre_requetes_constantes(client, cast, requetes_constantes):
    client.force_login(cast.chef_a)
    nombre = requetes_constantes(
        reverse("rgpd:registre"),
        lambda: [AffectationFactory(role=role, etablissement=cast.lp_a) for role in (Role.CHEF, Role.REFERENT) * 3],
    )
    assert nombre == 6  # with the session, read from the database on every page


@pytest.mark.django_db
def test_menu_du_chef(client, cast):
    client.force_login(cast.chef_a)
    assert reverse("rgpd:registre") in client.get(reverse("journal")).content.decode()
    client.force_login(cast.cpe_a)
    assert reverse("rgpd:registre") not in client.get(reverse("seances:entretiens")).content.decode()


@pytest.mark.django_db
def test_notice_publique(client, settings, django_assert_max_num_queries):
    settings.RETENTION_ELEVES_JOURS = 365
    with django_assert_max_num_queries(0):
        reponse = client.get(reverse("rgpd:information"))
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "Le mentorat au lycée professionnel : vos données" in texte
    assert "365 jours" in texte and "CNIL" in texte and "santé" in texte
    assert "casier judiciaire" in texte

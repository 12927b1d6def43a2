"""Who may do what in the « cadre du dispositif » of LP A (acceptance 2).

The référent of LP A reads and writes everything; the chef reads and validates the
cadrage; DDFPT, CPE and the partner's coordinator read only (403 on writes); everyone
else gets 404 on every object of LP A.
"""

from dataclasses import dataclass

import pytest
import time_machine
from django.urls import reverse

from etablissements.models import Dispositif, Etablissement
from etablissements.models.cadrage import StatutCadrage
from etablissements.tests.factories import (
    AffectationFactory,
    ConventionFactory,
    DispositifFactory,
    EntrepriseFactory,
    LigneBudgetFactory,
    MembreEquipeFactory,
    PartenaireFactory,
    VersionCadrageFactory,
    rouvrir,
)
from socle.roles import Role

pytestmark = pytest.mark.django_db


@dataclass
class Monde:
    dispositif: object
    convention: object
    validee: object
    brouillon: object
    membre: object
    ligne: object
    jalon: object
    entreprise: object
    partenaire: object
    lp: object


@pytest.fixture
def monde(cast):
    d = cast.dispositif_a
    validee = VersionCadrageFactory(dispositif=d, validee=True)
    return Monde(
        dispositif=d,
        convention=rouvrir(d.conventions.get()),
        validee=validee,
        brouillon=VersionCadrageFactory(dispositif=d),
        membre=MembreEquipeFactory(dispositif=d),
        ligne=LigneBudgetFactory(dispositif=d),
        jalon=d.jalons.get(code="lancement"),
        entreprise=EntrepriseFactory(etablissement=cast.lp_a),
        partenaire=cast.partenaire_a,
        lp=cast.lp_a,
    )


LECTURES = {
    "etablissements:detail": lambda m: [m.lp.pk],
    "etablissements:dispositif": lambda m: [m.dispositif.pk],
    "etablissements:diagnostic": lambda m: [m.dispositif.pk],
    "etablissements:conventions": lambda m: [m.dispositif.pk],
    "etablissements:convention": lambda m: [m.convention.pk],
    "etablissements:cadrage": lambda m: [m.dispositif.pk],
    "etablissements:cadrage_version": lambda m: [m.brouillon.pk],
    "etablissements:cadrage_pdf": lambda m: [m.validee.pk],
    "etablissements:equipe": lambda m: [m.dispositif.pk],
    "etablissements:budget": lambda m: [m.dispositif.pk],
    "etablissements:frise": lambda m: [m.dispositif.pk],
    "etablissements:partenaire": lambda m: [m.partenaire.pk],
    "etablissements:entreprise": lambda m: [m.entreprise.pk],
}

# Writes of the programme: the référent only. (URL name, args, POST only?)
ECRITURES = {
    "etablissements:modifier": (lambda m: [m.lp.pk], False),
    "etablissements:formations": (lambda m: [m.lp.pk], False),
    "etablissements:diagnostic_modifier": (lambda m: [m.dispositif.pk], False),
    "etablissements:partenaire_ajouter": (lambda m: [m.dispositif.pk], False),
    "etablissements:convention_modifier": (lambda m: [m.convention.pk], False),
    "etablissements:partenaire_modifier": (lambda m: [m.partenaire.pk], False),
    "etablissements:cadrage_nouvelle_version": (lambda m: [m.dispositif.pk], True),
    "etablissements:cadrage_modifier": (lambda m: [m.brouillon.pk], False),
    "etablissements:cadrage_soumettre": (lambda m: [m.brouillon.pk], True),
    "etablissements:membre_ajouter": (lambda m: [m.dispositif.pk], False),
    "etablissements:membre_modifier": (lambda m: [m.membre.pk], False),
    "etablissements:membre_supprimer": (lambda m: [m.membre.pk], True),
    "etablissements:ligne_budget_ajouter": (lambda m: [m.dispositif.pk], False),
    "etablissements:ligne_budget_modifier": (lambda m: [m.ligne.pk], False),
    "etablissements:ligne_budget_supprimer": (lambda m: [m.ligne.pk], True),
    "etablissements:jalon_modifier": (lambda m: [m.jalon.pk], False),
}

LISTES = ["etablissements:dispositifs", "etablissements:partenaires", "etablissements:entreprises"]


def lecteurs(cast):
    return {"chef": cast.chef_a, "ddfpt": cast.ddfpt_a, "cpe": cast.cpe_a, "coordonnateur": cast.coordonnateur_a}


def etrangers(cast):
    return {
        "personnel": cast.personnel_a,
        "mentor": cast.mentor_a,
        "pilotage": cast.pilotage,
        "referent_b": cast.referent_b,
        "sans_role": cast.sans_role,
    }


@pytest.mark.parametrize("nom", sorted(LECTURES))
def test_referent_et_lecteurs_lisent(client, cast, monde, nom):
    url = reverse(nom, args=LECTURES[nom](monde))
    for user in [cast.referent_a, *lecteurs(cast).values()]:
        client.force_login(user)
        assert client.get(url).status_code == 200, (nom, user)


@pytest.mark.parametrize("nom", sorted(ECRITURES))
def test_referent_ecrit(client, cast, monde, nom):
    args, post_seulement = ECRITURES[nom]
    client.force_login(cast.referent_a)
    url = reverse(nom, args=args(monde))
    if post_seulement:
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 302
    else:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("nom", sorted(ECRITURES))
def test_lecture_seule_403_en_ecriture(client, cast, monde, nom):
    args, _post = ECRITURES[nom]
    url = reverse(nom, args=args(monde))
    for role, user in lecteurs(cast).items():
        if nom == "etablissements:partenaire_modifier" and role == "coordonnateur":
            continue  # the association's own coordinator keeps its details up to date
        client.force_login(user)
        assert client.get(url).status_code in (403, 405), (nom, role)
        assert client.post(url, {"nom": "Piraté", "statut": "fait"}).status_code == 403, (nom, role)
    # Nothing changed.
    assert monde.dispositif.equipe.count() == 1
    assert monde.dispositif.lignes_budget.count() == 1
    assert monde.dispositif.versions_cadrage.count() == 2
    monde.jalon.refresh_from_db()
    assert monde.jalon.statut == ""


@pytest.mark.parametrize("nom", sorted({*LECTURES, *ECRITURES, "etablissements:cadrage_valider"}))
def test_tous_les_autres_404(client, cast, monde, nom):
    if nom in LECTURES:
        args = LECTURES[nom](monde)
    elif nom in ECRITURES:
        args = ECRITURES[nom][0](monde)
    else:
        args = [monde.brouillon.pk]
    post_seulement = nom == "etablissements:cadrage_valider" or (nom in ECRITURES and ECRITURES[nom][1])
    url = reverse(nom, args=args)
    for role, user in etrangers(cast).items():
        client.force_login(user)
        if nom in LP_LISIBLE_PAR_TOUT_LE_PERSONNEL and role in ("personnel", "mentor"):
            # They see the LP's page, without its programme (test below), and may not change it.
            if nom != "etablissements:detail":
                assert client.post(url, {}).status_code == 403, (nom, role)
            continue
        # A POST-only view answers 405 to any GET before looking anything up: no leak.
        assert client.get(url).status_code == (405 if post_seulement else 404), (nom, role)
        assert client.post(url, {}).status_code == 404, (nom, role)


LP_LISIBLE_PAR_TOUT_LE_PERSONNEL = {"etablissements:detail", "etablissements:modifier", "etablissements:formations"}


def test_personnel_voit_le_lp_sans_son_programme(client, cast, monde):
    client.force_login(cast.personnel_a)
    page = client.get(reverse("etablissements:etablissement")).content.decode()
    assert cast.lp_a.nom in page
    assert "Cadre du dispositif</h2>" not in page
    assert reverse("etablissements:dispositif", args=[monde.dispositif.pk]) not in page


@pytest.mark.parametrize("nom", LISTES)
def test_listes_refusees_sans_role_de_lecture(client, cast, nom):
    for user in (cast.personnel_a, cast.mentor_a, cast.sans_role):
        client.force_login(user)
        assert client.get(reverse(nom)).status_code == 403, (nom, user)


def test_seul_le_chef_valide_le_cadrage(client, cast, monde):
    VersionCadrageFactory._meta.model.objects.filter(pk=monde.brouillon.pk).update(statut=StatutCadrage.SOUMISE)
    url = reverse("etablissements:cadrage_valider", args=[monde.brouillon.pk])
    for user in [cast.referent_a, *[u for r, u in lecteurs(cast).items() if r != "chef"]]:
        client.force_login(user)
        assert client.post(url).status_code == 403, user
    client.force_login(cast.chef_a)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    monde.brouillon.refresh_from_db()
    assert (monde.brouillon.statut, monde.brouillon.validee_par) == (StatutCadrage.VALIDEE, cast.chef_a)


def test_ddfpt_et_coordonnateur_gerent_les_entreprises(client, cast, monde):
    for user in (cast.ddfpt_a, cast.coordonnateur_a, cast.referent_a):
        client.force_login(user)
        assert client.get(reverse("etablissements:entreprise_ajouter")).status_code == 200
        reponse = client.post(
            reverse("etablissements:entreprise_modifier", args=[monde.entreprise.pk]),
            {"nom": f"Entreprise de {user.email}", "siret": ""},
        )
        assert reponse.status_code == 302, user
    for user in (cast.chef_a, cast.cpe_a):
        client.force_login(user)
        assert client.get(reverse("etablissements:entreprise_ajouter")).status_code == 403
        assert client.post(reverse("etablissements:entreprise_modifier", args=[monde.entreprise.pk])).status_code == 403


@time_machine.travel("2027-06-15 10:00 +0200", tick=False)
def test_seul_le_referent_cree_un_dispositif(client, cast):
    url = reverse("etablissements:dispositif_creer")
    for user in lecteurs(cast).values():
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    client.force_login(cast.sans_role)
    assert client.get(url).status_code == 404
    client.force_login(cast.referent_a)
    assert client.get(url).status_code == 200


def test_coordonnateur_voit_exactement_les_lp_des_conventions_de_son_association(client, cast):
    lp_c = DispositifFactory(partenaire=PartenaireFactory()).etablissement
    # A past convention with LP C counts: the association serves LP C.
    ConventionFactory(dispositif=DispositifFactory(etablissement=lp_c, annee=2020), partenaire=cast.partenaire_a)
    visibles = set(Etablissement.objects.for_user(cast.coordonnateur_a))
    assert visibles == {cast.lp_a, lp_c}
    assert set(Dispositif.objects.for_user(cast.coordonnateur_a).values_list("etablissement", flat=True)) == {
        cast.lp_a.pk,
        lp_c.pk,
    }
    client.force_login(cast.coordonnateur_a)
    page = client.get(reverse("etablissements:dispositifs")).content.decode()
    assert cast.lp_a.nom in page and lp_c.nom in page and cast.lp_b.nom not in page
    assert client.get(reverse("etablissements:dispositif", args=[cast.dispositif_b.pk])).status_code == 404
    # A second coordinator of another association sees none of these.
    autre = AffectationFactory(coordonnateur=True).user
    assert not Etablissement.objects.for_user(autre).exists()
    # Everyone's role list on LP A holds the coordinator's role.
    assert Role.COORDONNATEUR in client.get(reverse("etablissements:etablissement")).wsgi_request.roles

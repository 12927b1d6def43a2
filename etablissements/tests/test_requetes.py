"""List and detail pages run a fixed number of queries, whatever the number of rows (acceptance 6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from etablissements import services
from etablissements.tests.factories import (
    ComiteFactory,
    ConventionFactory,
    DiagnosticFactory,
    DispositifFactory,
    EntrepriseFactory,
    FormationFactory,
    LigneBudgetFactory,
    MembreEquipeFactory,
    PartenaireFactory,
    VersionCadrageFactory,
    rouvrir,
)
from socle.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PLAFOND = 15


def ajouter_des_lignes(cast, n):
    """n more rows of everything the pages of LP A list."""
    d = cast.dispositif_a
    for i in range(n):
        ConventionFactory(dispositif=d, partenaire=PartenaireFactory())
        DispositifFactory(etablissement=cast.lp_a, annee=2000 + i + n * 10, partenaire=PartenaireFactory())
        EntrepriseFactory(etablissement=cast.lp_a, secteur=f"Secteur {i}")
        FormationFactory(etablissement=cast.lp_a)
        MembreEquipeFactory(dispositif=d, user=UserFactory())
        LigneBudgetFactory(dispositif=d)
        LigneBudgetFactory(dispositif=d, engagement=True)
        ComiteFactory(version=cast.version)
        services.convention_modifier(
            convention=cast.convention, valeurs={"assurance": f"Version {i} {n}"}, auteur=UserFactory()
        )
        services.cadrage_modifier(
            version=cast.brouillon, valeurs={"objectifs": f"Objectifs {i} {n}"}, comites=[], auteur=UserFactory()
        )
        cast.diagnostic.formations_ciblees.add(FormationFactory(etablissement=cast.lp_a))


PAGES = {
    "etablissements:etablissement": lambda c: [],
    "etablissements:detail": lambda c: [c.lp_a.pk],
    "etablissements:dispositifs": lambda c: [],
    "etablissements:partenaires": lambda c: [],
    "etablissements:entreprises": lambda c: [],
    "etablissements:dispositif": lambda c: [c.dispositif_a.pk],
    "etablissements:diagnostic": lambda c: [c.dispositif_a.pk],
    "etablissements:conventions": lambda c: [c.dispositif_a.pk],
    "etablissements:convention": lambda c: [c.convention.pk],
    "etablissements:cadrage": lambda c: [c.dispositif_a.pk],
    "etablissements:cadrage_version": lambda c: [c.version.pk],
    "etablissements:cadrage_modifier": lambda c: [c.brouillon.pk],
    "etablissements:equipe": lambda c: [c.dispositif_a.pk],
    "etablissements:membre_ajouter": lambda c: [c.dispositif_a.pk],
    "etablissements:budget": lambda c: [c.dispositif_a.pk],
    "etablissements:frise": lambda c: [c.dispositif_a.pk],
    "etablissements:partenaire": lambda c: [c.partenaire_a.pk],
    "etablissements:formations": lambda c: [c.lp_a.pk],
    "etablissements:diagnostic_modifier": lambda c: [c.dispositif_a.pk],
}


@pytest.fixture
def donnees(cast):
    cast.convention = rouvrir(cast.dispositif_a.conventions.get())
    cast.version = VersionCadrageFactory(dispositif=cast.dispositif_a, validee=True)
    cast.brouillon = VersionCadrageFactory(dispositif=cast.dispositif_a)
    cast.diagnostic = DiagnosticFactory(dispositif=cast.dispositif_a)
    ajouter_des_lignes(cast, 1)
    return cast


@pytest.mark.parametrize("nom", sorted(PAGES))
def test_nombre_de_requetes_independant_du_nombre_de_lignes(client, donnees, django_assert_num_queries, nom):
    client.force_login(donnees.referent_a)
    url = reverse(nom, args=PAGES[nom](donnees))
    client.get(url)  # warm the session and caches of the first request
    with CaptureQueriesContext(connection) as une_ligne:
        assert client.get(url).status_code == 200
    nombre = len(une_ligne.captured_queries)
    assert nombre <= PLAFOND, [q["sql"] for q in une_ligne.captured_queries]
    ajouter_des_lignes(donnees, 6)
    with django_assert_num_queries(nombre):
        reponse = client.get(url)
    assert reponse.status_code == 200


@pytest.mark.parametrize(
    "nom", ["etablissements:dispositifs", "etablissements:dispositif", "etablissements:partenaire"]
)
def test_coordonnateur_nombre_de_requetes_fixe(client, donnees, django_assert_num_queries, nom):
    # Two LPs already: the header's LP switcher appears from the second one on.
    ConventionFactory(dispositif=DispositifFactory(), partenaire=donnees.partenaire_a)
    client.force_login(donnees.coordonnateur_a)
    url = reverse(nom, args=PAGES[nom](donnees))
    client.get(url)
    with CaptureQueriesContext(connection) as avant:
        client.get(url)
    nombre = len(avant.captured_queries)
    assert nombre <= PLAFOND
    for _ in range(4):  # more LPs served by the association
        ConventionFactory(dispositif=DispositifFactory(), partenaire=donnees.partenaire_a)
    with django_assert_num_queries(nombre):
        assert client.get(url).status_code == 200

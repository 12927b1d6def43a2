"""Cross-LP sweep: every URL that takes an object id answers 404 to users of another LP.

For each such URL, `OBJETS_DU_LP_A` says how to build the URL's arguments for an object
of LP A from the fixed cast. A new URL pattern with arguments that is not listed fails
`test_chaque_url_a_objet_est_balayee`. Users of LP B (every role) and users without a
role get 404, for GET and for POST.
"""

import pytest
from django.urls import reverse

from etablissements.tests.factories import AcademieFactory, AffectationFactory
from socle import roles as R
from tests.urls_inventaire import OBJETS_DU_LP_A, motifs

# URLs whose arguments are not an object of an LP (tokens checked by their own tests).
SANS_OBJET_DU_LP = {
    "password_reset_confirm",
    "bilans:repondre",
    "seances:calendrier_ics",
    "seances:avis_repondre",
    "seances:invitation_repondre",
    # An LP's public page is meant for everyone, once the LP publishes it.
    "page_publique",
    "page_publique_affiche",
    "invitation",
    # The reminder's signed link: anyone holding it answers, nobody else (seances/tests/test_rappels.py).
    "seances:rappel",
    # The LP's public signalement form: open to all by design; an unknown code answers 404
    # (seances/tests/test_signalements.py).
    "seances:signalement_public",
    "seances:signalement_envoye",
}


def _urls_a_arguments():
    return sorted(
        nom
        for nom, route, _vue in motifs()
        if "<" in route and nom and not nom.startswith("admin:") and nom not in SANS_OBJET_DU_LP
    )


def test_chaque_url_a_objet_est_balayee():
    manquantes = set(_urls_a_arguments()) - set(OBJETS_DU_LP_A)
    assert not manquantes, f"Ajoutez ces URL au balayage inter-LP : {sorted(manquantes)}"


@pytest.fixture
def utilisateurs_du_lp_b(cast, settings):
    """One user per LP role on LP B, plus the référent of B, a user without a role, the roles held
    on LP B's partner and on another académie, and a national pilot."""
    # The sweep is about scoping: the académie administrator's second factor is tested elsewhere.
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    users = [cast.referent_b, cast.sans_role]
    for role in sorted(R.ROLES_ETABLISSEMENT):
        users.append(AffectationFactory(role=role, etablissement=cast.lp_b).user)
    # The coordinator and the responsable of LP B's partner, which has no convention with LP A.
    users.append(AffectationFactory(coordonnateur=True, partenaire=cast.dispositif_b.partenaire).user)
    users.append(AffectationFactory(responsable=True, partenaire=cast.dispositif_b.partenaire).user)
    # The administrator of another académie.
    users.append(AffectationFactory(admin_academique=True, academie=AcademieFactory(nom="Grenoble")).user)
    # The national pilot: aggregates per académie only, no LP's object.
    users.append(AffectationFactory(pilotage_national=True).user)
    return users


@pytest.mark.django_db
@pytest.mark.parametrize("nom", _urls_a_arguments())
def test_404_pour_les_utilisateurs_du_lp_b(client, cast, utilisateurs_du_lp_b, nom):
    url = reverse(nom, kwargs=OBJETS_DU_LP_A[nom](cast))
    for user in utilisateurs_du_lp_b:
        client.force_login(user)
        # A POST-only view answers 405 to any GET before looking anything up: no leak.
        assert client.get(url).status_code in (404, 405), (nom, user)
        assert client.post(url, {}).status_code == 404, (nom, user)

"""Cross-LP sweep: every URL that takes an object id answers 404 to users of another LP.

For each such URL, `OBJETS_DU_LP_A` says how to build the URL's arguments for an object
of LP A from the fixed cast. A new URL pattern with arguments that is not listed fails
`test_chaque_url_a_objet_est_balayee`. Users of LP B (every role) and users without a
role get 404, for GET and for POST.
"""

import pytest
from django.urls import reverse

from binomes.tests import factories as binomes_f
from etablissements.tests import factories as etab_f
from etablissements.tests.factories import AffectationFactory
from seances.tests import factories as seances_f
from socle.roles import Role
from tests.urls_inventaire import motifs


def _enquete(cast):
    from bilans.models import Enquete

    return Enquete.objects.get_or_create(dispositif=cast.dispositif_a, population="eleves")[0]


# URL name -> function(cast) returning the URL's kwargs for an object of LP A.
OBJETS_DU_LP_A = {
    "bilans:enquete": lambda cast: {"pk": _enquete(cast).pk},
    "bilans:rapport": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:rapport_generer": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:rapport_telecharger": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:inviter": lambda cast: {"pk": _enquete(cast).pk},
    "etablissements:detail": lambda cast: {"pk": cast.lp_a.pk},
    "etablissements:modifier": lambda cast: {"pk": cast.lp_a.pk},
    "etablissements:formations": lambda cast: {"pk": cast.lp_a.pk},
    "etablissements:dispositif": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:diagnostic": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:diagnostic_modifier": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:conventions": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:partenaire_ajouter": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:cadrage": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:cadrage_nouvelle_version": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:equipe": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:membre_ajouter": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:budget": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:ligne_budget_ajouter": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:frise": lambda cast: {"pk": cast.dispositif_a.pk},
    "etablissements:convention": lambda cast: {"pk": cast.dispositif_a.conventions.get().pk},
    "etablissements:convention_modifier": lambda cast: {"pk": cast.dispositif_a.conventions.get().pk},
    "etablissements:partenaire": lambda cast: {"pk": cast.partenaire_a.pk},
    "etablissements:partenaire_modifier": lambda cast: {"pk": cast.partenaire_a.pk},
    "etablissements:jalon_modifier": lambda cast: {"pk": cast.dispositif_a.jalons.first().pk},
    "etablissements:entreprise": lambda cast: {"pk": etab_f.EntrepriseFactory(etablissement=cast.lp_a).pk},
    "etablissements:entreprise_modifier": lambda cast: {"pk": etab_f.EntrepriseFactory(etablissement=cast.lp_a).pk},
    "etablissements:membre_modifier": lambda cast: {"pk": etab_f.MembreEquipeFactory(dispositif=cast.dispositif_a).pk},
    "etablissements:membre_supprimer": lambda cast: {"pk": etab_f.MembreEquipeFactory(dispositif=cast.dispositif_a).pk},
    "etablissements:ligne_budget_modifier": lambda cast: {
        "pk": etab_f.LigneBudgetFactory(dispositif=cast.dispositif_a).pk
    },
    "etablissements:ligne_budget_supprimer": lambda cast: {
        "pk": etab_f.LigneBudgetFactory(dispositif=cast.dispositif_a).pk
    },
    "etablissements:cadrage_version": lambda cast: {
        "pk": etab_f.VersionCadrageFactory(dispositif=cast.dispositif_a).pk
    },
    "etablissements:cadrage_modifier": lambda cast: {
        "pk": etab_f.VersionCadrageFactory(dispositif=cast.dispositif_a).pk
    },
    "etablissements:cadrage_soumettre": lambda cast: {
        "pk": etab_f.VersionCadrageFactory(dispositif=cast.dispositif_a).pk
    },
    "etablissements:cadrage_valider": lambda cast: {
        "pk": etab_f.VersionCadrageFactory(dispositif=cast.dispositif_a).pk
    },
    "etablissements:cadrage_pdf": lambda cast: {
        "pk": etab_f.VersionCadrageFactory(dispositif=cast.dispositif_a, validee=True).pk
    },
    "binomes:import_apercu": lambda cast: {"pk": binomes_f.ImportSiecleFactory(etablissement=cast.lp_a).pk},
    "binomes:eleve": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
    "binomes:eleve_modifier": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
    "binomes:eleve_confirmer": lambda cast: {
        "pk": binomes_f.EleveFactory(etablissement=cast.lp_a, statut="propose").pk
    },
    "binomes:mentor": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
    "binomes:mentor_modifier": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
    "binomes:mentor_honorabilite": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
    "binomes:honorabilite_saisir": lambda cast: {
        "pk": binomes_f.MentorFactory(etablissement=cast.lp_a, recommande_par="aucune").pk
    },
    "binomes:binome": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:binome_modifier": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:binome_activer": lambda cast: {
        "pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a, statut="propose").pk
    },
    "binomes:binome_suspendre": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:binome_terminer": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:binome_rompre": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:reunion": lambda cast: {"pk": binomes_f.ReunionAppariementFactory(dispositif=cast.dispositif_a).pk},
    "binomes:reunion_calculer": lambda cast: {
        "pk": binomes_f.ReunionAppariementFactory(dispositif=cast.dispositif_a).pk
    },
    "binomes:proposition_accepter": lambda cast: {
        "pk": binomes_f.PropositionFactory(reunion__dispositif=cast.dispositif_a).pk
    },
    "binomes:proposition_changer": lambda cast: {
        "pk": binomes_f.PropositionFactory(reunion__dispositif=cast.dispositif_a).pk
    },
    "binomes:proposition_rejeter": lambda cast: {
        "pk": binomes_f.PropositionFactory(reunion__dispositif=cast.dispositif_a).pk
    },
    "seances:detail": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    "seances:modifier": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    "seances:declarer_absence": lambda cast: {
        "pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a, prevue=True).pk
    },
    "seances:entretien": lambda cast: {
        "pk": seances_f.EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a).pk
    },
    "seances:reunion": lambda cast: {"pk": seances_f.ReunionSuiviFactory(dispositif=cast.dispositif_a).pk},
    "seances:evenement": lambda cast: {"pk": seances_f.EvenementFactory(dispositif=cast.dispositif_a).pk},
    "seances:calendrier_reinitialiser": lambda cast: {
        "pk": seances_f.MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a).pk
    },
    "rgpd:export_eleve": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
    "rgpd:export_mentor": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
}

# URLs whose arguments are not an object of an LP (tokens checked by their own tests).
SANS_OBJET_DU_LP = {"password_reset_confirm", "bilans:repondre", "seances:calendrier_ics"}


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
def utilisateurs_du_lp_b(cast):
    """One user per LP role on LP B, plus the référent of B and a user without a role."""
    users = [cast.referent_b, cast.sans_role]
    for role in sorted(Role.values):
        if role in (Role.COORDONNATEUR, Role.PILOTAGE):
            continue
        users.append(AffectationFactory(role=role, etablissement=cast.lp_b).user)
    # The coordinator of LP B's partner, who has no convention with LP A.
    users.append(AffectationFactory(coordonnateur=True, partenaire=cast.dispositif_b.partenaire).user)
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

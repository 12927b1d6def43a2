"""Every URL pattern of the project, walked from the root URLconf, with sample arguments and,
for the URLs that take an object, how to build one of LP A (shared by the sweeps)."""

from django.urls import URLPattern, URLResolver, get_resolver

from bilans.models import Enquete, IndicateurPersonnalise
from binomes.models import Mentor, Suspension
from binomes.tests import factories as binomes_f
from etablissements.tests import factories as etab_f
from seances.tests import factories as seances_f

EXEMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}


def motifs(resolver=None, prefixe="", namespace=""):
    """Yield (name, route, callback) for every pattern, names qualified with their namespace."""
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            ns = f"{namespace}{motif.namespace}:" if motif.namespace else namespace
            yield from motifs(motif, prefixe + str(motif.pattern), ns)
        elif isinstance(motif, URLPattern):
            nom = f"{namespace}{motif.name or ''}" or None
            yield nom, prefixe + str(motif.pattern), motif.callback


def chemin_exemple(route: str) -> str:
    """A concrete path for a route like 'etablissements/<int:pk>/' (regex admin routes excepted)."""
    import re

    def remplacer(m):
        convertisseur = m.group(1) or "str"
        return EXEMPLES.get(convertisseur, "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", remplacer, route)


def _enquete(cast):
    return Enquete.objects.get_or_create(dispositif=cast.dispositif_a, population="eleves")[0]


def _indicateur(cast):
    return {
        "pk": IndicateurPersonnalise.objects.create(
            dispositif=cast.dispositif_a, libelle="Ateliers CV", source="seances_tenues"
        ).pk
    }


def _seance_du_mentor_a(cast):
    """A held séance of LP A where the cast's mentor account takes part (their mentor record made if need be)."""
    mentor = Mentor.objects.filter(user=cast.mentor_a, etablissement=cast.lp_a).first()
    mentor = mentor or binomes_f.MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    binome = binomes_f.BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    return seances_f.SeanceFactory(dispositif=cast.dispositif_a, binome=binome)


def _note_avec_besoin(cast):
    seance = _seance_du_mentor_a(cast)
    mentor = seance.participations.get(mentor__isnull=False).mentor
    return seances_f.NoteMentorFactory(seance=seance, mentor=mentor, besoin=True)


def _partenaire_de_l_academie(cast):
    cast.partenaire_a.academies.add(cast.lp_a.academie)
    return {"pk": cast.lp_a.academie_id, "partenaire_pk": cast.partenaire_a.pk}


def _suspension(cast):
    mentor = binomes_f.MentorFactory(etablissement=cast.lp_a)
    return {"pk": Suspension.objects.create(mentor=mentor, par=cast.chef_a).pk}


def _convention_a_reconduire(cast):
    """LP A's convention back to a draft, last year's with the same partner signed: reconductible."""
    annee = cast.dispositif_a.annee - 1
    if not cast.lp_a.dispositifs.filter(annee=annee).exists():  # the sweeps may build it twice
        precedent = etab_f.DispositifFactory(etablissement=cast.lp_a, annee=annee, partenaire=cast.partenaire_a)
        etab_f.ConventionFactory(dispositif=precedent)
    return {"pk": etab_f.rouvrir(cast.dispositif_a.conventions.get()).pk}


# URL name -> function(cast) returning the URL's kwargs for an object of LP A.
OBJETS_DU_LP_A = {
    "bilans:enquete": lambda cast: {"pk": _enquete(cast).pk},
    "bilans:rapport": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:rapport_generer": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:rapport_telecharger": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:inviter": lambda cast: {"pk": _enquete(cast).pk},
    "bilans:envoyer": lambda cast: {"pk": _enquete(cast).pk},
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
    "etablissements:convention_modifier": lambda cast: {"pk": etab_f.rouvrir(cast.dispositif_a.conventions.get()).pk},
    "etablissements:convention_soumettre": lambda cast: {"pk": cast.dispositif_a.conventions.get().pk},
    "etablissements:convention_renvoyer": lambda cast: {"pk": cast.dispositif_a.conventions.get().pk},
    "etablissements:convention_signer": lambda cast: {"pk": etab_f.rouvrir(cast.dispositif_a.conventions.get()).pk},
    "etablissements:convention_signer_partenaire": lambda cast: {"pk": cast.dispositif_a.conventions.get().pk},
    "etablissements:convention_avenant": lambda cast: {"pk": etab_f.signer(cast.dispositif_a.conventions.get()).pk},
    "etablissements:convention_reconduire": _convention_a_reconduire,
    "etablissements:cadrage_renvoyer": lambda cast: {
        "pk": etab_f.VersionCadrageFactory(dispositif=cast.dispositif_a).pk
    },
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
    # Mentors' invitations and CSV import (issue 12).
    "binomes:mentor_inviter_compte": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
    "binomes:import_mentors_apercu": lambda cast: {"pk": binomes_f.ImportMentorsFactory(etablissement=cast.lp_a).pk},
    "binomes:eleve": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
    "binomes:eleve_modifier": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
    "binomes:pfmp_modifier": lambda cast: {"pk": etab_f.PeriodePFMPFactory(etablissement=cast.lp_a).pk},
    "binomes:pfmp_supprimer": lambda cast: {"pk": etab_f.PeriodePFMPFactory(etablissement=cast.lp_a).pk},
    "binomes:eleve_confirmer": lambda cast: {
        "pk": binomes_f.EleveFactory(etablissement=cast.lp_a, statut="propose").pk
    },
    "binomes:eleve_proposer": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a, inscrit=True).pk},
    "binomes:eleve_entretien": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
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
    "binomes:reconduire": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:passage": lambda cast: {"pk": cast.dispositif_a.pk},
    "binomes:terminer_sortants": lambda cast: {"pk": cast.dispositif_a.pk},
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
    "etablissements:communication": lambda cast: {"pk": cast.lp_a.pk},
    "seances:invitations": lambda cast: {"pk": seances_f.EvenementFactory(dispositif=cast.dispositif_a).pk},
    "seances:invitations_lettres": lambda cast: {"pk": seances_f.EvenementFactory(dispositif=cast.dispositif_a).pk},
    "seances:invitations_presences": lambda cast: {"pk": seances_f.EvenementFactory(dispositif=cast.dispositif_a).pk},
    "seances:avis_liens": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    "seances:avis_liens_creer": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    "seances:modifier": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    "seances:declarer_absence": lambda cast: {
        "pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a, prevue=True).pk
    },
    "seances:entretien": lambda cast: {
        "pk": seances_f.EntretienAbsenceFactory(seance__dispositif=cast.dispositif_a).pk
    },
    "seances:reunion": lambda cast: {"pk": seances_f.ReunionSuiviFactory(dispositif=cast.dispositif_a).pk},
    "seances:evenement": lambda cast: {"pk": seances_f.EvenementFactory(dispositif=cast.dispositif_a).pk},
    # The vie scolaire's absence export (issue 16).
    "seances:import_absences_apercu": lambda cast: {"pk": seances_f.ImportAbsencesFactory(etablissement=cast.lp_a).pk},
    "seances:seance_ics": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    # The mentor's note after a séance (issue 15).
    "seances:note_mentor": lambda cast: {"pk": _seance_du_mentor_a(cast).pk},
    "seances:besoin_traiter": lambda cast: {"pk": _note_avec_besoin(cast).pk},
    "binomes:objectif_nouveau": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "binomes:objectif_modifier": lambda cast: {
        "pk": binomes_f.ObjectifBinomeFactory(binome__dispositif=cast.dispositif_a).pk
    },
    "seances:avancement": lambda cast: {"pk": seances_f.SeanceFactory(dispositif=cast.dispositif_a).pk},
    "seances:attestation_eleve": lambda cast: {"pk": binomes_f.BinomeFactory(dispositif=cast.dispositif_a).pk},
    "seances:attestation_mentor": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
    "seances:attestation_referent": lambda cast: {"pk": cast.dispositif_a.pk},
    "seances:calendrier_reinitialiser": lambda cast: {
        "pk": seances_f.MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a).pk
    },
    "etablissements:acces": lambda cast: {"type_": "lycee", "pk": cast.lp_a.pk},
    "etablissements:invitation_renvoyer": lambda cast: {"pk": etab_f.InvitationFactory(etablissement=cast.lp_a).pk},
    "etablissements:invitation_annuler": lambda cast: {"pk": etab_f.InvitationFactory(etablissement=cast.lp_a).pk},
    "etablissements:affectation_retirer": lambda cast: {
        "pk": etab_f.AffectationFactory(role="cpe", etablissement=cast.lp_a).pk
    },
    # The académie's administration: the académie of LP A, and LP A's partner on its list.
    "etablissements:academie": lambda cast: {"pk": cast.lp_a.academie_id},
    "etablissements:lycee_creer": lambda cast: {"pk": cast.lp_a.academie_id},
    "etablissements:academie_partenaire_nouveau": lambda cast: {"pk": cast.lp_a.academie_id},
    "etablissements:academie_partenaire_inscrire": lambda cast: {"pk": cast.lp_a.academie_id},
    "etablissements:academie_partenaire_modifier": lambda cast: _partenaire_de_l_academie(cast),
    "etablissements:academie_partenaire_retirer": lambda cast: _partenaire_de_l_academie(cast),
    "rgpd:export_eleve": lambda cast: {"pk": binomes_f.EleveFactory(etablissement=cast.lp_a).pk},
    "rgpd:export_mentor": lambda cast: {"pk": binomes_f.MentorFactory(etablissement=cast.lp_a).pk},
    # The dispositif's own indicators (cadrage page).
    "bilans:indicateur_ajouter": lambda cast: {"pk": cast.dispositif_a.pk},
    "bilans:indicateur_modifier": _indicateur,
    "bilans:indicateur_supprimer": _indicateur,
    # The safeguarding channel (issue 15): LP A's public link, a signalement and a suspension.
    "seances:signalement_public": lambda cast: {"code": cast.lp_a.code_public},
    "seances:signalement_envoye": lambda cast: {"code": cast.lp_a.code_public},
    "seances:signalement": lambda cast: {"pk": binomes_f.SignalementFactory(etablissement=cast.lp_a).pk},
    "seances:signalement_suspendre": lambda cast: {
        "pk": binomes_f.SignalementFactory(
            etablissement=cast.lp_a, mentor=binomes_f.MentorFactory(etablissement=cast.lp_a)
        ).pk
    },
    "seances:suspension_lever": _suspension,
}

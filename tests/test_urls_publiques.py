"""Every URL is declared public or protected; anonymous users are sent to login on protected ones.

A new URL pattern that is in neither list fails `test_chaque_url_est_declaree`.
"""

import pytest

from tests.urls_inventaire import chemin_exemple, motifs

PUBLIQUES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accessibilite",
    "mentions_legales",
    "donnees_personnelles",
    "sante",
    "sante_detail",
    "bilans:repondre",
    "seances:calendrier_ics",
    # The student's one-time link after a séance: students have no account.
    "seances:avis_repondre",
    # The invitation to an event: guests (families, companies) have no account.
    "seances:invitation_repondre",
    # The LP's public page on its programme and its poster, once published.
    "page_publique",
    "page_publique_affiche",
    # The mentor's reminder link: confirm or announce an impediment without signing in.
    "seances:rappel",
    "rgpd:information",
    # The emailed invitation: the invited person has no account yet.
    "invitation",
    "proconnect_connexion",
    "proconnect_callback",
    # A student or a parent reports a safeguarding concern from the LP's public link (issue 15).
    "seances:signalement_public",
    "seances:signalement_envoye",
}

PROTEGEES = {
    "accueil",
    "seances:signalements",
    "seances:signalement_nouveau",
    "seances:signalement",
    "seances:signalement_suspendre",
    "seances:suspension_lever",
    "journal",
    "code_otp",
    "securite",
    "seances:rappels",
    "seances:seance_ics",
    "bilans:enquetes",
    "bilans:envoyer",
    "bilans:enquetes_creer",
    "bilans:bilan",
    "bilans:resultats",
    "bilans:qualitatif",
    "bilans:academie",
    "bilans:national",
    "bilans:national_export",
    "bilans:export",
    "bilans:rapports_academie",
    "bilans:rapport",
    "bilans:rapport_generer",
    "bilans:rapport_telecharger",
    "bilans:enquete",
    "bilans:inviter",
    "bilans:indicateur_ajouter",
    "bilans:indicateur_modifier",
    "bilans:indicateur_supprimer",
    "logout",
    "etablissements:etablissement",
    "etablissements:choisir",
    "etablissements:detail",
    "etablissements:modifier",
    "etablissements:formations",
    "etablissements:communication",
    "etablissements:dispositifs",
    "etablissements:dispositif_creer",
    "etablissements:dispositif",
    "etablissements:diagnostic",
    "etablissements:diagnostic_modifier",
    "etablissements:conventions",
    "etablissements:partenaire_ajouter",
    "etablissements:cadrage",
    "etablissements:cadrage_nouvelle_version",
    "etablissements:equipe",
    "etablissements:membre_ajouter",
    "etablissements:budget",
    "etablissements:ligne_budget_ajouter",
    "etablissements:frise",
    "etablissements:convention",
    "etablissements:convention_modifier",
    "etablissements:cadrage_version",
    "etablissements:cadrage_modifier",
    "etablissements:cadrage_soumettre",
    "etablissements:cadrage_valider",
    "etablissements:cadrage_pdf",
    "etablissements:cadrage_renvoyer",
    "etablissements:convention_soumettre",
    "etablissements:convention_renvoyer",
    "etablissements:convention_signer",
    "etablissements:convention_signer_partenaire",
    "etablissements:convention_avenant",
    "etablissements:convention_reconduire",
    "etablissements:membre_modifier",
    "etablissements:membre_supprimer",
    "etablissements:ligne_budget_modifier",
    "etablissements:ligne_budget_supprimer",
    "etablissements:jalon_modifier",
    "etablissements:acces",
    "etablissements:invitation_renvoyer",
    "etablissements:invitation_annuler",
    "etablissements:affectation_retirer",
    "etablissements:partenaires",
    "etablissements:partenaire",
    "etablissements:partenaire_modifier",
    "etablissements:entreprises",
    "etablissements:entreprise_ajouter",
    "etablissements:entreprise",
    "etablissements:entreprise_modifier",
    "binomes:eleves",
    "binomes:eleves_export",
    "binomes:eleve_nouveau",
    "binomes:import_siecle",
    "binomes:import_apercu",
    "binomes:eleve",
    "binomes:eleve_modifier",
    "binomes:pfmp",
    "binomes:pfmp_ajouter",
    "binomes:pfmp_import",
    "binomes:pfmp_modifier",
    "binomes:pfmp_supprimer",
    "binomes:eleve_confirmer",
    "binomes:eleve_proposer",
    "binomes:eleve_entretien",
    "binomes:mentors",
    "binomes:mentors_export",
    "binomes:mentor_nouveau",
    "binomes:mentor",
    "binomes:mentor_modifier",
    "binomes:mentor_honorabilite",
    "binomes:honorabilite_file",
    "binomes:honorabilite_saisir",
    "binomes:mentor_inviter",
    "binomes:mentor_inviter_compte",
    "binomes:import_mentors",
    "binomes:import_mentors_apercu",
    "binomes:binomes",
    "binomes:binomes_export",
    "binomes:binome_nouveau",
    "binomes:binome",
    "binomes:binome_modifier",
    "binomes:binome_activer",
    "binomes:binome_suspendre",
    "binomes:binome_terminer",
    "binomes:binome_rompre",
    "binomes:reconduire",
    "binomes:passage",
    "binomes:terminer_sortants",
    "binomes:reunions",
    "binomes:reunion_nouvelle",
    "binomes:reunion",
    "binomes:reunion_calculer",
    "binomes:proposition_accepter",
    "binomes:proposition_changer",
    "binomes:proposition_rejeter",
    "seances:liste",
    "seances:nouvelle",
    "seances:detail",
    "seances:modifier",
    "seances:avis_liens",
    "seances:invitations",
    "seances:invitations_lettres",
    "seances:invitations_presences",
    "seances:avis_liens_creer",
    "seances:declarer_absence",
    "seances:avancement",
    "seances:attestation_eleve",
    "seances:attestation_mentor",
    "seances:attestation_referent",
    "binomes:objectif_nouveau",
    "binomes:objectif_modifier",
    "seances:entretiens",
    "seances:entretien",
    "seances:absences_du_jour",
    "seances:import_absences",
    "seances:import_absences_apercu",
    "seances:alertes",
    "seances:reunions",
    "seances:reunion_nouvelle",
    "seances:reunion",
    "seances:evenements",
    "seances:evenement_nouveau",
    "seances:evenement",
    "seances:calendrier",
    "seances:calendrier_reinitialiser",
    "seances:note_mentor",
    "seances:besoin_traiter",
    "rgpd:registre",
    "rgpd:export_eleve",
    "rgpd:export_mentor",
    # The académie's administration and the responsable's association.
    "etablissements:administration",
    "etablissements:academie",
    "etablissements:lycee_creer",
    "etablissements:academie_partenaire_nouveau",
    "etablissements:academie_partenaire_inscrire",
    "etablissements:academie_partenaire_modifier",
    "etablissements:academie_partenaire_retirer",
    "etablissements:mon_association",
}


def _projet():
    """Project patterns; Django's admin brings its own login and is checked apart."""
    return [(nom, route, vue) for nom, route, vue in motifs() if not (nom or "").startswith("admin:")]


def test_chaque_url_est_declaree():
    noms = [nom for nom, _route, _vue in _projet()]
    assert None not in noms, "Chaque motif d’URL doit porter un nom."
    non_declarees = set(noms) - PUBLIQUES - PROTEGEES
    assert not non_declarees, f"URL ni publique ni protégée : {sorted(non_declarees)}"
    assert not (set(PUBLIQUES | PROTEGEES) - set(noms)), "Une URL déclarée n’existe plus."


def test_les_vues_publiques_sont_marquees_comme_telles():
    for nom, _route, vue in _projet():
        publique = getattr(vue, "login_required", True) is False
        assert publique == (nom in PUBLIQUES), nom


@pytest.mark.django_db
@pytest.mark.parametrize("nom,route", [(n, r) for n, r, _v in _projet() if n in PROTEGEES])
def test_anonyme_renvoye_vers_la_connexion(client, nom, route):
    chemin = chemin_exemple(route)
    for methode in (client.get, client.post):
        reponse = methode(chemin)
        assert reponse.status_code == 302, (nom, reponse.status_code)
        assert reponse["Location"].startswith("/connexion/?next="), nom


@pytest.mark.django_db
@pytest.mark.parametrize("nom,route", [(n, r) for n, r, _v in _projet() if n in PUBLIQUES])
def test_pages_publiques_sans_connexion(client, nom, route):
    reponse = client.get(chemin_exemple(route))
    # Reached without login; a sample token that matches nothing is a plain 404, and so is
    # the detailed health check without the monitoring token, and ProConnect when not configured.
    attendu = (
        {404} if nom == "sante_detail" or nom.startswith("proconnect_") else {200} | ({404} if "<" in route else set())
    )
    assert reponse.status_code in attendu, nom


@pytest.mark.django_db
def test_admin_demande_sa_propre_connexion(client):
    reponse = client.get("/admin/")
    assert reponse.status_code == 302
    assert reponse["Location"].startswith("/admin/login/")

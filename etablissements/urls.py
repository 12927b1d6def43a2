from django.urls import path

from .views import (
    academie,
    acces,
    cadrage,
    communication,
    convention,
    dispositif,
    entreprises,
    equipe_budget,
    etablissement,
)

app_name = "etablissements"

urlpatterns = [
    # The current LP: the hub of the « cadre du dispositif ».
    path("", etablissement.etablissement, name="etablissement"),
    path("choisir/", etablissement.choisir, name="choisir"),
    path("<int:pk>/", etablissement.detail, name="detail"),
    path("<int:pk>/modifier/", etablissement.modifier, name="modifier"),
    path("<int:pk>/formations/", etablissement.formations, name="formations"),
    path("<int:pk>/communication/", communication.communication, name="communication"),
    # Dispositifs and their sections.
    path("dispositifs/", dispositif.dispositifs, name="dispositifs"),
    path("dispositifs/nouveau/", dispositif.dispositif_creer, name="dispositif_creer"),
    path("dispositifs/<int:pk>/", dispositif.dispositif, name="dispositif"),
    path("dispositifs/<int:pk>/diagnostic/", dispositif.diagnostic, name="diagnostic"),
    path("dispositifs/<int:pk>/diagnostic/modifier/", dispositif.diagnostic_modifier, name="diagnostic_modifier"),
    path("dispositifs/<int:pk>/conventions/", convention.conventions, name="conventions"),
    path("dispositifs/<int:pk>/partenaire/ajouter/", convention.partenaire_ajouter, name="partenaire_ajouter"),
    path("dispositifs/<int:pk>/cadrage/", cadrage.cadrage, name="cadrage"),
    path(
        "dispositifs/<int:pk>/cadrage/nouvelle-version/",
        cadrage.cadrage_nouvelle_version,
        name="cadrage_nouvelle_version",
    ),
    path("dispositifs/<int:pk>/equipe/", equipe_budget.equipe, name="equipe"),
    path("dispositifs/<int:pk>/equipe/ajouter/", equipe_budget.membre_ajouter, name="membre_ajouter"),
    path("dispositifs/<int:pk>/budget/", equipe_budget.budget, name="budget"),
    path("dispositifs/<int:pk>/budget/ajouter/", equipe_budget.ligne_budget_ajouter, name="ligne_budget_ajouter"),
    path("dispositifs/<int:pk>/frise/", dispositif.frise, name="frise"),
    # Objects of a dispositif.
    path("conventions/<int:pk>/", convention.convention, name="convention"),
    path("conventions/<int:pk>/modifier/", convention.convention_modifier, name="convention_modifier"),
    path("conventions/<int:pk>/soumettre/", convention.convention_soumettre, name="convention_soumettre"),
    path("conventions/<int:pk>/renvoyer/", convention.convention_renvoyer, name="convention_renvoyer"),
    path("conventions/<int:pk>/signer/", convention.convention_signer, name="convention_signer"),
    path(
        "conventions/<int:pk>/signer-partenaire/",
        convention.convention_signer_partenaire,
        name="convention_signer_partenaire",
    ),
    path("conventions/<int:pk>/avenant/", convention.convention_avenant, name="convention_avenant"),
    path("conventions/<int:pk>/reconduire/", convention.convention_reconduire, name="convention_reconduire"),
    path("cadrage/<int:pk>/", cadrage.cadrage_version, name="cadrage_version"),
    path("cadrage/<int:pk>/modifier/", cadrage.cadrage_modifier, name="cadrage_modifier"),
    path("cadrage/<int:pk>/soumettre/", cadrage.cadrage_soumettre, name="cadrage_soumettre"),
    path("cadrage/<int:pk>/valider/", cadrage.cadrage_valider, name="cadrage_valider"),
    path("cadrage/<int:pk>/renvoyer/", cadrage.cadrage_renvoyer, name="cadrage_renvoyer"),
    path("cadrage/<int:pk>/pdf/", cadrage.cadrage_pdf, name="cadrage_pdf"),
    path("equipe/<int:pk>/modifier/", equipe_budget.membre_modifier, name="membre_modifier"),
    path("equipe/<int:pk>/supprimer/", equipe_budget.membre_supprimer, name="membre_supprimer"),
    path("budget/<int:pk>/modifier/", equipe_budget.ligne_budget_modifier, name="ligne_budget_modifier"),
    path("budget/<int:pk>/supprimer/", equipe_budget.ligne_budget_supprimer, name="ligne_budget_supprimer"),
    path("jalons/<int:pk>/modifier/", dispositif.jalon_modifier, name="jalon_modifier"),
    # Accounts and access: roles held, invitations (on an LP, an association, an académie).
    path("acces/<str:type_>/<int:pk>/", acces.acces, name="acces"),
    path("invitations/<int:pk>/renvoyer/", acces.invitation_renvoyer, name="invitation_renvoyer"),
    path("invitations/<int:pk>/annuler/", acces.invitation_annuler, name="invitation_annuler"),
    path("roles/<int:pk>/retirer/", acces.affectation_retirer, name="affectation_retirer"),
    # The académie's administration (LPs, chefs, partner associations) and the responsable's entry.
    path("administration/", academie.administration, name="administration"),
    path("administration/<int:pk>/", academie.academie, name="academie"),
    path("administration/<int:pk>/lycees/nouveau/", academie.lycee_creer, name="lycee_creer"),
    path(
        "administration/<int:pk>/partenaires/nouveau/",
        academie.academie_partenaire_nouveau,
        name="academie_partenaire_nouveau",
    ),
    path(
        "administration/<int:pk>/partenaires/inscrire/",
        academie.academie_partenaire_inscrire,
        name="academie_partenaire_inscrire",
    ),
    path(
        "administration/<int:pk>/partenaires/<int:partenaire_pk>/modifier/",
        academie.academie_partenaire_modifier,
        name="academie_partenaire_modifier",
    ),
    path(
        "administration/<int:pk>/partenaires/<int:partenaire_pk>/retirer/",
        academie.academie_partenaire_retirer,
        name="academie_partenaire_retirer",
    ),
    path("mon-association/", academie.mon_association, name="mon_association"),
    # The LP's network: partner associations and companies.
    path("partenaires/", convention.partenaires, name="partenaires"),
    path("partenaires/<int:pk>/", convention.partenaire, name="partenaire"),
    path("partenaires/<int:pk>/modifier/", convention.partenaire_modifier, name="partenaire_modifier"),
    path("entreprises/", entreprises.entreprises, name="entreprises"),
    path("entreprises/ajouter/", entreprises.entreprise_ajouter, name="entreprise_ajouter"),
    path("entreprises/<int:pk>/", entreprises.entreprise, name="entreprise"),
    path("entreprises/<int:pk>/modifier/", entreprises.entreprise_modifier, name="entreprise_modifier"),
]

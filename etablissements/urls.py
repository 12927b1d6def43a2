from django.urls import path

from . import views

app_name = "etablissements"

urlpatterns = [
    # The current LP: the hub of the « cadre du dispositif ».
    path("", views.etablissement, name="etablissement"),
    path("choisir/", views.choisir, name="choisir"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/formations/", views.formations, name="formations"),
    # Dispositifs and their sections.
    path("dispositifs/", views.dispositifs, name="dispositifs"),
    path("dispositifs/nouveau/", views.dispositif_creer, name="dispositif_creer"),
    path("dispositifs/<int:pk>/", views.dispositif, name="dispositif"),
    path("dispositifs/<int:pk>/diagnostic/", views.diagnostic, name="diagnostic"),
    path("dispositifs/<int:pk>/diagnostic/modifier/", views.diagnostic_modifier, name="diagnostic_modifier"),
    path("dispositifs/<int:pk>/conventions/", views.conventions, name="conventions"),
    path("dispositifs/<int:pk>/partenaire/ajouter/", views.partenaire_ajouter, name="partenaire_ajouter"),
    path("dispositifs/<int:pk>/cadrage/", views.cadrage, name="cadrage"),
    path(
        "dispositifs/<int:pk>/cadrage/nouvelle-version/",
        views.cadrage_nouvelle_version,
        name="cadrage_nouvelle_version",
    ),
    path("dispositifs/<int:pk>/equipe/", views.equipe, name="equipe"),
    path("dispositifs/<int:pk>/equipe/ajouter/", views.membre_ajouter, name="membre_ajouter"),
    path("dispositifs/<int:pk>/budget/", views.budget, name="budget"),
    path("dispositifs/<int:pk>/budget/ajouter/", views.ligne_budget_ajouter, name="ligne_budget_ajouter"),
    path("dispositifs/<int:pk>/frise/", views.frise, name="frise"),
    # Objects of a dispositif.
    path("conventions/<int:pk>/", views.convention, name="convention"),
    path("conventions/<int:pk>/modifier/", views.convention_modifier, name="convention_modifier"),
    path("cadrage/<int:pk>/", views.cadrage_version, name="cadrage_version"),
    path("cadrage/<int:pk>/modifier/", views.cadrage_modifier, name="cadrage_modifier"),
    path("cadrage/<int:pk>/soumettre/", views.cadrage_soumettre, name="cadrage_soumettre"),
    path("cadrage/<int:pk>/valider/", views.cadrage_valider, name="cadrage_valider"),
    path("cadrage/<int:pk>/pdf/", views.cadrage_pdf, name="cadrage_pdf"),
    path("equipe/<int:pk>/modifier/", views.membre_modifier, name="membre_modifier"),
    path("equipe/<int:pk>/supprimer/", views.membre_supprimer, name="membre_supprimer"),
    path("budget/<int:pk>/modifier/", views.ligne_budget_modifier, name="ligne_budget_modifier"),
    path("budget/<int:pk>/supprimer/", views.ligne_budget_supprimer, name="ligne_budget_supprimer"),
    path("jalons/<int:pk>/modifier/", views.jalon_modifier, name="jalon_modifier"),
    # The LP's network: partner associations and companies.
    path("partenaires/", views.partenaires, name="partenaires"),
    path("partenaires/<int:pk>/", views.partenaire, name="partenaire"),
    path("partenaires/<int:pk>/modifier/", views.partenaire_modifier, name="partenaire_modifier"),
    path("entreprises/", views.entreprises, name="entreprises"),
    path("entreprises/ajouter/", views.entreprise_ajouter, name="entreprise_ajouter"),
    path("entreprises/<int:pk>/", views.entreprise, name="entreprise"),
    path("entreprises/<int:pk>/modifier/", views.entreprise_modifier, name="entreprise_modifier"),
]

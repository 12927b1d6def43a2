from django.urls import path

from .views import bilan, enquetes, indicateurs_personnalises, national, rapport, tableau_de_bord

app_name = "bilans"

urlpatterns = [
    path("", bilan.bilan, name="bilan"),
    path("resultats/", bilan.resultats, name="resultats"),
    path("qualitatif/", bilan.qualitatif, name="qualitatif"),
    path("academie/", tableau_de_bord.academie, name="academie"),
    path("national/", national.national, name="national"),
    path("national/export/", national.national_export, name="national_export"),
    path("export/", rapport.export, name="export"),
    path("rapports/academie/", rapport.rapports_academie, name="rapports_academie"),
    path("dispositifs/<int:pk>/rapport/", rapport.rapport, name="rapport"),
    path("dispositifs/<int:pk>/rapport/generer/", rapport.rapport_generer, name="rapport_generer"),
    path("dispositifs/<int:pk>/rapport/telecharger/", rapport.rapport_telecharger, name="rapport_telecharger"),
    path("enquetes/", enquetes.enquetes, name="enquetes"),
    path("enquetes/creer/", enquetes.enquetes_creer, name="enquetes_creer"),
    path("enquetes/<int:pk>/", enquetes.enquete, name="enquete"),
    path("enquetes/<int:pk>/inviter/", enquetes.inviter, name="inviter"),
    path("enquetes/<int:pk>/envoyer/", enquetes.envoyer, name="envoyer"),
    path("repondre/<str:jeton>/", enquetes.repondre, name="repondre"),
    path(
        "dispositifs/<int:pk>/indicateurs/ajouter/",
        indicateurs_personnalises.ajouter,
        name="indicateur_ajouter",
    ),
    path("indicateurs/<int:pk>/modifier/", indicateurs_personnalises.modifier, name="indicateur_modifier"),
    path("indicateurs/<int:pk>/supprimer/", indicateurs_personnalises.supprimer, name="indicateur_supprimer"),
]

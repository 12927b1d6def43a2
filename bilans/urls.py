from django.urls import path

from . import bilan_views, enquetes_views, rapport_views, views

app_name = "bilans"

urlpatterns = [
    path("", bilan_views.bilan, name="bilan"),
    path("resultats/", bilan_views.resultats, name="resultats"),
    path("qualitatif/", bilan_views.qualitatif, name="qualitatif"),
    path("academie/", views.academie, name="academie"),
    path("export/", rapport_views.export, name="export"),
    path("rapports/academie/", rapport_views.rapports_academie, name="rapports_academie"),
    path("dispositifs/<int:pk>/rapport/", rapport_views.rapport, name="rapport"),
    path("dispositifs/<int:pk>/rapport/generer/", rapport_views.rapport_generer, name="rapport_generer"),
    path("dispositifs/<int:pk>/rapport/telecharger/", rapport_views.rapport_telecharger, name="rapport_telecharger"),
    path("enquetes/", enquetes_views.enquetes, name="enquetes"),
    path("enquetes/creer/", enquetes_views.enquetes_creer, name="enquetes_creer"),
    path("enquetes/<int:pk>/", enquetes_views.enquete, name="enquete"),
    path("enquetes/<int:pk>/inviter/", enquetes_views.inviter, name="inviter"),
    path("repondre/<str:jeton>/", enquetes_views.repondre, name="repondre"),
]

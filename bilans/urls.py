from django.urls import path

from . import enquetes_views

app_name = "bilans"

urlpatterns = [
    path("enquetes/", enquetes_views.enquetes, name="enquetes"),
    path("enquetes/<int:pk>/", enquetes_views.enquete, name="enquete"),
    path("enquetes/<int:pk>/inviter/", enquetes_views.inviter, name="inviter"),
    path("repondre/<str:jeton>/", enquetes_views.repondre, name="repondre"),
]

from django.urls import path

from . import views

app_name = "etablissements"

urlpatterns = [
    path("", views.etablissement, name="etablissement"),
    path("choisir/", views.choisir, name="choisir"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
]

from django.urls import path

from . import views

app_name = "seances"

urlpatterns = [
    path("seances/", views.liste, name="liste"),
    path("seances/nouvelle/", views.nouvelle, name="nouvelle"),
    path("seances/<int:pk>/", views.detail, name="detail"),
    path("seances/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("seances/<int:pk>/absence/", views.declarer_absence, name="declarer_absence"),
    path("absences/", views.entretiens, name="entretiens"),
    path("absences/entretiens/<int:pk>/", views.entretien, name="entretien"),
    path("alertes/", views.alertes, name="alertes"),
    path("suivi/", views.reunions, name="reunions"),
    path("suivi/reunions/nouvelle/", views.reunion_nouvelle, name="reunion_nouvelle"),
    path("suivi/reunions/<int:pk>/", views.reunion, name="reunion"),
    path("suivi/evenements/", views.evenements, name="evenements"),
    path("suivi/evenements/nouveau/", views.evenement_nouveau, name="evenement_nouveau"),
    path("suivi/evenements/<int:pk>/", views.evenement, name="evenement"),
    path("calendrier/", views.calendrier, name="calendrier"),
    path("calendrier/<int:pk>/reinitialiser/", views.calendrier_reinitialiser, name="calendrier_reinitialiser"),
    path("calendrier/<str:jeton>.ics", views.calendrier_ics, name="calendrier_ics"),
]

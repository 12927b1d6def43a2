from django.urls import path

from .views import absences, calendrier, seances, signalements, suivi

app_name = "seances"

urlpatterns = [
    path("seances/", seances.liste, name="liste"),
    path("seances/nouvelle/", seances.nouvelle, name="nouvelle"),
    path("seances/<int:pk>/", seances.detail, name="detail"),
    path("seances/<int:pk>/modifier/", seances.modifier, name="modifier"),
    path("seances/<int:pk>/absence/", seances.declarer_absence, name="declarer_absence"),
    path("absences/", absences.entretiens, name="entretiens"),
    path("absences/entretiens/<int:pk>/", absences.entretien, name="entretien"),
    path("alertes/", absences.alertes, name="alertes"),
    path("suivi/", suivi.reunions, name="reunions"),
    path("suivi/reunions/nouvelle/", suivi.reunion_nouvelle, name="reunion_nouvelle"),
    path("suivi/reunions/<int:pk>/", suivi.reunion, name="reunion"),
    path("suivi/evenements/", suivi.evenements, name="evenements"),
    path("suivi/evenements/nouveau/", suivi.evenement_nouveau, name="evenement_nouveau"),
    path("suivi/evenements/<int:pk>/", suivi.evenement, name="evenement"),
    path("calendrier/", calendrier.calendrier, name="calendrier"),
    path("calendrier/<int:pk>/reinitialiser/", calendrier.calendrier_reinitialiser, name="calendrier_reinitialiser"),
    path("calendrier/<str:jeton>.ics", calendrier.calendrier_ics, name="calendrier_ics"),
    # The safeguarding channel: the LP's public link (its `code_public`), then the chef's pages.
    path("signaler/<str:code>/", signalements.signalement_public, name="signalement_public"),
    path("signaler/<str:code>/envoye/", signalements.signalement_envoye, name="signalement_envoye"),
    path("signalements/", signalements.signalements, name="signalements"),
    path("signalements/nouveau/", signalements.signalement_nouveau, name="signalement_nouveau"),
    path("signalements/<int:pk>/", signalements.signalement, name="signalement"),
    path("signalements/<int:pk>/suspendre/", signalements.signalement_suspendre, name="signalement_suspendre"),
    path("signalements/suspensions/<int:pk>/lever/", signalements.suspension_lever, name="suspension_lever"),
]

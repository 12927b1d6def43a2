from django.urls import path

from .views import absences, attestations, calendrier, objectifs, seances, suivi

app_name = "seances"

urlpatterns = [
    path("seances/", seances.liste, name="liste"),
    path("seances/nouvelle/", seances.nouvelle, name="nouvelle"),
    path("seances/<int:pk>/", seances.detail, name="detail"),
    path("seances/<int:pk>/modifier/", seances.modifier, name="modifier"),
    path("seances/<int:pk>/absence/", seances.declarer_absence, name="declarer_absence"),
    path("seances/<int:pk>/objectifs/", objectifs.avancement, name="avancement"),
    path("attestations/binomes/<int:pk>/eleve.pdf", attestations.eleve, name="attestation_eleve"),
    path("attestations/mentors/<int:pk>/heures.pdf", attestations.mentor, name="attestation_mentor"),
    path("attestations/dispositifs/<int:pk>/referent.pdf", attestations.referent, name="attestation_referent"),
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
]

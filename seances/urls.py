from django.urls import path

from .views import absences, avis, calendrier, communication, rappels, seances, suivi, vie_scolaire, voix

app_name = "seances"

urlpatterns = [
    path("seances/", seances.liste, name="liste"),
    path("seances/nouvelle/", seances.nouvelle, name="nouvelle"),
    path("seances/<int:pk>/", seances.detail, name="detail"),
    path("seances/<int:pk>/modifier/", seances.modifier, name="modifier"),
    path("seances/<int:pk>/absence/", seances.declarer_absence, name="declarer_absence"),
    path("seances/<int:pk>/avis/", avis.liens, name="avis_liens"),
    path("seances/<int:pk>/avis/creer/", avis.liens_creer, name="avis_liens_creer"),
    path("avis/<str:jeton>/", avis.repondre, name="avis_repondre"),
    path("seances/<int:pk>/note/", voix.note_mentor, name="note_mentor"),
    path("seances/notes/<int:pk>/traiter/", voix.besoin_traiter, name="besoin_traiter"),
    path("absences/", absences.entretiens, name="entretiens"),
    path("absences/entretiens/<int:pk>/", absences.entretien, name="entretien"),
    path("absences/du-jour/", vie_scolaire.absences_du_jour, name="absences_du_jour"),
    path("absences/import/", vie_scolaire.import_absences, name="import_absences"),
    path("absences/import/<int:pk>/", vie_scolaire.import_absences_apercu, name="import_absences_apercu"),
    path("alertes/", absences.alertes, name="alertes"),
    path("suivi/", suivi.reunions, name="reunions"),
    path("suivi/reunions/nouvelle/", suivi.reunion_nouvelle, name="reunion_nouvelle"),
    path("suivi/reunions/<int:pk>/", suivi.reunion, name="reunion"),
    path("suivi/evenements/", suivi.evenements, name="evenements"),
    path("suivi/evenements/nouveau/", suivi.evenement_nouveau, name="evenement_nouveau"),
    path("suivi/evenements/<int:pk>/", suivi.evenement, name="evenement"),
    path("suivi/evenements/<int:pk>/invitations/", communication.invitations, name="invitations"),
    path("suivi/evenements/<int:pk>/lettres/", communication.lettres, name="invitations_lettres"),
    path("suivi/evenements/<int:pk>/presences/", communication.presences, name="invitations_presences"),
    path("invitation-evenement/<str:jeton>/", communication.repondre, name="invitation_repondre"),
    path("calendrier/", calendrier.calendrier, name="calendrier"),
    path("calendrier/<int:pk>/reinitialiser/", calendrier.calendrier_reinitialiser, name="calendrier_reinitialiser"),
    path("calendrier/<str:jeton>.ics", calendrier.calendrier_ics, name="calendrier_ics"),
    path("seances/<int:pk>/seance.ics", rappels.seance_ics, name="seance_ics"),
    path("rappels/", rappels.preferences, name="rappels"),
    path("rappels/reponse/<str:jeton>/", rappels.repondre, name="rappel"),
]

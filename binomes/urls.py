from django.urls import path

from .views import appariement, fiches

app_name = "binomes"

urlpatterns = [
    path("eleves/", fiches.eleves, name="eleves"),
    path("eleves/export.csv", fiches.eleves_export, name="eleves_export"),
    path("eleves/nouveau/", fiches.eleve_nouveau, name="eleve_nouveau"),
    path("eleves/import/", appariement.import_siecle, name="import_siecle"),
    path("eleves/import/<int:pk>/", appariement.import_apercu, name="import_apercu"),
    path("eleves/<int:pk>/", fiches.eleve, name="eleve"),
    path("eleves/<int:pk>/modifier/", fiches.eleve_modifier, name="eleve_modifier"),
    path("eleves/<int:pk>/confirmer/", fiches.eleve_confirmer, name="eleve_confirmer"),
    path("eleves/<int:pk>/proposer/", fiches.eleve_proposer, name="eleve_proposer"),
    path("eleves/<int:pk>/entretien/", fiches.eleve_entretien, name="eleve_entretien"),
    path("mentors/", fiches.mentors, name="mentors"),
    path("mentors/export.csv", fiches.mentors_export, name="mentors_export"),
    path("mentors/nouveau/", fiches.mentor_nouveau, name="mentor_nouveau"),
    path("mentors/<int:pk>/", fiches.mentor, name="mentor"),
    path("mentors/<int:pk>/modifier/", fiches.mentor_modifier, name="mentor_modifier"),
    path("mentors/<int:pk>/honorabilite/", fiches.mentor_honorabilite, name="mentor_honorabilite"),
    path("honorabilite/", fiches.honorabilite_file, name="honorabilite_file"),
    path("honorabilite/<int:pk>/", fiches.honorabilite_saisir, name="honorabilite_saisir"),
    path("", fiches.binomes, name="binomes"),
    path("export.csv", fiches.binomes_export, name="binomes_export"),
    path("nouveau/", fiches.binome_nouveau, name="binome_nouveau"),
    path("<int:pk>/", fiches.binome, name="binome"),
    path("<int:pk>/modifier/", fiches.binome_modifier, name="binome_modifier"),
    path("<int:pk>/activer/", fiches.binome_activer, name="binome_activer"),
    path("<int:pk>/suspendre/", fiches.binome_suspendre, name="binome_suspendre"),
    path("<int:pk>/terminer/", fiches.binome_terminer, name="binome_terminer"),
    path("<int:pk>/rompre/", fiches.binome_rompre, name="binome_rompre"),
    path("appariements/", appariement.reunions, name="reunions"),
    path("appariements/nouvelle/", appariement.reunion_nouvelle, name="reunion_nouvelle"),
    path("appariements/<int:pk>/", appariement.reunion, name="reunion"),
    path("appariements/<int:pk>/calculer/", appariement.reunion_calculer, name="reunion_calculer"),
    path("propositions/<int:pk>/accepter/", appariement.proposition_accepter, name="proposition_accepter"),
    path("propositions/<int:pk>/changer/", appariement.proposition_changer, name="proposition_changer"),
    path("propositions/<int:pk>/rejeter/", appariement.proposition_rejeter, name="proposition_rejeter"),
]

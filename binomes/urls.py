from django.urls import path

from . import views, views_appariement

app_name = "binomes"

urlpatterns = [
    path("eleves/", views.eleves, name="eleves"),
    path("eleves/export.csv", views.eleves_export, name="eleves_export"),
    path("eleves/nouveau/", views.eleve_nouveau, name="eleve_nouveau"),
    path("eleves/import/", views_appariement.import_siecle, name="import_siecle"),
    path("eleves/import/<int:pk>/", views_appariement.import_apercu, name="import_apercu"),
    path("eleves/<int:pk>/", views.eleve, name="eleve"),
    path("eleves/<int:pk>/modifier/", views.eleve_modifier, name="eleve_modifier"),
    path("eleves/<int:pk>/confirmer/", views.eleve_confirmer, name="eleve_confirmer"),
    path("mentors/", views.mentors, name="mentors"),
    path("mentors/export.csv", views.mentors_export, name="mentors_export"),
    path("mentors/nouveau/", views.mentor_nouveau, name="mentor_nouveau"),
    path("mentors/<int:pk>/", views.mentor, name="mentor"),
    path("mentors/<int:pk>/modifier/", views.mentor_modifier, name="mentor_modifier"),
    path("mentors/<int:pk>/honorabilite/", views.mentor_honorabilite, name="mentor_honorabilite"),
    path("honorabilite/", views.honorabilite_file, name="honorabilite_file"),
    path("honorabilite/<int:pk>/", views.honorabilite_saisir, name="honorabilite_saisir"),
    path("", views.binomes, name="binomes"),
    path("export.csv", views.binomes_export, name="binomes_export"),
    path("nouveau/", views.binome_nouveau, name="binome_nouveau"),
    path("<int:pk>/", views.binome, name="binome"),
    path("<int:pk>/modifier/", views.binome_modifier, name="binome_modifier"),
    path("<int:pk>/activer/", views.binome_activer, name="binome_activer"),
    path("<int:pk>/suspendre/", views.binome_suspendre, name="binome_suspendre"),
    path("<int:pk>/terminer/", views.binome_terminer, name="binome_terminer"),
    path("<int:pk>/rompre/", views.binome_rompre, name="binome_rompre"),
    path("appariements/", views_appariement.reunions, name="reunions"),
    path("appariements/nouvelle/", views_appariement.reunion_nouvelle, name="reunion_nouvelle"),
    path("appariements/<int:pk>/", views_appariement.reunion, name="reunion"),
    path("appariements/<int:pk>/calculer/", views_appariement.reunion_calculer, name="reunion_calculer"),
    path("propositions/<int:pk>/accepter/", views_appariement.proposition_accepter, name="proposition_accepter"),
    path("propositions/<int:pk>/changer/", views_appariement.proposition_changer, name="proposition_changer"),
    path("propositions/<int:pk>/rejeter/", views_appariement.proposition_rejeter, name="proposition_rejeter"),
]

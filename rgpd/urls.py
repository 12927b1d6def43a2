from django.urls import path

from . import views

app_name = "rgpd"

urlpatterns = [
    path("registre/", views.registre, name="registre"),
    path("information/", views.information, name="information"),
    path("eleves/<int:pk>/export/", views.export_eleve, name="export_eleve"),
    path("mentors/<int:pk>/export/", views.export_mentor, name="export_mentor"),
]

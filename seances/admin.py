from django.contrib import admin

from .models import Alerte, Notification, Rappel


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for support: what is pending, how many attempts, when it went out."""

    list_display = ["type", "destinataire", "statut", "tentatives", "creee_le", "envoyee_le"]
    list_filter = ["statut", "type"]
    readonly_fields = ["type", "cle", "destinataire", "seance", "donnees", "creee_le", "envoyee_le"]


@admin.register(Alerte)
class AlerteAdmin(admin.ModelAdmin):
    list_display = ["type", "destinataire", "etablissement", "creee_le", "envoyee_le"]
    list_filter = ["type"]
    readonly_fields = ["type", "cle", "destinataire", "etablissement", "message", "lien", "creee_le", "envoyee_le"]


@admin.register(Rappel)
class RappelAdmin(admin.ModelAdmin):
    """Reminders, for support: sent or not, when, and the mentor's answer."""

    list_display = ["seance", "destinataire", "statut", "envoye_le", "reponse", "repondu_le"]
    list_filter = ["statut", "reponse"]
    readonly_fields = ["seance", "cle", "destinataire", "mentor", "cree_le", "envoye_le", "reponse", "repondu_le"]

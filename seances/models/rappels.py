"""Reminders before a planned séance, and each person's reminder preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from binomes.models import Mentor
from socle.contraintes import Verification
from socle.validators import entre, q_entre

from .seances import Seance

DELAI_DEFAUT, DELAI_MIN, DELAI_MAX = 2, 1, 7


class PreferenceRappel(models.Model):
    """One person's choice about reminders; without a row, reminders come DELAI_DEFAUT days before."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference_rappel")
    actif = models.BooleanField("recevoir un rappel avant chaque séance", default=True)
    delai = models.PositiveSmallIntegerField(
        "combien de jours avant",
        default=DELAI_DEFAUT,
        validators=entre(DELAI_MIN, DELAI_MAX, "Le rappel part de 1 à 7 jours avant la séance."),
        help_text="De 1 à 7 jours.",
    )

    class Meta:
        verbose_name = "préférence de rappel"
        verbose_name_plural = "préférences de rappel"
        constraints = [Verification(condition=q_entre("delai", DELAI_MIN, DELAI_MAX), name="preference_rappel_delai")]

    def __str__(self):
        return f"Rappels de {self.user}"


class StatutRappel(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ENVOYE = "envoye", "Envoyé"
    # The séance was moved, cancelled or held before the email could go: nothing to send any more.
    CADUC = "caduc", "Caduc"


class ReponseRappel(models.TextChoices):
    CONFIRMEE = "confirmee", "Présence confirmée"
    EMPECHEMENT = "empechement", "Empêchement annoncé"


class Rappel(models.Model):
    """The reminder of one séance, at one date and time, for one recipient: sent once.

    The key holds the séance's date and time: a séance moved after its reminder gets a new
    reminder for its new date, and the old link stops working. A mentor's reminder carries
    a signed link to confirm or announce an impediment, answered once (`reponse`).
    """

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="rappels")
    cle = models.CharField("clé (date et heure de la séance)", max_length=20)
    destinataire = models.EmailField("destinataire")
    # Set for a mentor's reminder (the one with the confirm / impediment link).
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, null=True, blank=True, related_name="rappels")
    statut = models.CharField("statut", max_length=20, choices=StatutRappel.choices, default=StatutRappel.EN_ATTENTE)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    reponse = models.CharField("réponse", max_length=20, choices=ReponseRappel.choices, blank=True)
    repondu_le = models.DateTimeField("répondu le", null=True, blank=True)

    class Meta:
        verbose_name = "rappel de séance"
        verbose_name_plural = "rappels de séance"
        ordering = ["cree_le", "pk"]
        constraints = [
            # Two runs of the job, or two workers at once, cannot both create the same reminder.
            models.UniqueConstraint(fields=["seance", "cle", "destinataire"], name="rappel_unique"),
            Verification(
                condition=Q(reponse="") | Q(mentor__isnull=False, repondu_le__isnull=False),
                name="rappel_reponse_mentor",
            ),
        ]
        indexes = [
            models.Index(fields=["statut"], condition=Q(statut="en_attente"), name="rappel_en_attente"),
        ]

    def __str__(self):
        return f"Rappel de la séance du {self.seance.date:%d/%m/%Y} → {self.destinataire}"

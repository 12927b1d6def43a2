import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone

from etablissements.models import Dispositif
from etablissements.scoping import ScopedQuerySet
from mentorat.roles import Role

from .enquetes import QUESTIONNAIRES, Population


class Enquete(models.Model):
    """A satisfaction survey of one population for one dispositif."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="enquetes")
    population = models.CharField("population", max_length=20, choices=Population.choices)
    creee_le = models.DateTimeField("créée le", default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = frozenset({Role.REFERENT, Role.CHEF})
    ROLES_ECRITURE = frozenset({Role.REFERENT})

    class Meta:
        verbose_name = "enquête de satisfaction"
        verbose_name_plural = "enquêtes de satisfaction"
        ordering = ["population"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "population"], name="enquete_unique_par_population")
        ]

    def __str__(self):
        return f"Enquête {self.get_population_display().lower()} — {self.dispositif.annee_scolaire}"

    def get_absolute_url(self):
        return reverse("bilans:enquete", args=[self.pk])

    @property
    def questions(self):
        return QUESTIONNAIRES[self.population]


def _jeton():
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A personal link to answer a survey once, without an account.

    Nothing ties an answer to the invitation it came through: answers cannot be traced
    back to a person (only the date of use is kept, and answers keep no time of day).
    """

    enquete = models.ForeignKey(Enquete, on_delete=models.CASCADE, related_name="invitations")
    jeton = models.CharField(max_length=64, unique=True, default=_jeton)
    utilisee_le = models.DateField("utilisée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"

    def __str__(self):
        return f"Invitation {self.pk} ({'utilisée' if self.utilisee_le else 'non utilisée'})"

    def get_absolute_url(self):
        return reverse("bilans:repondre", args=[self.jeton])


class Reponse(models.Model):
    enquete = models.ForeignKey(Enquete, on_delete=models.CASCADE, related_name="reponses")
    date = models.DateField("date", default=timezone.localdate)
    commentaire = models.TextField("commentaire", blank=True, max_length=1000)

    class Meta:
        verbose_name = "réponse"

    def __str__(self):
        return f"Réponse du {self.date:%d/%m/%Y}"


class Note(models.Model):
    reponse = models.ForeignKey(Reponse, on_delete=models.CASCADE, related_name="notes")
    question = models.CharField("question", max_length=30)
    valeur = models.PositiveSmallIntegerField("note")

    class Meta:
        verbose_name = "note"
        constraints = [
            models.UniqueConstraint(fields=["reponse", "question"], name="note_unique_par_question"),
            models.CheckConstraint(condition=models.Q(valeur__gte=1, valeur__lte=4), name="note_entre_1_et_4"),
        ]

    def __str__(self):
        return f"{self.question} : {self.valeur}"

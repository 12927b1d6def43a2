"""The objectives of a binôme, chosen with the student (fiche 3: "des objectifs fixés avec l'élève")."""

from django.db import models
from django.utils import timezone

from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.roles import Role
from socle.validators import DatePlausible

from .binome import Binome

# The sheet speaks of "two or three" objectives: five leaves room, more would dilute the pair's work.
OBJECTIFS_MAX = 5


class StatutObjectif(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    ATTEINT = "atteint", "Atteint"
    ABANDONNE = "abandonne", "Abandonné"


class OrigineObjectif(models.TextChoices):
    CADRAGE = "cadrage", "Objectif du document de cadrage"
    LIBRE = "libre", "Objectif libre"


class ObjectifBinome(models.Model):
    """One objective of a pair; its progress is noted at the séances (seances.AvancementObjectif)."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="objectifs_suivis")
    libelle = models.CharField(
        "objectif", max_length=200, help_text="Une phrase courte, sans donnée personnelle sur l’élève."
    )
    origine = models.CharField("origine", max_length=20, choices=OrigineObjectif.choices, default=OrigineObjectif.LIBRE)
    statut = models.CharField("statut", max_length=20, choices=StatutObjectif.choices, default=StatutObjectif.EN_COURS)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    fixe_le = models.DateField("fixé le", default=timezone.localdate, validators=[DatePlausible()])
    # The day it was last reached or abandoned; empty while in progress.
    statut_le = models.DateField("statut fixé le", null=True, blank=True, validators=[DatePlausible()])

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "binome__dispositif__etablissement"
    # The mentor reads the objectives of their own pairs.
    ACCES_PERSONNEL = {Role.MENTOR: "binome__mentor__user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "objectif du binôme"
        verbose_name_plural = "objectifs du binôme"
        ordering = ["binome", "ordre", "pk"]

    def __str__(self):
        return self.libelle

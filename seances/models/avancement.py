"""The progress of a binôme's objectives, noted at a séance."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from binomes.models import ObjectifBinome, StatutObjectif
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.roles import Role

from .seances import Seance


class AvancementObjectif(models.Model):
    """Where one objective stood after one séance: a short note and its status then."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="avancements")
    objectif = models.ForeignKey(ObjectifBinome, on_delete=models.CASCADE, related_name="avancements")
    note = models.CharField(
        "avancement", max_length=300, blank=True, help_text="En quelques mots : ce qui a progressé, ce qui reste."
    )
    statut_apres = models.CharField("statut après la séance", max_length=20, choices=StatutObjectif.choices)
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saisi_le = models.DateTimeField("saisi le", default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "seance__dispositif__etablissement"
    ACCES_PERSONNEL = {Role.MENTOR: "objectif__binome__mentor__user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "avancement d’un objectif"
        verbose_name_plural = "avancements des objectifs"
        ordering = ["-seance__date", "-pk"]
        constraints = [
            # Noted again at the same séance: the row is corrected, not doubled.
            models.UniqueConstraint(fields=["seance", "objectif"], name="avancement_unique_par_seance"),
        ]

    def __str__(self):
        return f"{self.objectif} — {self.seance}"

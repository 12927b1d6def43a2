"""The programme's team inside the LP."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from socle import roles as R

from ..scoping import ScopedQuerySet
from .dispositif import Dispositif


class RoleEquipe(models.TextChoices):
    """The roles the sheet names in the team in charge of the dispositif."""

    REFERENT = "referent", "Référent mentorat"
    COORDONNATEUR = "coordonnateur", "Coordonnateur des mentors du partenaire"
    CHEF = "chef", "Chef d’établissement"
    DDFPT = "ddfpt", "DDFPT"
    RBDE = "rbde", "Responsable du bureau des entreprises (RBDE)"
    CPE = "cpe", "CPE"
    AUTRE = "autre", "Autre membre"


class MembreEquipe(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="equipe")
    role = models.CharField("rôle dans le dispositif", max_length=20, choices=RoleEquipe.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membres_equipe",
        help_text="Le compte de la personne, si elle en a un.",
    )
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    fonction = models.CharField("fonction", max_length=200, blank=True, help_text="Par exemple : professeur de vente.")
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    mission_pacte = models.BooleanField(
        "mission reconnue dans le PACTE enseignant",
        default=False,
        help_text="Pour le référent mentorat : sa mission est valorisée dans le cadre du PACTE.",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "membre de l’équipe"
        verbose_name_plural = "membres de l’équipe"
        ordering = ["role", "nom", "prenom"]

    def __str__(self):
        return f"{self.nom_complet} ({self.get_role_display()})"

    @property
    def nom_complet(self) -> str:
        nom = f"{self.prenom} {self.nom}".strip()
        if not nom and self.user_id:
            nom = str(self.user)
        return nom or "—"

    def clean(self):
        if not (self.nom.strip() or self.user_id):
            raise ValidationError({"nom": "Indiquez le nom de la personne ou choisissez son compte."})
        if self.mission_pacte and self.role != RoleEquipe.REFERENT:
            raise ValidationError({"mission_pacte": "Seule la mission du référent mentorat relève du PACTE ici."})

"""The LP's network: partner associations that coordinate mentors, and companies."""

from django.db import models
from django.db.models import Q

from socle import roles as R
from socle.chemins import chemin
from socle.roles import Role
from socle.validators import valider_siret

from ..scoping import ScopedQuerySet, perimetre
from .etablissement import Academie, Etablissement


class TypePartenaire(models.TextChoices):
    ASSOCIATION = "association", "Association de mentorat"
    ENTREPRISE = "entreprise", "Entreprise ou fondation d’entreprise"
    AUTRE = "autre", "Autre structure"


class PartenaireQuerySet(models.QuerySet):
    def for_user(self, user, roles=None):
        """Partners tied to the user's LPs by a convention, and those the user coordinates."""
        p = perimetre(user)
        ids = p.etablissements(R.LECTURE_PROGRAMME if roles is None else roles)
        # Through the conventions' reverse relation: the Convention model lives above this module.
        return self.filter(
            Q(pk__in=self.model.objects.filter(conventions__dispositif__etablissement__in=ids).values("pk"))
            | Q(pk__in=p.partenaires)
        )


class Partenaire(models.Model):
    """The association (or structure) that coordinates the mentors of one or more LPs."""

    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=TypePartenaire.choices, default=TypePartenaire.ASSOCIATION)
    plan_1j1m = models.BooleanField(
        "lauréat du plan « 1 jeune, 1 mentor »",
        default=False,
        help_text="Association retenue par le processus national de sélection.",
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    academies = models.ManyToManyField(
        Academie,
        verbose_name="académies",
        blank=True,
        related_name="partenaires",
        help_text="Les académies qui ont inscrit l’association sur leur liste : leurs lycées la choisissent.",
    )

    objects = PartenaireQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return chemin("etablissements:partenaire", self.pk)


class Entreprise(models.Model):
    """A company or structure of the LP's network that provides mentors."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="entreprises")
    nom = models.CharField("raison sociale", max_length=200)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[valider_siret], help_text="Facultatif : 14 chiffres."
    )
    secteur = models.CharField("secteur d’activité", max_length=100, blank=True)
    contact_nom = models.CharField("nom du contact", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_ENTREPRISES | {Role.COORDONNATEUR}

    class Meta:
        verbose_name = "entreprise ou structure"
        verbose_name_plural = "entreprises et structures"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return chemin("etablissements:entreprise", self.pk)

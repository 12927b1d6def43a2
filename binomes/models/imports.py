"""The files imported by an LP (SIECLE students, mentors), kept until applied."""

from django.conf import settings
from django.db import models

from etablissements.models import Etablissement
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.contraintes import Verification
from socle.validators import (
    ANNEE_MAX,
    ANNEE_MIN,
    AnneePlausible,
    q_entre,
)


class ImportConserve(models.Model):
    """A parsed file waiting for confirmation: the preview is kept server-side so the
    confirmation applies exactly what was shown (and re-validates it)."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="+")
    nom_fichier = models.CharField("fichier", max_length=255)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    lignes = models.JSONField("lignes lues", default=list)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField("déposé le", auto_now_add=True)
    applique_le = models.DateTimeField("appliqué le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"

    class Meta:
        abstract = True
        ordering = ["-cree_le"]

    def __str__(self):
        return f"Import {self.nom_fichier}"


class ImportSiecle(ImportConserve):
    annee = models.PositiveSmallIntegerField("année scolaire", validators=[AnneePlausible()])
    lignes = models.JSONField("élèves lus", default=list)

    ROLES_LECTURE = R.GESTION_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta(ImportConserve.Meta):
        verbose_name = "import SIECLE"
        constraints = [
            Verification(condition=q_entre("annee", ANNEE_MIN, ANNEE_MAX), name="import_siecle_annee_bornee")
        ]


class ImportMentors(ImportConserve):
    """A mentors CSV waiting for confirmation (who may invite mentors on the LP: binomes.mentors)."""

    lignes = models.JSONField("mentors lus", default=list)

    ROLES_LECTURE = R.SUIVI_PARTENAIRE
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta(ImportConserve.Meta):
        verbose_name = "import de mentors"

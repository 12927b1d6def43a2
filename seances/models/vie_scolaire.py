"""The vie scolaire's absence exports: the column mapping an LP keeps, and the files kept until applied."""

from django.db import models

from binomes.models import ImportConserve
from etablissements.models import Etablissement
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.chemins import chemin


class CorrespondanceAbsences(models.Model):
    """Which column of the LP's absence export holds what: chosen once, offered again for the next file.

    Kept by normalised header (not by position), so that an export whose columns moved is still read.
    """

    etablissement = models.OneToOneField(Etablissement, on_delete=models.CASCADE, related_name="+")
    colonnes = models.JSONField("colonnes", default=dict, blank=True)
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.VIE_SCOLAIRE
    ROLES_ECRITURE = R.VIE_SCOLAIRE

    class Meta:
        verbose_name = "correspondance des colonnes de l’export d’absences"
        verbose_name_plural = "correspondances des colonnes de l’export d’absences"

    def __str__(self):
        return f"Colonnes de l’export d’absences de {self.etablissement}"


class ImportAbsences(ImportConserve):
    """An absence export waiting for its column mapping and confirmation.

    The rows are kept as read (cells as text) because what they mean depends on the mapping
    chosen on the preview; they are emptied once applied, only the counts stay.
    """

    entetes = models.JSONField("en-têtes du fichier", default=list)
    lignes = models.JSONField("lignes du fichier", default=list)
    resultat = models.JSONField("résultat", default=dict, blank=True)

    ROLES_LECTURE = R.VIE_SCOLAIRE
    ROLES_ECRITURE = R.VIE_SCOLAIRE

    class Meta(ImportConserve.Meta):
        verbose_name = "import d’absences de la vie scolaire"
        verbose_name_plural = "imports d’absences de la vie scolaire"

    def get_absolute_url(self):
        return chemin("seances:import_absences_apercu", self.pk)

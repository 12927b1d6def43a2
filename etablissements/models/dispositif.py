"""The dispositif: one LP's mentoring programme for one school year."""

from datetime import date

from django.db import models
from django.http import Http404
from django.utils import timezone

from socle import roles as R
from socle.chemins import chemin
from socle.contraintes import Verification
from socle.validators import ANNEE_MAX, ANNEE_MIN, AnneePlausible, q_entre

from ..scoping import ScopedQuerySet
from .etablissement import Etablissement
from .partenaire import Partenaire


def annee_scolaire_courante(jour: date | None = None) -> int:
    """The first calendar year of the school year holding `jour` (a year runs 1 Sept–31 Aug)."""
    jour = jour or timezone.localdate()
    return jour.year if jour.month >= 9 else jour.year - 1


class DispositifQuerySet(ScopedQuerySet):
    def courant(self, etablissement):
        """The LP's dispositif of the current school year (where new binômes, meetings and surveys go), or None."""
        return self.filter(etablissement=etablissement, annee=annee_scolaire_courante()).first()

    def courant_ou_404(self, etablissement):
        dispositif = self.courant(etablissement)
        if dispositif is None:
            raise Http404("Aucun dispositif pour l’année en cours.")
        return dispositif


class Dispositif(models.Model):
    """One LP's mentoring programme for one school year."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="dispositifs")
    annee = models.PositiveSmallIntegerField(
        "année scolaire",
        help_text="Première année civile de l’année scolaire (2025 pour 2025-2026).",
        validators=[AnneePlausible()],
    )
    partenaire = models.ForeignKey(
        Partenaire,
        verbose_name="partenaire coordonnateur",
        on_delete=models.PROTECT,
        related_name="dispositifs",
        null=True,
        blank=True,
    )

    objects = DispositifQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "dispositif"
        ordering = ["etablissement__nom", "-annee"]
        constraints = [
            models.UniqueConstraint(fields=["etablissement", "annee"], name="dispositif_unique_par_annee"),
            Verification(condition=q_entre("annee", ANNEE_MIN, ANNEE_MAX), name="dispositif_annee_bornee"),
        ]

    def __str__(self):
        return f"{self.etablissement} — {self.annee_scolaire}"

    def get_absolute_url(self):
        return chemin("etablissements:dispositif", self.pk)

    @property
    def est_courant(self) -> bool:
        return self.annee == annee_scolaire_courante()

    @property
    def annee_scolaire(self) -> str:
        return f"{self.annee}-{self.annee + 1}"

    @property
    def date_debut(self) -> date:
        return date(self.annee, 9, 1)

    @property
    def date_fin(self) -> date:
        return date(self.annee + 1, 8, 31)

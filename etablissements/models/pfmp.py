"""The PFMP periods (périodes de formation en milieu professionnel) of an LP's classes.

During a PFMP the students of a class are in a company, not in the LP: no séance is held
with them, and the weeks do not count towards the inactivity alert (etablissements/calendrier.py).
A class is named as in the students' records (`Eleve.classe`, from SIECLE): the period is
tied to that name, not to a student, so that it holds no personal data.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from socle import roles as R
from socle.contraintes import Verification
from socle.roles import Role
from socle.validators import DatePlausible

from ..scoping import ScopedQuerySet
from .dispositif import annee_scolaire_courante
from .etablissement import Etablissement

# The DDFPT organises the PFMP of the LP; the référent manages the whole programme.
GESTION_PFMP = frozenset({Role.REFERENT, Role.DDFPT})


class PeriodePFMP(models.Model):
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="periodes_pfmp")
    annee = models.PositiveSmallIntegerField("année scolaire", editable=False)
    classe = models.CharField("classe", max_length=50, help_text="Comme dans SIECLE, par exemple « 1MELEC ».")
    debut = models.DateField("premier jour", validators=[DatePlausible()])
    fin = models.DateField("dernier jour", validators=[DatePlausible()])
    libelle = models.CharField("libellé", max_length=100, blank=True, help_text="Facultatif, par exemple « PFMP 2 ».")

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    # The LP's programme team and the coordinator, who plans the séances around the PFMP.
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = GESTION_PFMP

    class Meta:
        verbose_name = "période de PFMP"
        verbose_name_plural = "périodes de PFMP"
        ordering = ["debut", "classe"]
        constraints = [
            Verification(condition=Q(fin__gte=F("debut")), name="pfmp_fin_apres_debut"),
            models.UniqueConstraint(fields=["etablissement", "classe", "debut"], name="pfmp_unique_par_classe"),
        ]
        indexes = [models.Index(fields=["etablissement", "annee"])]

    def __str__(self):
        nom = self.libelle or "PFMP"
        return f"{nom} {self.classe} du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        # The school year follows the first day: a PFMP never spans the summer break.
        self.annee = annee_scolaire_courante(self.debut)
        super().save(*args, **kwargs)

    def clean(self):
        self.classe = (self.classe or "").strip()
        if not (self.debut and self.fin):
            return
        if self.fin < self.debut:
            raise ValidationError({"fin": "Le dernier jour doit suivre le premier."})
        if annee_scolaire_courante(self.fin) != annee_scolaire_courante(self.debut):
            raise ValidationError({"fin": "Une PFMP tient dans une seule année scolaire (septembre à août)."})
        if self.etablissement_id and self.classe:
            autre = chevauchements(self.etablissement_id, self.classe, self.debut, self.fin, exclure=self.pk).first()
            if autre:
                raise ValidationError(f"Cette période chevauche une autre PFMP de la classe : {autre}.")


def chevauchements(etablissement_id, classe, debut, fin, exclure=None):
    """The class's periods sharing at least one day with debut–fin (one query)."""
    qs = PeriodePFMP.objects.filter(etablissement_id=etablissement_id, classe=classe, debut__lte=fin, fin__gte=debut)
    return qs.exclude(pk=exclure) if exclure else qs

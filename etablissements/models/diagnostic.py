"""The collective reflection of the LP before its programme (« réflexion en établissement »)."""

from django.db import models

from socle import roles as R
from socle.contraintes import Verification
from socle.validators import DatePlausible, q_date

from ..scoping import ScopedQuerySet
from .communs import libelles
from .dispositif import Dispositif
from .etablissement import Formation


class SourceDiagnostic(models.TextChoices):
    """The supports of the collective reflection the sheet lists."""

    AUTO_EVALUATION = "auto_evaluation", "Auto-évaluations"
    CLIMAT_SCOLAIRE = "climat_scolaire", "Enquêtes locales de climat scolaire"
    QUALEDUC = "qualeduc", "Démarche Qualéduc"
    EVALUATION = "evaluation", "Évaluation d’établissement (loi pour une école de la confiance)"
    LABELLISATIONS = "labellisations", "Labellisations (CMQ, lycée des métiers, E3D, égalité filles-garçons…)"
    PROJET_ETABLISSEMENT = "projet_etablissement", "Projet d’établissement"
    VOLET_ORIENTATION = "volet_orientation", "Volet orientation du projet d’établissement"
    PROJET_VIE_SCOLAIRE = "projet_vie_scolaire", "Projet du service de vie scolaire"
    CONTRAT_OBJECTIFS = "contrat_objectifs", "Contrat d’objectifs"


class TypeMentorat(models.TextChoices):
    COMPETENCES = "competences_professionnelles", "Compétences professionnelles"
    ORIENTATION = "orientation", "Orientation"
    INSERTION = "insertion", "Insertion professionnelle"
    PERSEVERANCE = "perseverance", "Persévérance scolaire"
    AUTRE = "autre", "Autre"


class Diagnostic(models.Model):
    """The collective reflection of the LP (« réflexion en établissement ») and the decision it leads to."""

    dispositif = models.OneToOneField(Dispositif, on_delete=models.CASCADE, related_name="diagnostic")
    date_reflexion = models.DateField(
        "date de la réflexion collective", null=True, blank=True, validators=[DatePlausible()]
    )
    participants = models.TextField(
        "personnes mobilisées", blank=True, help_text="Membres de la communauté éducative associés à la réflexion."
    )
    sources = models.JSONField("sources utilisées", default=list, blank=True)
    autres_sources = models.CharField("autres sources", max_length=255, blank=True)
    constats = models.TextField("constats", blank=True, help_text="Ce que ces sources ont montré.")
    besoins = models.TextField("besoins et attentes identifiés", blank=True)
    types_mentorat = models.JSONField("type de mentorat retenu", default=list, blank=True)
    type_mentorat_autre = models.CharField("autre type de mentorat", max_length=200, blank=True)
    public_cible = models.TextField("public d’élèves ciblé", blank=True)
    formations_ciblees = models.ManyToManyField(
        Formation, verbose_name="formations ciblées", blank=True, related_name="diagnostics"
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "diagnostic"
        constraints = [Verification(condition=q_date("date_reflexion", nullable=True), name="diagnostic_date_bornee")]

    def __str__(self):
        return f"Diagnostic {self.dispositif}"

    @property
    def est_complet(self) -> bool:
        """Sources, needs and the decision (type of mentoring, target students) are all written."""
        return bool(
            (self.sources or self.autres_sources.strip())
            and self.besoins.strip()
            and (self.types_mentorat or self.type_mentorat_autre.strip())
            and self.public_cible.strip()
        )

    def get_sources_display(self):
        return libelles(SourceDiagnostic, self.sources)

    def get_types_mentorat_display(self):
        return libelles(TypeMentorat, self.types_mentorat)

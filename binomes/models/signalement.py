"""The safeguarding channel: confidential reports (signalements) and the suspension of a mentor."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from etablissements.models import Etablissement
from etablissements.scoping import ScopedQuerySet
from socle import roles as R

from .binome import Binome
from .mentor import Mentor


class QualiteDeclarant(models.TextChoices):
    ELEVE = "eleve", "Élève"
    PARENT = "parent", "Parent ou responsable légal"
    MENTOR = "mentor", "Mentor"
    PERSONNEL = "personnel", "Personnel du lycée"
    COORDONNATEUR = "coordonnateur", "Coordonnateur de l’association"
    AUTRE = "autre", "Autre personne"


class Canal(models.TextChoices):
    LIEN_PUBLIC = "lien_public", "Lien public du lycée"
    APPLICATION = "application", "Application"


class StatutSignalement(models.TextChoices):
    RECU = "recu", "Reçu"
    EN_COURS = "en_cours", "En cours de traitement"
    CLOS = "clos", "Clos"


class Signalement(models.Model):
    """A confidential report about a minor's safety in the programme.

    Read by the chef and the référent of the LP only (`R.SIGNALEMENTS`); every creation and
    every reading is logged. Its text never leaves these pages: no export, no académie page,
    no report reads this model (tests search a report's sentence in all of them).
    """

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="signalements")
    canal = models.CharField("déposé par", max_length=20, choices=Canal.choices)
    qualite = models.CharField("vous êtes", max_length=20, choices=QualiteDeclarant.choices)
    # Optional: a student may report without saying who they are.
    contact = models.CharField(
        "comment vous recontacter",
        max_length=200,
        blank=True,
        help_text="Facultatif : nom, téléphone ou adresse électronique.",
    )
    texte = models.TextField("ce qui s’est passé")
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte du déclarant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mentor = models.ForeignKey(
        Mentor,
        verbose_name="mentor concerné",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signalements",
    )
    binome = models.ForeignKey(
        Binome,
        verbose_name="binôme concerné",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signalements",
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutSignalement.choices, default=StatutSignalement.RECU
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)
    modifie_le = models.DateTimeField("statut changé le", null=True, blank=True)
    clos_le = models.DateTimeField("clos le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.SIGNALEMENTS
    ROLES_ECRITURE = R.SIGNALEMENTS

    class Meta:
        verbose_name = "signalement"
        ordering = ["-depose_le", "-pk"]
        indexes = [models.Index(fields=["etablissement", "-depose_le"], name="signalement_etab_date")]

    def __str__(self):
        # No content: this string lands in the access log and in page titles.
        return f"Signalement n° {self.pk} du {timezone.localtime(self.depose_le):%d/%m/%Y}"


class SuspensionQuerySet(ScopedQuerySet):
    def en_cours(self):
        return self.filter(levee_le__isnull=True)


class Suspension(models.Model):
    """The chef suspends a mentor at once (a fact: when, by whom); lifted after a new honorabilité check.

    Read by whoever follows the LP's mentors (the fact, never the signalement behind it), so
    that the référent and the coordinator understand why séances are refused.
    """

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="suspensions")
    signalement = models.ForeignKey(
        Signalement, on_delete=models.SET_NULL, null=True, blank=True, related_name="suspensions"
    )
    debut = models.DateTimeField("suspendu le", default=timezone.now)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="suspendu par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    levee_le = models.DateTimeField("levée le", null=True, blank=True)
    levee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="levée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The date of the new check that allowed the lifting (the Honorabilite record keeps only the latest).
    verification_du = models.DateField("nouvelle vérification du", null=True, blank=True)

    objects = SuspensionQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "mentor__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUSPENSION_MENTOR

    class Meta:
        verbose_name = "suspension d’un mentor"
        verbose_name_plural = "suspensions de mentors"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor"], condition=Q(levee_le__isnull=True), name="suspension_une_en_cours_par_mentor"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} suspendu le {timezone.localtime(self.debut):%d/%m/%Y}"

    @property
    def date_debut(self):
        return timezone.localtime(self.debut).date()

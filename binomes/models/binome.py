"""The pairs, the pairing meeting and its proposals."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from etablissements.models import Dispositif
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.contraintes import Verification
from socle.roles import Role
from socle.validators import (
    DatePlausible,
    q_date,
    q_ordonnees,
)

from .eleve import Eleve
from .mentor import Mentor
from .statuts import StatutBinome


class Binome(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="binomes")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="binomes")
    eleve = models.ForeignKey(Eleve, on_delete=models.PROTECT, related_name="binomes", verbose_name="élève")
    statut = models.CharField("statut", max_length=20, choices=StatutBinome.choices, default=StatutBinome.PROPOSE)
    date_debut = models.DateField("début", null=True, blank=True, validators=[DatePlausible()])
    date_fin_prevue = models.DateField("fin prévue", null=True, blank=True, validators=[DatePlausible()])
    # Superseded by ObjectifBinome (one row per objective, migration 0013 moved the lines there):
    # no longer shown nor edited, left empty until it is dropped.
    objectifs = models.TextField("objectifs", blank=True)
    # Not ordered after date_debut in the database: a pair planned to start later may be ended today.
    date_fin = models.DateField("fin effective", null=True, blank=True, validators=[DatePlausible()])
    motif_fin = models.CharField("motif de la fin", max_length=255, blank=True)
    fin_saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="fin enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A pair renewed at the year change: the previous year's binôme, and both agreements
    # (the mentor's and the student's) that the renewal requires, with their dates.
    precedent = models.OneToOneField(
        "self",
        verbose_name="binôme de l’année précédente",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suivant",
    )
    accord_mentor_le = models.DateField(
        "accord du mentor pour la reconduction", null=True, blank=True, validators=[DatePlausible()]
    )
    accord_eleve_le = models.DateField(
        "accord de l’élève pour la reconduction", null=True, blank=True, validators=[DatePlausible()]
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    # A mentor sees their own binômes, and nothing else of the LP.
    ACCES_PERSONNEL = {Role.MENTOR: "mentor__user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "binôme"
        ordering = ["-date_debut"]
        constraints = [
            # Re-pairing after a break creates a new row; only one living pair per couple.
            models.UniqueConstraint(
                fields=["mentor", "eleve"],
                condition=Q(statut__in=["propose", "actif", "suspendu"]),
                name="binome_vivant_unique",
            ),
            Verification(
                condition=q_date("date_debut", nullable=True)
                & q_date("date_fin_prevue", nullable=True)
                & q_date("date_fin", nullable=True),
                name="binome_dates_bornees",
            ),
            Verification(condition=q_ordonnees("date_debut", "date_fin_prevue"), name="binome_fin_prevue_apres_debut"),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.eleve}"


class ReunionAppariement(models.Model):
    """The pairing meeting: who sat at it, and the proposals computed for its group."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="reunions_appariement")
    date = models.DateField("date de la réunion", validators=[DatePlausible()])
    participants = models.CharField(
        "participants", max_length=500, blank=True, help_text="Noms et fonctions, séparés par des virgules."
    )
    rh_entreprises_invites = models.BooleanField("responsables RH des entreprises invités", default=False)
    eleves = models.ManyToManyField(Eleve, verbose_name="élèves du groupe", blank=True, related_name="+")
    mentors = models.ManyToManyField(Mentor, verbose_name="mentors du groupe", blank=True, related_name="+")
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "réunion d’appariement"
        verbose_name_plural = "réunions d’appariement"
        ordering = ["-date", "-pk"]
        constraints = [Verification(condition=q_date("date"), name="reunion_appariement_date_bornee")]

    def __str__(self):
        return f"Réunion d’appariement du {self.date:%d/%m/%Y}"


class StatutProposition(models.TextChoices):
    PROPOSEE = "proposee", "Proposée"
    ACCEPTEE = "acceptee", "Acceptée"
    MODIFIEE = "modifiee", "Modifiée"
    REJETEE = "rejetee", "Rejetée"


class Proposition(models.Model):
    """One pair proposed by the optimal assignment, with the reasons of its score."""

    reunion = models.ForeignKey(ReunionAppariement, on_delete=models.CASCADE, related_name="propositions")
    eleve = models.ForeignKey(Eleve, verbose_name="élève", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Mentor, verbose_name="mentor proposé", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField("score")
    raisons = models.JSONField("raisons du score", default=list)
    statut = models.CharField(
        "décision", max_length=20, choices=StatutProposition.choices, default=StatutProposition.PROPOSEE
    )
    binome = models.ForeignKey(
        Binome, verbose_name="binôme créé", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "reunion__dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "proposition d’appariement"
        ordering = ["eleve__nom", "eleve__prenom"]

    def __str__(self):
        return f"{self.mentor} – {self.eleve} ({self.score})"

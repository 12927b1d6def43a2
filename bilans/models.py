import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone

from etablissements.models import Dispositif
from etablissements.scoping import ScopedQuerySet
from socle.roles import Role
from socle.validators import DatePlausible, entre, q_date

from .enquetes import QUESTIONNAIRES, Population


class Enquete(models.Model):
    """A satisfaction survey of one population for one dispositif."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="enquetes")
    population = models.CharField("population", max_length=20, choices=Population.choices)
    creee_le = models.DateTimeField("créée le", default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = frozenset({Role.REFERENT, Role.CHEF})
    ROLES_ECRITURE = frozenset({Role.REFERENT})

    class Meta:
        verbose_name = "enquête de satisfaction"
        verbose_name_plural = "enquêtes de satisfaction"
        ordering = ["population"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "population"], name="enquete_unique_par_population")
        ]

    def __str__(self):
        return f"Enquête {self.get_population_display().lower()} — {self.dispositif.annee_scolaire}"

    def get_absolute_url(self):
        return reverse("bilans:enquete", args=[self.pk])

    @property
    def questions(self):
        return QUESTIONNAIRES[self.population]


def _jeton():
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A personal link to answer a survey once, without an account.

    Nothing ties an answer to the invitation it came through: answers cannot be traced
    back to a person (only the date of use is kept, and answers keep no time of day).
    """

    enquete = models.ForeignKey(Enquete, on_delete=models.CASCADE, related_name="invitations")
    jeton = models.CharField(max_length=64, unique=True, default=_jeton)
    utilisee_le = models.DateField("utilisée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"

    def __str__(self):
        return f"Invitation {self.pk} ({'utilisée' if self.utilisee_le else 'non utilisée'})"

    def get_absolute_url(self):
        return reverse("bilans:repondre", args=[self.jeton])


class Reponse(models.Model):
    enquete = models.ForeignKey(Enquete, on_delete=models.CASCADE, related_name="reponses")
    date = models.DateField("date", default=timezone.localdate)
    commentaire = models.TextField("commentaire", blank=True, max_length=1000)

    class Meta:
        verbose_name = "réponse"

    def __str__(self):
        return f"Réponse du {self.date:%d/%m/%Y}"


class Note(models.Model):
    reponse = models.ForeignKey(Reponse, on_delete=models.CASCADE, related_name="notes")
    question = models.CharField("question", max_length=30)
    valeur = models.PositiveSmallIntegerField("note", validators=entre(1, 4, "Une note va de 1 à 4."))

    class Meta:
        verbose_name = "note"
        constraints = [
            models.UniqueConstraint(fields=["reponse", "question"], name="note_unique_par_question"),
            models.CheckConstraint(condition=models.Q(valeur__gte=1, valeur__lte=4), name="note_entre_1_et_4"),
        ]

    def __str__(self):
        return f"{self.question} : {self.valeur}"


class Situation(models.TextChoices):
    INCONNUE = "", "Non renseignée"
    EMPLOI = "emploi", "En emploi"
    FORMATION = "formation", "En formation (poursuite d’études, apprentissage)"
    RECHERCHE = "recherche", "En recherche d’emploi"
    AUTRE = "autre", "Autre situation"


class ResultatEleve(models.Model):
    """Exam result and insertion of a mentored student, entered per student for the review."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="resultats")
    eleve = models.ForeignKey("binomes.Eleve", verbose_name="élève", on_delete=models.CASCADE, related_name="resultats")
    presente = models.BooleanField("présenté à l’examen", default=False)
    admis = models.BooleanField("admis", default=False)
    situation = models.CharField("situation", max_length=20, choices=Situation.choices, blank=True)
    situation_le = models.DateField("situation constatée le", null=True, blank=True, validators=[DatePlausible()])

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = frozenset({Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE})
    ROLES_ECRITURE = frozenset({Role.REFERENT})

    class Meta:
        verbose_name = "résultat d’un élève"
        verbose_name_plural = "résultats des élèves"
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "eleve"], name="resultat_unique_par_eleve"),
            # Only a student who sat the exam can pass it.
            models.CheckConstraint(condition=models.Q(admis=False) | models.Q(presente=True), name="admis_si_presente"),
            models.CheckConstraint(
                condition=q_date("situation_le", nullable=True), name="resultat_situation_le_bornee"
            ),
        ]

    def __str__(self):
        return f"Résultats de {self.eleve}"


class BilanQualitatif(models.Model):
    """The qualitative part of the year's review (Qualéduc spirit: diagnose, act, measure, improve)."""

    dispositif = models.OneToOneField(Dispositif, on_delete=models.CASCADE, related_name="bilan_qualitatif")
    relations_partenaires = models.TextField("qualité des relations partenariales", blank=True)
    difficultes = models.TextField("difficultés organisationnelles", blank=True)
    ameliorations = models.TextField("améliorations décidées pour l’année prochaine", blank=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = frozenset({Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE, Role.COORDONNATEUR})
    ROLES_ECRITURE = frozenset({Role.REFERENT})

    class Meta:
        verbose_name = "bilan qualitatif"
        verbose_name_plural = "bilans qualitatifs"

    def __str__(self):
        return f"Bilan qualitatif {self.dispositif}"


class StatutRapport(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    PRET = "pret", "Prêt"
    ECHEC = "echec", "Échec"


def _chemin_rapport(instance, nom):
    return f"rapports/{instance.dispositif.etablissement.uai}/{instance.dispositif.annee}/{nom}"


class RapportAnnuel(models.Model):
    """The year-end PDF report of a dispositif, built in the background; a new build replaces the old."""

    dispositif = models.OneToOneField(Dispositif, on_delete=models.CASCADE, related_name="rapport_annuel")
    statut = models.CharField("état", max_length=20, choices=StatutRapport.choices, default=StatutRapport.EN_ATTENTE)
    fichier = models.FileField("fichier PDF", upload_to=_chemin_rapport, blank=True)
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    # Builds sent again by the beat job since the user asked (rapports.rapports_relancer).
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    genere_le = models.DateTimeField("généré le", null=True, blank=True)
    erreur = models.CharField("erreur", max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    # The report holds aggregates and no student name: the académie reads it and asks for it too.
    ROLES_LECTURE = frozenset(
        {Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE, Role.COORDONNATEUR, Role.PILOTAGE}
    )
    ROLES_ECRITURE = frozenset({Role.REFERENT, Role.CHEF, Role.PILOTAGE})

    class Meta:
        verbose_name = "rapport annuel"
        verbose_name_plural = "rapports annuels"

    def __str__(self):
        return f"Rapport annuel {self.dispositif}"

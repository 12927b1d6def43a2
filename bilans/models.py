import secrets

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from etablissements.models import Dispositif
from etablissements.scoping import ScopedQuerySet
from seances.models import TypeSeance
from socle import roles as R
from socle.chemins import chemin
from socle.contraintes import Verification
from socle.formats import compte
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
        return chemin("bilans:enquete", self.pk)

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
    # An emailed link is not listed among the links to hand out (it would reach two people); it
    # says nothing of whom it was sent to.
    par_courriel = models.BooleanField("envoyée par courriel", default=False)

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
            Verification(condition=models.Q(valeur__gte=1, valeur__lte=4), name="note_entre_1_et_4"),
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
            Verification(condition=models.Q(admis=False) | models.Q(presente=True), name="admis_si_presente"),
            Verification(condition=q_date("situation_le", nullable=True), name="resultat_situation_le_bornee"),
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


class NatureIndicateur(models.TextChoices):
    NOMBRE = "nombre", "Nombre"
    TAUX = "taux", "Taux"


class SourceIndicateur(models.TextChoices):
    """The measurable things the app knows, which feed an indicator of the dispositif's own.

    Each source is a count or a rate (with its numerator and denominator): see `bilans.personnalises`.
    """

    SEANCES_TENUES = "seances_tenues", "Nombre de séances tenues (d’un type, ou toutes)"
    ELEVES_PRESENTS = "eleves_presents", "Nombre d’élèves présents à au moins N séances tenues"
    REUNIONS_SUIVI = "reunions_suivi", "Nombre de réunions de suivi et comités tenus"
    ENTREPRISES_MENTORS = "entreprises_mentors", "Nombre d’entreprises fournissant des mentors"
    ELEVES_FIN_ANNEE = "eleves_fin_annee", "Nombre d’élèves arrivés en fin d’année dans un binôme"
    ENTRETIENS_MENES = "entretiens_menes", "Nombre d’entretiens après absence menés"
    TAUX_ENTRETIENS = "taux_entretiens", "Taux d’élèves ayant eu leur entretien après absence"
    TAUX_BINOMES_FIN_ANNEE = "taux_binomes_fin_annee", "Taux de binômes arrivés en fin d’année"
    TAUX_ELEVES_ASSIDUS = "taux_eleves_assidus", "Taux d’élèves mentorés présents à au moins N séances tenues"


SOURCES_TAUX = frozenset(
    {SourceIndicateur.TAUX_ENTRETIENS, SourceIndicateur.TAUX_BINOMES_FIN_ANNEE, SourceIndicateur.TAUX_ELEVES_ASSIDUS}
)
SOURCES_AVEC_SEUIL = frozenset({SourceIndicateur.ELEVES_PRESENTS, SourceIndicateur.TAUX_ELEVES_ASSIDUS})


class IndicateurPersonnalise(models.Model):
    """An indicator the cadrage adds to the standard ones, made measurable: a count or a rate fed by a source."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="indicateurs_personnalises")
    libelle = models.CharField("libellé", max_length=200)
    nature = models.CharField("nature", max_length=10, choices=NatureIndicateur.choices, editable=False)
    source = models.CharField("donnée mesurée", max_length=30, choices=SourceIndicateur.choices)
    type_seance = models.CharField(
        "type de séance",
        max_length=30,
        choices=TypeSeance.choices,
        blank=True,
        help_text="Pour le nombre de séances tenues : laissez vide pour compter tous les types.",
    )
    seuil = models.PositiveSmallIntegerField(
        "nombre minimal de présences (N)",
        null=True,
        blank=True,
        validators=entre(1, 100, "Le nombre minimal de présences va de 1 à 100."),
        help_text="Pour les élèves présents à au moins N séances.",
    )
    cible = models.DecimalField(
        "valeur cible",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "La valeur cible ne peut pas être négative.")],
        help_text="Facultatif. Pour un taux, en pourcentage (de 0 à 100).",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "indicateur propre au dispositif"
        verbose_name_plural = "indicateurs propres au dispositif"
        ordering = ["pk"]
        constraints = [
            Verification(
                condition=models.Q(seuil__isnull=True) | models.Q(seuil__gte=1, seuil__lte=100),
                name="indicateur_personnalise_seuil_borne",
            ),
            Verification(
                condition=models.Q(cible__isnull=True) | models.Q(cible__gte=0), name="indicateur_personnalise_cible"
            ),
        ]

    def __str__(self):
        return self.libelle

    def save(self, *args, **kwargs):
        self.nature = NatureIndicateur.TAUX if self.source in SOURCES_TAUX else NatureIndicateur.NOMBRE
        if self.source not in SOURCES_AVEC_SEUIL:
            self.seuil = None
        super().save(*args, **kwargs)

    def clean(self):
        erreurs = {}
        if self.source in SOURCES_AVEC_SEUIL and not self.seuil:
            erreurs["seuil"] = "Indiquez le nombre minimal de présences (N) pour cette donnée."
        if self.type_seance and self.source != SourceIndicateur.SEANCES_TENUES:
            erreurs["type_seance"] = "Le type de séance ne s’applique qu’au nombre de séances tenues."
        if self.source in SOURCES_TAUX and self.cible is not None and self.cible > 100:
            erreurs["cible"] = "La cible d’un taux est un pourcentage, de 0 à 100."
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def description(self) -> str:
        """The source, with its parameter, in words."""
        if self.source == SourceIndicateur.SEANCES_TENUES:
            return (
                f"Séances tenues : {TypeSeance(self.type_seance).label}"
                if self.type_seance
                else "Séances tenues, tous types"
            )
        texte = SourceIndicateur(self.source).label
        return texte.replace("N séances", compte(self.seuil, "séance")) if self.seuil else texte


class EnvoiEnquete(models.Model):
    """An address the survey was emailed to, kept as a keyed hash: enough not to email it twice,
    nothing that ties an answer (or a link) to a person."""

    enquete = models.ForeignKey(Enquete, on_delete=models.CASCADE, related_name="envois")
    empreinte = models.CharField("empreinte de l’adresse", max_length=64)
    envoye_le = models.DateField("envoyé le", default=timezone.localdate)

    class Meta:
        verbose_name = "envoi d’enquête"
        verbose_name_plural = "envois d’enquêtes"
        constraints = [models.UniqueConstraint(fields=["enquete", "empreinte"], name="envoi_enquete_unique")]

    def __str__(self):
        return f"Envoi du {self.envoye_le:%d/%m/%Y}"


class ChiffresDispositif(models.Model):
    """The indicators' raw counts of a dispositif as the refresh job last computed them (aggregates of
    an LP's year: no one is named), kept in the database as well as in the cache.

    The cache lives in Redis, which keeps nothing on disk: after Redis restarts, the dashboards of
    many LPs (académie, country) would all compute again, for seconds at national scale. They read
    these rows instead, while they are no older than the cache's own entries would be
    (`bilans.indicateurs.DUREE_CACHE`). Only the beat job writes them: a page never writes on GET.
    """

    dispositif = models.OneToOneField(
        Dispositif, on_delete=models.CASCADE, primary_key=True, related_name="chiffres_calcules"
    )
    calcule_le = models.DateTimeField("calculés le")
    chiffres = models.JSONField("chiffres", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "chiffres calculés d’un dispositif"
        verbose_name_plural = "chiffres calculés des dispositifs"

    def __str__(self):
        return f"Chiffres de {self.dispositif_id} au {self.calcule_le:%d/%m/%Y %H:%M}"

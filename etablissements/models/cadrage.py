"""The document de cadrage, in versions, and its steering committees."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from socle import roles as R
from socle.chemins import chemin
from socle.contraintes import Verification
from socle.validators import entre

from ..scoping import ScopedQuerySet
from .communs import libelles
from .dispositif import Dispositif

DUREE_MENTORAT_MAX = 36  # months: the three years of a bac pro


class StatutCadrage(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise à validation"
    VALIDEE = "validee", "Validée"


class IndicateurSuivi(models.TextChoices):
    """The sheet's quantitative and qualitative indicators, to pick from."""

    FILLES_GARCONS = "filles_garcons", "Nombre de filles et de garçons accompagnés"
    MENTORS = "mentors", "Nombre de mentors"
    ENTREPRISES = "entreprises", "Nombre d’entreprises impliquées"
    ABSENTEISME = "absenteisme", "Taux d’absentéisme"
    ABANDON = "abandon", "Taux d’abandon"
    REUSSITE = "reussite", "Taux de réussite aux examens"
    INSERTION = "insertion", "Taux d’insertion"
    SOMMES = "sommes", "Sommes allouées et engagées"
    ACTIONS = "actions", "Détail des actions individuelles et collectives"
    SATISFACTION = "satisfaction", "Satisfaction des partenaires, élèves, mentors, parents et personnels"
    RELATIONS = "relations", "Qualité des relations partenariales"
    DIFFICULTES = "difficultes", "Difficultés organisationnelles"


class ActivitePrevue(models.TextChoices):
    ENTRETIENS = "entretiens", "Entretiens individuels mentor-élève"
    COLLECTIVES = "collectives", "Séances collectives"
    CO_INTERVENTION = "co_intervention", "Co-interventions enseignant – professionnel"
    ATELIER_CV = "atelier_cv", "Ateliers CV"
    PREPARATION_ENTRETIEN = "preparation_entretien", "Préparation à l’entretien d’embauche"
    VISITES = "visites", "Visites d’entreprise"
    ANIMATIONS = "animations", "Animations pédagogiques"
    REUNIONS_SUIVI = "reunions_suivi", "Réunions de suivi"
    LANCEMENT = "lancement", "Évènement de lancement"
    FIN_ANNEE = "fin_annee", "Réunion et cérémonie de fin d’année"


class VersionCadrage(models.Model):
    """One version of the document de cadrage. A validated version is frozen: changes make a new draft."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="versions_cadrage")
    numero = models.PositiveSmallIntegerField("version")
    statut = models.CharField("statut", max_length=20, choices=StatutCadrage.choices, default=StatutCadrage.BROUILLON)
    objectifs = models.TextField("objectifs du dispositif", blank=True)
    public_cible = models.TextField("public ciblé", blank=True)
    duree_mois = models.PositiveSmallIntegerField(
        "durée du mentorat (en mois)",
        null=True,
        blank=True,
        validators=entre(1, DUREE_MENTORAT_MAX, f"La durée du mentorat va de 1 à {DUREE_MENTORAT_MAX} mois."),
        help_text=f"Le plan « 1 jeune, 1 mentor » recommande au moins 6 mois ({DUREE_MENTORAT_MAX} au plus).",
    )
    duree_precisions = models.CharField("précisions sur la durée", max_length=255, blank=True)
    indicateurs = models.JSONField("indicateurs de suivi", default=list, blank=True)
    autres_indicateurs = models.TextField("autres indicateurs", blank=True)
    activites = models.JSONField("activités prévues", default=list, blank=True)
    activites_precisions = models.TextField("précisions sur les activités", blank=True)

    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédigée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    soumise_le = models.DateTimeField("soumise le", null=True, blank=True)
    validee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validee_le = models.DateTimeField("validée le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "version du document de cadrage"
        verbose_name_plural = "versions du document de cadrage"
        ordering = ["dispositif", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "numero"], name="cadrage_version_unique"),
            Verification(
                condition=Q(duree_mois__isnull=True) | Q(duree_mois__gte=1, duree_mois__lte=DUREE_MENTORAT_MAX),
                name="cadrage_duree_bornee",
            ),
        ]

    def __str__(self):
        return f"Document de cadrage {self.dispositif.annee_scolaire}, version {self.numero}"

    def get_absolute_url(self):
        return chemin("etablissements:cadrage_version", self.pk)

    @property
    def est_validee(self) -> bool:
        return self.statut == StatutCadrage.VALIDEE

    def get_indicateurs_display(self):
        return libelles(IndicateurSuivi, self.indicateurs)

    def get_activites_display(self):
        return libelles(ActivitePrevue, self.activites)


class Comite(models.Model):
    """One body of the dispositif's comitologie (comité de pilotage, réunion de suivi…)."""

    version = models.ForeignKey(VersionCadrage, on_delete=models.CASCADE, related_name="comites")
    nom = models.CharField("instance", max_length=200, help_text="Par exemple : comité de pilotage.")
    membres = models.TextField("membres")
    frequence = models.CharField("fréquence", max_length=200, help_text="Par exemple : une fois par trimestre.")

    class Meta:
        verbose_name = "comité"
        ordering = ["pk"]

    def __str__(self):
        return self.nom

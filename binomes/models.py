from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from etablissements.models import Dispositif, Entreprise, Etablissement, Formation
from etablissements.scoping import ScopedQuerySet, perimetre
from mentorat import roles as R
from mentorat.roles import Role
from mentorat.validators import valider_ine


class StatutHonorabilite(models.TextChoices):
    NON_VERIFIEE = "non_verifiee", "Non vérifiée"
    EN_COURS = "en_cours", "Vérification en cours"
    VERIFIEE = "verifiee", "Vérifiée"
    REFUSEE = "refusee", "Refusée"


class MethodeHonorabilite(models.TextChoices):
    ASSOCIATION = "association", "Attestation de l’association"
    ENTREPRISE = "entreprise", "Attestation de l’entreprise"
    SERVICES_ACADEMIQUES = "academie", "Vérification demandée aux services académiques / DSDEN"


class Recommandation(models.TextChoices):
    ASSOCIATION = "association", "Association partenaire"
    ENTREPRISE = "entreprise", "Entreprise"
    AUCUNE = "aucune", "Aucune"


class MentorQuerySet(ScopedQuerySet):
    def for_user(self, user, roles=None):
        qs = super().for_user(user, roles)
        if roles is None:
            # A mentor with an account sees their own record.
            qs = qs | self.filter(
                user=user, **{f"{self.model.CHEMIN_ETABLISSEMENT}__in": perimetre(user).etablissements({Role.MENTOR})}
            )
        return qs


class Mentor(models.Model):
    """A volunteer from a company or structure. Honorabilité is stored as facts only (RGPD art. 10)."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="mentors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentors",
    )
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    entreprise = models.ForeignKey(
        Entreprise,
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentors",
    )
    metier = models.CharField("métier", max_length=150, blank=True)
    secteur = models.CharField("secteur", max_length=100, blank=True)
    competences = models.TextField("compétences", blank=True)
    parcours = models.TextField("parcours professionnel", blank=True)
    recommande_par = models.CharField(
        "recommandé par", max_length=20, choices=Recommandation.choices, default=Recommandation.ASSOCIATION
    )
    capacite = models.PositiveSmallIntegerField("nombre d’élèves accompagnés au plus", default=1)
    disponibilites = models.CharField("disponibilités", max_length=255, blank=True)

    honorabilite_statut = models.CharField(
        "honorabilité", max_length=20, choices=StatutHonorabilite.choices, default=StatutHonorabilite.NON_VERIFIEE
    )
    honorabilite_date = models.DateField("date de la vérification", null=True, blank=True)
    honorabilite_methode = models.CharField(
        "modalité de vérification", max_length=20, choices=MethodeHonorabilite.choices, blank=True
    )
    honorabilite_saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vérification enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    honorabilite_expiration = models.DateField("fin de validité de la vérification", null=True, blank=True)

    charte_signee_le = models.DateField("charte de laïcité et de neutralité signée le", null=True, blank=True)
    formation_suivie_le = models.DateField("parcours de formation des mentors suivi le", null=True, blank=True)

    objects = MentorQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "mentor"
        ordering = ["nom", "prenom"]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def honorabilite_valide(self, le: date | None = None) -> bool:
        """A mentor may be paired or scheduled only with a verified, unexpired honorabilité."""
        le = le or timezone.localdate()
        return self.honorabilite_statut == StatutHonorabilite.VERIFIEE and (
            self.honorabilite_expiration is None or self.honorabilite_expiration >= le
        )


class Sexe(models.TextChoices):
    MASCULIN = "M", "Masculin"
    FEMININ = "F", "Féminin"


class Eleve(models.Model):
    """A student of the LP. Only objective, necessary data: no health or family details."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="eleves")
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    date_naissance = models.DateField("date de naissance")
    ine = models.CharField("INE", max_length=11, validators=[valider_ine])
    classe = models.CharField("classe", max_length=50, blank=True)
    formation = models.ForeignKey(
        Formation, verbose_name="formation", on_delete=models.SET_NULL, null=True, blank=True, related_name="eleves"
    )
    volontaire = models.BooleanField("volontaire", default=False)
    date_sortie = models.DateField("sorti de l’établissement le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "élève"
        ordering = ["nom", "prenom"]
        constraints = [models.UniqueConstraint(fields=["etablissement", "ine"], name="eleve_ine_unique")]

    def __str__(self):
        return f"{self.prenom} {self.nom}"


class StatutBinome(models.TextChoices):
    PROPOSE = "propose", "Proposé"
    ACTIF = "actif", "Actif"
    SUSPENDU = "suspendu", "Suspendu"
    TERMINE = "termine", "Terminé"
    ROMPU = "rompu", "Rompu"


class BinomeQuerySet(ScopedQuerySet):
    def for_user(self, user, roles=None):
        qs = super().for_user(user, roles)
        if roles is None:
            # A mentor sees their own binômes, and nothing else of the LP.
            qs = qs | self.filter(
                mentor__user=user,
                **{f"{self.model.CHEMIN_ETABLISSEMENT}__in": perimetre(user).etablissements({Role.MENTOR})},
            )
        return qs


class Binome(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="binomes")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="binomes")
    eleve = models.ForeignKey(Eleve, on_delete=models.PROTECT, related_name="binomes", verbose_name="élève")
    statut = models.CharField("statut", max_length=20, choices=StatutBinome.choices, default=StatutBinome.PROPOSE)
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin_prevue = models.DateField("fin prévue", null=True, blank=True)
    objectifs = models.TextField("objectifs", blank=True)

    objects = BinomeQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
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
            )
        ]

    def __str__(self):
        return f"{self.mentor} – {self.eleve}"

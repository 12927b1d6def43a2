from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from mentorat import roles as R
from mentorat.roles import Role
from mentorat.validators import valider_siret, valider_uai

from .scoping import ScopedQuerySet


class Academie(models.Model):
    nom = models.CharField("nom", max_length=100, unique=True)

    class Meta:
        verbose_name = "académie"
        ordering = ["nom"]

    def __str__(self):
        return f"Académie de {self.nom}" if not self.nom.startswith(("Académie", "académie")) else self.nom


class Label(models.TextChoices):
    CMQ = "cmq", "Campus des métiers et des qualifications (CMQ)"
    LYCEE_METIERS = "lycee_metiers", "Lycée des métiers"
    E3D = "e3d", "Établissement en démarche de développement durable (E3D)"
    EGALITE = "egalite", "Égalité filles-garçons"
    AUTRE = "autre", "Autre label"


class Etablissement(models.Model):
    nom = models.CharField("nom", max_length=200)
    uai = models.CharField(
        "code UAI",
        max_length=8,
        unique=True,
        validators=[valider_uai],
        help_text="7 chiffres et une lettre clé, par exemple 0750654D.",
    )
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="etablissements"
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    labels = models.JSONField("labels", default=list, blank=True)
    autre_label = models.CharField("autre label", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "pk"
    ROLES_LECTURE = R.LECTURE_PROGRAMME | {Role.PERSONNEL, Role.MENTOR}
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "établissement"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("etablissements:detail", args=[self.pk])

    def clean(self):
        self.uai = (self.uai or "").strip().upper()
        unknown = set(self.labels or []) - set(Label.values)
        if unknown:
            raise ValidationError({"labels": "Label inconnu."})

    def get_labels_display(self):
        return [Label(code).label for code in self.labels or [] if code in Label.values]


class Diplome(models.TextChoices):
    CAP = "cap", "CAP"
    BAC_PRO = "bac_pro", "Baccalauréat professionnel"
    AUTRE = "autre", "Autre diplôme"


class Formation(models.Model):
    """A diploma and speciality taught by an LP (e.g. bac pro « Métiers de l’électricité »)."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="formations")
    diplome = models.CharField("diplôme", max_length=20, choices=Diplome.choices)
    specialite = models.CharField("spécialité", max_length=200)
    secteur = models.CharField("secteur professionnel", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME | {Role.PERSONNEL}
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "formation"
        ordering = ["diplome", "specialite"]
        constraints = [
            models.UniqueConstraint(
                fields=["etablissement", "diplome", "specialite"], name="formation_unique_par_etablissement"
            )
        ]

    def __str__(self):
        return f"{self.get_diplome_display()} {self.specialite}"


class TypePartenaire(models.TextChoices):
    ASSOCIATION = "association", "Association de mentorat"
    ENTREPRISE = "entreprise", "Entreprise ou fondation d’entreprise"
    AUTRE = "autre", "Autre structure"


class PartenaireQuerySet(models.QuerySet):
    def for_user(self, user, roles=None):
        """Partners tied to the user's LPs by a convention, and those the user coordinates."""
        from .scoping import perimetre

        p = perimetre(user)
        ids = p.etablissements(R.LECTURE_PROGRAMME if roles is None else roles)
        return self.filter(
            Q(pk__in=Convention.objects.filter(dispositif__etablissement__in=ids).values("partenaire"))
            | Q(pk__in=p.partenaires)
        )


class Partenaire(models.Model):
    """The association (or structure) that coordinates the mentors of one or more LPs."""

    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=TypePartenaire.choices, default=TypePartenaire.ASSOCIATION)
    plan_1j1m = models.BooleanField(
        "lauréat du plan « 1 jeune, 1 mentor »",
        default=False,
        help_text="Association retenue par le processus national de sélection.",
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)

    objects = PartenaireQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Entreprise(models.Model):
    """A company or structure of the LP's network that provides mentors."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="entreprises")
    nom = models.CharField("raison sociale", max_length=200)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[valider_siret], help_text="Facultatif : 14 chiffres."
    )
    secteur = models.CharField("secteur d’activité", max_length=100, blank=True)
    contact_nom = models.CharField("nom du contact", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_ENTREPRISES | {Role.COORDONNATEUR}

    class Meta:
        verbose_name = "entreprise ou structure"
        verbose_name_plural = "entreprises et structures"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("etablissements:entreprise", args=[self.pk])


def annee_scolaire_courante(jour: date | None = None) -> int:
    """The first calendar year of the school year holding `jour` (a year runs 1 Sept–31 Aug)."""
    from django.utils import timezone

    jour = jour or timezone.localdate()
    return jour.year if jour.month >= 9 else jour.year - 1


class Dispositif(models.Model):
    """One LP's mentoring programme for one school year."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="dispositifs")
    annee = models.PositiveSmallIntegerField(
        "année scolaire", help_text="Première année civile de l’année scolaire (2025 pour 2025-2026)."
    )
    partenaire = models.ForeignKey(
        Partenaire,
        verbose_name="partenaire coordonnateur",
        on_delete=models.PROTECT,
        related_name="dispositifs",
        null=True,
        blank=True,
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "dispositif"
        ordering = ["etablissement__nom", "-annee"]
        constraints = [models.UniqueConstraint(fields=["etablissement", "annee"], name="dispositif_unique_par_annee")]

    def __str__(self):
        return f"{self.etablissement} — {self.annee_scolaire}"

    @property
    def annee_scolaire(self) -> str:
        return f"{self.annee}-{self.annee + 1}"

    @property
    def date_debut(self) -> date:
        return date(self.annee, 9, 1)

    @property
    def date_fin(self) -> date:
        return date(self.annee + 1, 8, 31)


class StatutConvention(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SIGNEE = "signee", "Signée"
    ECHUE = "echue", "Échue"


class Convention(models.Model):
    """The agreement between the LP and its coordinating partner for a dispositif."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="conventions")
    partenaire = models.ForeignKey(Partenaire, on_delete=models.PROTECT, related_name="conventions")
    statut = models.CharField("statut", max_length=20, choices=StatutConvention.choices, default="brouillon")
    date_debut = models.DateField("début de l’engagement", null=True, blank=True)
    date_fin = models.DateField("fin de l’engagement", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "convention"
        ordering = ["-dispositif__annee"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "partenaire"], name="convention_unique_par_partenaire")
        ]

    def __str__(self):
        return f"Convention {self.dispositif.etablissement} – {self.partenaire}"


class Affectation(models.Model):
    """A role held by a user: on an LP, on a partner association, or on an académie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affectations", verbose_name="utilisateur"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    partenaire = models.ForeignKey(
        Partenaire, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations")

    class Meta:
        verbose_name = "affectation"
        constraints = [
            # Each role is held on exactly the kind of place it is about.
            models.CheckConstraint(
                name="affectation_perimetre_coherent",
                condition=(
                    Q(
                        role__in=sorted(R.ROLES_ETABLISSEMENT),
                        etablissement__isnull=False,
                        partenaire__isnull=True,
                        academie__isnull=True,
                    )
                    | Q(
                        role=Role.COORDONNATEUR,
                        partenaire__isnull=False,
                        etablissement__isnull=True,
                        academie__isnull=True,
                    )
                    | Q(role=Role.PILOTAGE, academie__isnull=False, etablissement__isnull=True, partenaire__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "etablissement"],
                condition=Q(etablissement__isnull=False),
                name="affectation_unique_etablissement",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partenaire"],
                condition=Q(partenaire__isnull=False),
                name="affectation_unique_partenaire",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "academie"],
                condition=Q(academie__isnull=False),
                name="affectation_unique_academie",
            ),
        ]

    def __str__(self):
        lieu = self.etablissement or self.partenaire or self.academie
        return f"{self.user} — {self.get_role_display()} — {lieu}"

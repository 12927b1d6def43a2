"""The lycées professionnels, their académie and the formations they teach."""

import re
import secrets
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

from socle import roles as R
from socle.chemins import chemin
from socle.roles import Role
from socle.validators import valider_uai

from ..scoping import ScopedQuerySet


class Academie(models.Model):
    nom = models.CharField("nom", max_length=100, unique=True)

    class Meta:
        verbose_name = "académie"
        ordering = ["nom"]

    def __str__(self):
        return f"Académie de {self.nom}" if not self.nom.startswith(("Académie", "académie")) else self.nom


def nouveau_code_public() -> str:
    """The LP's public code: unguessable, short enough to print under a QR code."""
    return secrets.token_urlsafe(12)


class Label(models.TextChoices):
    CMQ = "cmq", "Campus des métiers et des qualifications (CMQ)"
    LYCEE_METIERS = "lycee_metiers", "Lycée des métiers"
    E3D = "e3d", "Établissement en démarche de développement durable (E3D)"
    EGALITE = "egalite", "Égalité filles-garçons"
    AUTRE = "autre", "Autre label"


class ZoneVacances(models.TextChoices):
    A = "A", "Zone A"
    B = "B", "Zone B"
    C = "C", "Zone C"
    # Corse and the overseas académies have calendars of their own, which the package of
    # official dates (vacances-scolaires-france) does not hold: only weekends, public
    # holidays and PFMP are then known.
    AUTRE = "autre", "Corse ou outre-mer (vacances scolaires non connues de l’application)"


# The zones of the metropolitan académies (arrêté of 2024, the académies of Normandie merged).
ZONES_DES_ACADEMIES = {
    **dict.fromkeys(
        ["besancon", "bordeaux", "clermontferrand", "dijon", "grenoble", "limoges", "lyon", "poitiers"], "A"
    ),
    **dict.fromkeys(
        [
            "aixmarseille",
            "amiens",
            "caen",
            "lille",
            "nancymetz",
            "nantes",
            "nice",
            "normandie",
            "orleanstours",
            "reims",
            "rennes",
            "rouen",
            "strasbourg",
        ],
        "B",
    ),
    **dict.fromkeys(["creteil", "montpellier", "paris", "toulouse", "versailles"], "C"),
    **dict.fromkeys(
        ["corse", "guadeloupe", "guyane", "martinique", "mayotte", "lareunion", "reunion"], ZoneVacances.AUTRE
    ),
}


def zone_de_l_academie(nom: str) -> str:
    """The holiday zone of an académie by its name ("Lyon", "Académie de Créteil"), "" if unknown."""
    cle = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode().lower())
    cle = cle.removeprefix("academie")
    for article in ("", "de", "dela", "d", "la"):
        if cle.startswith(article) and cle[len(article) :] in ZONES_DES_ACADEMIES:
            return ZONES_DES_ACADEMIES[cle[len(article) :]]
    return ""


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
    zone_vacances = models.CharField(
        "zone de vacances scolaires",
        max_length=5,
        choices=ZoneVacances.choices,
        blank=True,
        help_text="Déduite de l’académie quand elle est connue ; sert au calendrier scolaire (vacances, alertes).",
    )
    # The LP's address on its public pages (the safeguarding form, its presentation): printed on
    # posters, so stored in clear, unlike a link's secret; random, so the LPs cannot be listed
    # by counting pks. `code_public_renouveler` cuts off a code abused or printed by mistake.
    code_public = models.CharField(
        "code public", max_length=32, unique=True, default=nouveau_code_public, editable=False
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "pk"
    ROLES_LECTURE = R.LECTURE_PROGRAMME | {Role.PERSONNEL, Role.MENTOR}
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "établissement"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        if not self.zone_vacances and self.academie_id:
            self.zone_vacances = zone_de_l_academie(self.academie.nom)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return chemin("etablissements:detail", self.pk)

    def code_public_renouveler(self) -> str:
        self.code_public = nouveau_code_public()
        self.save(update_fields=["code_public"])
        return self.code_public

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

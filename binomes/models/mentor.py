"""The mentors and the honorabilité check, shared by every LP a person mentors in."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from etablissements.models import Entreprise, Etablissement
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.contraintes import Verification
from socle.models import normaliser_email
from socle.roles import Role
from socle.validators import (
    DatePlausible,
    entre,
    q_date,
    q_entre,
    q_ordonnees,
)

from .statuts import STATUTS_VIVANTS

CAPACITE_MAX = 10


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


class HonorabiliteManager(models.Manager):
    def pour_mentor(self, mentor, cle: str) -> "Honorabilite":
        """The record `mentor` must point to, for a person known by `cle` (a normalised address or "").

        Same person elsewhere: their record, merged with what this row held (a typo fixed on
        the address must not lose a verification). Otherwise this row's own record, renamed,
        or a new one.
        """
        actuelle = self.filter(pk=mentor.honorabilite_id).first() if mentor.honorabilite_id else None
        seule = actuelle is not None and not actuelle.mentors.exclude(pk=mentor.pk).exists()
        if cle:
            existante = self.filter(email=cle).first()
            if existante is not None:
                if seule and actuelle.pk != existante.pk:
                    existante.garder_la_plus_prudente(actuelle)
                    mentor.honorabilite = existante
                    Mentor.objects.filter(pk=mentor.pk).update(honorabilite=existante)
                    actuelle.delete()
                return existante
            if seule:
                actuelle.email = cle
                actuelle.save(update_fields=["email"])
                return actuelle
            return self.create(email=cle)
        if actuelle is not None and seule:
            return actuelle
        return self.create()


class Honorabilite(models.Model):
    """The check that a person may work with minors, once per person whatever the LPs they serve.

    Facts only (RGPD art. 10): status, date, method, who recorded it, expiry. Never a document.
    """

    # The person's normalised address (their account's, else their mentor record's); empty
    # for a mentor known by no address, whose record is then theirs alone.
    email = models.EmailField("adresse électronique", blank=True)
    statut = models.CharField(
        "honorabilité", max_length=20, choices=StatutHonorabilite.choices, default=StatutHonorabilite.NON_VERIFIEE
    )
    date = models.DateField("date de la vérification", null=True, blank=True, validators=[DatePlausible()])
    methode = models.CharField(
        "modalité de vérification", max_length=20, choices=MethodeHonorabilite.choices, blank=True
    )
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vérification enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expiration = models.DateField(
        "fin de validité de la vérification", null=True, blank=True, validators=[DatePlausible()]
    )

    objects = HonorabiliteManager()

    class Meta:
        verbose_name = "vérification d’honorabilité"
        verbose_name_plural = "vérifications d’honorabilité"
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="honorabilite_une_par_personne"),
            Verification(
                condition=q_date("date", nullable=True) & q_date("expiration", nullable=True),
                name="honorabilite_dates_bornees",
            ),
            Verification(condition=q_ordonnees("date", "expiration"), name="honorabilite_expire_apres_verification"),
        ]

    def __str__(self):
        return self.get_statut_display()

    def clean(self):
        if self.date and self.expiration and self.expiration < self.date:
            raise ValidationError({"expiration": "La fin de validité ne peut précéder la date de la vérification."})

    def valide(self, le: "date | None" = None) -> bool:
        le = le or timezone.localdate()
        return self.statut == StatutHonorabilite.VERIFIEE and (self.expiration is None or self.expiration >= le)

    def rang(self, le: "date | None" = None) -> tuple:
        """Which of two records of one person is kept when they merge (higher wins).

        Safeguarding first: a refusal recorded anywhere wins, whatever its date, until someone
        records a new check on the merged record knowingly. Then a valid verification (the
        latest), then the latest dated result, then a check under way, then nothing.
        """
        if self.statut == StatutHonorabilite.REFUSEE:
            return (4, self.date or date.min, date.min)
        if self.valide(le):
            return (3, self.expiration or date.max, self.date or date.min)
        if self.date:
            return (2, self.date, date.min)
        return (1 if self.statut == StatutHonorabilite.EN_COURS else 0, date.min, date.min)

    def garder_la_plus_prudente(self, autre: "Honorabilite") -> None:
        if autre.rang() > self.rang():
            for champ in CHAMPS_HONORABILITE:
                setattr(self, champ, getattr(autre, champ))
            self.save(update_fields=CHAMPS_HONORABILITE)


CHAMPS_HONORABILITE = ["statut", "date", "methode", "saisie_par", "expiration"]


class MentorQuerySet(ScopedQuerySet):
    def avec_occupation(self):
        return self.annotate(
            nb_binomes_vivants=models.Count("binomes", filter=Q(binomes__statut__in=STATUTS_VIVANTS), distinct=True)
        )

    def avec_suspension(self):
        """Each mentor with `suspendu_le`, the start of their running suspension (None if none: a mentor
        has at most one running), read with them: `seance_enregistrer` then asks no second query."""
        # Suspension, defined after Mentor (which it references), reached through its relation.
        Suspension = self.model._meta.get_field("suspensions").related_model
        return self.annotate(
            suspendu_le=models.Subquery(
                Suspension.objects.en_cours().filter(mentor=models.OuterRef("pk")).values("debut")[:1]
            )
        )


class MentorManager(models.Manager.from_queryset(MentorQuerySet)):
    def get_queryset(self):
        return super().get_queryset().select_related("honorabilite")


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
    capacite = models.PositiveSmallIntegerField(
        "nombre d’élèves accompagnés au plus",
        default=1,
        validators=entre(1, CAPACITE_MAX, f"Un mentor accompagne de 1 à {CAPACITE_MAX} élèves."),
        help_text=f"De 1 à {CAPACITE_MAX}.",
    )
    disponibilites = models.CharField("disponibilités", max_length=255, blank=True)

    # One record per person, shared by the Mentor rows of every LP they serve (RGPD art. 10: facts only).
    honorabilite = models.ForeignKey(
        "Honorabilite", verbose_name="vérification", on_delete=models.PROTECT, related_name="mentors"
    )

    charte_signee_le = models.DateField(
        "charte de laïcité et de neutralité signée le",
        null=True,
        blank=True,
        validators=[DatePlausible()],
    )
    formation_suivie_le = models.DateField(
        "parcours de formation des mentors suivi le", null=True, blank=True, validators=[DatePlausible()]
    )

    # The verification is read wherever a mentor is (pairing, séances, lists): always fetched along.
    objects = MentorManager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    # A mentor with an account sees their own record.
    ACCES_PERSONNEL = {Role.MENTOR: "user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "mentor"
        ordering = ["nom", "prenom"]
        constraints = [
            Verification(condition=q_entre("capacite", 1, CAPACITE_MAX), name="mentor_capacite_bornee"),
            Verification(
                condition=q_date("charte_signee_le", nullable=True) & q_date("formation_suivie_le", nullable=True),
                name="mentor_dates_bornees",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    @transaction.atomic
    def save(self, *args, **kwargs):
        # Every Mentor row points to its person's one verification record (created on first need).
        cle = self.cle_personne()
        if self.honorabilite_id is None or (cle and self.honorabilite.email != cle):
            self.honorabilite = Honorabilite.objects.pour_mentor(self, cle)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "honorabilite"}
        super().save(*args, **kwargs)

    def cle_personne(self) -> str:
        """Who this mentor is across LPs: the account's address, else the one on the record."""
        if self.user_id:
            return normaliser_email(self.user.email)
        return normaliser_email(self.email or "")

    def places_occupees(self) -> int:
        """Living pairs (proposed, active, suspended); uses the `nb_binomes_vivants` annotation when present."""
        if hasattr(self, "nb_binomes_vivants"):
            return self.nb_binomes_vivants
        return self.binomes.filter(statut__in=STATUTS_VIVANTS).count()

    def places_restantes(self) -> int:
        return max(self.capacite - self.places_occupees(), 0)

    def honorabilite_valide(self, le: date | None = None) -> bool:
        """A mentor may be paired or scheduled only with a verified, unexpired honorabilité."""
        return self.honorabilite.valide(le)

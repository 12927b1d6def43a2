import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


def normaliser_email(email: str) -> str:
    """The one spelling of an address: what accounts are stored under and what the lockout counts.

    People type `DDFPT@…` or ` ddfpt@… `; every variant must reach the same account and
    the same failure counter (NFKC as Django's UsernameField, so look-alike characters
    count as one too).
    """
    return unicodedata.normalize("NFKC", email).strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("L’adresse électronique est obligatoire.")
        user = self.model(email=normaliser_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Emails are stored lower-case; people type them as they like. iexact still, for
        # accounts saved before create_user normalised (admin, imports).
        return self.get(email__iexact=normaliser_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """An account, identified by its email. Roles are held per établissement (Affectation)."""

    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l’administration", default=False)
    date_joined = models.DateTimeField("date de création", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["nom", "prenom", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.prenom} {self.nom}".strip()

    def get_short_name(self):
        return self.prenom or self.email


class ActionJournal(models.TextChoices):
    CONSULTATION = "consultation", "Consultation d’une fiche"
    EXPORT = "export", "Export de données"
    TELECHARGEMENT = "telechargement", "Téléchargement d’un document"
    INVITATION = "invitation", "Invitation à un rôle"
    ACCEPTATION = "acceptation", "Attribution d’un rôle (invitation acceptée)"
    ATTRIBUTION = "attribution", "Attribution d’un rôle par un opérateur"
    ANNULATION = "annulation", "Annulation d’une invitation"
    RETRAIT = "retrait", "Retrait d’un rôle"
    SIGNALEMENT = "signalement", "Dépôt d’un signalement"
    SUSPENSION = "suspension", "Suspension d’un mentor ou sa levée"


class JournalAcces(models.Model):
    """Who viewed or exported personal data, when, for which LP (RGPD accountability).

    Plain ids and labels, no foreign keys to the objects: an entry must outlive what it
    talks about (a student anonymised, an account deleted) until the purge.
    """

    date = models.DateTimeField("date", default=timezone.now)
    user = models.ForeignKey(User, verbose_name="compte", on_delete=models.SET_NULL, null=True, related_name="+")
    utilisateur = models.CharField("utilisateur", max_length=254)
    # Empty for the rights granted on an association or an académie (the object says where).
    etablissement_id = models.PositiveBigIntegerField("établissement", null=True, blank=True)
    action = models.CharField("action", max_length=20, choices=ActionJournal.choices)
    objet = models.CharField("objet", max_length=255)
    chemin = models.CharField("adresse de la page", max_length=255, blank=True)

    class Meta:
        verbose_name = "entrée du journal des accès"
        verbose_name_plural = "journal des accès"
        ordering = ["-date"]
        indexes = [models.Index(fields=["etablissement_id", "-date"], name="journal_etab_date")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y %H:%M} {self.utilisateur} — {self.get_action_display()} — {self.objet}"


class DemandeReinitialisation(models.Model):
    """One password-reset request that was let through, kept one hour to limit the next ones.

    In the database, not the cache: when Redis is down the cache answers a miss, which
    would lift the limit exactly when nobody watches. Only an HMAC of the address is kept
    (the request may name someone who has no account here); rows older than the window
    are deleted whenever a request is counted, so the table stays a few hours' worth.
    """

    date = models.DateTimeField("date", default=timezone.now)
    empreinte_email = models.CharField("empreinte de l’adresse", max_length=64)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    class Meta:
        verbose_name = "demande de réinitialisation"
        verbose_name_plural = "demandes de réinitialisation"
        indexes = [
            models.Index(fields=["empreinte_email", "date"], name="reinit_email_date"),
            models.Index(fields=["ip", "date"], name="reinit_ip_date"),
            models.Index(fields=["date"], name="reinit_date"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y %H:%M} {self.ip or ''}"

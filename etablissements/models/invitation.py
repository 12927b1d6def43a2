"""A pending grant: a role offered to an email address, taken by following a single-use link."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from socle.contraintes import Verification
from socle.roles import Role

from .affectation import NATIONAL, q_role_sur_son_lieu
from .etablissement import Academie, Etablissement
from .partenaire import Partenaire

DUREE_VALIDITE = timedelta(days=7)


def empreinte_jeton(jeton: str) -> str:
    """What the base keeps of a link's secret: a stolen dump of the table opens nothing."""
    return hashlib.sha256(jeton.encode()).hexdigest()


class StatutInvitation(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTEE = "acceptee", "Acceptée"
    ANNULEE = "annulee", "Annulée"


class InvitationQuerySet(models.QuerySet):
    def en_attente(self):
        """Pending and still valid: what a link or a ProConnect sign-in may accept."""
        return self.filter(statut=StatutInvitation.EN_ATTENTE, expire_le__gt=timezone.now())


class Invitation(models.Model):
    """A role on an LP, an association or an académie, offered to whoever holds `email`.

    The link carries a random secret; only its SHA-256 is stored. Accepting creates the
    account (or finds the one with the same email, whatever its case) and the Affectation.
    """

    email = models.EmailField("adresse électronique")
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    partenaire = models.ForeignKey(
        Partenaire, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutInvitation.choices, default=StatutInvitation.EN_ATTENTE
    )
    jeton_empreinte = models.CharField("empreinte du lien", max_length=64, unique=True, editable=False)
    invitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="invitée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_envoyees",
    )
    creee_le = models.DateTimeField("envoyée le", default=timezone.now)
    envoyee_le = models.DateTimeField("dernier envoi le", default=timezone.now)
    expire_le = models.DateTimeField("valable jusqu’au")
    acceptee_le = models.DateTimeField("acceptée le", null=True, blank=True)
    acceptee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_acceptees",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-envoyee_le"]
        constraints = [
            # Same places as an Affectation: each role on the kind of place it is about.
            Verification(name="invitation_perimetre_coherent", condition=q_role_sur_son_lieu()),
        ]
        indexes = [
            models.Index(fields=["etablissement", "statut"], name="invitation_etab_statut"),
            models.Index(fields=["email", "statut"], name="invitation_email_statut"),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()} — {self.lieu}"

    @property
    def lieu(self):
        return self.etablissement or self.partenaire or self.academie or NATIONAL

    @property
    def expiree(self) -> bool:
        return self.statut == StatutInvitation.EN_ATTENTE and self.expire_le <= timezone.now()

    @property
    def etat(self) -> str:
        """What the team page shows: pending, expired, accepted or cancelled."""
        return "Expirée" if self.expiree else self.get_statut_display()

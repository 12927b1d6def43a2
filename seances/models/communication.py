"""Invitations to the programme's events (the launch, the end-of-year ceremony): sent by email or printed
as a letter for the families, answered without an account, and the attendance ticked on the day."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from binomes.models import Eleve
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.validators import entre

from .seances import Evenement

NOMBRE_MAX = 10


class CategorieInvite(models.TextChoices):
    PERSONNEL = "personnel", "Personnels du lycée"
    MENTOR = "mentor", "Mentors"
    PARTENAIRE = "partenaire", "Association partenaire"
    ENTREPRISE = "entreprise", "Entreprises invitées"
    FAMILLE = "famille", "Familles des élèves (lettre à imprimer)"


class ReponseInvitation(models.TextChoices):
    ATTENTE = "attente", "Sans réponse"
    VIENDRA = "viendra", "Viendra"
    NE_VIENDRA_PAS = "ne_viendra_pas", "Ne viendra pas"


class InvitationEvenement(models.Model):
    """One invited person or family. The secret of their link is kept only as a SHA-256."""

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="invitations")
    categorie = models.CharField("catégorie", max_length=20, choices=CategorieInvite.choices)
    nom = models.CharField("invité", max_length=200)
    email = models.EmailField("courriel", blank=True, help_text="Vide pour une lettre imprimée.")
    # A family's letter names the student it is about: the letter goes home with them.
    eleve = models.ForeignKey(Eleve, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    empreinte = models.CharField("empreinte du jeton", max_length=64, unique=True)
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)
    reponse = models.CharField(
        "réponse", max_length=20, choices=ReponseInvitation.choices, default=ReponseInvitation.ATTENTE
    )
    nombre = models.PositiveSmallIntegerField(
        "nombre de personnes",
        default=1,
        validators=entre(1, NOMBRE_MAX, f"De 1 à {NOMBRE_MAX} personnes."),
    )
    repondu_le = models.DateTimeField("répondu le", null=True, blank=True)
    present = models.BooleanField("présent le jour même", default=False)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "evenement__dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "invitation à un évènement"
        verbose_name_plural = "invitations aux évènements"
        ordering = ["categorie", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "email"], condition=~Q(email=""), name="invitation_evenement_courriel_unique"
            ),
            models.UniqueConstraint(
                fields=["evenement", "eleve"], condition=Q(eleve__isnull=False), name="invitation_evenement_famille"
            ),
        ]

    def __str__(self):
        return f"{self.nom} — {self.evenement}"

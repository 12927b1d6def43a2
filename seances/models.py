from django.db import models
from django.db.models import Q

from binomes.models import Eleve, Mentor
from etablissements.models import Dispositif
from etablissements.scoping import ScopedQuerySet, perimetre
from mentorat import roles as R
from mentorat.roles import Role


class TypeSeance(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien individuel"
    COLLECTIVE = "collective", "Séance collective"
    CO_INTERVENTION = "co_intervention", "Co-intervention enseignant – professionnel"
    ATELIER_CV = "atelier_cv", "Atelier CV"
    PREPARATION_ENTRETIEN = "preparation_entretien", "Préparation à l’entretien d’embauche"
    VISITE = "visite", "Visite d’entreprise"
    ANIMATION = "animation", "Animation pédagogique"
    AUTRE = "autre", "Autre"


class Lieu(models.TextChoices):
    ETABLISSEMENT = "etablissement", "Dans l’établissement"
    ENTREPRISE = "entreprise", "En entreprise"
    DISTANCE = "distance", "À distance"
    AUTRE = "autre", "Autre lieu"


class StatutSeance(models.TextChoices):
    PREVUE = "prevue", "Prévue"
    TENUE = "tenue", "Tenue"
    ANNULEE = "annulee", "Annulée"


class SeanceQuerySet(ScopedQuerySet):
    def for_user(self, user, roles=None):
        qs = super().for_user(user, roles)
        if roles is None:
            qs = qs | self.filter(
                participations__mentor__user=user,
                **{f"{self.model.CHEMIN_ETABLISSEMENT}__in": perimetre(user).etablissements({Role.MENTOR})},
            )
            qs = qs.distinct()
        return qs


class Seance(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="seances")
    date = models.DateField("date")
    heure = models.TimeField("heure", null=True, blank=True)
    duree = models.PositiveSmallIntegerField("durée (minutes)", default=60)
    lieu = models.CharField("lieu", max_length=20, choices=Lieu.choices, default=Lieu.ETABLISSEMENT)
    type = models.CharField("type de séance", max_length=30, choices=TypeSeance.choices, default=TypeSeance.ENTRETIEN)
    statut = models.CharField("statut", max_length=20, choices=StatutSeance.choices, default=StatutSeance.PREVUE)
    compte_rendu = models.TextField("compte rendu", blank=True)

    objects = SeanceQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "séance"
        ordering = ["-date", "-heure"]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"


class Presence(models.TextChoices):
    ATTENDU = "attendu", "Attendu"
    PRESENT = "present", "Présent"
    ABSENT_EXCUSE = "absent_excuse", "Absent excusé"
    ABSENT_NON_EXCUSE = "absent_non_excuse", "Absent non excusé"


class Participation(models.Model):
    """One expected participant of a séance (a student or a mentor) and their attendance."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="participations")
    eleve = models.ForeignKey(Eleve, on_delete=models.CASCADE, null=True, blank=True, related_name="participations")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, null=True, blank=True, related_name="participations")
    presence = models.CharField("présence", max_length=20, choices=Presence.choices, default=Presence.ATTENDU)

    class Meta:
        verbose_name = "participation"
        constraints = [
            models.CheckConstraint(
                name="participation_eleve_ou_mentor",
                condition=Q(eleve__isnull=False, mentor__isnull=True) | Q(eleve__isnull=True, mentor__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["seance", "eleve"], condition=Q(eleve__isnull=False), name="participation_eleve_unique"
            ),
            models.UniqueConstraint(
                fields=["seance", "mentor"], condition=Q(mentor__isnull=False), name="participation_mentor_unique"
            ),
        ]

    def __str__(self):
        return f"{self.eleve or self.mentor} — {self.get_presence_display()}"

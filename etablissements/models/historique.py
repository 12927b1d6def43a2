"""The history of changes to conventions and cadrage documents."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from socle import roles as R
from socle.contraintes import Verification

from ..scoping import ScopedQuerySet
from .cadrage import VersionCadrage
from .convention import Convention
from .dispositif import Dispositif


class ActionHistorique(models.TextChoices):
    CREATION = "creation", "Création"
    MODIFICATION = "modification", "Modification"
    SOUMISSION = "soumission", "Soumission à validation"
    VALIDATION = "validation", "Validation"
    RENVOI = "renvoi", "Renvoi pour modification"
    SIGNATURE = "signature", "Signature"
    AVENANT = "avenant", "Avenant"


# The actions that are decisions on a document (the others are edits).
DECISIONS = (
    ActionHistorique.SOUMISSION,
    ActionHistorique.RENVOI,
    ActionHistorique.VALIDATION,
    ActionHistorique.SIGNATURE,
)


class Modification(models.Model):
    """Who changed what, and when, on a convention or a cadrage version.

    Written by the services in the same transaction as the change it describes, so a
    change is never saved without its trace, nor a trace without its change.
    """

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="modifications")
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, null=True, blank=True, related_name="modifications"
    )
    version_cadrage = models.ForeignKey(
        VersionCadrage, on_delete=models.CASCADE, null=True, blank=True, related_name="modifications"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    date = models.DateTimeField("date", auto_now_add=True)
    action = models.CharField("action", max_length=20, choices=ActionHistorique.choices)
    # [{"champ": label, "avant": text, "apres": text}, ...]
    changements = models.JSONField("changements", default=list, blank=True)
    commentaire = models.TextField("commentaire", blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = frozenset()

    class Meta:
        verbose_name = "modification"
        ordering = ["-date", "-pk"]
        constraints = [
            Verification(
                name="modification_un_seul_objet",
                condition=Q(convention__isnull=False, version_cadrage__isnull=True)
                | Q(convention__isnull=True, version_cadrage__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} le {self.date:%d/%m/%Y}"

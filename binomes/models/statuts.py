"""The statuses of a pair, read by the mentors' and students' querysets as well."""

from django.db import models


class StatutBinome(models.TextChoices):
    PROPOSE = "propose", "Proposé"
    ACTIF = "actif", "Actif"
    SUSPENDU = "suspendu", "Suspendu"
    TERMINE = "termine", "Terminé"
    ROMPU = "rompu", "Rompu"


# A pair in one of these statuses holds one of the mentor's places.
STATUTS_VIVANTS = (StatutBinome.PROPOSE, StatutBinome.ACTIF, StatutBinome.SUSPENDU)

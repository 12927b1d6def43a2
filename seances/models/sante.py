"""The periods during which a binôme was "en risque": what the daily alert job remembers."""

from django.db import models
from django.db.models import Q

from binomes.models import Binome
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.contraintes import Verification
from socle.validators import DatePlausible, q_date, q_ordonnees


class EpisodeRisque(models.Model):
    """A binôme entered "en risque" on `debut` and left it on `fin` (open while it stays there).

    The alert job opens one when a pair enters the state and alerts the référent then; a pair that
    stays at risk keeps its open period, so it is not alerted again. The year-end report counts the
    broken pairs that had been at risk before their end. No reason is stored: the reasons are
    recomputed from the data, and a period holds nothing about the student but its dates.
    """

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="episodes_risque")
    debut = models.DateField("en risque depuis le", validators=[DatePlausible()])
    fin = models.DateField("sorti du risque le", null=True, blank=True, validators=[DatePlausible()])

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "binome__dispositif__etablissement"
    ROLES_LECTURE = R.GESTION_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "période en risque d’un binôme"
        verbose_name_plural = "périodes en risque des binômes"
        ordering = ["-debut", "-pk"]
        constraints = [
            # One open period per pair: a second run of the job, even concurrent, opens none.
            models.UniqueConstraint(fields=["binome"], condition=Q(fin__isnull=True), name="episode_risque_ouvert"),
            Verification(condition=q_date("debut") & q_date("fin", nullable=True), name="episode_risque_dates_bornees"),
            Verification(condition=q_ordonnees("debut", "fin"), name="episode_risque_fin_apres_debut"),
        ]

    def __str__(self):
        return f"En risque depuis le {self.debut:%d/%m/%Y}"

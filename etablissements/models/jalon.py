"""The frise chronologique's milestones, stored per dispositif.

The sheet's table of milestones (`JALONS`) lives here because the model's choices come
from it; `etablissements.frise` creates the milestones from it and computes their states.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from socle import roles as R
from socle.contraintes import Verification
from socle.validators import q_date

from ..scoping import ScopedQuerySet
from .dispositif import Dispositif


@dataclass(frozen=True)
class DefinitionJalon:
    code: str
    libelle: str
    periode: str
    # (month, day, years after the dispositif's first year)
    debut: tuple[int, int, int]
    fin: tuple[int, int, int]

    def dates(self, annee: int) -> tuple[date, date]:
        (m1, j1, a1), (m2, j2, a2) = self.debut, self.fin
        return date(annee + a1, m1, j1), date(annee + a2, m2, j2)


_FIN_N_1 = "Fin de l’année scolaire précédente"
_SEPTEMBRE = "Septembre"
_OCT_MAI = "D’octobre à mai"
_FIN_ANNEE = "Fin d’année ou fin du mentorat"

JALONS = [
    DefinitionJalon("reflexion", "Réflexion en établissement (diagnostic)", _FIN_N_1, (5, 1, 0), (8, 31, 0)),
    DefinitionJalon("partenaire", "Identification du partenaire", _FIN_N_1, (5, 1, 0), (8, 31, 0)),
    DefinitionJalon("cadrage", "Rédaction du document de cadrage", _FIN_N_1, (5, 1, 0), (8, 31, 0)),
    DefinitionJalon("designation", "Désignation du référent et du coordonnateur", _FIN_N_1, (5, 1, 0), (8, 31, 0)),
    DefinitionJalon("sourcing", "Sourcing des mentors", f"{_FIN_N_1} et septembre", (5, 1, 0), (9, 30, 0)),
    DefinitionJalon("eleves", "Identification des élèves", _SEPTEMBRE, (9, 1, 0), (9, 30, 0)),
    DefinitionJalon(
        "presentation", "Présentation du projet et des partenaires en interne", _SEPTEMBRE, (9, 1, 0), (9, 30, 0)
    ),
    DefinitionJalon("appariement", "Appariement élèves-mentors", _OCT_MAI, (10, 1, 0), (5, 31, 1)),
    DefinitionJalon("lancement", "Lancement", "D’octobre à début janvier au plus tard", (10, 1, 0), (1, 10, 1)),
    DefinitionJalon(
        "deroulement",
        "Déroulement : entretiens, animations pédagogiques, visites d’entreprises, réunions de suivi",
        _OCT_MAI,
        (10, 1, 0),
        (5, 31, 1),
    ),
    DefinitionJalon("bilan", "Bilan et indicateurs", _FIN_ANNEE, (6, 1, 1), (7, 10, 1)),
    DefinitionJalon("reunion_fin", "Réunion de fin d’année", _FIN_ANNEE, (6, 1, 1), (7, 10, 1)),
    DefinitionJalon("evenement_fin", "Évènement de fin d’année", _FIN_ANNEE, (6, 1, 1), (7, 10, 1)),
]
DEFINITIONS = {d.code: d for d in JALONS}
CODES_JALONS = [(d.code, d.libelle) for d in JALONS]
PERIODES_JALONS = {d.code: d.periode for d in JALONS}


class StatutJalon(models.TextChoices):
    A_FAIRE = "a_faire", "À faire"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Fait"


class JalonQuerySet(ScopedQuerySet):
    def periode_depassee(self, jour: date):
        """Milestones whose period ended before `jour` and not fixed as done by hand.

        Candidates for lateness: `etablissements.frise.jalons_en_retard` also drops those
        the data shows as done.
        """
        return self.filter(fin__lt=jour).exclude(statut=StatutJalon.FAIT)


class Jalon(models.Model):
    """One milestone of a dispositif's timeline (cahier des charges §2), with its recommended period."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="jalons")
    code = models.CharField("jalon", max_length=30, choices=CODES_JALONS)
    ordre = models.PositiveSmallIntegerField("ordre")
    debut = models.DateField("début de la période recommandée")
    fin = models.DateField("fin de la période recommandée")
    # Empty: the status follows the data (etablissements.frise). Set: the référent fixed it by
    # hand, and it wins over the data until removed; `modifie_par`/`modifie_le` say who and when.
    statut = models.CharField("statut fixé à la main", max_length=20, choices=StatutJalon.choices, blank=True)
    commentaire = models.CharField("commentaire", max_length=255, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    modifie_le = models.DateTimeField("modifié le", null=True, blank=True)

    objects = JalonQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "jalon"
        ordering = ["dispositif", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "code"], name="jalon_unique_par_dispositif"),
            # Computed from the dispositif's year (frise.py), never typed: bounded in the database only.
            Verification(
                condition=q_date("debut") & q_date("fin") & Q(debut__lte=models.F("fin")), name="jalon_periode_bornee"
            ),
        ]

    def __str__(self):
        return self.get_code_display()

    @property
    def periode(self) -> str:
        return PERIODES_JALONS[self.code]

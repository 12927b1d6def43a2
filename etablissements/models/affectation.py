"""The roles users hold: on an LP, a partner association or an académie."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from socle import roles as R
from socle.contraintes import Verification
from socle.roles import Role

from .etablissement import Academie, Etablissement
from .partenaire import Partenaire


def q_role_sur_son_lieu() -> Q:
    """Each role is held on exactly the kind of place it is about (an LP, an association, an académie),
    or on none for a national role (the whole country).

    Shared by the roles held (Affectation) and the roles offered (Invitation).
    """
    return (
        Q(
            role__in=sorted(R.ROLES_ETABLISSEMENT),
            etablissement__isnull=False,
            partenaire__isnull=True,
            academie__isnull=True,
        )
        | Q(
            role__in=sorted(R.ROLES_PARTENAIRE),
            partenaire__isnull=False,
            etablissement__isnull=True,
            academie__isnull=True,
        )
        | Q(
            role__in=sorted(R.ROLES_ACADEMIE),
            academie__isnull=False,
            etablissement__isnull=True,
            partenaire__isnull=True,
        )
        | Q(
            role__in=sorted(R.ROLES_NATIONAUX),
            academie__isnull=True,
            etablissement__isnull=True,
            partenaire__isnull=True,
        )
    )


class Echelon:
    """The place of a national role: the whole country, which has no row of its own."""

    pk = None

    def __str__(self):
        return "Échelon national"


NATIONAL = Echelon()


class Affectation(models.Model):
    """A role held by a user: on an LP, on a partner association, or on an académie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affectations", verbose_name="utilisateur"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    partenaire = models.ForeignKey(
        Partenaire, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations")

    class Meta:
        verbose_name = "affectation"
        constraints = [
            # Each role is held on exactly the kind of place it is about.
            Verification(name="affectation_perimetre_coherent", condition=q_role_sur_son_lieu()),
            models.UniqueConstraint(
                fields=["user", "role", "etablissement"],
                condition=Q(etablissement__isnull=False),
                name="affectation_unique_etablissement",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partenaire"],
                condition=Q(partenaire__isnull=False),
                name="affectation_unique_partenaire",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "academie"],
                condition=Q(academie__isnull=False),
                name="affectation_unique_academie",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__in=sorted(R.ROLES_NATIONAUX)),
                name="affectation_unique_national",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.lieu}"

    @property
    def lieu(self):
        """The LP, association or académie the role is held on (the country for a national role)."""
        return self.etablissement or self.partenaire or self.academie or NATIONAL

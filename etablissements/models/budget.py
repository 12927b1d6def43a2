"""The programme's budget lines."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum

from socle import roles as R
from socle.contraintes import Verification
from socle.validators import DatePlausible, entre, q_date

from ..scoping import ScopedQuerySet
from .communs import MONTANT_MAX
from .dispositif import Dispositif


class TypeLigneBudget(models.TextChoices):
    ALLOCATION = "allocation", "Somme allouée"
    ENGAGEMENT = "engagement", "Somme engagée"


class SourceFinancement(models.TextChoices):
    ETABLISSEMENT = "etablissement", "Budget de l’établissement"
    ACADEMIE = "academie", "Crédits académiques"
    PLAN_1J1M = "plan_1j1m", "Plan « 1 jeune, 1 mentor »"
    COLLECTIVITE = "collectivite", "Région ou autre collectivité"
    PARTENAIRE = "partenaire", "Association partenaire"
    MECENAT = "mecenat", "Entreprises, mécénat"
    AUTRE = "autre", "Autre source"


class NatureDepense(models.TextChoices):
    REMBOURSEMENT_FRAIS = "remboursement_frais", "Remboursement de frais"
    EVENEMENTS = "evenements", "Évènements"
    FORMATION = "formation", "Formation"
    AUTRE = "autre", "Autre dépense"


class LigneBudgetQuerySet(ScopedQuerySet):
    def totaux(self) -> dict:
        """Allocated and committed sums of these lines, and what remains."""
        sommes = self.aggregate(
            alloue=Sum("montant", filter=Q(type=TypeLigneBudget.ALLOCATION)),
            engage=Sum("montant", filter=Q(type=TypeLigneBudget.ENGAGEMENT)),
        )
        alloue = sommes["alloue"] or 0
        engage = sommes["engage"] or 0
        return {"alloue": alloue, "engage": engage, "reste": alloue - engage}


class LigneBudget(models.Model):
    """A sum allocated to the dispositif (by source) or committed by it (by nature)."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="lignes_budget")
    type = models.CharField("type", max_length=20, choices=TypeLigneBudget.choices)
    source = models.CharField("source", max_length=20, choices=SourceFinancement.choices, blank=True)
    nature = models.CharField("nature de la dépense", max_length=30, choices=NatureDepense.choices, blank=True)
    libelle = models.CharField("libellé", max_length=200)
    montant = models.DecimalField(
        "montant (€)",
        max_digits=10,
        decimal_places=2,
        validators=entre(Decimal("0.01"), MONTANT_MAX, "Le montant va de 0,01 à 1 000 000 €."),
    )
    date = models.DateField("date", null=True, blank=True, validators=[DatePlausible()])

    objects = LigneBudgetQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "lignes de budget"
        ordering = ["type", "date", "pk"]
        constraints = [
            # An allocation says where the money comes from, a commitment what it pays for.
            Verification(
                name="ligne_budget_source_ou_nature",
                condition=Q(type="allocation", nature="") & ~Q(source="")
                | Q(type="engagement", source="") & ~Q(nature=""),
            ),
            Verification(name="ligne_budget_montant_positif", condition=Q(montant__gt=0)),
            Verification(name="ligne_budget_montant_plafonne", condition=Q(montant__lte=MONTANT_MAX)),
            Verification(name="ligne_budget_date_bornee", condition=q_date("date", nullable=True)),
        ]

    def __str__(self):
        return f"{self.libelle} : {self.montant} €"

    def clean(self):
        if self.type == TypeLigneBudget.ALLOCATION:
            self.nature = ""
            if not self.source:
                raise ValidationError({"source": "Indiquez la source de cette somme allouée."})
        elif self.type == TypeLigneBudget.ENGAGEMENT:
            self.source = ""
            if not self.nature:
                raise ValidationError({"nature": "Indiquez la nature de cette dépense."})

    @property
    def categorie(self) -> str:
        return self.get_source_display() if self.type == TypeLigneBudget.ALLOCATION else self.get_nature_display()

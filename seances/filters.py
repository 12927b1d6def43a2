import django_filters
from django.http import QueryDict

from etablissements.models import Etablissement
from etablissements.models.dispositif import annee_scolaire_courante
from socle.crispy_dsfr import DateInput
from socle.filters import DsfrFilterSet

from .models import Seance, StatutSeance, TypeSeance

TOUTES_LES_ANNEES = "toutes"
# School years offered besides the current one (older ones: « Toutes les années »).
ANNEES_PASSEES = 4


def choix_des_annees(courante: int) -> list[tuple[str, str]]:
    return [(str(a), f"{a}-{a + 1}") for a in range(courante, courante - ANNEES_PASSEES - 1, -1)] + [
        (TOUTES_LES_ANNEES, "Toutes les années")
    ]


class SeanceFiltre(DsfrFilterSet):
    """The séances list's filters. The list shows the current school year unless another one (or every
    one) is chosen: a coordinator's séances over several years run to tens of thousands, and the
    year's are those they work on."""

    annee = django_filters.ChoiceFilter(
        label="Année scolaire", field_name="dispositif__annee", choices=[], empty_label=None, method="filtrer_annee"
    )
    etablissement = django_filters.ModelChoiceFilter(
        label="Établissement", field_name="dispositif__etablissement", queryset=Etablissement.objects.none()
    )
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutSeance.choices, empty_label="Tous")
    type = django_filters.ChoiceFilter(label="Type", choices=TypeSeance.choices, empty_label="Tous")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = Seance
        fields = ["annee", "etablissement", "statut", "type", "depuis"]

    def __init__(self, data=None, *args, etablissements, lire_etablissements=None, **kwargs):
        """`etablissements`: the LPs offered (a queryset, which validates the choice); `lire_etablissements`:
        a function returning the same LPs in the same order, read otherwise (a compiled query)."""
        courante = annee_scolaire_courante()
        donnees = data.copy() if data is not None else QueryDict(mutable=True)
        if not donnees.get("annee"):
            donnees["annee"] = str(courante)
        super().__init__(donnees, *args, **kwargs)
        self.filters["annee"].extra["choices"] = choix_des_annees(courante)
        self.filters["etablissement"].queryset = etablissements
        self.lire_etablissements = lire_etablissements

    def filtrer_annee(self, queryset, nom, valeur):
        return queryset if valeur == TOUTES_LES_ANNEES else queryset.filter(**{nom: int(valeur)})

    @property
    def annee_choisie(self) -> int | None:
        """The school year the list shows, None for every year (or a year the form refused: then the
        list is not filtered by year, as django-filter applies only the valid fields)."""
        self.form.is_valid()
        valeur = self.form.cleaned_data.get("annee")
        return int(valeur) if valeur and valeur != TOUTES_LES_ANNEES else None

    def lectures_des_options(self):
        return {"etablissement": self.lire_etablissements} if self.lire_etablissements else {}

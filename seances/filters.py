import django_filters

from etablissements.models import Etablissement
from socle.crispy_dsfr import DateInput
from socle.filters import DsfrFilterSet

from .models import Seance, StatutSeance, TypeSeance


class SeanceFiltre(DsfrFilterSet):
    etablissement = django_filters.ModelChoiceFilter(
        label="Établissement", field_name="dispositif__etablissement", queryset=Etablissement.objects.none()
    )
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutSeance.choices, empty_label="Tous")
    type = django_filters.ChoiceFilter(label="Type", choices=TypeSeance.choices, empty_label="Tous")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = Seance
        fields = ["etablissement", "statut", "type", "depuis"]

    def __init__(self, *args, etablissements, lire_etablissements=None, **kwargs):
        """`etablissements`: the LPs offered (a queryset, which validates the choice); `lire_etablissements`:
        a function returning the same LPs in the same order, read otherwise (a compiled query)."""
        super().__init__(*args, **kwargs)
        self.filters["etablissement"].queryset = etablissements
        self.lire_etablissements = lire_etablissements

    def lectures_des_options(self):
        return {"etablissement": self.lire_etablissements} if self.lire_etablissements else {}

import django_filters
from django import forms

from socle.filters import DsfrFilterSet

from .models import Dispositif, Entreprise, Etablissement, Partenaire
from .models.partenaire import TypePartenaire


class EntrepriseFiltre(DsfrFilterSet):
    nom = django_filters.CharFilter(label="Nom", lookup_expr="icontains")
    secteur = django_filters.ChoiceFilter(label="Secteur d’activité", empty_label="Tous les secteurs")

    class Meta:
        model = Entreprise
        fields = ["nom", "secteur"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        secteurs = self.queryset.exclude(secteur="").order_by("secteur").values_list("secteur", flat=True).distinct()
        self.filters["secteur"].extra["choices"] = [(s, s) for s in secteurs]


class PartenaireFiltre(DsfrFilterSet):
    nom = django_filters.CharFilter(label="Nom", lookup_expr="icontains")
    type = django_filters.ChoiceFilter(label="Type", choices=TypePartenaire.choices, empty_label="Tous les types")
    plan_1j1m = django_filters.BooleanFilter(
        label="Lauréat du plan « 1 jeune, 1 mentor »",
        widget=forms.Select(choices=[("", "Indifférent"), ("true", "Oui"), ("false", "Non")]),
    )

    class Meta:
        model = Partenaire
        fields = ["nom", "type", "plan_1j1m"]


class DispositifFiltre(DsfrFilterSet):
    annee = django_filters.ChoiceFilter(label="Année scolaire", empty_label="Toutes les années")
    etablissement = django_filters.ModelChoiceFilter(
        label="Établissement", queryset=Etablissement.objects.none(), empty_label="Tous vos établissements"
    )

    class Meta:
        model = Dispositif
        fields = ["annee", "etablissement"]

    def __init__(self, *args, etablissements, **kwargs):
        super().__init__(*args, **kwargs)
        annees = self.queryset.order_by("-annee").values_list("annee", flat=True).distinct()
        self.filters["annee"].extra["choices"] = [(a, f"{a}-{a + 1}") for a in annees]
        self.filters["etablissement"].queryset = etablissements

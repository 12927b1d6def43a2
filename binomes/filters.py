import django_filters
from django import forms
from django.db.models import Q

from etablissements.models import Entreprise, Formation
from socle.filters import DsfrFilterSet
from socle.requetes import RequeteCompilee

from .models import Besoin, Binome, Eleve, Mentor, Sexe, StatutBinome, StatutEleve, StatutHonorabilite


def _besoins(queryset, prefixe, valeurs):
    """Students having any of the chosen needs (one boolean column per need)."""
    if not valeurs:
        return queryset
    condition = Q()
    for code in valeurs:
        condition |= Q(**{f"{prefixe}besoin_{code}": True})
    return queryset.filter(condition)


# The options of the LP lists' choice lists, compiled once per connection (socle.requetes): every page
# of the students', mentors' and pairs' lists reads them (issue 18).
_OPTIONS_DU_LP = {
    "formation": RequeteCompilee(lambda lp_id: Formation.objects.filter(etablissement_id=lp_id), int),
    "entreprise": RequeteCompilee(lambda lp_id: Entreprise.objects.filter(etablissement_id=lp_id), int),
}


class _FiltreLP(DsfrFilterSet):
    """A filter set whose choice lists only hold the current LP's formations and companies."""

    def __init__(self, data=None, queryset=None, *, request=None, etablissement=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.etablissement = etablissement
        for nom, requete in _OPTIONS_DU_LP.items():
            if nom in self.filters:
                # The queryset validates the choice; the options are read by the same query, compiled.
                self.filters[nom].queryset = requete.fabrique(etablissement.pk if etablissement else None)

    def lectures_des_options(self):
        if self.etablissement is None:
            return {}
        lp_id = self.etablissement.pk
        return {
            nom: (lambda requete=requete: requete.objets(lp_id))
            for nom, requete in _OPTIONS_DU_LP.items()
            if nom in self.filters
        }


class EleveFiltre(_FiltreLP):
    classe = django_filters.CharFilter(label="Classe", lookup_expr="iexact")
    formation = django_filters.ModelChoiceFilter(label="Formation", queryset=Formation.objects.none())
    sexe = django_filters.ChoiceFilter(label="Sexe", choices=Sexe.choices, empty_label="Tous")
    besoins = django_filters.MultipleChoiceFilter(
        label="Besoins",
        choices=Besoin.choices,
        widget=forms.CheckboxSelectMultiple,
        method=lambda qs, _nom, valeurs: _besoins(qs, "", valeurs),
    )
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutEleve.choices, empty_label="Tous")
    eligibles = django_filters.BooleanFilter(
        label="Éligibles à l’appariement",
        method="filtrer_eligibles",
        widget=forms.Select(choices=[("", "Tous"), ("true", "Oui"), ("false", "Non")]),
    )
    sortis = django_filters.BooleanFilter(
        label="Sortis de l’établissement",
        field_name="date_sortie",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", "Tous"), ("true", "Oui"), ("false", "Non")]),
    )

    class Meta:
        model = Eleve
        fields = []

    def filtrer_eligibles(self, queryset, _nom, valeur):
        if valeur is None:
            return queryset
        eligibles = Eleve.objects.eligibles().values("pk")
        return queryset.filter(pk__in=eligibles) if valeur else queryset.exclude(pk__in=eligibles)


class MentorFiltre(_FiltreLP):
    honorabilite = django_filters.ChoiceFilter(
        label="Honorabilité",
        field_name="honorabilite__statut",
        choices=StatutHonorabilite.choices,
        empty_label="Toutes",
    )
    entreprise = django_filters.ModelChoiceFilter(label="Entreprise", queryset=Entreprise.objects.none())
    secteur = django_filters.CharFilter(label="Secteur", lookup_expr="icontains")

    class Meta:
        model = Mentor
        fields = []


class BinomeFiltre(_FiltreLP):
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutBinome.choices, empty_label="Tous")
    classe = django_filters.CharFilter(label="Classe", field_name="eleve__classe", lookup_expr="iexact")
    formation = django_filters.ModelChoiceFilter(
        label="Formation", field_name="eleve__formation", queryset=Formation.objects.none()
    )
    sexe = django_filters.ChoiceFilter(
        label="Sexe de l’élève", field_name="eleve__sexe", choices=Sexe.choices, empty_label="Tous"
    )
    besoins = django_filters.MultipleChoiceFilter(
        label="Besoins",
        choices=Besoin.choices,
        widget=forms.CheckboxSelectMultiple,
        method=lambda qs, _nom, valeurs: _besoins(qs, "eleve__", valeurs),
    )
    honorabilite = django_filters.ChoiceFilter(
        label="Honorabilité du mentor",
        field_name="mentor__honorabilite__statut",
        choices=StatutHonorabilite.choices,
        empty_label="Toutes",
    )
    entreprise = django_filters.ModelChoiceFilter(
        label="Entreprise", field_name="mentor__entreprise", queryset=Entreprise.objects.none()
    )

    class Meta:
        model = Binome
        fields = []

"""Admin of the académies, LPs, partners and the roles accounts hold on them (Affectation).

The account page of the admin (socle/admin.py) gets its roles inline here: socle does not
know the établissements.
"""

from django import forms
from django.contrib import admin

from socle.admin import UtilisateurAdmin
from socle.models import User

from .models import Academie, Affectation, Etablissement, Partenaire
from .models.etablissement import Label


@admin.register(Academie)
class AcademieAdmin(admin.ModelAdmin):
    list_display = ["nom"]
    search_fields = ["nom"]


class EtablissementForm(forms.ModelForm):
    labels = forms.MultipleChoiceField(
        label="labels", choices=Label.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Etablissement
        fields = ["nom", "uai", "academie", "adresse", "code_postal", "commune", "labels", "autre_label"]


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    form = EtablissementForm
    list_display = ["nom", "uai", "commune", "academie"]
    list_filter = ["academie"]
    search_fields = ["nom", "uai", "commune"]
    list_select_related = ["academie"]


@admin.register(Partenaire)
class PartenaireAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "plan_1j1m", "email"]
    list_filter = ["plan_1j1m", "type"]
    search_fields = ["nom", "email"]


@admin.register(Affectation)
class AffectationAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "role", "etablissement", "partenaire", "academie"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__nom", "etablissement__nom", "etablissement__uai", "partenaire__nom"]
    autocomplete_fields = ["user", "etablissement", "partenaire", "academie"]
    list_select_related = ["user", "etablissement", "partenaire", "academie"]

    @admin.display(description="adresse électronique", ordering="user__email")
    def email(self, affectation):
        return affectation.user.email


class AffectationInline(admin.TabularInline):
    """The roles of the account, on its admin page: an LP role on an LP, coordonnateur on a
    partner, pilotage on an académie (the model's constraint refuses any other mix)."""

    model = Affectation
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["etablissement", "partenaire", "academie"]


admin.site.unregister(User)


@admin.register(User)
class UtilisateurAvecAffectationsAdmin(UtilisateurAdmin):
    inlines = [*UtilisateurAdmin.inlines, AffectationInline]

"""Admin of the académies, LPs, partners and the roles accounts hold on them (Affectation).

The account page of the admin (socle/admin.py) gets its roles inline here: socle does not
know the établissements.
"""

from django import forms
from django.contrib import admin

from socle.admin import UtilisateurAdmin
from socle.journal import ActionJournal, journaliser_droit
from socle.models import User

from .models import Academie, Affectation, Etablissement, Invitation, Partenaire
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


def journaliser_affectation(request, affectation, action):
    """A role given or withdrawn in the admin goes to the access log like one given in the app."""
    journaliser_droit(
        request.user,
        action=action,
        etablissement_id=affectation.etablissement_id,
        objet=f"Administration : {affectation.get_role_display()} — {affectation.lieu} — {affectation.user.email}",
        chemin=request.get_full_path(),
    )


class JournaliseLesRolesMixin:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        journaliser_affectation(request, obj, ActionJournal.ATTRIBUTION)

    def delete_model(self, request, obj):
        journaliser_affectation(request, obj, ActionJournal.RETRAIT)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for affectation in queryset.select_related("user", "etablissement", "partenaire", "academie"):
            journaliser_affectation(request, affectation, ActionJournal.RETRAIT)
        super().delete_queryset(request, queryset)


@admin.register(Affectation)
class AffectationAdmin(JournaliseLesRolesMixin, admin.ModelAdmin):
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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Affectation:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for affectation in formset.deleted_objects:
            journaliser_affectation(request, affectation, ActionJournal.RETRAIT)
            affectation.delete()
        for affectation in instances:
            affectation.save()
            journaliser_affectation(request, affectation, ActionJournal.ATTRIBUTION)
        formset.save_m2m()
        return None


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the app (or `inviter_administrateur`): here they are read, for support."""

    list_display = ["email", "role", "etablissement", "partenaire", "academie", "statut", "invitee_par", "expire_le"]
    list_filter = ["statut", "role"]
    search_fields = ["email", "etablissement__nom", "etablissement__uai", "partenaire__nom"]
    list_select_related = ["etablissement", "partenaire", "academie", "invitee_par"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False

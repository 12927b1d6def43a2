"""Admin of the accounts (email sign-in, no username) and the read-only access log.

The roles each account holds (Affectation) are shown on its page by etablissements/admin.py,
the layer that knows them.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin

from .models import JournalAcces, User, normaliser_email


class EmailUniqueMixin:
    """The address as the manager stores it (trimmed, lower-case), unique whatever its case."""

    def clean_email(self):
        email = normaliser_email(self.cleaned_data["email"])
        autres = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            autres = autres.exclude(pk=self.instance.pk)
        if autres.exists():
            raise forms.ValidationError("Un compte utilise déjà cette adresse électronique.")
        return email


class CreationUtilisateurForm(EmailUniqueMixin, auth_forms.BaseUserCreationForm):
    """Email and the password twice."""

    class Meta:
        model = User
        fields = ("email",)


class ModificationUtilisateurForm(EmailUniqueMixin, auth_forms.UserChangeForm):
    """The account's fields; the password is shown hashed, with the link to change it."""

    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UtilisateurAdmin(UserAdmin):
    form = ModificationUtilisateurForm
    add_form = CreationUtilisateurForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("prenom", "nom")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    list_display = ["email", "prenom", "nom", "is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_staff", "is_active", "is_superuser"]
    search_fields = ["email", "nom", "prenom"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(JournalAcces)
class JournalAccesAdmin(admin.ModelAdmin):
    """Read only: the log is the accountability record; only the retention job deletes entries."""

    list_display = ["date", "utilisateur", "etablissement_id", "action", "objet"]
    list_filter = ["action"]
    search_fields = ["utilisateur", "objet"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The Django admin of Mentorat LP: django-otp's OTPAdminSite, in French.

Every admin page requires the second factor: a staff account is let in only once verified
by its TOTP device (`request.user.is_verified()`), whether the code was given on the admin's
sign-in form or on the app's code page. A staff account without a device is sent to the
app's security page to enrol one first; the admin offers no way around it.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


def a_un_appareil(user):
    return any(devices_for_user(user, confirmed=True))


class ConnexionAdministrationForm(OTPAdminAuthenticationForm):
    """Email, password and the code of the authentication application.

    TOTP needs no device choice and no challenge: the code is checked against the account's
    confirmed device (the security page lets each account enrol one).
    """

    otp_device = None
    otp_challenge = None

    otp_token = forms.CharField(
        label="Code de l’application d’authentification",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Saisissez le code à 6 chiffres de votre application d’authentification.",
        "invalid_token": "Code incorrect : vérifiez l’heure de votre téléphone et réessayez.",
    }

    def clean_otp(self, user):
        if user is not None and not a_un_appareil(user):
            raise forms.ValidationError(
                "L’administration demande la double authentification, et ce compte ne l’a pas encore "
                "activée : connectez-vous à l’application, activez-la sur la page « Sécurité du compte » "
                f"({reverse('securite')}), puis revenez ici.",
                code="appareil_requis",
            )
        super().clean_otp(user)

    def _chosen_device(self, user):
        # Called by clean_otp inside its transaction: the device is locked while it is checked.
        return next(devices_for_user(user, confirmed=True, for_verify=True), None)


class SiteAdministration(OTPAdminSite):
    site_header = "Administration de Mentorat LP"
    site_title = "Administration de Mentorat LP"
    index_title = "Tableau de bord de l’administration"
    login_form = ConnexionAdministrationForm
    login_template = "socle/admin/connexion.html"

    def __init__(self, name="admin"):
        # The instance keeps Django's name: `admin:` URLs and templates stay as they are.
        super().__init__(name)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """A staff account signed in on the app without a device is told to enrol one first."""
        user = request.user
        if user.is_authenticated and user.is_staff and not a_un_appareil(user):
            request.current_app = self.name
            contexte = {**self.each_context(request), "title": "Double authentification requise"}
            return render(request, "socle/admin/double_authentification_requise.html", contexte)
        return super().login(request, extra_context)

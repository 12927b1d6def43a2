from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms


class DsfrFormMixin:
    """Gives a form its crispy helper: DSFR markup and a French submit button."""

    submit_label = "Enregistrer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))


class ConnexionForm(DsfrFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Se connecter"

    username = auth_forms.UsernameField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class MotDePasseOublieForm(DsfrFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Recevoir un lien"


class NouveauMotDePasseForm(DsfrFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Changer le mot de passe"
